import type { BrowserContext } from '@playwright/test';
import { expectAccessible } from './fixtures/checks';
import { expect, screenPath, test } from './fixtures/server';
import { openWorkstation } from './fixtures/workstation';

/**
 * Issue 7, « signaler »: the demo candidate reports the demo conversation; the moderator opens
 * « Conversations signalées », reads it (oldest message first), sees the workstation say that it
 * needs the connection when offline, then « Classer » it after a confirmation: the list is empty,
 * and the conversation is no longer reported on the server.
 */

const CANDIDATE = 'candidat@demo.test';
/** Seeded by the server's demo data (`sync-server/src/candidate/demo-messages.ts`). */
const DEMO_CONVERSATION_ID = '0a0d0000-0000-4000-8000-000000000001';
const REASON = 'Le recruteur insiste pour avoir mon numéro personnel.';

interface Reported {
  items: {
    conversation: { id: string; subject: string; organisationName?: string; candidateName: string };
  }[];
}

test.describe('conversations signalées aux modérateurs', () => {
  test.describe.configure({ timeout: 180_000 });
  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('le candidat signale, le modérateur lit la conversation et la classe', async ({ browser, server }) => {
    // 1. The demo candidate reports the demo conversation through the portal's API.
    const candidate = await server.login(CANDIDATE);
    await server.api(`/api/me/conversations/${DEMO_CONVERSATION_ID}/report`, {
      token: candidate,
      body: { reason: REASON },
    });
    const moderatorToken = await server.login('moderateur@demo.test');
    const reported = await server.api<Reported>('/api/moderation/conversations', { token: moderatorToken });
    const conversation = reported.items.find((i) => i.conversation.id === DEMO_CONVERSATION_ID)?.conversation;
    expect(conversation, 'la conversation de démonstration est signalée').toBeDefined();
    const subject = conversation!.subject;

    // 2. The moderator opens « Conversations signalées » from the moderators' menu.
    const moderator = await openWorkstation(browser, server, 'moderateur@demo.test');
    contexts.push(moderator.context);
    const { page, ws } = moderator;
    await ws.nav.getByRole('button', { name: 'Conversations signalées', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Conversations signalées' })).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page).toHaveTitle(/Conversations signalées/);
    const row = page
      .getByTestId('reported-row')
      .filter({ has: page.getByRole('heading', { name: subject }) });
    await expect(row).toHaveCount(1);
    await expect(page.getByTestId('reported-count')).toHaveText('1 conversation signalée');
    await expect(row).toContainText(conversation!.candidateName);
    if (conversation!.organisationName) await expect(row).toContainText(conversation!.organisationName);
    await expect(row.getByTestId('reported-reasons')).toContainText(`Le candidat, le `);
    await expect(row.getByTestId('reported-reasons')).toContainText(REASON);
    await expect(row).toContainText(/Signalée le\s*\d\d\/\d\d\/\d{4} \d\d:\d\d/);
    await page.screenshot({ path: screenPath('signalements-00-liste'), fullPage: true });
    await expectAccessible(page, 'liste des conversations signalées');

    // 3. Opened with the keyboard: the page's heading takes the focus; messages oldest first.
    const open = row.getByRole('button', { name: 'Lire la conversation' });
    await open.focus();
    await page.keyboard.press('Enter');
    const title = page.getByRole('heading', { level: 1, name: 'Conversation signalée' });
    await expect(title).toBeFocused();
    await expect(page.getByTestId('reported-subject')).toContainText(subject);
    const messages = page.getByTestId('reported-message');
    await expect(messages).toHaveCount(3);
    await expect(messages.first()).toContainText('(candidat)');
    await expect(messages.first()).toContainText('Le poste est-il toujours à pourvoir');
    await expect(messages.nth(1)).toContainText('(organisation)');
    await expect(messages.first()).toContainText(/le \d\d\/\d\d\/\d{4} \d\d:\d\d/);
    await expect(page.getByRole('heading', { level: 2, name: 'Signalement' })).toBeVisible();
    await expectAccessible(page, 'conversation signalée');

    // 4. Offline: the screen says the decisions need the connection.
    await moderator.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    await expect(page.getByTestId('reported-offline')).toContainText('Hors ligne');
    await expect(page.getByRole('button', { name: 'Classer', exact: true })).toBeDisabled();
    await moderator.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne');
    await expect(page.getByTestId('reported-offline')).toHaveCount(0);

    // 5. « Classer » with a note, confirmed in a dialog.
    await page.getByRole('textbox', { name: 'Note (facultative)' }).fill('Échange vérifié : rien d’abusif.');
    await page.getByRole('button', { name: 'Classer', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Classer ce signalement ?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('ne sera plus signalée');
    await page.screenshot({ path: screenPath('signalements-01-classer'), fullPage: true });
    await dialog.getByRole('button', { name: 'Classer', exact: true }).click();
    await expect(dialog).toBeHidden();

    // 6. Back to the list, now empty; the server agrees.
    await expect(page.getByRole('heading', { level: 1, name: 'Conversations signalées' })).toBeFocused();
    await expect(page.getByTestId('announcement')).toContainText(`Signalement classé : « ${subject} ».`);
    await expect(page.getByTestId('reported-empty')).toContainText('Aucune conversation signalée.');
    await expect(page.getByTestId('reported-row')).toHaveCount(0);
    await expect(page.getByTestId('reported-count')).toHaveText('Aucune conversation signalée');
    await page.screenshot({ path: screenPath('signalements-02-liste-vide'), fullPage: true });
    await expectAccessible(page, 'liste vide');
    const after = await server.api<Reported>('/api/moderation/conversations', { token: moderatorToken });
    expect(after.items).toEqual([]);
    // The candidate is not suspended: they still read their conversation.
    const mine = await server.api<{ messages: unknown[] }>(`/api/me/conversations/${DEMO_CONVERSATION_ID}`, {
      token: candidate,
    });
    expect(mine.messages).toHaveLength(3);
  });
});
