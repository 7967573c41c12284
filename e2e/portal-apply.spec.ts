import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { CandidateApplication } from '../shared/domain/application';
import type { PublicOfferPage } from '../shared/domain/public-offer';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';

/**
 * Issue 4 « Applications »: the demo candidate applies with a CV file and a message, sees the
 * duplicate refused, follows and withdraws the application in « Mes candidatures », keeps offers
 * in « Mes sélections »; a visitor applies without an account, receives the follow link by e-mail
 * and withdraws from it. Accessibility (axe-core: no serious or critical violation) on each page.
 */

/** A one-page PDF (content is checked by the server, not the name). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function signIn(page: Page, email: string) {
  const res = await page.request.post('/api/auth/login', { data: { email, password: 'demo-demo-demo' } });
  expect(res.ok()).toBe(true);
}

/** Published offers that take applications online, minus those to skip. */
async function onlineOffers(server: E2eServer, skip: Set<string>) {
  const page = await server.api<PublicOfferPage>('/api/public/offers?page=1&pageSize=50');
  return page.items.filter((o) => o.applicationMode !== 'contact' && !skip.has(o.id));
}

test('postuler avec un compte, voir le doublon refusé, retirer sa candidature, gérer sa sélection', async ({
  page,
  server,
}) => {
  await signIn(page, 'candidat@demo.test');
  const token = await server.login('candidat@demo.test');
  const mine = await server.api<{ applications: CandidateApplication[] }>('/api/candidate/applications', {
    token,
  });
  const applied = new Set(mine.applications.map((a) => a.offerId ?? ''));
  const [offer, other] = await onlineOffers(server, applied);
  expect(offer, 'une offre en ligne à laquelle le candidat n’a pas postulé').toBeTruthy();

  // A second tab with the form ready, for the duplicate below.
  const second = await page.context().newPage();
  await second.goto(`/offres/${offer!.id}/postuler`);
  await second.getByLabel('Joindre un fichier CV').check();
  await second
    .getByLabel('Fichier de votre CV')
    .setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: PDF });

  await page.goto(`/offres/${offer!.id}/postuler`);
  await expect(page.getByRole('heading', { level: 1, name: `Postuler : ${offer!.title}` })).toBeVisible();
  await page.getByLabel('Joindre un fichier CV').check();
  await page
    .getByLabel('Fichier de votre CV')
    .setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page
    .getByLabel('Votre message au recruteur (facultatif)')
    .fill('Bonjour, je suis disponible dès lundi.');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  await expect(page.getByRole('heading', { name: 'Candidature envoyée' })).toBeVisible();
  await page.screenshot({ path: screenPath('portal-apply-sent'), fullPage: true });

  // The same offer again, from a tab opened before: refused with a clear message, and the
  // summary takes the focus. Opened afterwards, the page says so before any form.
  await second.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  const summary = second.getByRole('alert').filter({ hasText: 'Vous avez déjà postulé à cette offre le' });
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await second.close();
  await page.goto(`/offres/${offer!.id}/postuler`);
  await expect(page.getByText(/Vous avez déjà postulé le \d{2}\/\d{2}\/\d{4}/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Envoyer ma candidature' })).toHaveCount(0);

  // « Mes candidatures »: the new one is « Envoyée »; withdraw it after confirming.
  await page.goto('/mes-candidatures');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes candidatures' })).toBeVisible();
  const card = page.locator('article.application-card').filter({ hasText: offer!.title });
  await expect(card.first()).toContainText('Envoyée');
  await expectAccessible(page);
  await card.first().getByRole('button', { name: 'Retirer ma candidature' }).click();
  await card.first().getByLabel('Motif (facultatif)').fill('J’ai trouvé un autre poste.');
  await card.first().getByRole('button', { name: 'Oui, retirer' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'est retirée' })).toBeVisible();
  await expect(card.first()).toContainText('Retirée');
  await expect(card.first().getByRole('button', { name: 'Retirer ma candidature' })).toHaveCount(0);

  // « Mes sélections »: add two offers from their pages, then remove both at once.
  await page.goto('/mes-selections');
  await expect(page.getByRole('heading', { level: 1, name: 'Mes sélections' })).toBeVisible();
  for (const o of [offer!, other!]) {
    await server.api('/api/candidate/selections', { token, body: { offerId: o.id } });
  }
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: offer!.title })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Tout cocher').check();
  await page.getByRole('button', { name: /Retirer les offres cochées/ }).click();
  await expect(page.getByText('Votre sélection est vide.')).toBeVisible();
});

test('postuler sans compte, recevoir le lien de suivi par e-mail et retirer sa candidature', async ({
  page,
  server,
}) => {
  const [offer] = await onlineOffers(server, new Set());
  const email = `visiteur-${Date.now()}@exemple.test`;
  await page.goto(`/offres/${offer!.id}/postuler`);
  await expect(page.getByRole('link', { name: 'Connectez-vous' })).toBeVisible();

  // Submitting empty: the summary names each field at fault.
  await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Votre candidature n’a pas pu être envoyée' });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Prénom');
  await expect(summary).toContainText('Consentement');
  await expect(page.getByLabel('Prénom (obligatoire)')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('Civilité (facultatif)').selectOption('madame');
  await page.getByLabel('Prénom (obligatoire)').fill('Inès');
  await page.getByLabel('Nom (obligatoire)', { exact: true }).fill('Benoît');
  await page.getByLabel('E-mail (obligatoire)').fill(email);
  await page.getByLabel('Téléphone (facultatif)').fill('06 11 22 33 44');
  await page
    .getByLabel('CV (obligatoire)', { exact: true })
    .setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByLabel('Votre message au recruteur (facultatif)').fill('Bonjour, voici ma candidature.');
  await page.getByLabel(/J’accepte que mes données/).check();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  await expect(page.getByRole('heading', { name: 'Candidature envoyée' })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();

  // The confirmation e-mail (development mailbox) carries the follow link.
  let link = '';
  await expect
    .poll(
      async () => {
        const res = await page.request.get(`/dev/courriels.json?to=${encodeURIComponent(email)}`);
        if (!res.ok()) return '';
        const body = (await res.json()) as { messages: { text: string; links: string[] }[] };
        link =
          body.messages.flatMap((m) => m.links).find((l) => l.includes('/suivi-candidature?jeton=')) ?? '';
        return link;
      },
      { timeout: 20_000 },
    )
    .toContain('/suivi-candidature?jeton=');
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.getByRole('heading', { level: 1, name: 'Suivi de ma candidature' })).toBeVisible();
  await expect(page.getByText('Bonjour Inès')).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: offer!.title })).toBeVisible();
  await expect(page.locator('.status-badge')).toContainText('Envoyée');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Retirer ma candidature' }).click();
  await page.getByRole('button', { name: 'Oui, retirer' }).click();
  await expect(page.getByText('Votre candidature est retirée.')).toBeVisible();
  await expect(page.locator('.status-badge')).toContainText('Retirée');
});

test('candidature spontanée depuis la fiche entreprise, pour un métier de ses fiches de poste', async ({
  page,
}) => {
  const company = '0c0c0000-0000-4000-8000-000000000001';
  await page.goto(`/entreprises/${company}`);
  const job = page.locator('.company-jobs__item').first();
  const jobTitle = (await job.getByRole('heading', { level: 3 }).innerText()).trim();
  await job.getByRole('link', { name: /Postuler pour ce métier/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Candidature spontanée : / })).toBeVisible();
  await expect(page.getByLabel('Poste visé')).toHaveValue(/.+/);
  await expect(page.getByLabel('Poste visé').locator('option:checked')).toHaveText(jobTitle);
  await expectAccessible(page);
  await page.getByLabel('Prénom (obligatoire)').fill('Karim');
  await page.getByLabel('Nom (obligatoire)', { exact: true }).fill('Haddad');
  await page.getByLabel('E-mail (obligatoire)').fill(`spontane-${Date.now()}@exemple.test`);
  await page
    .getByLabel('CV (obligatoire)', { exact: true })
    .setInputFiles({ name: 'cv.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByLabel(/J’accepte que mes données/).check();
  await page.getByRole('button', { name: 'Envoyer ma candidature' }).click();
  await expect(page.getByRole('heading', { name: 'Candidature envoyée' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(jobTitle);
});
