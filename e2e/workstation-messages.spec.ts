import type { BrowserContext } from '@playwright/test';
import type { ApplicationDoc } from '../shared/schemas/application.schema';
import type { ConversationDoc } from '../shared/schemas/conversation.schema';
import type { SyncInfoResponse } from '../shared/sync/protocol';
import { expectAccessible, pullAll } from './fixtures/checks';
import { expect, screenPath, test } from './fixtures/server';
import { openWorkstation } from './fixtures/workstation';
import { MessagesPage } from './pages/messages-page';

/**
 * Issue 7 on the web workstation: a recruiter opens a demo applicant, « Écrire », goes offline,
 * writes the first message of a new conversation, sees « En attente d’envoi », comes back online:
 * the message is sent once, and the candidate reads it through the portal's API.
 */

const CANDIDATE = 'candidat@demo.test';
const CANDIDATE_ID = '0a0c0000-0000-4000-8000-000000000006';
/** Seeded by the server's demo data (`sync-server/src/candidate/demo-messages.ts`). */
const DEMO_CONVERSATION_ID = '0a0d0000-0000-4000-8000-000000000001';
const RECRUITERS = ['recruteur1@demo.test', 'recruteur2@demo.test', 'agence@demo.test'];

interface CandidateConversation {
  id: string;
  subject: string;
  lastMessagePreview: string;
}

test.describe('messagerie du poste recruteur', () => {
  test.describe.configure({ timeout: 180_000 });
  const contexts: BrowserContext[] = [];
  test.afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  test('écrire hors ligne à un candidat depuis sa candidature, envoi au retour de la connexion', async ({
    browser,
    server,
  }) => {
    // A recruiter of an organisation Thomas Garcia applied to, and that application: preferably one
    // without a conversation yet (« Écrire » then opens a new one), else the demo conversation's.
    const choices: { email: string; app: ApplicationDoc; fresh: boolean }[] = [];
    for (const email of RECRUITERS) {
      const token = await server.login(email);
      const info = await server.api<SyncInfoResponse>('/api/sync', { token });
      expect(
        info.collections.map((c) => c.name),
        'le serveur propose la messagerie',
      ).toContain('conversations');
      const apps = (await pullAll<ApplicationDoc>(server, token, 'applications')).filter(
        (a) => a.candidateId === CANDIDATE_ID && !(a as { _deleted?: boolean })._deleted,
      );
      const conversations = await pullAll<ConversationDoc>(server, token, 'conversations');
      for (const app of apps)
        choices.push({
          email,
          app,
          fresh: !conversations.some((c) => c.aboutKind === 'application' && c.aboutId === app.id),
        });
    }
    const found = choices.find((c) => c.fresh) ?? choices[0];
    expect(found, 'une candidature de démonstration de Thomas Garcia').toBeDefined();
    const { email, app } = found!;
    const offerTitle = app.offer?.title ?? '';

    const recruiter = await openWorkstation(browser, server, email);
    contexts.push(recruiter.context);
    const { ws, page } = recruiter;
    await ws.waitForInitialSync(1);
    const m = new MessagesPage(page);
    await expect(m.navEntry()).toBeVisible();

    // The applicant of the demo data, from « Mes candidats ».
    await ws.nav.getByRole('button', { name: 'Mes candidats' }).click();
    const filterAll = page.getByTestId('filter-toutes');
    if (await filterAll.isVisible()) await filterAll.click();
    const row = page
      .getByTestId('applicant-row')
      .filter({ hasText: 'Thomas Garcia' })
      .filter({ hasText: offerTitle })
      .first();
    await row.locator('[data-col="name"]').focus();
    await expect(page.getByTestId('applicant-name')).toHaveText('Thomas Garcia');
    await page.getByTestId('applicant-panel').getByTestId('write-button').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Mes messages' })).toBeVisible();
    const isNew = await m.subjectField().isVisible();
    console.log(isNew ? 'nouvelle conversation' : 'conversation existante');
    if (isNew) await expect(m.subjectField()).toHaveValue(`Votre candidature : ${offerTitle}`);
    await expect(m.cannotWrite()).toHaveCount(0);
    await page.screenshot({ path: screenPath('poste-nouveau-message'), fullPage: true });

    // Offline: the message waits in the outbox.
    await recruiter.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    const stamp = `ref-${Date.now()}`;
    const body = `Bonjour Thomas, pouvez-vous passer jeudi à 10 h ? (${stamp})`;
    // A PDF joined offline: kept on this workstation, uploaded by the queue on reconnect.
    await page.getByLabel('Pièces jointes (facultatif)').setInputFiles({
      name: 'planning-entretien.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
    });
    await expect(page.getByRole('list', { name: 'Fichiers joints' })).toContainText('planning-entretien.pdf');
    await m.send(body);
    await expect(m.message(body)).toBeVisible();
    await expect(m.message(body)).toContainText('planning-entretien.pdf');
    await expect(m.message(body).getByTestId('message-pending')).toHaveText(/En attente d’envoi/);
    await expect(m.inboxRows().first()).toBeVisible();
    await page.screenshot({ path: screenPath('poste-messages-hors-ligne'), fullPage: true });
    await expectAccessible(page, 'conversation hors ligne');

    // Online again: sent once, by the replication.
    await recruiter.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne', { timeout: 30_000 });
    await expect(m.message(body).getByTestId('message-pending')).toHaveCount(0, { timeout: 30_000 });
    await expect(m.message(body)).toHaveCount(1);

    // The candidate reads it through the portal's API.
    const token = await server.login(CANDIDATE);
    await expect
      .poll(async () => {
        const list = await server.api<{ items: CandidateConversation[] }>('/api/me/conversations', { token });
        return list.items.some((c) => c.lastMessagePreview.includes('pouvez-vous passer jeudi'));
      })
      .toBe(true);
    const list = await server.api<{ items: CandidateConversation[] }>('/api/me/conversations', { token });
    const conv = list.items.find((c) => c.lastMessagePreview.includes('pouvez-vous passer jeudi'))!;
    const detail = await server.api<{ messages: { id: string; body: string; authorKind: string }[] }>(
      `/api/me/conversations/${conv.id}`,
      { token },
    );
    expect(detail.messages.filter((x) => x.body === body)).toHaveLength(1);
    expect(detail.messages.find((x) => x.body === body)?.authorKind).toBe('organisation');
    const sent = detail.messages.find((x) => x.body === body) as unknown as {
      attachments: { name: string; sha256: string }[];
    };
    expect(sent.attachments.map((a) => a.name)).toEqual(['planning-entretien.pdf']);
    // The file itself reached the server (the upload queue sent it after the message).
    await expect
      .poll(
        async () =>
          (
            await fetch(`${server.url}/api/files/${sent.attachments[0]!.sha256}`, {
              headers: { authorization: `Bearer ${token}` },
            })
          ).status,
        { timeout: 20_000 },
      )
      .toBe(200);
    if (isNew) expect(conv.subject).toBe(`Votre candidature : ${offerTitle}`);

    // The candidate answers from the portal: the recruiter sees it live in the open conversation,
    // which stays read (it is open).
    const reply = `Bonjour, jeudi 10 h me convient (${stamp}-réponse)`;
    await server.api(`/api/me/conversations/${conv.id}/messages`, {
      token,
      method: 'POST',
      body: { body: reply },
    });
    await expect(m.message(reply)).toBeVisible({ timeout: 20_000 });
    await expect(m.message(reply)).toContainText('(candidat)');
    await expect(m.unreadBadge()).toHaveCount(0);

    // Search in the messages, on this workstation.
    await page.getByLabel('Rechercher dans mes messages').fill(stamp);
    await expect(m.inboxRows()).toHaveCount(1);
    await page.screenshot({ path: screenPath('poste-messages-envoye'), fullPage: true });

    // « Supprimer »: hidden for this recruiter (it comes back when the candidate writes again).
    await m.inboxRows().first().getByRole('checkbox').check();
    await page.getByTestId('inbox-delete').click();
    await expect(page.getByTestId('announcement')).toContainText('1 conversation supprimée');
    await expect(m.inboxRows()).toHaveCount(0);
    await expect(page.getByTestId('inbox-empty')).toBeVisible();
  });

  test('la conversation de démonstration : non lue, lue à l’ouverture ; un message refusé garde son texte', async ({
    browser,
    server,
  }) => {
    const token = await server.login(CANDIDATE);
    const { items } = await server.api<{ items: (CandidateConversation & { organisationName: string })[] }>(
      '/api/me/conversations',
      { token },
    );
    const demo = items.find((c) => c.id === DEMO_CONVERSATION_ID);
    expect(demo, 'la conversation de démonstration').toBeDefined();
    // The recruiter of its organisation.
    let email: string | null = null;
    for (const candidate of RECRUITERS) {
      const t = await server.login(candidate);
      const conversations = await pullAll<ConversationDoc>(server, t, 'conversations');
      if (conversations.some((c) => c.id === demo!.id)) {
        email = candidate;
        break;
      }
    }
    expect(email, 'un recruteur de l’organisation').not.toBeNull();

    const recruiter = await openWorkstation(browser, server, email!);
    contexts.push(recruiter.context);
    const { ws, page } = recruiter;
    await ws.waitForInitialSync(1);
    const m = new MessagesPage(page);
    // The candidate's last reply is not read yet by this recruiter: counted in the menu.
    await expect(m.unreadBadge()).toBeVisible();
    await m.open();
    await expect(m.inboxRow(demo!.subject).first()).toContainText('Non lu');
    await expectAccessible(page, 'boîte de réception');
    // Keyboard: arrow keys in the list, Enter opens.
    await m.inboxRow(demo!.subject).first().getByRole('button').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('conversation-subject')).toHaveText(demo!.subject);
    await expect(m.unreadBadge()).toHaveCount(0);
    await expect(m.inboxRow(demo!.subject).first()).not.toContainText('Non lu');

    // Offline, a reply; meanwhile the candidate blocks the organisation: the server refuses it.
    await recruiter.context.setOffline(true);
    await expect(ws.syncStatus()).toHaveText('Hors ligne');
    const body = `Message qui sera refusé (${Date.now()})`;
    await m.send(body);
    await expect(m.message(body).getByTestId('message-pending')).toBeVisible();
    await server.api(`/api/me/conversations/${demo!.id}/block`, { token, method: 'POST', body: {} });
    await recruiter.context.setOffline(false);
    await expect(ws.syncStatus()).toHaveText('En ligne', { timeout: 30_000 });
    const refused = page.getByTestId('message-refused');
    await expect(refused).toBeVisible({ timeout: 30_000 });
    await expect(refused.getByLabel('Texte de votre message, à copier')).toHaveValue(body);
    await expect(m.message(body)).toHaveCount(0);
    // The rules are said before typing: no reply box any more.
    await expect(m.cannotWrite()).toBeVisible({ timeout: 30_000 });
    await expect(m.bodyField()).toHaveCount(0);
    await expectAccessible(page, 'message refusé');
    await page.screenshot({ path: screenPath('poste-message-refuse'), fullPage: true });
    const detail = await server.api<{ messages: { body: string }[] }>(`/api/me/conversations/${demo!.id}`, {
      token,
    });
    expect(detail.messages.some((x) => x.body === body)).toBe(false);
    await server.api(`/api/me/conversations/${demo!.id}/unblock`, { token, method: 'POST', body: {} });
    await refused.getByRole('button', { name: /retirer ce message/ }).click();
    await expect(refused).toHaveCount(0);
    await expect(m.bodyField()).toBeVisible({ timeout: 30_000 });

    // A draft is kept on this workstation: away and back, it is still there.
    const draft = `Brouillon à ne pas perdre (${Date.now()})`;
    await m.bodyField().fill(draft);
    await m.nav.getByRole('button', { name: 'Mes offres' }).click();
    await m.open();
    await m.openConversation(demo!.subject);
    await expect(m.bodyField()).toHaveValue(draft);
    await expect(page.getByTestId('draft-restored')).toBeVisible();
    await m.bodyField().fill('');

    // Report: an empty reason is said on its field, which gets the focus.
    await page.getByRole('button', { name: 'Signaler', exact: true }).click();
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    const reason = page.getByTestId('report-reason');
    await expect(reason).toBeFocused();
    await expect(reason).toHaveAttribute('aria-invalid', 'true');
    await expect(reason).toHaveAccessibleDescription(/Indiquez la raison du signalement/);
    await page.getByRole('button', { name: 'Annuler' }).click();

    // The recruiter blocks the candidate (online, through the server), after a confirmation that
    // says it is for the whole organisation; then unblocks.
    await page.getByRole('button', { name: 'Bloquer ce candidat' }).click();
    const confirm = page.getByRole('dialog', { name: 'Bloquer ce candidat ?' });
    await expect(confirm).toContainText('toute l’organisation');
    await confirm.getByRole('button', { name: 'Annuler' }).click();
    await expect(confirm).toBeHidden();
    await expect(page.getByRole('button', { name: 'Débloquer ce candidat' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Bloquer ce candidat' }).click();
    await confirm.getByRole('button', { name: 'Oui, bloquer ce candidat' }).click();
    await expect(page.getByRole('button', { name: 'Débloquer ce candidat' })).toBeVisible({
      timeout: 30_000,
    });
    await expect(m.cannotWrite()).toContainText('Votre organisation a bloqué ce candidat');
    await page.getByRole('button', { name: 'Débloquer ce candidat' }).click();
    await expect(m.bodyField()).toBeVisible({ timeout: 30_000 });
  });
});
