import type { Page } from '@playwright/test';
import { DESKTOP_BRIDGE_STAND_IN } from './fixtures/desktop-bridge';
import { expect, screenPath, test } from './fixtures/server';
import { newWorkstationContext } from './fixtures/workstation';
import { MessagesPage } from './pages/messages-page';

/**
 * Data at rest on a laptop (issue 8), in Chromium: the renderer is the desktop's, given a stand-in
 * for the preload bridge that hands out a data key as electron/main/data-keys.ts does (the key store
 * itself is unit-tested). The recruiter works as usual (applicants, a note, messages); what IndexedDB
 * holds has no applicant's phone, e-mail or note in clear; the wipe forgets the key.
 */

const INES_PHONE = '06 11 22 33 44';
const MESSAGE = 'Pouvez-vous passer à la boutique mardi à 10 h pour un essai ?';
const NOTE = 'Très à l’aise au téléphone, à rappeler pour le poste du samedi';

/** Every value of every object store of this user's IndexedDB databases, as one text. */
async function rawIndexedDb(page: Page, userId: string): Promise<string> {
  return page.evaluate(async (id) => {
    const compact = id.replace(/[^a-zA-Z0-9]/g, '').toLowerCase();
    const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.includes(compact));
    const parts: string[] = [];
    for (const name of names) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const values = await new Promise<unknown[]>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        for (const v of values)
          parts.push(
            v instanceof Object && 'blob' in v && v.blob instanceof Blob
              ? await v.blob.text()
              : JSON.stringify(v),
          );
      }
      db.close();
    }
    return parts.join('\n');
  }, userId);
}

test('les coordonnées des candidats, les notes et les messages sont chiffrés sur le poste de bureau', async ({
  browser,
  server,
}) => {
  const token = await server.login('recruteur1@demo.test');
  const { user } = await server.api<{ user: { id: string } }>('/api/auth/me', { token });
  const { context, page, ws } = await newWorkstationContext(browser, server);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text().includes('champ chiffré')) errors.push(m.text());
  });
  await context.addInitScript(DESKTOP_BRIDGE_STAND_IN);

  await ws.goto();
  await ws.signIn('recruteur1@demo.test');
  await ws.waitForInitialSync(5);

  // The applicants read in clear, a note written.
  await ws.nav.getByRole('button', { name: 'Mes candidats' }).click();
  await page.getByTestId('filter-toutes').click();
  const ines = page.getByTestId('applicant-row').filter({ hasText: 'Inès Benali' }).first();
  await ines.locator('[data-col="name"]').click();
  await expect(page.getByTestId('applicant-name')).toHaveText('Inès Benali');
  await expect(page.getByText(INES_PHONE).first()).toBeVisible();
  await ines.locator('[data-col="name"]').focus();
  await page.keyboard.press('n');
  await expect(page.getByTestId('note-input')).toBeFocused();
  await page.keyboard.type(NOTE);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('evaluations')).toContainText(NOTE);
  await ws.expectPending((n) => n === 0, 'la note est synchronisée');

  // A reply in a conversation (bodies, subjects and previews are protected; the inbox reads them).
  const m = new MessagesPage(page);
  await m.open();
  await m.openConversation('Thomas Garcia');
  await m.send(MESSAGE);
  await expect(m.message(MESSAGE)).toBeVisible();
  await ws.expectPending((n) => n === 0, 'le message est envoyé');

  // What the disk holds: ciphertexts, no phone, e-mail or note in clear.
  const raw = await rawIndexedDb(page, user.id);
  expect(raw).toContain('"_protected":"');
  expect(raw).not.toContain(INES_PHONE);
  expect(raw).not.toContain(NOTE);
  expect(raw).not.toContain(MESSAGE);
  expect(raw).not.toMatch(/recrutement[0-2]@demo\.test/); // the offers' internal contact
  // Clear fields stay queryable: statuses, offer titles.
  expect(raw).toContain('"status":"nouvelle"');

  // The settings say what protects the copy; the wipe forgets the key.
  await page.getByRole('button', { name: 'Mes paramètres' }).click();
  await expect(page.getByTestId('local-protection')).toContainText(
    'la clé est protégée par le trousseau du système',
  );
  await page.getByTestId('local-protection').scrollIntoViewIfNeeded();
  await page.screenshot({ path: screenPath('donnees-chiffrees-parametres'), fullPage: false });
  await page.getByRole('button', { name: 'Me déconnecter et effacer les données de cet ordinateur' }).click();
  await page
    .getByRole('dialog', { name: 'Effacer les données de cet ordinateur ?' })
    .getByRole('button', { name: 'Effacer et me déconnecter' })
    .click();
  await expect(
    page.getByText('Les données de votre compte ont été effacées de cet ordinateur.'),
  ).toBeVisible();
  expect(
    await page.evaluate(() => (window as unknown as { __forgottenKeys: string[] }).__forgottenKeys),
  ).toEqual([user.id]);
  expect(errors).toEqual([]);
  await context.close();
});
