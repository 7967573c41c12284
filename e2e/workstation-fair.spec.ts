import type { BrowserContext } from '@playwright/test';
import type { EventDoc } from '../shared/schemas/event.schema';
import { pullAll } from './fixtures/checks';
import { expect, screenPath, test } from './fixtures/server';
import { FairPage } from './pages/fair-page';
import { WorkstationPage } from './pages/workstation-page';

/**
 * Issue 6, job-fair mode (seed 002 « événements »): a recruiter creates a public salon with two
 * offers on the web workstation, someone applies online with a CV to one of them, « Préparer le
 * salon » brings that CV's file onto this workstation until « Prêt pour le hors-ligne »; a
 * candidate registers on the portal's agenda, and the registration shows among the event's
 * candidates on the workstation, before the day.
 */

const SALON = 'Salon de l’emploi de la Cité';
const DEMO_CV_ID = '0c500000-0000-4000-8000-000000000001';

function inDays(days: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(
    new Date(Date.now() + days * 86_400_000),
  );
}

test.describe('Salons sur le poste de travail', () => {
  test.describe.configure({ timeout: 180_000 });
  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('salon public avec deux offres, préparé pour le hors-ligne, inscription sur l’agenda du portail', async ({
    browser,
    server,
  }) => {
    // 1. The recruiter creates a public salon presenting two offers.
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    const ws = new WorkstationPage(page);
    await ws.goto();
    await ws.signIn('recruteur1@demo.test');
    await ws.waitForInitialSync(2);
    const fair = new FairPage(page);
    await fair.open();
    await expect(page.getByText('Aucun événement à venir.', { exact: false })).toBeVisible();
    const titles = await fair.createSalon({
      name: SALON,
      date: inDays(14),
      start: '09:00',
      end: '17:00',
      place: 'Halle aux grains',
      offers: 2,
      public: true,
    });
    expect(titles).toHaveLength(2);

    // The salon reaches the server with its two offers.
    const token = await server.login('recruteur1@demo.test');
    let salon: EventDoc | undefined;
    await expect
      .poll(async () => {
        salon = (await pullAll<EventDoc>(server, token, 'events')).find((e) => e.name === SALON);
        return salon?.offerIds.length ?? 0;
      })
      .toBe(2);

    // 2. Someone applies online with a CV to one of the offers: a file to bring before leaving.
    const visitor = await browser.newContext({ baseURL: server.url });
    contexts.push(visitor);
    const login = await visitor.request.post('/api/auth/login', {
      data: { email: 'candidat@demo.test', password: 'demo-demo-demo' },
    });
    expect(login.ok()).toBe(true);
    const pdf = await visitor.request.get(`/api/candidate/cvs/${DEMO_CV_ID}/pdf`);
    expect(pdf.ok()).toBe(true);
    const anonymous = await browser.newContext({ baseURL: server.url });
    contexts.push(anonymous);
    const file = await anonymous.request.post('/api/public/application-files?purpose=cv', {
      data: await pdf.body(),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(file.ok(), await file.text()).toBe(true);
    const { sha256 } = (await file.json()) as { sha256: string };
    let applied = false;
    for (const offerId of salon!.offerIds) {
      const res = await anonymous.request.post('/api/public/applications', {
        data: {
          offerId,
          firstName: 'Inès',
          lastName: 'Bernard',
          email: 'ines.bernard@example.test',
          consent: true,
          file: sha256,
        },
      });
      if (res.status() === 201) {
        applied = true;
        break;
      }
    }
    expect(applied, 'une candidature en ligne avec CV à l’une des offres du salon').toBe(true);

    // 3. « Préparer le salon »: the CV file comes onto this workstation; ready for offline.
    await fair.prepare();
    await expect(fair.prepareCount()).toHaveText(/^([1-9]\d*) fichiers? sur \1$/, { timeout: 60_000 });
    await expect(fair.ready()).toHaveText(/Prêt pour le hors-ligne/, { timeout: 60_000 });
    await expect(page.locator('#prepare-progress')).toBeVisible();
    await page.screenshot({ path: screenPath('fair-01-pret-hors-ligne'), fullPage: true });

    // 4. A candidate registers on the portal's agenda.
    const portal = await anonymous.newPage();
    await portal.goto('/agenda');
    await expect(
      portal.getByRole('heading', { level: 1, name: 'Agenda des salons et sessions' }),
    ).toBeVisible();
    const item = portal.getByTestId('agenda-event').filter({ hasText: SALON });
    await expect(item).toBeVisible();
    await expect(item).toContainText('Boulangeries Martin');
    await expect(item).toContainText(titles[0]!.replace(/ \(n° .*\)$/, ''));
    await item.getByRole('button', { name: /S’inscrire/ }).click();
    // A submit without consent: the summary names the field.
    await item.getByLabel('Prénom (obligatoire)', { exact: true }).fill('Camille');
    await item.getByLabel('Nom (obligatoire)', { exact: true }).fill('Roussel-Étienne');
    await item.getByLabel('Adresse e-mail (obligatoire)').fill('camille.roussel@example.test');
    await item.getByRole('button', { name: 'M’inscrire' }).click();
    await expect(item.getByRole('alert')).toContainText('Consentement');
    await item.getByRole('checkbox').check();
    await item.getByLabel('Offre qui vous intéresse (facultatif)').selectOption({ index: 1 });
    await item.getByRole('button', { name: 'M’inscrire' }).click();
    await expect(item.getByTestId('agenda-registered')).toContainText('camille.roussel@example.test');
    await portal.screenshot({ path: screenPath('fair-02-agenda-inscription'), fullPage: true });

    // 5. The registration is among the event's candidates on the workstation, before the day.
    await expect(fair.candidates()).toContainText('Camille Roussel-Étienne', { timeout: 30_000 });
    await expect(fair.candidates()).toContainText('Inscription en ligne');
    await expect(page.getByTestId('summary-people')).toHaveText('1');
    await expect(page.getByText(/1 inscrit$/)).toBeVisible();
    await page.screenshot({ path: screenPath('fair-03-candidats'), fullPage: true });
  });

  test('session de recrutement : le recruteur la demande, le conseiller la planifie, le recruteur est averti', async ({
    browser,
    server,
  }) => {
    const SESSION = 'Session boulangers de printemps';
    const recruiter = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1366, height: 900 },
    });
    const advisorContext = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1366, height: 900 },
    });
    contexts.push(recruiter, advisorContext);

    const page = await recruiter.newPage();
    const ws = new WorkstationPage(page);
    await ws.goto();
    await ws.signIn('recruteur1@demo.test');
    await ws.waitForInitialSync(2);
    const fair = new FairPage(page);
    await fair.open();
    await fair.requestSession({
      name: SESSION,
      partner: 'Mission locale de Carcassonne',
      message: 'Trois postes de boulanger à pourvoir au printemps.',
    });
    await expect(page.getByText('Demandée', { exact: true })).toBeVisible();

    // The advisor sees the request, and schedules it.
    const advisorPage = await advisorContext.newPage();
    const advisorWs = new WorkstationPage(advisorPage);
    await advisorWs.goto();
    await advisorWs.signIn('conseiller@demo.test');
    await expect(advisorWs.syncStatus()).toHaveText('En ligne');
    const advisor = new FairPage(advisorPage);
    await advisor.open();
    const requests = advisorPage.getByTestId('events-requests');
    await expect(requests).toContainText(SESSION, { timeout: 30_000 });
    await requests.getByRole('button', { name: SESSION }).click();
    await expect(advisorPage.getByText('Trois postes de boulanger')).toBeVisible();
    await advisor.schedule({
      date: inDays(21),
      start: '14:00',
      end: '16:30',
      place: 'Mission locale, salle 2',
    });
    await expect(advisorPage.getByRole('heading', { level: 1, name: SESSION })).toBeVisible();
    await expect(advisorPage.getByText('Planifiée', { exact: true })).toBeVisible();
    await advisorPage.screenshot({ path: screenPath('fair-04-session-planifiee'), fullPage: true });

    // The recruiter is told, on the session's page.
    await expect(page.getByText('Session de recrutement planifiée')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText('Planifiée', { exact: true })).toBeVisible();
    await expect(page.locator('dd', { hasText: 'Mission locale, salle 2' })).toBeVisible();
  });
});
