import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addToList, newCvList } from '../../shared/domain/cv-lists';
import { MESSAGING_REFUSAL_MESSAGES } from '../../shared/domain/messaging';
import type { ConversationDoc } from '../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../shared/schemas/message.schema';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import { MESSAGE_DATA } from '../src/candidate/personal-data/messages';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { makePdf } from '../src/files/sample-files';
import { MESSAGE_RATE_LIMITS } from '../src/messaging/service';
import { api, startTestServer, type TestServer } from './harness';
import { conversationDraft, helpers, type Live, live, messageDraft } from './messaging-helpers';

/**
 * Messaging over REST (issue 7): the candidate's « Mes messages » API, the rules enforced both ways
 * (each refusal reached through HTTP), blocks, reports and moderation, attachments and their read
 * rights, the candidate's rate limit, and the RGPD export and erasure.
 */

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const TRANSPORTS = DEMO_ORGANISATIONS.transports.id;
const AGENCY = DEMO_ORGANISATIONS.agence.id;
const R1 = DEMO_ACCOUNTS[0].id;
const THOMAS = DEMO_ACCOUNTS.find((a) => a.email === 'candidat@demo.test')!.id;

let server: TestServer;
const h = helpers(() => server);
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2', 'agence', 'moderateur', 'candidat'])
    tokens[who] = await server.login(`${who}@demo.test`);
});

type CandidateConversation = {
  id: string;
  organisationId: string;
  unread: boolean;
  canWrite: boolean;
  cannotWriteReason?: string;
  blockedByCandidate: boolean;
  blockedByOrganisation: boolean;
  messageCount: number;
  aboutKind: string;
  aboutLabel?: string;
};
type ErrorBody = { error: { code: string; message: string; fields?: { field: string; message: string }[] } };

async function startFromPortal(token: string, organisationId: string, extra: Record<string, unknown> = {}) {
  return api<
    { conversation: CandidateConversation; message: { id: string; authorKind: string } } & ErrorBody
  >(h.url('/api/me/conversations'), {
    token,
    body: {
      organisationId,
      subject: 'Ma candidature',
      body: 'Bonjour, où en est ma candidature ?',
      ...extra,
    },
  });
}

async function unpublishProfiles(organisationId: string) {
  await server.db.query(
    `update companies set doc = jsonb_set(doc, '{published}', 'false'::jsonb) where doc->>'organisationId' = $1`,
    [organisationId],
  );
}

async function memberReply(token: string, authorId: string, conversationId: string, body: string) {
  const doc = (await h.stored<ConversationDoc>('conversations', conversationId))!.doc;
  const message = messageDraft({ conversation: doc, authorId, body });
  return {
    message,
    answer: await h.push<Live<MessageDoc>>('messages', token, [
      { assumedMasterState: null, newDocumentState: live(message) },
    ]),
  };
}

describe('« Mes messages » (candidate REST)', () => {
  it('a candidate who applied writes, the member answers, the candidate reads, hides, and a new message brings it back', async () => {
    const c = await h.newCandidate();
    const applicationId = await h.apply(c.token, BAKERY);

    const recipients = await api<{ items: { organisationId: string; basis: string; aboutId?: string }[] }>(
      h.url('/api/me/messaging/recipients'),
      { token: c.token },
    );
    expect(recipients.status).toBe(200);
    expect(recipients.body.items).toEqual([
      expect.objectContaining({
        organisationId: BAKERY,
        basis: 'application',
        aboutKind: 'application',
        aboutId: applicationId,
      }),
    ]);
    const can = await api(h.url(`/api/me/messaging/can-write?organisationId=${BAKERY}`), { token: c.token });
    expect(can.body).toEqual({
      allowed: true,
      basis: 'application',
      organisationId: BAKERY,
      organisationName: 'Boulangeries Martin',
    });

    const started = await startFromPortal(c.token, BAKERY, {
      aboutKind: 'application',
      aboutId: applicationId,
    });
    expect(started.status).toBe(201);
    expect(started.body.conversation).toMatchObject({
      canWrite: true,
      unread: false,
      messageCount: 1,
      aboutKind: 'application',
    });
    const id = started.body.conversation.id;

    // The members replicate it.
    const pulled = (await h.pullAll<ConversationDoc>('conversations', tokens.recruteur1!)).get(id)!;
    expect(pulled).toMatchObject({
      startedBy: 'candidate',
      candidateId: c.id,
      lastMessageFrom: 'candidate',
      candidateName: 'Léa Durand',
    });
    expect(pulled.candidateLastAt).toBe(pulled.lastMessageAt);

    expect(
      (await memberReply(tokens.recruteur1!, R1, id, 'Bonjour Léa, nous revenons vers vous jeudi.')).answer,
    ).toEqual([]);
    let list = await api<{ items: CandidateConversation[]; unread: number; total: number }>(
      h.url('/api/me/conversations'),
      {
        token: c.token,
      },
    );
    expect(list.body).toMatchObject({ total: 1, unread: 1 });
    expect(list.body.items[0]).toMatchObject({ id, unread: true, messageCount: 2 });

    const one = await api<{ messages: { authorKind: string; body: string; authorName: string }[] }>(
      h.url(`/api/me/conversations/${id}`),
      { token: c.token },
    );
    expect(one.body.messages.map((m) => [m.authorKind, m.authorName])).toEqual([
      ['candidate', 'Léa Durand'],
      ['organisation', 'Claire Martin'],
    ]);
    expect(
      (await api(h.url(`/api/me/conversations/${id}/read`), { token: c.token, method: 'POST' })).status,
    ).toBe(204);
    list = await api(h.url('/api/me/conversations'), { token: c.token });
    expect(list.body.unread).toBe(0);

    // Search: the organisation's name, a word of a message; nothing else.
    const search = async (q: string) =>
      (
        await api<{ total: number }>(h.url(`/api/me/conversations?q=${encodeURIComponent(q)}`), {
          token: c.token,
        })
      ).body.total;
    expect(await search('boulangeries')).toBe(1);
    expect(await search('jeudi')).toBe(1);
    expect(await search('introuvable')).toBe(0);

    const hidden = await api(h.url('/api/me/conversations/hide'), {
      token: c.token,
      body: { ids: [id, randomUUID()] },
    });
    expect(hidden.body).toEqual({ hidden: 1 });
    expect(
      (await api<{ total: number }>(h.url('/api/me/conversations'), { token: c.token })).body.total,
    ).toBe(0);
    await memberReply(tokens.recruteur1!, R1, id, 'Une précision sur le poste.');
    list = await api(h.url('/api/me/conversations'), { token: c.token });
    expect(list.body.items.map((i) => [i.id, i.unread])).toEqual([[id, true]]);

    // Another candidate sees none of it.
    const other = await h.newCandidate('Marc', 'Petit');
    expect((await api(h.url(`/api/me/conversations/${id}`), { token: other.token })).status).toBe(404);
    expect(
      (await api(h.url(`/api/me/conversations/${id}/messages`), { token: other.token, body: { body: 'x' } }))
        .status,
    ).toBe(404);
    // A recruiter account is not a candidate.
    expect((await api(h.url('/api/me/conversations'), { token: tokens.recruteur1! })).status).toBe(403);
  });

  it('checks the draft: subject, body, attachments named by field', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const bad = await startFromPortal(c.token, BAKERY, {
      subject: '  ',
      body: 'x'.repeat(10_001),
      attachments: [{ sha256: 'abc', name: 'a.pdf', size: 1 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields!.map((f) => f.field).sort()).toEqual(['attachments.0', 'body', 'subject']);
    const noOrg = await startFromPortal(c.token, 'pas-un-id');
    expect(noOrg.status).toBe(400);
    expect(noOrg.body.error.fields![0]!.field).toBe('organisationId');
    const hide = await api<ErrorBody>(h.url('/api/me/conversations/hide'), {
      token: c.token,
      body: { ids: [] },
    });
    expect(hide.status).toBe(400);
    expect(hide.body.error.fields![0]!.field).toBe('ids');
  });
});

describe('the rules, both ways, through HTTP', () => {
  it('no basis: the candidate may not write to an organisation they never applied to (403 messaging-refused)', async () => {
    const c = await h.newCandidate();
    const canWrite = async () =>
      (
        await api<{ allowed: boolean; code: string }>(
          h.url(`/api/me/messaging/can-write?organisationId=${TRANSPORTS}`),
          {
            token: c.token,
          },
        )
      ).body;
    // A published company profile lets a candidate write (seed 004); without it, nothing does.
    expect(await canWrite()).toMatchObject({ allowed: true, basis: 'company-profile' });
    // From the company page: by its profile.
    const { rows: profiles } = await server.db.query<{ id: string }>(
      `select id from companies where not deleted and doc->>'organisationId' = $1 and doc->>'published' = 'true' limit 1`,
      [TRANSPORTS],
    );
    const byCompany = await api(h.url(`/api/me/messaging/can-write?companyId=${profiles[0]!.id}`), {
      token: c.token,
    });
    expect(byCompany.body).toMatchObject({
      allowed: true,
      basis: 'company-profile',
      organisationId: TRANSPORTS,
    });
    await unpublishProfiles(TRANSPORTS);
    expect(await canWrite()).toMatchObject({ allowed: false, code: 'no-basis' });
    const res = await startFromPortal(c.token, TRANSPORTS);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('messaging-refused');
    expect(res.body.error.fields![0]!.field).toBe('organisationId');
    expect(res.body.error.message).toContain('Vous n’avez pas encore d’échange avec cette entreprise');
    const { rows } = await server.db.query(`select 1 from conversations where doc->>'candidateId' = $1`, [
      c.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('blocks win both ways; unblocking restores the exchange', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const id = (await startFromPortal(c.token, BAKERY)).body.conversation.id;

    const blocked = await api<{ conversation: ConversationDoc }>(h.url(`/api/conversations/${id}/block`), {
      token: tokens.recruteur1!,
      method: 'POST',
    });
    expect(blocked.status).toBe(200);
    expect(blocked.body.conversation.blockedByOrganisation).toBe(true);
    const refused = await api<ErrorBody>(h.url(`/api/me/conversations/${id}/messages`), {
      token: c.token,
      body: { body: 'Encore moi' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({
      code: 'messaging-refused',
      message: MESSAGING_REFUSAL_MESSAGES['blocked-by-recipient'].candidate,
    });
    const reply = await memberReply(tokens.recruteur1!, R1, id, 'Malgré le blocage');
    expect(reply.answer[0]!._deleted).toBe(true);
    expect((await h.noticesOf(R1)).at(-1)!.message).toBe(
      MESSAGING_REFUSAL_MESSAGES['blocked-by-sender'].organisation,
    );
    // Another organisation cannot unblock it.
    expect(
      (await api(h.url(`/api/conversations/${id}/unblock`), { token: tokens.recruteur2!, method: 'POST' }))
        .status,
    ).toBe(404);
    expect(
      (await api(h.url(`/api/conversations/${id}/unblock`), { token: tokens.recruteur1!, method: 'POST' }))
        .status,
    ).toBe(200);
    expect(
      (await api(h.url(`/api/me/conversations/${id}/messages`), { token: c.token, body: { body: 'Merci' } }))
        .status,
    ).toBe(201);

    // The candidate blocks the organisation.
    const mine = await api<{ conversation: CandidateConversation }>(
      h.url(`/api/me/conversations/${id}/block`),
      {
        token: c.token,
        method: 'POST',
      },
    );
    expect(mine.body.conversation).toMatchObject({ blockedByCandidate: true, canWrite: false });
    expect(mine.body.conversation.cannotWriteReason).toBe(
      MESSAGING_REFUSAL_MESSAGES['blocked-by-sender'].candidate,
    );
    const own = await api<ErrorBody>(h.url(`/api/me/conversations/${id}/messages`), {
      token: c.token,
      body: { body: 'Oups' },
    });
    expect(own.body.error.message).toBe(MESSAGING_REFUSAL_MESSAGES['blocked-by-sender'].candidate);
    const toBlocker = await memberReply(tokens.recruteur1!, R1, id, 'Bonjour ?');
    expect(toBlocker.answer[0]!._deleted).toBe(true);
    expect((await h.noticesOf(R1)).at(-1)!.message).toBe(
      MESSAGING_REFUSAL_MESSAGES['blocked-by-recipient'].organisation,
    );
    expect(
      (await h.pullAll<ConversationDoc>('conversations', tokens.recruteur1!)).get(id)!.blockedByCandidate,
    ).toBe(true);
    expect(await h.messagesOf(id)).toHaveLength(2);
  });

  it('a disabled candidate account cannot be written to', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const id = (await startFromPortal(c.token, BAKERY)).body.conversation.id;
    await server.db.query('update accounts set disabled_at = now() where id = $1', [c.id]);
    const reply = await memberReply(tokens.recruteur1!, R1, id, 'Bonjour');
    expect(reply.answer[0]!._deleted).toBe(true);
    expect((await h.noticesOf(R1)).at(-1)!.message).toBe(
      MESSAGING_REFUSAL_MESSAGES['candidate-disabled'].organisation,
    );
    expect(await h.messagesOf(id)).toHaveLength(1);
  });

  it('training bodies have no messaging, either way', async () => {
    const training = randomUUID();
    await server.db.query(
      `insert into organisations (id, kind, name, verified, verification_state) values ($1, 'training', 'Centre de formation', true, 'verifiee')`,
      [training],
    );
    const member = await h.addMember('formation@exemple.test', training);
    const conversation = conversationDraft({
      organisationId: training,
      aboutKind: 'cv',
      aboutId: DEMO_CV_IDS.published,
    });
    const answer = await h.push<Live<ConversationDoc>>('conversations', member.token, [
      { assumedMasterState: null, newDocumentState: live(conversation) },
    ]);
    expect(answer[0]!._deleted).toBe(true);
    expect((await h.noticesOf(member.id)).at(-1)!.message).toBe(
      MESSAGING_REFUSAL_MESSAGES['messaging-not-offered'].organisation,
    );
    const can = await api(h.url(`/api/me/messaging/can-write?organisationId=${training}`), {
      token: tokens.candidat!,
    });
    expect(can.body).toMatchObject({ allowed: false, code: 'messaging-not-offered' });
  });

  it('a CV in the organisation’s lists: the candidate may write; the organisation only while the CV stays visible', async () => {
    // An organisation Thomas never applied to nor wrote to, its company profile unpublished.
    let org = '';
    let email = '';
    for (const [candidateOrg, candidateEmail] of [
      [AGENCY, 'agence@demo.test'],
      [TRANSPORTS, 'recruteur2@demo.test'],
      [BAKERY, 'recruteur1@demo.test'],
    ] as const) {
      const { rows } = await server.db.query(
        `select 1 from applications where doc->>'candidateId' = $1 and doc->>'organisationId' = $2
         union all select 1 from conversations where doc->>'candidateId' = $1 and doc->>'organisationId' = $2`,
        [THOMAS, candidateOrg],
      );
      if (rows.length === 0) {
        org = candidateOrg;
        email = candidateEmail;
        break;
      }
    }
    expect(org).not.toBe('');
    await unpublishProfiles(org);
    const target = org;
    const agentToken = await server.login(email);
    const agent = DEMO_ACCOUNTS.find((a) => a.email === email)!.id;
    const before = await api(h.url(`/api/me/messaging/can-write?organisationId=${target}`), {
      token: tokens.candidat!,
    });
    expect(before.body).toMatchObject({ allowed: false, code: 'no-basis' });
    const list = addToList(
      newCvList({
        id: randomUUID(),
        organisationId: target,
        ownerId: agent,
        name: 'Chauffeurs',
        now: new Date(Date.now() - 60_000),
      }),
      [DEMO_CV_IDS.published],
      agent,
      new Date(Date.now() - 30_000),
    );
    expect(
      await h.push('cvLists', agentToken, [{ assumedMasterState: null, newDocumentState: live(list) }]),
    ).toEqual([]);
    const after = await api(h.url(`/api/me/messaging/can-write?organisationId=${target}`), {
      token: tokens.candidat!,
    });
    expect(after.body).toMatchObject({ allowed: true, basis: 'cv-selection' });

    // The CV leaves the CVthèque: the agency may no longer write first; the candidate still may.
    await server.db.query('update cvs set deleted = true where id = $1', [DEMO_CV_IDS.published]);
    const conversation = conversationDraft({
      organisationId: target,
      aboutKind: 'cv',
      aboutId: DEMO_CV_IDS.published,
    });
    const refused = await h.push<Live<MessageDoc>>('messages', agentToken, [
      {
        assumedMasterState: null,
        newDocumentState: live(
          messageDraft({ conversation, authorId: agent, body: 'Bonjour', header: true }),
        ),
      },
    ]);
    expect(refused[0]!._deleted).toBe(true);
    expect((await h.noticesOf(agent)).at(-1)!.message).toContain('il ne l’a plus rendu visible');
    expect(
      (await api(h.url(`/api/me/messaging/can-write?organisationId=${target}`), { token: tokens.candidat! }))
        .body,
    ).toMatchObject({
      allowed: true,
    });

    await server.db.query('update cvs set deleted = false where id = $1', [DEMO_CV_IDS.published]);
    const opened = await h.push('messages', agentToken, [
      {
        assumedMasterState: null,
        newDocumentState: live(
          messageDraft({ conversation, authorId: agent, body: 'Bonjour Thomas', header: true }),
        ),
      },
    ]);
    expect(opened).toEqual([]);
    expect((await h.stored<ConversationDoc>('conversations', conversation.id))!.doc).toMatchObject({
      candidateId: THOMAS,
      candidateName: 'Thomas Garcia',
      aboutKind: 'cv',
    });
  });
  it('a conversation opened from an anonymous CV stays anonymous, the candidate’s replies too', async () => {
    await server.db.query(
      `update cvs set doc = (doc - 'firstName' - 'lastName' - 'email' - 'phone') || '{"anonymous": true}'::jsonb where id = $1`,
      [DEMO_CV_IDS.published],
    );
    const conversation = conversationDraft({
      organisationId: BAKERY,
      aboutKind: 'cv',
      aboutId: DEMO_CV_IDS.published,
    });
    const first = messageDraft({
      conversation,
      authorId: R1,
      body: 'Bonjour, votre profil nous intéresse.',
      header: true,
    });
    expect(
      await h.push('messages', tokens.recruteur1!, [
        { assumedMasterState: null, newDocumentState: live(first) },
      ]),
    ).toEqual([]);
    expect((await h.stored<ConversationDoc>('conversations', conversation.id))!.doc).toMatchObject({
      candidateId: THOMAS,
      candidateName: 'Candidat anonyme',
    });
    const reply = await api<{ message: { authorName: string } }>(
      h.url(`/api/me/conversations/${conversation.id}/messages`),
      {
        token: tokens.candidat!,
        body: { body: 'Bonjour, avec plaisir.' },
      },
    );
    expect(reply.status).toBe(201);
    expect((await h.messagesOf(conversation.id)).map((m) => m.authorName)).toEqual([
      'Claire Martin',
      'Candidat anonyme',
    ]);
  });
});

describe('attachments', () => {
  it('the candidate reads the files the organisation attached; members read the candidate’s; other people do not', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const id = (await startFromPortal(c.token, BAKERY)).body.conversation.id;

    // The member's file, uploaded for a message, then attached.
    const pdf = Buffer.concat([makePdf(), Buffer.from(`\n% fiche ${randomUUID()}\n`)]);
    const sha = createHash('sha256').update(pdf).digest('hex');
    const put = await fetch(h.url(`/api/files/${sha}?purpose=message`), {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.recruteur1}`, 'content-type': 'application/octet-stream' },
      body: pdf,
    });
    expect(put.status).toBe(201);
    const doc = (await h.stored<ConversationDoc>('conversations', id))!.doc;
    const message = {
      ...messageDraft({ conversation: doc, authorId: R1, body: 'La fiche de poste ci-jointe.' }),
      attachments: [{ sha256: sha, name: 'fiche-de-poste.pdf', size: pdf.length }],
    };
    expect(
      await h.push('messages', tokens.recruteur1!, [
        { assumedMasterState: null, newDocumentState: live(message) },
      ]),
    ).toEqual([]);
    const got = await api<{ messages: { attachments: { sha256: string; mime?: string }[] }[] }>(
      h.url(`/api/me/conversations/${id}`),
      {
        token: c.token,
      },
    );
    expect(got.body.messages[1]!.attachments).toEqual([
      { sha256: sha, name: 'fiche-de-poste.pdf', size: pdf.length, mime: 'application/pdf' },
    ]);
    expect(
      (await fetch(h.url(`/api/files/${sha}`), { headers: { authorization: `Bearer ${c.token}` } })).status,
    ).toBe(200);
    const stranger = await h.newCandidate('Marc', 'Petit');
    expect(
      (await fetch(h.url(`/api/files/${sha}`), { headers: { authorization: `Bearer ${stranger.token}` } }))
        .status,
    ).toBe(404);

    // The candidate's file: uploaded on the portal, attached by hash; the members read it.
    const own = Buffer.concat([makePdf(), Buffer.from('\n% pièce du candidat\n')]);
    const upload = await fetch(h.url('/api/candidate/files?purpose=message'), {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/octet-stream' },
      body: own,
    });
    expect(upload.status).toBe(201);
    const ownSha = ((await upload.json()) as { sha256: string }).sha256;
    const sent = await api<{ message: { attachments: { mime?: string }[] } }>(
      h.url(`/api/me/conversations/${id}/messages`),
      {
        token: c.token,
        body: {
          body: 'Mon attestation',
          attachments: [{ sha256: ownSha, name: 'attestation.pdf', size: own.length }],
        },
      },
    );
    expect(sent.status).toBe(201);
    expect(sent.body.message.attachments[0]!.mime).toBe('application/pdf');
    expect(
      (
        await fetch(h.url(`/api/files/${ownSha}`), {
          headers: { authorization: `Bearer ${tokens.recruteur1}` },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await fetch(h.url(`/api/files/${ownSha}`), {
          headers: { authorization: `Bearer ${tokens.recruteur2}` },
        })
      ).status,
    ).toBe(404);
    // A file the candidate cannot read is not attached.
    const theirs = await api<ErrorBody>(h.url(`/api/me/conversations/${id}/messages`), {
      token: stranger.token,
      body: { body: 'x' },
    });
    expect(theirs.status).toBe(404);
  });
});

describe('rate limit, reports and moderation', () => {
  it('a candidate over the hourly limit gets 429 with retry-after', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const id = (await startFromPortal(c.token, BAKERY)).body.conversation.id;
    for (let i = 1; i < MESSAGE_RATE_LIMITS.candidate; i++) {
      const res = await api(h.url(`/api/me/conversations/${id}/messages`), {
        token: c.token,
        body: { body: `Message ${i}` },
      });
      expect(res.status).toBe(201);
    }
    const over = await api<ErrorBody>(h.url(`/api/me/conversations/${id}/messages`), {
      token: c.token,
      body: { body: 'Un de trop' },
    });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('too-many-requests');
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await h.messagesOf(id)).toHaveLength(MESSAGE_RATE_LIMITS.candidate);
  });

  it('« signaler » sends the conversation to the moderators, who read reported conversations only', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const reported = (await startFromPortal(c.token, BAKERY)).body.conversation.id;
    const quiet = (await startFromPortal(c.token, BAKERY, { subject: 'Autre' })).body.conversation.id;
    const empty = await api<ErrorBody>(h.url(`/api/me/conversations/${reported}/report`), {
      token: c.token,
      body: { reason: ' ' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.fields![0]!.field).toBe('reason');
    expect(
      (
        await api(h.url(`/api/me/conversations/${reported}/report`), {
          token: c.token,
          body: { reason: 'Propos déplacés' },
        })
      ).status,
    ).toBe(204);
    const list = await api<{ items: { conversation: ConversationDoc; reports: { reason: string }[] }[] }>(
      h.url('/api/moderation/conversations'),
      { token: tokens.moderateur! },
    );
    expect(list.body.items.map((i) => [i.conversation.id, i.reports.map((r) => r.reason)])).toEqual([
      [reported, ['Propos déplacés']],
    ]);
    const one = await api<{ messages: MessageDoc[] }>(h.url(`/api/moderation/conversations/${reported}`), {
      token: tokens.moderateur!,
    });
    expect(one.body.messages).toHaveLength(1);
    expect(
      (await api(h.url(`/api/moderation/conversations/${quiet}`), { token: tokens.moderateur! })).status,
    ).toBe(404);
    expect((await api(h.url('/api/moderation/conversations'), { token: tokens.recruteur1! })).status).toBe(
      403,
    );
    expect((await h.stored<ConversationDoc>('conversations', reported))!.doc.reportedAt).toBeDefined();
    // A member reports too.
    expect(
      (
        await api(h.url(`/api/conversations/${quiet}/report`), {
          token: tokens.recruteur1!,
          body: { reason: 'Spam' },
        })
      ).status,
    ).toBe(204);
  });
});

describe('RGPD', () => {
  it('exports the candidate’s conversations, and erasure tombstones every conversation and message in every replica', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const id = (await startFromPortal(c.token, BAKERY)).body.conversation.id;
    await memberReply(tokens.recruteur1!, R1, id, 'Bonjour Léa, merci pour votre message.');
    await api(h.url(`/api/me/conversations/${id}/report`), { token: c.token, body: { reason: 'Test' } });
    await api(h.url(`/api/conversations/${id}/block`), { token: tokens.recruteur1!, method: 'POST' });
    const ids = (await h.messagesOf(id)).map((m) => m.id);
    expect(ids).toHaveLength(2);

    const exported = (await MESSAGE_DATA.exportData(server.db, c.id)).data as {
      organisation: string;
      messages: { texte: string }[];
    }[];
    expect(exported).toHaveLength(1);
    expect(exported[0]!.organisation).toBe('Boulangeries Martin');
    expect(exported[0]!.messages.map((m) => m.texte)).toEqual([
      'Bonjour, où en est ma candidature ?',
      'Bonjour Léa, merci pour votre message.',
    ]);

    // The replica holds them before.
    const before = await h.pullAll<MessageDoc>('messages', tokens.recruteur1!);
    expect(ids.every((m) => before.has(m))).toBe(true);

    const erase = await api(h.url('/api/candidate/account'), {
      token: c.token,
      method: 'DELETE',
      body: { password: DEMO_PASSWORD },
    });
    expect(erase.status).toBe(204);
    const conv = (await h.stored<ConversationDoc>('conversations', id))!;
    expect(conv.deleted).toBe(true);
    expect(JSON.stringify(conv.doc)).not.toMatch(/Léa|Durand|candidature/);
    for (const m of ids) {
      const row = (await h.stored<MessageDoc>('messages', m))!;
      expect(row.deleted).toBe(true);
      expect(row.doc.body).toBe('');
    }
    const after = await h.pullAll<MessageDoc>('messages', tokens.recruteur1!);
    expect(ids.map((m) => after.get(m)?._deleted)).toEqual([true, true]);
    expect((await h.pullAll<ConversationDoc>('conversations', tokens.recruteur1!)).get(id)?._deleted).toBe(
      true,
    );
    const { rows } = await server.db.query(
      `select 1 from messaging_blocks where candidate_account_id = $1 union all select 1 from conversation_reports where conversation_id = $2`,
      [c.id, id],
    );
    expect(rows).toHaveLength(0);
  });
});
