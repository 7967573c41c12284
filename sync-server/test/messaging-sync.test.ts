import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDoc } from '../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../shared/schemas/message.schema';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { MESSAGE_RATE_LIMITS, NO_ACCOUNT_MESSAGE } from '../src/messaging/service';
import { api, startTestServer, type TestServer } from './harness';
import { conversationDraft, helpers, type Live, live, messageDraft } from './messaging-helpers';

/**
 * Messaging on the sync spine (issue 7): conversations and messages pushed by workstations, opened
 * under the rules, messages immutable and sent exactly once, in each author's order; refusals leave
 * nothing on the candidate's side.
 */

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const R1 = DEMO_ACCOUNTS[0].id;
const R2 = DEMO_ACCOUNTS[1].id;

let server: TestServer;
const h = helpers(() => server);
const tokens: Record<string, string> = {};
let colleague = { id: '', token: '' };

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2']) tokens[who] = await server.login(`${who}@demo.test`);
  colleague = await h.addMember('collegue@boulangerie.test', BAKERY);
});

type ConvRow = Live<ConversationDoc>;
type MsgRow = Live<MessageDoc>;

async function openFromApplication() {
  const candidate = await h.newCandidate();
  const applicationId = await h.apply(candidate.token, BAKERY);
  const conversation = conversationDraft({
    organisationId: BAKERY,
    aboutKind: 'application',
    aboutId: applicationId,
  });
  return { candidate, applicationId, conversation };
}

describe('conversations pushed by a member', () => {
  it('opens a conversation from an application: the server resolves the candidate; colleagues see it, another organisation does not', async () => {
    const { candidate, applicationId, conversation } = await openFromApplication();
    expect(
      await h.push('conversations', tokens.recruteur1!, [
        {
          assumedMasterState: null,
          newDocumentState: live({ ...conversation, messageCount: 99, organisationName: 'Faux' }),
        },
      ]),
    ).toEqual([]);
    const saved = (await h.stored<ConversationDoc>('conversations', conversation.id))!;
    expect(saved.deleted).toBe(false);
    expect(saved.keys).toEqual([`org:${BAKERY}`]);
    expect(saved.doc).toMatchObject({
      candidateId: candidate.id,
      candidateName: 'Léa Durand',
      organisationName: 'Boulangeries Martin',
      aboutKind: 'application',
      aboutId: applicationId,
      messageCount: 0,
      startedBy: 'organisation',
    });

    const message = messageDraft({
      conversation,
      authorId: R1,
      body: 'Bonjour Léa, êtes-vous disponible jeudi ?',
    });
    const mailsBefore = (await h.outboxTo(candidate.email)).length;
    expect(
      await h.push('messages', tokens.recruteur1!, [
        { assumedMasterState: null, newDocumentState: live(message) },
      ]),
    ).toEqual([]);
    // The candidate is told by e-mail, in the same transaction (notifyCandidateOfMessage).
    expect((await h.outboxTo(candidate.email)).length).toBe(mailsBefore + 1);
    const msg = (await h.stored<MessageDoc>('messages', message.id))!.doc;
    expect(msg).toMatchObject({
      authorId: R1,
      authorName: 'Claire Martin',
      candidateId: candidate.id,
      authorKind: 'organisation',
    });
    expect(msg.sentAt).not.toBe(message.sentAt);
    const after = (await h.stored<ConversationDoc>('conversations', conversation.id))!.doc;
    expect(after).toMatchObject({
      messageCount: 1,
      lastMessageFrom: 'organisation',
      lastMessageAt: msg.sentAt,
    });
    expect(after.lastMessagePreview).toBe('Bonjour Léa, êtes-vous disponible jeudi ?');

    const mine = await h.pullAll<ConversationDoc>('conversations', colleague.token);
    expect(mine.get(conversation.id)?.messageCount).toBe(1);
    expect((await h.pullAll<MessageDoc>('messages', colleague.token)).has(message.id)).toBe(true);
    expect((await h.pullAll<ConversationDoc>('conversations', tokens.recruteur2!)).has(conversation.id)).toBe(
      false,
    );
    expect((await h.pullAll<MessageDoc>('messages', tokens.recruteur2!)).has(message.id)).toBe(false);

    // The candidate reads it on the portal, unread.
    const inbox = await api<{ items: { id: string; unread: boolean }[]; unread: number }>(
      h.url('/api/me/conversations'),
      {
        token: candidate.token,
      },
    );
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((i) => [i.id, i.unread])).toEqual([[conversation.id, true]]);
    expect(inbox.body.unread).toBe(1);
  });

  it('refuses an application without an account, with a notice, and writes nothing', async () => {
    const { applicationId, conversation } = await openFromApplication();
    await server.db.query(`update applications set doc = doc - 'candidateId' where id = $1`, [applicationId]);
    const answer = await h.push<ConvRow>('conversations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(conversation) },
    ]);
    expect(answer).toHaveLength(1);
    expect(answer[0]!._deleted).toBe(true);
    expect(await h.stored('conversations', conversation.id)).toBeUndefined();
    const notices = await h.noticesOf(R1);
    expect(notices.at(-1)).toMatchObject({
      kind: 'refus',
      documentId: conversation.id,
      message: NO_ACCOUNT_MESSAGE,
    });
  });

  it('takes only the member’s own read and hidden marks; every other field comes from the master', async () => {
    const { conversation } = await openFromApplication();
    await h.push('conversations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(conversation) },
    ]);
    const master = (await h.pullAll<ConversationDoc>('conversations', colleague.token)).get(conversation.id)!;
    const at = new Date().toISOString();
    const edited = {
      ...master,
      subject: 'Sujet changé',
      readBy: [
        { accountId: colleague.id, at },
        { accountId: R1, at },
      ],
      hiddenBy: [{ accountId: colleague.id, at }],
    };
    expect(
      await h.push('conversations', colleague.token, [
        { assumedMasterState: master, newDocumentState: edited },
      ]),
    ).toEqual([]);
    const saved = (await h.stored<ConversationDoc>('conversations', conversation.id))!.doc;
    expect(saved.subject).toBe(conversation.subject);
    expect(saved.readBy).toEqual([{ accountId: colleague.id, at }]);
    expect(saved.hiddenBy).toEqual([{ accountId: colleague.id, at }]);

    // A new message un-hides it for everyone.
    await h.push('messages', tokens.recruteur1!, [
      {
        assumedMasterState: null,
        newDocumentState: live(messageDraft({ conversation, authorId: R1, body: 'Relance' })),
      },
    ]);
    const after = (await h.stored<ConversationDoc>('conversations', conversation.id))!.doc;
    expect(after.hiddenBy).toEqual([]);
    expect(after.readBy.find((m) => m.accountId === R1)?.at).toBe(after.lastMessageAt);
  });
});

describe('messages pushed by members', () => {
  it('a message before its conversation opens it from its header; the conversation pushed afterwards gets the master', async () => {
    const { candidate, conversation } = await openFromApplication();
    const message = messageDraft({ conversation, authorId: R1, body: 'Écrit hors ligne', header: true });
    expect(
      await h.push('messages', tokens.recruteur1!, [
        { assumedMasterState: null, newDocumentState: live(message) },
      ]),
    ).toEqual([]);
    const saved = (await h.stored<ConversationDoc>('conversations', conversation.id))!.doc;
    expect(saved).toMatchObject({
      candidateId: candidate.id,
      messageCount: 1,
      subject: conversation.subject,
    });
    const msg = (await h.stored<MessageDoc>('messages', message.id))!.doc;
    expect(msg.conversation).toBeUndefined();

    const answer = await h.push<ConvRow>('conversations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(conversation) },
    ]);
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatchObject({ id: conversation.id, messageCount: 1, _deleted: false });
    expect((await h.messagesOf(conversation.id)).map((m) => m.id)).toEqual([message.id]);
  });

  it('a message pushed twice (a retry) is stored once', async () => {
    const { conversation } = await openFromApplication();
    const message = messageDraft({ conversation, authorId: R1, body: 'Une seule fois', header: true });
    const row = { assumedMasterState: null, newDocumentState: live(message) };
    expect(await h.push('messages', tokens.recruteur1!, [row])).toEqual([]);
    const again = await h.push<MsgRow>('messages', tokens.recruteur1!, [row, row]);
    expect(again.every((m) => m.id === message.id && !m._deleted)).toBe(true);
    expect(await h.messagesOf(conversation.id)).toHaveLength(1);
    expect((await h.stored<ConversationDoc>('conversations', conversation.id))!.doc.messageCount).toBe(1);
  });

  it('two workstations of the organisation, each with messages written offline: each arrives once, in its author’s order', async () => {
    const { conversation } = await openFromApplication();
    await h.push('conversations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(conversation) },
    ]);
    const mine = [1, 2, 3].map((i) => messageDraft({ conversation, authorId: R1, body: `Claire ${i}` }));
    const theirs = [1, 2, 3].map((i) =>
      messageDraft({ conversation, authorId: colleague.id, body: `Paul ${i}` }),
    );
    const rows = (list: MessageDoc[]) =>
      list.map((m) => ({ assumedMasterState: null, newDocumentState: live(m) }));
    // Both reconnect at once; each retries its batch (a lost answer).
    const results = await Promise.all([
      h.push('messages', tokens.recruteur1!, rows(mine)),
      h.push('messages', colleague.token, rows(theirs)),
    ]);
    expect(results).toEqual([[], []]);
    await Promise.all([
      h.push('messages', tokens.recruteur1!, rows(mine)),
      h.push('messages', colleague.token, rows(theirs)),
    ]);

    const stored = await h.messagesOf(conversation.id);
    expect(stored).toHaveLength(6);
    const bodies = stored.map((m) => m.body);
    expect(bodies.filter((b) => b.startsWith('Claire'))).toEqual(['Claire 1', 'Claire 2', 'Claire 3']);
    expect(bodies.filter((b) => b.startsWith('Paul'))).toEqual(['Paul 1', 'Paul 2', 'Paul 3']);
    const times = stored.map((m) => m.sentAt);
    expect(new Set(times).size).toBe(6);
    expect([...times].sort()).toEqual(times);
    expect(stored.find((m) => m.body === 'Paul 1')!.authorName).toBe('Paul Lefèvre');
    const c = (await h.stored<ConversationDoc>('conversations', conversation.id))!.doc;
    expect(c.messageCount).toBe(6);
    expect(c.lastMessageAt).toBe(times[5]);

    // Both replicas converge on the same six messages.
    const a = await h.pullAll<MessageDoc>('messages', tokens.recruteur1!);
    const b = await h.pullAll<MessageDoc>('messages', colleague.token);
    const ofConversation = (m: Map<string, MsgRow>) =>
      [...m.values()]
        .filter((x) => x.conversationId === conversation.id)
        .map((x) => x.id)
        .sort();
    expect(ofConversation(a)).toEqual(stored.map((m) => m.id).sort());
    expect(ofConversation(b)).toEqual(ofConversation(a));
  });

  it('messages are immutable: a change or a deletion is refused and the master kept', async () => {
    const { conversation } = await openFromApplication();
    const message = messageDraft({ conversation, authorId: R1, body: 'Texte envoyé', header: true });
    await h.push('messages', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(message) },
    ]);
    const master = (await h.pullAll<MessageDoc>('messages', tokens.recruteur1!)).get(message.id)!;
    const changed = await h.push<MsgRow>('messages', tokens.recruteur1!, [
      { assumedMasterState: master, newDocumentState: { ...master, body: 'Texte corrigé' } },
    ]);
    expect(changed[0]).toMatchObject({ body: 'Texte envoyé', _deleted: false });
    const deleted = await h.push<MsgRow>('messages', tokens.recruteur1!, [
      { assumedMasterState: master, newDocumentState: { ...master, _deleted: true } },
    ]);
    expect(deleted[0]).toMatchObject({ body: 'Texte envoyé', _deleted: false });
    const saved = (await h.stored<MessageDoc>('messages', message.id))!;
    expect(saved.deleted).toBe(false);
    expect(saved.doc.body).toBe('Texte envoyé');
    expect((await h.noticesOf(R1)).filter((n) => n.documentId === message.id)).toHaveLength(2);
  });

  it('a message to a candidate the rules forbid leaves no row the candidate can read and no e-mail', async () => {
    const candidate = await h.newCandidate();
    // No application, no list, no exchange: no basis.
    const conversation = conversationDraft({
      organisationId: BAKERY,
      aboutKind: 'none',
      candidateId: candidate.id,
    });
    const message = messageDraft({
      conversation,
      authorId: R1,
      body: 'Bonjour, une offre pour vous',
      header: true,
    });
    const answer = await h.push<MsgRow>('messages', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(message) },
    ]);
    expect(answer[0]!._deleted).toBe(true);
    const conv = await h.push<ConvRow>('conversations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(conversation) },
    ]);
    expect(conv[0]!._deleted).toBe(true);
    expect(await h.stored('conversations', conversation.id)).toBeUndefined();
    expect(await h.stored('messages', message.id)).toBeUndefined();
    const { rows } = await server.db.query(
      `select 1 from messages where doc->>'candidateId' = $1 union all select 1 from conversations where doc->>'candidateId' = $1`,
      [candidate.id],
    );
    expect(rows).toHaveLength(0);
    expect(await h.outboxTo(candidate.email)).toHaveLength(0);
    const inbox = await api<{ items: unknown[]; total: number }>(h.url('/api/me/conversations'), {
      token: candidate.token,
    });
    expect(inbox.body).toMatchObject({ items: [], total: 0 });
    const notice = (await h.noticesOf(R1)).find((n) => n.documentId === message.id);
    expect(notice?.message).toContain('Vous ne pouvez pas écrire à ce candidat');
    // Another organisation's member cannot write for the bakery either.
    const foreign = messageDraft({ conversation, authorId: R2, body: 'Intrus', header: true });
    await h.push('messages', tokens.recruteur2!, [
      { assumedMasterState: null, newDocumentState: live(foreign) },
    ]);
    expect(await h.stored('messages', foreign.id)).toBeUndefined();
  });

  it('rate limit: over the member’s hourly limit a message is refused with a notice, not retried', async () => {
    const { conversation } = await openFromApplication();
    await h.push('conversations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(conversation) },
    ]);
    const limit = MESSAGE_RATE_LIMITS.organisation;
    const batch = Array.from({ length: limit + 1 }, (_, i) =>
      messageDraft({ conversation, authorId: R1, body: `Message ${i + 1}` }),
    );
    const answer = await h.push<MsgRow>(
      'messages',
      tokens.recruteur1!,
      batch.map((m) => ({ assumedMasterState: null, newDocumentState: live(m) })),
    );
    expect(answer.map((a) => [a.id, a._deleted])).toEqual([[batch[limit]!.id, true]]);
    expect(await h.messagesOf(conversation.id)).toHaveLength(limit);
    const notice = (await h.noticesOf(R1)).find((n) => n.documentId === batch[limit]!.id);
    expect(notice?.message).toMatch(/limite/);
    // A colleague still writes (the limit is per sender).
    const other = messageDraft({ conversation, authorId: colleague.id, body: 'Relais du collègue' });
    expect(
      await h.push('messages', colleague.token, [
        { assumedMasterState: null, newDocumentState: live(other) },
      ]),
    ).toEqual([]);
  });
});

describe('the demo conversation', () => {
  it('Thomas Garcia and the demo employer: three messages both ways, the last unread by the recruiter', async () => {
    const { rows } = await server.db.query<{ doc: ConversationDoc }>(
      `select doc from conversations where not deleted and doc->>'candidateId' = $1`,
      [DEMO_ACCOUNTS.find((a) => a.email === 'candidat@demo.test')!.id],
    );
    expect(rows).toHaveLength(1);
    const c = rows[0]!.doc;
    expect(c.messageCount).toBe(3);
    const messages = await h.messagesOf(c.id);
    expect(new Set(messages.map((m) => m.authorKind))).toEqual(new Set(['candidate', 'organisation']));
    const recruiterMark = c.readBy[0]!;
    expect(recruiterMark.at < c.lastMessageAt).toBe(true);
    expect(c.lastMessageFrom).toBe('candidate');
  });
});
