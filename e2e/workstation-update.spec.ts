import { expect, screenPath, test } from './fixtures/server';
import { newWorkstationContext } from './fixtures/workstation';

/**
 * The desktop workstation's update banner (issue 8), in Chromium: the renderer is the same as in
 * Electron, given a stand-in for the preload bridge whose update status the test drives (the
 * download, the verified update, the restart asked with or without pending changes). The updater
 * itself is unit-tested (electron/main/update-policy.test.ts); Electron runs it where a binary exists.
 */

type FakeStatus =
  | { state: 'checking' }
  | { state: 'downloading'; version: string; percent: number; bytesPerSecond: number }
  | { state: 'ready'; version: string };

test('téléchargement en arrière-plan, puis « Redémarrer pour mettre à jour », confirmé s’il reste des modifications', async ({
  browser,
  server,
}) => {
  const { context, page, ws } = await newWorkstationContext(browser, server);
  await context.addInitScript(() => {
    const w = window as unknown as Record<string, unknown>;
    w.__updateStatus = { state: 'checking' };
    w.__restarts = [];
    let token: string | null = sessionStorage.getItem('fake-token');
    w.workstation = {
      getVersion: async () => '1.4.0',
      getServerUrl: async () => location.origin,
      saveToken: async (t: string) => {
        token = t;
        sessionStorage.setItem('fake-token', t);
      },
      loadToken: async () => token,
      clearToken: async () => {
        token = null;
        sessionStorage.removeItem('fake-token');
      },
      openExternal: async () => true,
      getUpdateStatus: async () => w.__updateStatus,
      checkForUpdates: async () => {},
      restartToUpdate: async (pending: number, confirmed: boolean) => {
        (w.__restarts as unknown[]).push([pending, confirmed]);
        return pending > 0 && !confirmed ? 'confirm-pending' : 'install';
      },
    };
  });
  const setStatus = (status: FakeStatus) =>
    page.evaluate((s) => {
      (window as unknown as Record<string, unknown>).__updateStatus = s;
    }, status);

  await ws.goto();
  await ws.signIn('recruteur1@demo.test');
  await ws.waitForInitialSync(1);
  const banner = page.getByTestId('update-banner');
  await expect(banner).toHaveCount(0);

  // The download runs in the background, its progress shown.
  await setStatus({ state: 'downloading', version: '1.4.1', percent: 42, bytesPerSecond: 1_000_000 });
  await expect(banner).toContainText('Téléchargement de la version 1.4.1 : 42 %');
  await expect(banner.getByRole('progressbar', { name: 'Progression du téléchargement' })).toHaveAttribute(
    'value',
    '42',
  );

  // Verified and ready: the user decides when to restart.
  await setStatus({ state: 'ready', version: '1.4.1' });
  const restart = banner.getByRole('button', { name: 'Redémarrer pour mettre à jour' });
  await expect(restart).toBeVisible();
  await page.screenshot({ path: screenPath('mise-a-jour-prete'), fullPage: false });

  // With a change not yet synchronised (an offer written offline), the restart is asked first.
  await context.setOffline(true);
  await expect(ws.syncStatus()).toHaveText('Hors ligne');
  await ws.newOffer({
    title: 'Vendeur / Vendeuse en boulangerie H/F',
    jobTitle: 'Vendeur / Vendeuse en boulangerie-pâtisserie',
    city: 'Carcassonne',
    companyName: 'Boulangeries Martin',
    contactPhone: '06 12 34 56 78',
    contractTypes: ['CDI'],
    description: 'Accueil de la clientèle, vente et encaissement, mise en place de la vitrine le matin.',
  });
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '1');

  await restart.click();
  const dialog = page.getByRole('dialog', { name: 'Modifications pas encore synchronisées' });
  await expect(dialog).toContainText('1 modification n’est pas encore synchronisée');
  await page.screenshot({ path: screenPath('mise-a-jour-confirmation'), fullPage: false });
  await dialog.getByRole('button', { name: 'Plus tard' }).click();
  await expect(dialog).toBeHidden();
  await restart.click();
  await dialog.getByRole('button', { name: 'Redémarrer maintenant' }).click();
  const restarts = () => page.evaluate(() => (window as unknown as { __restarts: unknown[] }).__restarts);
  await expect.poll(restarts).toEqual([
    [1, false],
    [1, false],
    [1, true],
  ]);

  // Back online, once synchronised, the restart is no longer asked.
  await context.setOffline(false);
  await expect(page.getByTestId('pending-count')).toHaveAttribute('data-count', '0', { timeout: 30_000 });
  await restart.click();
  await expect.poll(restarts).toHaveLength(4);
  expect((await restarts())[3]).toEqual([0, false]);
  await expect(dialog).toBeHidden();
  await context.close();
});
