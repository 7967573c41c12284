import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { pdfPages } from '../sync-server/src/candidate/cv-pdf-sample';
import { DEMO_CV_IDS } from '../sync-server/src/candidate/demo-cvs';
import { makePdf } from '../sync-server/src/files/sample-files';
import { expect, test } from './fixtures/server';

/**
 * Issue 4, seed 004 « dossiers »: Thomas Garcia prepares application folders (one of his CVs, a
 * cover letter as text and as a PDF, a video link), with the errors named and focused; edits and
 * deletes one. Seed 002 « Visualiser / Imprimer »: his CV as a PDF in the layout and order he
 * chose. Accessibility of the page (axe-core: no serious or critical violation).
 */

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function signIn(page: Page) {
  const res = await page.request.post('/api/auth/login', {
    data: { email: 'candidat@demo.test', password: 'demo-demo-demo' },
  });
  expect(res.ok()).toBe(true);
}

test('application folders: create with a CV, a letter and a video, edit, delete', async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page);
  await page.goto('/mes-dossiers');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes dossiers de candidature' })).toBeVisible();
  await expect(page.getByText('Vous n’avez pas encore de dossier de candidature.')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Créer un dossier' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Nouveau dossier de candidature' })).toBeFocused();

  // Refused: no name, a video link that is not https. The summary takes the focus, links each field.
  await page
    .getByLabel('Lien vers une vidéo de présentation (facultatif)')
    .fill('http://www.youtube.com/watch?v=1');
  await page.getByRole('button', { name: 'Enregistrer le dossier' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Donnez un nom au dossier');
  await expect(summary).toContainText('Lien vidéo invalide');
  const name = page.getByLabel(/^Nom du dossier/);
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await summary.getByRole('link', { name: /Donnez un nom au dossier/ }).click();
  await expect(name).toBeFocused();
  await expectAccessible(page);

  await name.fill('Boulangeries lyonnaises');
  await expect(page.getByLabel('CV choisi')).toHaveValue(DEMO_CV_IDS.published);
  await page.getByLabel('Texte de la lettre').fill('Madame, Monsieur,\nje souhaite rejoindre votre fournil.');
  await page.getByLabel('Ou une lettre au format PDF').setInputFiles({
    name: 'lettre-motivation.pdf',
    mimeType: 'application/pdf',
    buffer: makePdf(),
  });
  await expect(page.getByText('Fichier joint : lettre-motivation.pdf')).toBeVisible();
  await page
    .getByLabel('Lien vers une vidéo de présentation (facultatif)')
    .fill('https://vimeo.com/76979871');
  await expect(page.getByText('Lien reconnu : Vimeo.')).toBeVisible();
  await page.getByRole('button', { name: 'Enregistrer le dossier' }).click();

  await expect(page.getByText('Le dossier « Boulangeries lyonnaises » est enregistré.')).toBeVisible();
  const card = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Boulangeries lyonnaises' }) });
  await expect(card.getByRole('link', { name: 'Boulanger confirmé, pain de tradition' })).toBeVisible();
  await expect(card.getByRole('link', { name: 'lettre-motivation.pdf' })).toBeVisible();
  await expect(card.getByRole('link', { name: /Vimeo/ })).toHaveAttribute(
    'href',
    'https://vimeo.com/76979871',
  );
  await expectAccessible(page);

  // The application form reads the same list.
  const listed = await page.request.get('/api/candidate/folders');
  expect((await listed.json()) as unknown[]).toHaveLength(1);

  await card.getByRole('button', { name: 'Modifier le dossier Boulangeries lyonnaises' }).click();
  await page.getByLabel(/^Nom du dossier/).fill('Boulangeries de Lyon');
  await page.getByLabel('CV choisi').selectOption(DEMO_CV_IDS.draft);
  await page.getByRole('button', { name: 'Enregistrer le dossier' }).click();
  const edited = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Boulangeries de Lyon' }) });
  await expect(edited.getByRole('link', { name: 'Commis de cuisine' })).toBeVisible();

  page.once('dialog', (dialog) => dialog.accept());
  await edited.getByRole('button', { name: 'Supprimer le dossier Boulangeries de Lyon' }).click();
  await expect(page.getByText('Le dossier « Boulangeries de Lyon » est supprimé.')).toBeVisible();
  await expect(page.getByText('Vous n’avez pas encore de dossier de candidature.')).toBeVisible();
});

test('the CV as a PDF, in the chosen layout and order', async ({ page }) => {
  await signIn(page);
  for (const [layout, order] of [
    ['moderne', 'formation'],
    ['compact', 'experience'],
  ] as const) {
    const res = await page.request.get(
      `/api/candidate/cvs/${DEMO_CV_IDS.published}/pdf?mise-en-page=${layout}&ordre=${order}`,
    );
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toBe('attachment; filename="CV-Thomas-Garcia.pdf"');
    const text = (await pdfPages(new Uint8Array(await res.body())))
      .join(' ')
      .replace(/\s+/g, ' ')
      .toLowerCase();
    expect(text).toContain('boulanger confirmé, pain de tradition');
    const exp = text.indexOf('expériences professionnelles');
    const training = text.indexOf('formations et diplômes');
    expect(exp > -1 && training > -1).toBe(true);
    expect(order === 'formation' ? training < exp : exp < training).toBe(true);
  }
});

interface DevMail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  attachments: { filename: string; contentType: string; size: number }[];
}

test('from the CV editor: choose the layout, download the PDF, send it by e-mail, see matching offers', async ({
  page,
  server,
}) => {
  test.setTimeout(90_000);
  await signIn(page);
  await page.goto(`/mes-cv/${DEMO_CV_IDS.published}?etape=2`);
  const actions = page.getByRole('region', { name: 'Mise en page, impression et envoi' });
  await expect(actions).toBeVisible();
  await actions.getByLabel('Moderne').check();
  await actions.getByLabel('Formation en premier').check();
  await expectAccessible(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    actions.getByRole('link', { name: /^Télécharger le PDF/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('CV-Thomas-Garcia.pdf');
  const path = await download.path();
  const text = (await pdfPages(new Uint8Array(readFileSync(path))))
    .join(' ')
    .replace(/\s+/g, ' ')
    .toLowerCase();
  expect(text.indexOf('formations et diplômes')).toBeLessThan(text.indexOf('expériences professionnelles'));

  // « Envoyer par courriel »: a refused address is named and focused, then the CV leaves.
  await actions.getByRole('button', { name: 'Envoyer par courriel' }).click();
  await actions.getByLabel(/^Destinataire/).fill('pas-une-adresse');
  await actions.getByLabel(/^Objet/).fill('Candidature boulanger (offre 100001A)');
  await actions.getByLabel(/^Message/).fill('Madame, Monsieur,\nveuillez trouver mon CV ci-joint.');
  await actions.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(actions.getByRole('alert')).toBeFocused();
  await expect(actions.getByLabel(/^Destinataire/)).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  await actions.getByLabel(/^Destinataire/).fill('recrutement@boulangerie-exemple.fr');
  await actions.getByLabel(/^Copie à/).fill('copie@exemple.fr');
  await actions.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await expect(actions.getByRole('status').filter({ hasText: 'Votre CV a été envoyé' })).toContainText(
    'recrutement@boulangerie-exemple.fr (copie à copie@exemple.fr)',
  );

  let mail: DevMail | undefined;
  await expect
    .poll(
      async () => {
        const { messages } = await server.api<{ messages: DevMail[] }>(
          '/dev/courriels.json?to=recrutement%40boulangerie-exemple.fr',
        );
        mail = messages.find((m) => m.subject === 'Candidature boulanger (offre 100001A)');
        return !!mail;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  expect(mail!.to).toContain('copie@exemple.fr');
  expect(mail!.text).toContain('veuillez trouver mon CV ci-joint');
  expect(mail!.attachments).toEqual([
    expect.objectContaining({ filename: 'CV-Thomas-Garcia.pdf', contentType: 'application/pdf' }),
  ]);
  const attachment = await page.request.get(`/dev/courriels/${mail!.id}/pieces-jointes/0`);
  const sentText = (await pdfPages(new Uint8Array(await attachment.body()))).join(' ').toLowerCase();
  expect(sentText).toContain('boulanger confirmé, pain de tradition');

  await actions.getByRole('button', { name: 'Rechercher des offres pour ce CV' }).click();
  await expect(actions.getByRole('heading', { name: 'Offres correspondant à ce CV' })).toBeVisible();
  await expect(actions.getByRole('status').filter({ hasText: /offre/ })).toBeVisible();
  // The demo CV targets a baker's job around Carcassonne, where the demo bakery publishes one.
  await expect(actions.getByRole('link', { name: 'Boulanger / Boulangère H/F' }).first()).toBeVisible();
  await expectAccessible(page);
});
