import type { BrowserContext } from '@playwright/test';
import type { CvListDoc } from '../shared/schemas/cv-list.schema';
import type { SearchDoc } from '../shared/schemas/search.schema';
import { expectAccessible, pullAll } from './fixtures/checks';
import { expect, screenPath, test } from './fixtures/server';
import { CvthequePage } from './pages/cvtheque-page';
import { WorkstationPage } from './pages/workstation-page';

/**
 * Issue 5 on the web workstation: a recruiter searches the CVthèque (the server answers), opens
 * the demo candidate's CV and its attached PDF, goes offline, searches again (this workstation
 * answers), opens the CV and its PDF from the local cache, files it in two lists, stars the
 * search, and comes back online: the lists and the favourite reach the server. A new matching CV is
 * published on the portal: the alert arrives (notice, desktop notification, e-mail), once.
 */

const CV_TITLE = 'Boulanger confirmé, pain de tradition';
const DEMO_CV_ID = '0c500000-0000-4000-8000-000000000001';
const PDF_NAME = 'cv-thomas-garcia.pdf';
const LISTS = ['Fournil Carcassonne', 'À rappeler'];

test.describe('CVthèque sur le poste de travail', () => {
  test.describe.configure({ timeout: 240_000 });
  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('recherche en ligne puis hors ligne, CV et PDF hors ligne, deux listes, recherche favorite', async ({
    browser,
    server,
  }) => {
    // 0. The demo candidate attaches a PDF (their CV as the portal prints it) to the published CV.
    const candidate = await browser.newContext({ baseURL: server.url });
    contexts.push(candidate);
    const login = await candidate.request.post('/api/auth/login', {
      data: { email: 'candidat@demo.test', password: 'demo-demo-demo' },
    });
    expect(login.ok()).toBe(true);
    const pdf = await candidate.request.get(`/api/candidate/cvs/${DEMO_CV_ID}/pdf`);
    expect(pdf.ok(), 'le portail imprime le CV en PDF').toBe(true);
    const uploaded = await candidate.request.post('/api/candidate/files?purpose=cv', {
      data: await pdf.body(),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(uploaded.ok(), await uploaded.text()).toBe(true);
    const { sha256 } = (await uploaded.json()) as { sha256: string };
    const saved = await candidate.request.put(`/api/candidate/cvs/${DEMO_CV_ID}`, {
      data: { file: { sha256, name: PDF_NAME } },
    });
    expect(saved.ok(), await saved.text()).toBe(true);

    // 1. The recruiter signs in on the web workstation.
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    // Desktop notifications: the page's Notification is recorded (permission granted).
    await context.addInitScript(() => {
      const shown: { title: string; body?: string }[] = [];
      (window as unknown as { __notifications: typeof shown }).__notifications = shown;
      class RecordedNotification {
        static permission = 'granted';
        static requestPermission = async () => 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push({ title, body: options?.body });
        }
        close() {}
      }
      Object.defineProperty(window, 'Notification', { value: RecordedNotification, configurable: true });
    });
    const page = await context.newPage();
    // pdf.js and its worker run under the workstation's Content-Security-Policy.
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    const ws = new WorkstationPage(page);
    await ws.goto();
    await ws.signIn('recruteur1@demo.test');
    await ws.waitForInitialSync(5);
    const cvt = new CvthequePage(page);
    await cvt.open();
    // The CV reaches this workstation's replica (the organisation's sector and region).
    await expect(page.getByTestId('cv-offline-summary')).not.toContainText('0 CV sur ce poste', {
      timeout: 30_000,
    });

    // A commune typed but not chosen: the summary of errors takes the focus, the field says why.
    await page.getByRole('combobox', { name: 'Commune', exact: true }).fill('Zzzzz');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'La recherche contient une erreur' });
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('Choisissez la commune dans la liste proposée');
    await expect(page.getByRole('combobox', { name: 'Commune', exact: true })).toHaveAttribute(
      'aria-invalid',
      'true',
    );
    await page.getByRole('button', { name: 'Critères de mon organisation' }).click();
    await expect(page.getByRole('combobox', { name: 'Commune', exact: true })).not.toHaveValue('Zzzzz');

    // 2. Online: the server answers, the demo CV is found.
    await cvt.search('boulanger');
    await expect(cvt.source()).toHaveText('Résultats du serveur (toute la CVthèque)');
    await expect(cvt.row(CV_TITLE)).toBeVisible();
    await expect(page.getByTestId('cv-preview').getByRole('heading', { level: 2 })).toBeVisible();
    await page.screenshot({ path: screenPath('cvtheque-01-recherche-serveur'), fullPage: true });
    await expectAccessible(page, 'recherche');

    // Keyboard: arrows move the current row (its preview), Entrée opens the CV.
    const title = cvt.row(CV_TITLE).getByRole('button', { name: CV_TITLE, exact: true });
    await title.focus();
    await expect(
      page.getByTestId('cv-preview').getByRole('heading', { level: 2, name: CV_TITLE }),
    ).toBeVisible();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 1, name: CV_TITLE })).toBeVisible();
    await expect(page.getByRole('heading', { level: 2, name: 'Expériences' })).toBeVisible();
    await expect(page.getByText('Pain au levain', { exact: true })).toBeVisible();
    await expect(page.getByText('(5 sur 5, Expert)')).toBeVisible();
    // The PDF is shown in the application (and kept on this workstation).
    const viewer = page.getByTestId('pdf-viewer');
    await expect(viewer.getByTestId('pdf-canvas')).toHaveAttribute('data-rendered', 'oui', {
      timeout: 30_000,
    });
    await expect(viewer.getByTestId('pdf-page')).toHaveText(/^Page 1 sur \d+$/);
    await viewer.getByRole('button', { name: 'Zoom avant' }).click();
    await expect(viewer.getByTestId('pdf-zoom')).toHaveText('Zoom 125 %');
    await viewer.getByRole('searchbox', { name: 'Chercher dans le CV joint' }).fill('levain');
    await viewer.getByRole('button', { name: 'Chercher', exact: true }).click();
    await expect(viewer.getByTestId('pdf-search-result')).toContainText('apparaît à la page 1');
    await page.screenshot({ path: screenPath('cvtheque-02-cv-et-pdf'), fullPage: true });
    expect.soft(cspViolations, 'aucune violation de la CSP').toEqual([]);
    await expectAccessible(page, 'détail du CV');
    await page.getByRole('button', { name: /Retour aux résultats/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'CVthèque' })).toBeVisible();
    await expect(cvt.row(CV_TITLE)).toBeVisible();

    // 3. Offline: the same search runs on this workstation's replica.
    await context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    await cvt.search('boulangère');
    await expect(cvt.source()).toHaveText(
      /^Résultats de ce poste \(hors ligne : \d+ CV disponibles? localement\)$/,
    );
    await expect(cvt.row(CV_TITLE)).toBeVisible();
    await page.screenshot({ path: screenPath('cvtheque-03-recherche-hors-ligne'), fullPage: true });

    // 4. The CV and its PDF, offline.
    await cvt.openCv(CV_TITLE);
    await expect(page.getByTestId('cv-name')).toHaveText('Thomas Garcia');
    await expect(viewer.getByTestId('pdf-canvas')).toHaveAttribute('data-rendered', 'oui', {
      timeout: 30_000,
    });
    await expect(viewer.getByText('Lu depuis ce poste (disponible hors ligne).')).toBeVisible();
    await page.screenshot({ path: screenPath('cvtheque-04-pdf-hors-ligne'), fullPage: true });

    // 5. Filed in two lists, offline.
    await cvt.addToLists(LISTS);
    await expect(page.getByTestId('cv-in-lists')).toContainText(`« ${LISTS[0]} »`);
    await expect(page.getByTestId('cv-in-lists')).toContainText(`« ${LISTS[1]} »`);
    await cvt.openLists();
    await page.getByRole('button', { name: LISTS[0], exact: true }).click();
    await expect(page.getByTestId('cv-list-count')).toHaveText('(1 CV dans cette liste)');
    await expect(page.getByTestId('cv-list-row')).toHaveCount(1);
    await page.screenshot({ path: screenPath('cvtheque-05-listes'), fullPage: true });
    await expectAccessible(page, 'listes');

    // 6. The offline search starred as a favourite.
    await cvt.open();
    const entry = cvt.historyEntry(/boulang/).first();
    await expect(entry).toBeVisible();
    await entry
      .getByRole('button', { name: /^Favorite/ })
      .first()
      .click();
    await expect(page.getByTestId('favourite-searches').getByTestId('search-entry')).toHaveCount(1);
    await expect(
      page.getByTestId('favourite-searches').getByRole('button', { name: /^Favorite/ }),
    ).toHaveAttribute('aria-pressed', 'true');
    await ws.expectPending((n) => n > 0, 'les listes et la recherche attendent le réseau');
    await page.screenshot({ path: screenPath('cvtheque-06-recherche-favorite'), fullPage: true });

    // 7. Back online: everything reaches the server.
    await context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne');
    await expect.poll(() => ws.pendingCount(), { timeout: 30_000 }).toBe(0);
    const token = await server.login('recruteur1@demo.test');
    const lists = await pullAll<CvListDoc>(server, token, 'cvLists');
    for (const name of LISTS) {
      const list = lists.find((l) => l.name === name);
      expect(list, `la liste « ${name} » est sur le serveur`).toBeDefined();
      expect(list!.entries.filter((e) => !e.removedAt).map((e) => e.cvId)).toEqual([DEMO_CV_ID]);
    }
    const searches = await pullAll<SearchDoc>(server, token, 'searches');
    const favourite = searches.filter((s) => s.favourite);
    expect(favourite).toHaveLength(1);
    expect(favourite[0]!.label).toMatch(/boulang/);
    await page.screenshot({ path: screenPath('cvtheque-07-en-ligne'), fullPage: true });

    // 7b. A new CV matching the favourite search is published on the portal: the daily job sends
    // the alert once, as a notice on the workstation (and a desktop notification) and an e-mail.
    const created = await candidate.request.post('/api/candidate/cvs', {
      data: {
        title: 'Boulanger pâtissier, viennoiseries',
        summary: 'Boulanger de formation, pâtissier depuis trois ans : viennoiseries, entremets, tartes.',
        target: {
          appellationCode: '17576',
          appellationLabel: 'Pâtissier / Pâtissière',
          romeCode: 'D1104',
          workplaces: [{ communeCode: '11069', communeName: 'Carcassonne' }],
          contractTypes: ['CDI'],
          workingTimes: ['temps_plein'],
        },
      },
    });
    expect(created.ok(), await created.text()).toBe(true);
    const newCv = (await created.json()) as { id: string };
    const published = await candidate.request.post(`/api/candidate/cvs/${newCv.id}/publish`, {
      data: { publication: { cvtheque: true } },
    });
    expect(published.ok(), await published.text()).toBe(true);
    await server.api('/api/test/clock', { body: { advanceDays: 1 } });
    await server.api('/api/test/jobs/run', { body: {} });
    await server.api('/api/test/jobs/run', { body: {} });
    await page.getByTestId('notices-button').click();
    await expect(page.getByText(/^1 nouveau CV pour votre recherche « .*boulang/).first()).toBeVisible({
      timeout: 30_000,
    });
    await expect
      .poll(() =>
        page.evaluate(() => (window as unknown as { __notifications: { title: string }[] }).__notifications),
      )
      .toEqual([
        expect.objectContaining({ title: expect.stringMatching(/^1 nouveau CV pour votre recherche/) }),
      ]);
    type Mail = { subject: string; text: string };
    const { messages } = await server.api<{ messages: Mail[] }>(
      `/dev/courriels.json?to=${encodeURIComponent('recruteur1@demo.test')}`,
    );
    const alerts = messages.filter((m) => m.subject.startsWith('CVthèque : '));
    expect(alerts.map((m) => m.subject)).toEqual(['CVthèque : 1 nouveau CV']);
    expect(alerts[0]!.text).toContain('Boulanger pâtissier, viennoiseries');
    // Run again: nothing new is sent.
    await server.api('/api/test/jobs/run', { body: {} });
    const again = await server.api<{ messages: Mail[] }>(
      `/dev/courriels.json?to=${encodeURIComponent('recruteur1@demo.test')}`,
    );
    expect(again.messages.filter((m) => m.subject.startsWith('CVthèque : '))).toHaveLength(1);
    await page.screenshot({ path: screenPath('cvtheque-07b-alerte'), fullPage: true });

    // 7c. A métier and its nearby métiers (ROME mobility, from the offline referential): the
    // pastry cook's CV (D1104) is found from « Boulanger » only once « Pâtisserie… » is ticked.
    await cvt.open();
    await cvt.keywords().fill('');
    await ws.chooseSuggestion('Métier', 'Boulanger', /^Boulanger \/ Boulangère/);
    const nearby = page.getByRole('group', { name: /Chercher aussi dans les métiers proches/ });
    const pastry = nearby.getByRole('checkbox', { name: /\(D1104\)$/ });
    await expect(pastry).not.toBeChecked();
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await expect(page.getByTestId('cv-count')).toHaveText('1 CV correspond');
    await expect(cvt.row(CV_TITLE)).toBeVisible();
    await pastry.check();
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await expect(page.getByTestId('cv-count')).toHaveText('2 CV correspondent');
    await expect(cvt.row('Boulanger pâtissier, viennoiseries')).toBeVisible();
    await page.screenshot({ path: screenPath('cvtheque-07c-metiers-proches'), fullPage: true });

    // 8. Lists: shared with the organisation, CVs removed several at once (here: all of them).
    await cvt.openLists();
    await page.getByRole('button', { name: LISTS[0], exact: true }).click();
    await page.getByRole('checkbox', { name: 'Partager avec mon organisation' }).check();
    await page.getByRole('button', { name: LISTS[1], exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: LISTS[1] })).toBeVisible();
    await page.getByRole('checkbox', { name: 'Sélectionner tous les CV de la liste' }).check();
    await page.getByRole('button', { name: 'Retirer de la liste' }).click();
    await expect(page.getByTestId('cv-list-count')).toHaveText('(Aucun CV)');
    await expect.poll(() => ws.pendingCount(), { timeout: 30_000 }).toBe(0);
    const after = await pullAll<CvListDoc>(server, token, 'cvLists');
    expect(after.find((l) => l.name === LISTS[0])?.shared).toBe(true);
    const emptied = after.find((l) => l.name === LISTS[1]);
    expect(emptied?.entries.map((e) => e.cvId)).toEqual([DEMO_CV_ID]);
    expect(emptied?.entries[0]?.removedAt, 'retiré, l’entrée reste marquée retirée').toBeTruthy();

    // 9. From the CV: the person is proposed for one of the organisation's published offers.
    await page.getByRole('button', { name: LISTS[0], exact: true }).click();
    await page.getByRole('button', { name: CV_TITLE, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: CV_TITLE })).toBeVisible();
    await page.getByRole('button', { name: 'Proposer pour une offre' }).click();
    const propose = page.getByRole('dialog', { name: 'Proposer pour une offre' });
    await propose.getByRole('button', { name: 'Proposer', exact: true }).click();
    await expect(
      propose.getByText('Choisissez l’offre pour laquelle proposer cette personne.'),
    ).toBeVisible();
    await expect(propose.getByRole('combobox', { name: 'Offre' })).toBeFocused();
    type Listed = { applications: { offerId: string; status: string }[] };
    const before = (await (await candidate.request.get('/api/candidate/applications')).json()) as Listed;
    const taken = new Set(before.applications.map((x) => x.offerId));
    const choices = await propose
      .getByRole('combobox', { name: 'Offre' })
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    const offerId = choices.find((id) => !taken.has(id));
    expect(offerId, 'une offre en ligne sans candidature de la personne').toBeDefined();
    await propose.getByRole('combobox', { name: 'Offre' }).selectOption(offerId!);
    await propose.getByRole('textbox', { name: /Message/ }).fill('Votre profil de boulanger nous intéresse.');
    await propose.getByRole('button', { name: 'Proposer', exact: true }).click();
    await expect(propose).toBeHidden();
    await expect(page.getByTestId('announcement')).toContainText('est proposé pour');
    const after8 = (await (await candidate.request.get('/api/candidate/applications')).json()) as Listed;
    expect(after8.applications.find((x) => x.offerId === offerId)?.status).toBe('proposee');
    // The CV now shows the person's applications to this organisation (here, the proposal).
    await expect(page.getByTestId('cv-applicant')).toContainText('Proposée', { timeout: 30_000 });
    await page.screenshot({ path: screenPath('cvtheque-08-proposition'), fullPage: true });

    // 10. On a phone-sized screen: the search and its results stay usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await cvt.open();
    await cvt.search('boulanger');
    await expect(cvt.row(CV_TITLE)).toBeVisible();
    await page.screenshot({ path: screenPath('cvtheque-09-telephone'), fullPage: true });
  });
});
