import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';

/**
 * Issue 4 « Saved searches and alerts »: the demo candidate saves a search, a matching offer is
 * published, the daily job mails it; the e-mail's link opens a page that names the alert and
 * unsubscribes only on its button (mail scanners follow links), and its `List-Unsubscribe` header
 * offers the RFC 8058 one-click POST. Accessibility of « Mes alertes » and of the unsubscribe page
 * (axe-core: no serious or critical violation).
 */

const BAKERY_ORG = '0b0e0000-0000-4000-8000-000000000001';
const CANDIDATE = 'candidat@demo.test';
const KEYWORD = 'zythologue';

interface Mail {
  id: string;
  to: string[];
  subject: string;
  text: string;
  links: string[];
  headers: Record<string, string>;
}

async function signIn(page: Page, email = CANDIDATE) {
  const res = await page.request.post('/api/auth/login', { data: { email, password: 'demo-demo-demo' } });
  expect(res.ok()).toBe(true);
}

/** recruteur1 submits an offer, the moderator publishes it. */
async function publishOffer(server: E2eServer, title: string): Promise<string> {
  const recruiter = await server.login('recruteur1@demo.test');
  const moderator = await server.login('moderateur@demo.test');
  const now = new Date().toISOString();
  const id = randomUUID();
  const conflicts = await server.api<unknown[]>('/api/sync/offers/v1/push', {
    token: recruiter,
    body: [
      {
        assumedMasterState: null,
        newDocumentState: {
          id,
          organisationId: BAKERY_ORG,
          title,
          jobTitle: 'Sommelier / Sommelière',
          city: 'Narbonne',
          postalCode: '11100',
          companyName: 'Boulangeries Martin',
          contactPhone: '07 98 76 54 32',
          seasonal: false,
          contractTypes: ['CDI'],
          description: `Conseil en bières artisanales : nous recherchons un ${KEYWORD} passionné pour notre cave.`,
          status: 'en_attente',
          createdAt: now,
          updatedAt: now,
          _deleted: false,
        },
      },
    ],
  });
  expect(conflicts).toEqual([]);
  await server.api(`/api/moderation/offers/${id}/decision`, {
    token: moderator,
    body: { decision: 'publier' },
  });
  return id;
}

async function alertMails(server: E2eServer): Promise<Mail[]> {
  const { messages } = await server.api<{ messages: Mail[] }>(
    `/dev/courriels.json?to=${encodeURIComponent(CANDIDATE)}`,
  );
  return messages.filter((m) => m.subject.startsWith('Alerte « '));
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

test('enregistrer une recherche, recevoir son alerte par e-mail et se désinscrire', async ({
  page,
  server,
}) => {
  await signIn(page);

  // The search page's « Créer une alerte » leads here with the criteria in the query string.
  await page.goto(`/mes-alertes?motsCles=${KEYWORD}&contrat=CDI`);
  await expect(page.getByRole('heading', { level: 1, name: 'Mes alertes' })).toBeVisible();
  await expect(page).toHaveTitle(/Mes alertes/);
  const form = page.getByRole('region', { name: 'Enregistrer cette recherche' });
  await expect(form).toContainText(`Mots-clés : ${KEYWORD}`);
  await expect(form).toContainText('en ligne aujourd’hui');
  await expectAccessible(page);

  // An empty name is refused with a message tied to the field, and the summary gets the focus.
  const name = form.getByLabel('Nom de la recherche');
  await name.fill('');
  await form.getByRole('button', { name: 'Enregistrer cette recherche' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'La recherche n’a pas été enregistrée' }),
  ).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');

  await name.fill('Zythologue en CDI');
  await form.getByRole('button', { name: 'Enregistrer cette recherche' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'La recherche « Zythologue en CDI » est enregistrée' }),
  ).toBeVisible();
  await expect(page).toHaveURL(/\/mes-alertes$/);
  const card = page
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: 'Zythologue en CDI' }) });
  await expect(card).toContainText(/Alerte active jusqu’au \d{2}\/\d{2}\/\d{4}/);
  await expect(card).toContainText('Contrat : CDI');
  await expectAccessible(page);
  await page.screenshot({ path: screenPath('portail-mes-alertes'), fullPage: true });

  // A matching offer is published; the daily job mails it once.
  const offerId = await publishOffer(server, 'Zythologue caviste H/F');
  await server.api('/api/test/jobs/run', { body: {} });
  await server.api('/api/test/jobs/run', { body: {} });
  let mails: Mail[] = [];
  await expect
    .poll(async () => {
      mails = await alertMails(server);
      return mails.length;
    })
    .toBe(1);
  const mail = mails[0]!;
  expect(mail.subject).toBe('Alerte « Zythologue en CDI » : 1 nouvelle offre');
  expect(mail.text).toContain('Zythologue caviste H/F');
  expect(mail.links.some((l) => l.endsWith(`/offres/${offerId}`))).toBe(true);
  const unsubscribe = mail.links.find((l) => l.includes('/alertes/desinscription?jeton='));
  expect(unsubscribe).toBeTruthy();
  // The list headers (RFC 2369, 8058, 2919), with the absolute one-click address.
  expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  expect(mail.headers['List-Id']).toMatch(/^Alerte emploi <[0-9a-f-]{36}\.alertes\./);
  const oneClick = /^<(https?:\/\/[^>]+\/api\/public\/alerts\/unsubscribe\/[A-Za-z0-9_-]{43})>$/.exec(
    mail.headers['List-Unsubscribe'] ?? '',
  )?.[1];
  expect(oneClick, mail.headers['List-Unsubscribe']).toBeTruthy();
  const oneClickPath = new URL(oneClick!).pathname;
  const isActive = async () =>
    (
      (await (await page.request.get(oneClickPath, { headers: { accept: 'application/json' } })).json()) as {
        active: boolean;
      }
    ).active;

  // Opening the link (as a mail scanner would) only shows the alert: nothing is changed.
  const link = new URL(unsubscribe!);
  await page.goto(`${link.pathname}${link.search}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Désinscription des alertes' })).toBeVisible();
  await expect(page).toHaveTitle(/Désinscription des alertes/);
  await expect(page.getByRole('heading', { level: 2, name: 'Alerte « Zythologue en CDI »' })).toBeVisible();
  const button = page.getByRole('button', { name: 'Ne plus recevoir cette alerte' });
  await expect(button).toBeVisible();
  await expectAccessible(page);
  // On a phone: the page fits, the button stays reachable.
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: screenPath('portail-desinscription-alerte'), fullPage: true });
  if (viewport) await page.setViewportSize(viewport);
  expect(await isActive()).toBe(true);

  // Only the button unsubscribes, with a confirmation that gets the focus.
  await button.click();
  const done = page
    .getByRole('status')
    .filter({ hasText: 'vous ne recevrez plus l’alerte « Zythologue en CDI »' });
  await expect(done).toBeVisible();
  await expect(done).toBeFocused();
  await expect(done.getByRole('link', { name: 'Mes alertes' })).toBeVisible();
  await expectAccessible(page);
  expect(await isActive()).toBe(false);

  // Opening the link again says it is already done.
  await page.reload();
  await expect(page.getByRole('status')).toContainText(
    'Vous ne recevez déjà plus l’alerte « Zythologue en CDI »',
  );
  await expect(page.getByRole('button', { name: 'Ne plus recevoir cette alerte' })).toHaveCount(0);
  await expectAccessible(page);

  // A forged link is refused with a clear message.
  await page.goto('/alertes/desinscription?jeton=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
  await expect(page.getByRole('alert')).toContainText('Ce lien de désinscription n’est pas valide');

  // « Mes alertes » shows it stopped; it can be turned back on.
  await page.goto('/mes-alertes');
  await expect(card).toContainText('Alerte désactivée');
  await card.getByRole('button', { name: /Réactiver l’alerte/ }).click();
  await expect(card).toContainText(/Alerte active jusqu’au/);
  expect(await isActive()).toBe(true);

  // The mail provider's « Se désabonner »: the RFC 8058 one-click POST to the header's address.
  const post = await page.request.post(oneClickPath, { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(post.status()).toBe(200);
  expect(await isActive()).toBe(false);
  await page.reload();
  await expect(card).toContainText('Alerte désactivée');
});

test('« Mes données personnelles » : télécharger ses données puis supprimer son compte', async ({ page }) => {
  await signIn(page);
  await page.goto('/mon-compte/parametres');
  const section = page.getByRole('region', { name: 'Mes données personnelles' });
  await expect(section).toBeVisible();

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('link', { name: 'Télécharger mes données (ZIP)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^mes-donnees-\d{4}-\d{2}-\d{2}\.zip$/);
  const entries = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const data = JSON.parse(strFromU8(entries['donnees.json']!)) as { compte: { email: string } };
  expect(data.compte.email).toBe(CANDIDATE);
  expect(JSON.stringify(data)).not.toContain('password_hash');

  await section.getByRole('button', { name: 'Supprimer mon compte…' }).click();
  await expect(section).toContainText('cette suppression est définitive');
  const password = section.getByLabel('Mot de passe, pour confirmer');
  await expect(password).toBeFocused();
  await expectAccessible(page);
  await password.fill('pas-le-bon-mot-de-passe');
  await section.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(
    section.getByRole('alert').filter({ hasText: 'Votre compte n’a pas été supprimé' }),
  ).toBeFocused();
  await expect(password).toHaveAttribute('aria-invalid', 'true');

  await password.fill('demo-demo-demo');
  await section.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page).toHaveURL(/\/$/);
  const me = await page.request.get('/api/auth/me');
  expect(me.status()).toBe(401);
  const login = await page.request.post('/api/auth/login', {
    data: { email: CANDIDATE, password: 'demo-demo-demo' },
  });
  expect(login.status()).toBe(401);
});
