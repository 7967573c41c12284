import { randomUUID } from 'node:crypto';
import type { PublicOfferPage } from '../shared/domain/public-offer';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';
import { PortalPage } from './pages/portal-page';

/** The candidate portal: list, offer page, 404, small screens; never the internal contact. */

const BAKERY_ORG = '0b0e0000-0000-4000-8000-000000000001';
const EXTRA_OFFERS = 12;
const EXTRA_PHONE = '07 98 76 54 32';
/** Every internal contact phone and e-mail the demo data and this spec use. */
const INTERNAL_CONTACTS = ['04 68 11 22 33', '05 61 44 55 66', '04 68 77 88 99', EXTRA_PHONE, '@demo.test'];

const seeded = new Map<string, Promise<{ total: number; lastTitle: string; draftId: string }>>();

/**
 * More published offers than one page holds: recruteur1 pushes offers for moderation, the
 * moderator publishes them one after the other (so the last one is the newest). Also a draft,
 * which the portal must not show.
 */
function seedOffers(server: E2eServer) {
  let run = seeded.get(server.url);
  if (!run) {
    run = (async () => {
      const recruiter = await server.login('recruteur1@demo.test');
      const moderator = await server.login('moderateur@demo.test');
      const now = new Date().toISOString();
      const doc = (i: number, status: 'en_attente' | 'brouillon') => ({
        id: randomUUID(),
        organisationId: BAKERY_ORG,
        title: `Vendeur / Vendeuse saison ${String(i).padStart(2, '0')} H/F`,
        jobTitle: 'Vendeur / Vendeuse en boulangerie-pâtisserie',
        city: 'Narbonne',
        postalCode: '11100',
        companyName: 'Boulangeries Martin',
        contactName: 'Interne Confidentiel',
        contactPhone: EXTRA_PHONE,
        contactEmail: 'interne@demo.test',
        seasonal: true,
        contractTypes: ['CDD'],
        description: `Offre de test numéro ${i} : accueil, conseil et encaissement en boutique pendant la saison.`,
        status,
        createdAt: now,
        updatedAt: now,
        _deleted: false,
      });
      const offers = Array.from({ length: EXTRA_OFFERS }, (_, i) => doc(i + 1, 'en_attente'));
      const draft = doc(99, 'brouillon');
      const rows = [...offers, draft].map((d) => ({ assumedMasterState: null, newDocumentState: d }));
      const conflicts = await server.api<unknown[]>('/api/sync/offers/v1/push', {
        token: recruiter,
        body: rows,
      });
      expect(conflicts).toEqual([]);
      for (const o of offers) {
        await server.api(`/api/moderation/offers/${o.id}/decision`, {
          token: moderator,
          body: { decision: 'publier' },
        });
      }
      const first = await server.api<PublicOfferPage>('/api/public/offers?page=1&pageSize=20');
      return { total: first.total, lastTitle: offers[offers.length - 1]!.title, draftId: draft.id };
    })();
    seeded.set(server.url, run);
  }
  return run;
}

async function expectNoInternalContact(portal: PortalPage) {
  const text = await portal.bodyText();
  const html = await portal.page.content();
  for (const contact of INTERNAL_CONTACTS) {
    expect(text, `contact interne « ${contact} » affiché`).not.toContain(contact);
    expect(html, `contact interne « ${contact} » dans la page`).not.toContain(contact);
  }
  expect(text).not.toContain('Interne Confidentiel');
}

test.describe('portail candidat', () => {
  test('la liste est paginée, la plus récente en tête', async ({ page, server }) => {
    const { total, lastTitle } = await seedOffers(server);
    expect(total).toBeGreaterThan(20);
    const portal = new PortalPage(page);
    await portal.gotoList();
    await expect(page.getByRole('status').filter({ hasText: String(total) })).toBeVisible();
    await expect(portal.cards()).toHaveCount(20);
    const titles1 = await portal.titles();
    expect(titles1[0]).toBe(lastTitle);
    const dates1 = await portal.publishedDates();
    expect(dates1).toHaveLength(20);
    expect([...dates1].sort().reverse()).toEqual(dates1);
    const pages = Math.ceil(total / 20);
    await expect(portal.pagination().getByText(`Page 1 sur ${pages}`)).toBeVisible();
    await expect(portal.pagination().getByRole('link', { name: 'Page précédente' })).toHaveCount(0);
    await expectNoInternalContact(portal);
    await page.screenshot({ path: screenPath('portail-liste-page-1'), fullPage: true });

    await portal.pagination().getByRole('link', { name: 'Page suivante' }).click();
    await expect(page).toHaveURL(/\/\?page=2$/);
    await expect(portal.pagination().getByText(`Page 2 sur ${pages}`)).toBeVisible();
    await expect(portal.cards()).toHaveCount(Math.min(20, total - 20));
    const titles2 = await portal.titles();
    const dates2 = await portal.publishedDates();
    expect(titles2.filter((t) => titles1.includes(t))).toEqual([]);
    expect([...dates2].sort().reverse()).toEqual(dates2);
    expect(dates2[0]! <= dates1[dates1.length - 1]!).toBe(true);
    await expectNoInternalContact(portal);

    await portal.pagination().getByRole('link', { name: 'Page précédente' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(portal.cards().first()).toContainText(lastTitle);
  });

  test('la page d’une offre affiche l’offre sans le contact interne', async ({ page, server }) => {
    const { lastTitle } = await seedOffers(server);
    const portal = new PortalPage(page);
    await portal.gotoList();
    await portal.cards().first().getByRole('link', { name: lastTitle }).click();
    await expect(page).toHaveURL(/\/offres\/[0-9a-f-]{36}$/);
    await expect(page.getByRole('heading', { level: 1, name: lastTitle })).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(lastTitle.replace(/[()/]/g, '.')));
    await expect(page.getByText(/^Offre n° \d{6}[A-Z]$/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Informations clés' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Description du poste' })).toBeVisible();
    await expect(page.getByText('Offre de test numéro 12')).toBeVisible();
    await expect(page.getByText('Offre saisonnière')).toBeVisible();
    await expectNoInternalContact(portal);
    await page.screenshot({ path: screenPath('portail-offre'), fullPage: true });

    // A demo offer opened directly by its number (« Offre n° … ») too.
    const list = await server.api<PublicOfferPage>('/api/public/offers?page=2&pageSize=20');
    const demo = list.items[list.items.length - 1]!;
    await portal.gotoOffer(demo.number!);
    await expect(page.getByRole('heading', { level: 1, name: demo.title })).toBeVisible();
    await expectNoInternalContact(portal);

    await page.getByRole('link', { name: 'Retour aux offres' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(portal.cards()).toHaveCount(20);
  });

  test('une offre inconnue, non publiée ou une page inconnue donne une page 404', async ({
    page,
    server,
  }) => {
    const { draftId } = await seedOffers(server);
    const portal = new PortalPage(page);
    for (const id of ['00000000-0000-4000-8000-000000000000', draftId, '999999999']) {
      await portal.gotoOffer(id);
      await expect(page.getByRole('heading', { level: 1, name: 'Offre introuvable' })).toBeVisible();
      await expect(page.getByText('Cette offre n’existe pas ou n’est plus en ligne.')).toBeVisible();
      await expectNoInternalContact(portal);
    }
    await page.screenshot({ path: screenPath('portail-404-offre'), fullPage: true });
    await page.getByRole('link', { name: 'Retour aux offres' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Offres d’emploi' })).toBeVisible();

    await page.goto('/cette-page-n-existe-pas');
    await expect(page.getByRole('heading', { level: 1, name: 'Page introuvable' })).toBeVisible();
    const api = await fetch(`${server.url}/api/public/offers/${draftId}`);
    expect(api.status).toBe(404);
  });

  test('utilisable sur un écran de 390 px de large', async ({ browser, server }) => {
    const { lastTitle } = await seedOffers(server);
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    try {
      const page = await context.newPage();
      const portal = new PortalPage(page);
      const noHorizontalScroll = () =>
        page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

      await portal.gotoList();
      await expect(portal.cards()).toHaveCount(20);
      expect(await noHorizontalScroll(), 'pas de défilement horizontal sur la liste').toBe(true);
      const card = await portal.cards().first().boundingBox();
      expect(card!.x).toBeGreaterThanOrEqual(0);
      expect(card!.x + card!.width).toBeLessThanOrEqual(390);
      const next = portal.pagination().getByRole('link', { name: 'Page suivante' });
      await next.scrollIntoViewIfNeeded();
      await expect(next).toBeInViewport();
      const nextBox = await next.boundingBox();
      expect(nextBox!.height, 'cible tactile d’au moins 24 px').toBeGreaterThanOrEqual(24);
      await page.screenshot({ path: screenPath('portail-mobile-liste'), fullPage: false });

      await portal.cards().first().getByRole('link', { name: lastTitle }).tap();
      await expect(page.getByRole('heading', { level: 1, name: lastTitle })).toBeVisible();
      expect(await noHorizontalScroll(), 'pas de défilement horizontal sur l’offre').toBe(true);
      await expectNoInternalContact(portal);
      await page.screenshot({ path: screenPath('portail-mobile-offre'), fullPage: true });
    } finally {
      await context.close();
    }
  });
});
