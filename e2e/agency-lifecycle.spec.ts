import type { BrowserContext } from '@playwright/test';
import { expect, screenPath, test } from './fixtures/server';
import { openWorkstation } from './fixtures/workstation';
import { ModerationPage } from './pages/moderation-page';

/**
 * Issue 3's scenario: an agency recruiter manages two client companies, creates an offer for
 * each while offline, syncs; a moderator refuses one with a reason and publishes the other; the
 * author reads the reason, edits and resubmits; the published offer appears on its company's
 * portal page; time moves on and it expires.
 */

const HOTEL = 'Hôtel de la Cité';
const CANNERY = 'Conserverie du Lauragais';
const HOTEL_TITLE = 'Veilleur / Veilleuse de nuit en hôtellerie H/F';
const CANNERY_TITLE = 'Conducteur de ligne de conditionnement';
const CANNERY_FIXED = 'Conducteur / Conductrice de ligne de conditionnement H/F';
const REFUSAL = 'La mention H/F est absente du titre : ajoutez-la puis soumettez de nouveau.';

test.describe('agence : deux entreprises clientes, de la saisie hors ligne à l’expiration', () => {
  test.describe.configure({ timeout: 300_000 });

  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('une offre par entreprise, un refus corrigé, une publication visible sur la page entreprise, puis expirée', async ({
    browser,
    server,
  }) => {
    // 1. The agency recruiter signs in; the offers of its client companies sync.
    const agency = await openWorkstation(browser, server, 'agence@demo.test');
    contexts.push(agency.context);
    const { ws, page } = agency;
    await ws.waitForInitialSync(5);
    // Before leaving the network, the lists the offer form suggests from are on this computer.
    await ws.waitForOfflineLists();
    await page
      .locator('#account-this-computer')
      .locator('..')
      .screenshot({ path: screenPath('agence-00-listes-hors-connexion') });
    await ws.openOffers();

    // 2. Offline: one offer for each client company, submitted to moderation.
    await agency.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    for (const [company, title, job, jobOption] of [
      [HOTEL, HOTEL_TITLE, 'veilleur de nuit', /Veilleur/],
      [CANNERY, CANNERY_TITLE, 'conducteur de ligne', /Conducteur/],
    ] as const) {
      await ws.nav.getByRole('button', { name: 'Publier une offre' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Mon offre d’emploi' })).toBeVisible();
      await ws.fillOffer({
        title,
        companyName: company,
        contactPhone: '04 68 00 00 00',
        contractTypes: ['CDI'],
        description:
          'Vous rejoignez une équipe attentive au travail bien fait. Horaires réguliers, formation au poste assurée.',
      });
      await ws.chooseSuggestion('Métier', job, jobOption);
      await ws.chooseSuggestion('Lieu du poste', 'Carcassonne', /Carcassonne/);
      await page.getByRole('button', { name: 'Soumettre à la modération', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Mes offres' })).toBeVisible();
      await expect(ws.offerRow(title)).toBeVisible();
    }
    await ws.expectPending((n) => n >= 2, 'deux offres en attente d’envoi');
    await page.screenshot({ path: screenPath('agence-01-hors-ligne'), fullPage: true });

    // Both companies' offers are listed together; the company filter narrows to one.
    await ws.filterByCompany(HOTEL);
    await expect(ws.offerRow(HOTEL_TITLE)).toBeVisible();
    await expect(ws.offerRow(CANNERY_TITLE)).toHaveCount(0);
    await ws.filterByCompany('Toutes les entreprises clientes');

    // 3. Back online: both reach the server.
    await agency.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne');
    await ws.expectPending((n) => n === 0, 'tout est envoyé');

    // 4. The moderator refuses one with a reason (the missing H/F is flagged) and publishes the other.
    const moderator = await openWorkstation(browser, server, 'moderateur@demo.test');
    contexts.push(moderator.context);
    const moderation = new ModerationPage(moderator.page);
    await moderation.open();
    await expect(moderation.item(CANNERY_TITLE)).toBeVisible();
    expect(await moderation.flags(CANNERY_TITLE)).toContain('mention-hf-absente');
    await moderator.page.screenshot({ path: screenPath('agence-02-moderation'), fullPage: true });
    await moderation.refuse(CANNERY_TITLE, REFUSAL);
    await moderation.publish(HOTEL_TITLE);

    // 5. The author reads the reason, edits and resubmits.
    await ws.openOffers();
    await expect(ws.offerRow(CANNERY_TITLE)).toContainText('Refusée');
    const panel = await ws.openOfferDetail(CANNERY_TITLE);
    await expect(panel).toContainText(REFUSAL);
    await page.screenshot({ path: screenPath('agence-03-refus'), fullPage: true });
    await page.keyboard.press('Escape');
    await ws.editOffer(CANNERY_TITLE, { title: CANNERY_FIXED }, 'submit');
    await expect(ws.offerRow(CANNERY_FIXED)).toContainText('En attente de modération');
    await ws.expectPending((n) => n === 0, 'la correction est envoyée');
    await moderation.open();
    await expect(moderation.item(CANNERY_FIXED)).toBeVisible();
    expect(await moderation.flags(CANNERY_FIXED)).not.toContain('mention-hf-absente');

    // 6. The published offer is on the hotel's portal page.
    await expect(ws.offerRow(HOTEL_TITLE)).toContainText('Publiée');
    const portal = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 } });
    contexts.push(portal);
    const visitor = await portal.newPage();
    await visitor.goto('/entreprises');
    await visitor.getByRole('link', { name: HOTEL }).first().click();
    await expect(visitor.getByRole('heading', { level: 1, name: HOTEL })).toBeVisible();
    await expect(visitor.getByRole('link', { name: HOTEL_TITLE })).toBeVisible();
    await visitor.screenshot({ path: screenPath('agence-04-page-entreprise'), fullPage: true });

    // 7. Sixty-one days later the expiry job takes it offline and tells the author.
    await server.api('/api/test/clock', { body: { advanceDays: 61 } });
    await server.api('/api/test/jobs/run', { body: {} });
    await expect(ws.offerRow(HOTEL_TITLE)).toContainText('Expirée');
    await visitor.reload();
    await expect(visitor.getByRole('heading', { level: 1, name: HOTEL })).toBeVisible();
    await expect(visitor.getByRole('link', { name: HOTEL_TITLE })).toHaveCount(0);
    await ws.nav.getByRole('button', { name: /Avis/ }).click();
    await expect(page.getByText('Offre expirée').first()).toBeVisible();
    await page.screenshot({ path: screenPath('agence-05-expiree'), fullPage: true });
  });
});
