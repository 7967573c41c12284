/**
 * The desktop app at work (issue 8), against this spec's own sync server: sign-in, an offer
 * created and edited with the network cut, a deep link (`recrutement://offre/<numéro>`) and a
 * desktop notification of a new message that opens its conversation when clicked. Runs where an
 * Electron binary exists (`npm run build:electron` first), says clearly when skipped. What needs no
 * binary is tested without it: the renderer in Chromium (e2e/workstation-*.spec.ts), the main
 * process's modules with Vitest.
 */
import type { OfferDoc } from '../shared/schemas';
import { pullAll } from './fixtures/checks';
import {
  ELECTRON_SKIP_REASON,
  findElectronBinary,
  type LaunchedWorkstation,
  launchWorkstation,
} from './fixtures/electron';
import { expect, test } from './fixtures/server';
import { WorkstationPage } from './pages/workstation-page';

const electronBinary = findElectronBinary();

/** A conversation as the portal's API lists it (`GET /api/me/conversations`). */
interface CandidateConversation {
  id: string;
  organisationName: string;
}

test.describe('poste de bureau : parcours', () => {
  if (!electronBinary)
    console.log(`${ELECTRON_SKIP_REASON} (parcours : connexion, hors ligne, lien, notification).`);
  // Skipped only where no Electron binary exists (it cannot be downloaded on every machine); the reason is printed.
  test.skip(!electronBinary, ELECTRON_SKIP_REASON);
  test.describe.configure({ mode: 'serial' });

  let desk: LaunchedWorkstation;
  let ws: WorkstationPage;

  test.beforeAll(async ({ server }) => {
    desk = await launchWorkstation(server.url);
    ws = new WorkstationPage(desk.page);
  });

  test.afterAll(async () => {
    await desk?.close();
  });

  test('connexion, puis une offre créée et modifiée sans réseau, envoyée au retour', async ({ server }) => {
    await ws.signIn('recruteur1@demo.test');
    await ws.waitForInitialSync(5);
    const offline = (on: boolean) =>
      desk.app.evaluate(({ session }, cut) => {
        if (cut) session.defaultSession.enableNetworkEmulation({ offline: true });
        else session.defaultSession.disableNetworkEmulation();
      }, on);
    await offline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    const title = 'Vendeur / Vendeuse en boulangerie (poste de bureau) H/F';
    await ws.newOffer({
      title,
      jobTitle: 'Vendeur / Vendeuse en boulangerie-pâtisserie',
      city: 'Carcassonne',
      companyName: 'Boulangeries Martin',
      contactPhone: '04 68 11 22 33',
      contractTypes: ['CDI'],
      description: 'Accueil, conseil et encaissement en boutique ; horaires du matin, un samedi sur deux.',
    });
    await ws.editOffer(title, { title: `${title} – modifiée` });
    await ws.expectPending((n) => n > 0, 'la création attend le réseau');
    await offline(false);
    await expect.poll(() => ws.pendingCount(), { timeout: 30_000 }).toBe(0);
    const token = await server.login('recruteur1@demo.test');
    const offers = await pullAll<OfferDoc>(server, token, 'offers');
    expect(offers.some((o) => o.title === `${title} – modifiée`)).toBe(true);
  });

  test('un lien recrutement://offre/<numéro> ouvre l’offre', async ({ server }) => {
    const token = await server.login('recruteur1@demo.test');
    const offer = (await pullAll<OfferDoc>(server, token, 'offers')).find(
      (o) => o.number && o.status === 'publiee',
    );
    expect(offer, 'une offre publiée de démonstration').toBeDefined();
    // What the system does when the link is opened while the app runs: a second instance, whose
    // arguments go to the first (Windows, Linux).
    await desk.app.evaluate(
      ({ app }, url) => app.emit('second-instance', {}, [process.execPath, url], process.cwd(), {}),
      `recrutement://offre/${offer!.number}`,
    );
    await expect(desk.page.getByLabel('Titre de l’annonce')).toHaveValue(offer!.title);
  });

  test('la notification d’un nouveau message ouvre la conversation', async ({ server }) => {
    // The window hidden (notifications are for when the user is elsewhere), notifications recorded.
    await desk.page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      const Native = window.Notification;
      const shown: Notification[] = [];
      (window as unknown as { __shown: Notification[] }).__shown = shown;
      class Recorded extends Native {
        constructor(title: string, options?: NotificationOptions) {
          super(title, options);
          shown.push(this);
        }
      }
      Object.defineProperty(Recorded, 'permission', { get: () => 'granted' });
      window.Notification = Recorded as unknown as typeof Notification;
    });
    await ws.nav.getByRole('button', { name: /Mes messages/ }).click();
    await ws.nav.getByRole('button', { name: 'Mes offres' }).click();

    // The demo candidate writes from the portal.
    const candidate = await server.login('candidat@demo.test');
    const { items } = await server.api<{ items: CandidateConversation[] }>('/api/me/conversations', {
      token: candidate,
    });
    const conversation = items.find((c) => c.organisationName === 'Boulangeries Martin');
    expect(conversation, 'une conversation de démonstration avec la boulangerie').toBeDefined();
    const body = 'Bonjour, je confirme ma venue jeudi à 10 h. Bien cordialement.';
    await server.api(`/api/me/conversations/${conversation!.id}/messages`, {
      token: candidate,
      body: { body },
    });

    await expect
      .poll(
        () => desk.page.evaluate(() => (window as unknown as { __shown: Notification[] }).__shown.length),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);
    const title = await desk.page.evaluate(
      () => (window as unknown as { __shown: Notification[] }).__shown[0]!.title,
    );
    expect(title).toMatch(/^Nouveau message de /);
    await desk.page.evaluate(() => {
      const n = (window as unknown as { __shown: Notification[] }).__shown[0]!;
      n.onclick?.(new Event('click'));
    });
    await expect(desk.page.getByRole('heading', { level: 1, name: 'Mes messages' })).toBeVisible();
    await expect(desk.page.getByTestId('conversation')).toContainText(body);
  });
});
