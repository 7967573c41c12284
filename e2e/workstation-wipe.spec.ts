import type { Page } from '@playwright/test';
import { expect, screenPath, test } from './fixtures/server';
import { newWorkstationContext } from './fixtures/workstation';

/**
 * Data at rest on a laptop (issue 8): « Me déconnecter et effacer les données de cet ordinateur »
 * removes the user's local copy (IndexedDB databases and records); a session revoked from another
 * device (password changed) wipes it at the workstation's next contact with the server.
 */

/** This user's IndexedDB databases, and the records kept for them in localStorage. */
async function localTraces(page: Page, userId: string) {
  return page.evaluate(async (id) => {
    const compact = id.replace(/[^a-zA-Z0-9]/g, '').toLowerCase();
    const dbs = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.includes(compact));
    const records = Object.keys(localStorage).filter((k) => k.startsWith(`ws:${id}:`));
    return { dbs, records };
  }, userId);
}

test('effacer les données de cet ordinateur en se déconnectant', async ({ browser, server }) => {
  const token = await server.login('recruteur1@demo.test');
  const { user } = await server.api<{ user: { id: string } }>('/api/auth/me', { token });
  const { context, page, ws } = await newWorkstationContext(browser, server);
  await ws.goto();
  await ws.signIn('recruteur1@demo.test');
  await ws.waitForInitialSync(5);
  const before = await localTraces(page, user.id);
  expect(before.dbs.length).toBeGreaterThan(3);
  expect(before.records.length).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Mes paramètres' }).click();
  await page.getByRole('button', { name: 'Me déconnecter et effacer les données de cet ordinateur' }).click();
  const dialog = page.getByRole('dialog', { name: 'Effacer les données de cet ordinateur ?' });
  await expect(dialog).toContainText('Tout est synchronisé : rien ne sera perdu');
  await page.screenshot({ path: screenPath('effacer-donnees-confirmation'), fullPage: false });
  await dialog.getByRole('button', { name: 'Effacer et me déconnecter' }).click();

  await expect(
    page.getByText('Les données de votre compte ont été effacées de cet ordinateur.'),
  ).toBeVisible();
  await expect.poll(() => localTraces(page, user.id)).toEqual({ dbs: [], records: [] });

  // Signing in again brings everything back from the server.
  await ws.signIn('recruteur1@demo.test');
  await ws.waitForInitialSync(5);
  await context.close();
});

test('une session fermée depuis un autre appareil efface les données au contact suivant', async ({
  browser,
  server,
}) => {
  const desk = await server.login('recruteur2@demo.test');
  const { user } = await server.api<{ user: { id: string } }>('/api/auth/me', { token: desk });
  const { context, page, ws } = await newWorkstationContext(browser, server);
  await ws.goto();
  await ws.signIn('recruteur2@demo.test');
  await ws.waitForInitialSync(1);
  expect((await localTraces(page, user.id)).dbs.length).toBeGreaterThan(3);

  // On another device, the password is changed: this laptop's session is closed.
  await server.api('/api/account/password', {
    token: desk,
    body: { currentPassword: 'demo-demo-demo', newPassword: 'mot-de-passe-change-ailleurs' },
  });

  // The workstation learns it at its next contact with the server: the live stream, which the server
  // closes, or the next request (its settings screen reads the account), whichever comes first. When
  // the stream was first, the screen is already leaving and the button goes while being clicked.
  await page
    .getByRole('button', { name: 'Mes paramètres' })
    .click({ timeout: 5_000 })
    .catch(() => undefined);
  await expect(
    page.getByText('Cette session a été fermée depuis un autre appareil ou par un administrateur'),
  ).toBeVisible();
  await page.screenshot({ path: screenPath('session-revoquee'), fullPage: false });
  await expect.poll(() => localTraces(page, user.id)).toEqual({ dbs: [], records: [] });
  await context.close();
});
