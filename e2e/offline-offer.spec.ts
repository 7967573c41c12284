import type { BrowserContext, Page } from '@playwright/test';
import type { OfferDoc } from '../shared/schemas';
import type { PullResponse } from '../shared/sync/protocol';
import { type E2eServer, expect, screenPath, test } from './fixtures/server';
import { openWorkstation } from './fixtures/workstation';
import { ModerationPage } from './pages/moderation-page';
import { PortalPage } from './pages/portal-page';

/**
 * The scenario: a recruiter works offline on the web workstation, comes back online, the
 * offer syncs, goes through moderation, reaches the portal, and a second workstation follows live.
 */

const CONTACT_PHONE = '06 12 34 56 78';
const TITLE = 'Caissier / Caissière en boulangerie H/F';
const EDITED_TITLE = 'Caissier / Caissière polyvalent(e) en boulangerie H/F';

/** Every offer the user may see, pulled from the server from scratch. */
async function pullAllOffers(server: E2eServer, token: string): Promise<OfferDoc[]> {
  const docs = new Map<string, OfferDoc>();
  let checkpoint: PullResponse<OfferDoc>['checkpoint'] = null;
  for (;;) {
    const query = new URLSearchParams({ batchSize: '200' });
    if (checkpoint) query.set('checkpoint', JSON.stringify(checkpoint));
    const page = await server.api<PullResponse<OfferDoc>>(`/api/sync/offers/v1/pull?${query}`, { token });
    for (const d of page.documents) docs.set(d.id, d);
    if (page.documents.length === 0) break;
    checkpoint = page.checkpoint;
  }
  return [...docs.values()];
}

test.describe('hors ligne, de la saisie à la publication', () => {
  test.describe.configure({ timeout: 240_000 });

  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('une offre saisie hors ligne se synchronise, passe en modération, est publiée et suivie en direct', async ({
    browser,
    server,
  }) => {
    // 1. The recruiter signs in and gets the organisation's demo offers.
    const recruiter = await openWorkstation(browser, server, 'recruteur1@demo.test');
    contexts.push(recruiter.context);
    const { ws, page } = recruiter;
    await ws.waitForInitialSync(10);
    await expect(ws.offerRow('Boulanger / Boulangère H/F')).toBeVisible();
    await page.screenshot({ path: screenPath('01-poste-connecte'), fullPage: true });

    // A second workstation of the same recruiter, open before the publication (third context).
    const watcher = await openWorkstation(browser, server, 'recruteur1@demo.test');
    contexts.push(watcher.context);
    await watcher.ws.waitForInitialSync(10);
    await watcher.page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    // 2. Offline: create a draft with every required field, then edit its title.
    await recruiter.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    await ws.newOffer({
      title: TITLE,
      jobTitle: 'Employé / Employée de libre-service',
      city: 'Carcassonne',
      companyName: 'Boulangeries Martin',
      contactPhone: CONTACT_PHONE,
      contractTypes: ['CDI'],
      description:
        'Accueil de la clientèle, encaissement et mise en rayon des produits de la boutique. Horaires du matin, un samedi sur deux.',
    });
    await expect(ws.offerRow(TITLE)).toBeVisible();
    await ws.editOffer(TITLE, { title: EDITED_TITLE });
    const row = ws.offerRow(EDITED_TITLE);
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute('data-status', 'brouillon');
    await expect(row.getByText('Non synchronisée')).toBeVisible();
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    await ws.expectPending((n) => n > 0, 'des modifications attendent le retour du réseau');
    await page.screenshot({ path: screenPath('02-hors-ligne-brouillon-modifie'), fullPage: true });
    const offerId = await row.getAttribute('data-offer-id');
    expect(offerId).toBeTruthy();

    // 3. Back online: the changes leave, the server assigns the offer number.
    await recruiter.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne');
    await expect.poll(() => ws.pendingCount(), { timeout: 30_000 }).toBe(0);
    await expect(row.getByText('Non synchronisée')).toHaveCount(0);
    const token = await server.login('recruteur1@demo.test');
    const onServer = (await pullAllOffers(server, token)).find((o) => o.id === offerId);
    expect(onServer, 'l’offre est sur le serveur').toBeDefined();
    expect(onServer!.title).toBe(EDITED_TITLE);
    expect(onServer!.status).toBe('brouillon');
    expect(onServer!.contactPhone).toBe(CONTACT_PHONE);
    expect(onServer!.number).toMatch(/^\d{6}[A-Z]$/);
    const number = onServer!.number!;
    // The number assigned by the server comes back to the workstation.
    await expect(row.getByRole('cell', { name: number, exact: true })).toBeVisible();
    await page.screenshot({ path: screenPath('03-en-ligne-synchronise'), fullPage: true });

    // 4. Submitted for moderation.
    await ws.submitForModeration(EDITED_TITLE);
    await expect(row).toHaveAttribute('data-status', 'en_attente');
    await expect.poll(() => ws.pendingCount(), { timeout: 30_000 }).toBe(0);
    await expect
      .poll(async () => (await pullAllOffers(server, token)).find((o) => o.id === offerId)?.status)
      .toBe('en_attente');

    // 5. A moderator publishes it from the moderation screen (second context).
    const moderator = await openWorkstation(browser, server, 'moderateur@demo.test');
    contexts.push(moderator.context);
    const moderation = new ModerationPage(moderator.page);
    await moderation.open();
    await expect(moderation.item(EDITED_TITLE)).toBeVisible();
    await moderator.page.screenshot({ path: screenPath('04-moderation'), fullPage: true });
    await moderation.publish(EDITED_TITLE);

    // 6. The workstation opened earlier sees the status change live, without reloading.
    const watchedRow = watcher.ws.offerRow(EDITED_TITLE);
    await expect(watchedRow).toHaveAttribute('data-status', 'publiee');
    await expect(watchedRow.getByText('Publiée', { exact: true })).toBeVisible();
    expect(
      await watcher.page.evaluate(
        () => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true,
      ),
      'pas de rechargement',
    ).toBe(true);
    await watcher.page.screenshot({ path: screenPath('05-second-poste-publiee'), fullPage: true });
    // And so does the author's own workstation.
    await expect(row).toHaveAttribute('data-status', 'publiee');

    // 7. On the portal: in the list and on its page, without the internal contact.
    const visitor = await browser.newContext({ baseURL: server.url });
    contexts.push(visitor);
    const portalPage: Page = await visitor.newPage();
    const portal = new PortalPage(portalPage);
    await portal.gotoList();
    const card = portal.cards().filter({ hasText: EDITED_TITLE });
    await expect(card).toHaveCount(1);
    expect((await portal.titles())[0], 'la plus récente en tête').toBe(EDITED_TITLE);
    await portalPage.screenshot({ path: screenPath('06-portail-liste'), fullPage: true });
    expect(await portal.bodyText()).not.toContain(CONTACT_PHONE);
    await card.getByRole('link', { name: EDITED_TITLE }).click();
    await expect(portalPage).toHaveURL(new RegExp(`/offres/${offerId}$`));
    await expect(portalPage.getByRole('heading', { level: 1, name: EDITED_TITLE })).toBeVisible();
    await expect(portalPage.getByText(`Offre n° ${number}`)).toBeVisible();
    const text = await portal.bodyText();
    expect(text).toContain('Accueil de la clientèle');
    expect(text).not.toContain(CONTACT_PHONE);
    expect(text.replace(/\D/g, '')).not.toContain('0612345678');
    expect(await portalPage.content()).not.toContain(CONTACT_PHONE);
    await portalPage.screenshot({ path: screenPath('07-portail-offre'), fullPage: true });
    const publicOffer = await server.api<Record<string, unknown>>(`/api/public/offers/${offerId}`);
    expect(publicOffer.contactPhone).toBeUndefined();
    expect(JSON.stringify(publicOffer)).not.toContain(CONTACT_PHONE);
  });

  test('une modification hors ligne refusée au retour du réseau : l’état du serveur revient, plus rien en attente, un avis explique', async ({
    browser,
    server,
  }) => {
    const recruiter = await openWorkstation(browser, server, 'recruteur1@demo.test');
    contexts.push(recruiter.context);
    const { ws, page } = recruiter;
    await ws.waitForInitialSync(10);
    const token = await server.login('recruteur1@demo.test');
    const draft = (await pullAllOffers(server, token)).find((o) => o.status === 'brouillon');
    expect(draft, 'un brouillon de démonstration').toBeDefined();
    await expect(ws.offerRow(draft!.title)).toBeVisible();

    // Offline, the recruiter retitles the draft…
    await recruiter.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    const retitled = `${draft!.title.replace(/ H\/F$/, '')} (modifié hors ligne) H/F`;
    await ws.editOffer(draft!.title, { title: retitled });
    await ws.expectPending((n) => n > 0, 'la modification attend le réseau');

    // …while, from another session, the same offer is deleted (« Supprimée » offers cannot be edited).
    const { _deleted, ...master } = { ...(draft as Record<string, unknown>), _deleted: false };
    const conflicts = await server.api<unknown[]>(`/api/sync/offers/v1/push`, {
      token,
      body: [
        {
          assumedMasterState: { ...master, _deleted: false },
          newDocumentState: { ...master, status: 'supprimee', _deleted: false },
        },
      ],
    });
    expect(conflicts).toEqual([]);

    // Back online: the edit is refused, the workstation takes the server's state and nothing stays pending.
    await recruiter.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne');
    await expect(ws.offerRow(draft!.title)).toHaveAttribute('data-status', 'supprimee', { timeout: 30_000 });
    await expect(ws.offerRow(retitled)).toHaveCount(0);
    await expect.poll(() => ws.pendingCount(), { timeout: 15_000 }).toBe(0);
    await ws.nav.getByRole('button', { name: /Avis/ }).click();
    await expect(page.getByText('Modification refusée').first()).toBeVisible();
    await page.screenshot({ path: screenPath('08-modification-refusee'), fullPage: true });
  });
});
