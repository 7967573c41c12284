import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConversationDoc } from '../../shared/schemas/conversation.schema';
import { eraseCandidate } from '../src/candidate/rgpd';
import { DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { makePdf } from '../src/files/sample-files';
import { loadMessagingFacts, loadMessagingFactsMany } from '../src/messaging/facts';
import { MESSAGE_RATE_LIMITS } from '../src/messaging/service';
import { api, startTestServer, type TestServer } from './harness';
import { helpers } from './messaging-helpers';

/**
 * Messaging, the review's findings (issue 7): races (rate limit, blocks), privacy of the
 * candidate's marks, what a candidate may attach a conversation to, idempotent portal sends,
 * one open report per reporter, moderators' access to attachments.
 */

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;

let server: TestServer;
const h = helpers(() => server);

beforeAll(async () => {
  server = await startTestServer();
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
});

type Started = { conversation: { id: string } };

const start = (token: string, body: Record<string, unknown>) =>
  api<Started & { message: { id: string } }>(h.url('/api/me/conversations'), { token, body });

describe('races', () => {
  it('parallel new conversations never pass the candidate’s hourly limit', async () => {
    const c = await h.newCandidate('Rate', 'Limit');
    await h.apply(c.token, BAKERY);
    const n = MESSAGE_RATE_LIMITS.candidate + 10;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        start(c.token, { organisationId: BAKERY, subject: `Sujet ${i}`, body: `Message ${i}` }),
      ),
    );
    const accepted = results.filter((r) => r.status === 201).length;
    const limited = results.filter((r) => r.status === 429).length;
    expect(accepted).toBe(MESSAGE_RATE_LIMITS.candidate);
    expect(limited).toBe(n - MESSAGE_RATE_LIMITS.candidate);
    const { rows } = await server.db.query<{ n: number }>(
      `select count(*)::int as n from messages where doc->>'authorId' = $1`,
      [c.id],
    );
    expect(rows[0]!.n).toBe(MESSAGE_RATE_LIMITS.candidate);
  });

  it('a candidate and a member blocking from two conversations of one pair at once: no 500', async () => {
    const r1 = await server.login('recruteur1@demo.test');
    const statuses: number[] = [];
    for (let round = 0; round < 4; round++) {
      const c = await h.newCandidate('Dead', `Lock${round}`);
      await h.apply(c.token, BAKERY);
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const r = await start(c.token, { organisationId: BAKERY, subject: `S${i}`, body: 'B' });
        expect(r.status).toBe(201);
        ids.push(r.body.conversation.id);
      }
      const sorted = [...ids].sort();
      const res = await Promise.all([
        api(h.url(`/api/me/conversations/${sorted[3]}/block`), { token: c.token, method: 'POST' }),
        api(h.url(`/api/conversations/${sorted[0]}/block`), { token: r1, method: 'POST' }),
      ]);
      statuses.push(...res.map((r) => r.status));
      const { rows } = await server.db.query<{
        doc: { blockedByCandidate?: boolean; blockedByOrganisation?: boolean };
      }>(`select doc from conversations where doc->>'candidateId' = $1`, [c.id]);
      expect(rows).toHaveLength(4);
      for (const r of rows) {
        expect(r.doc.blockedByCandidate).toBe(true);
        expect(r.doc.blockedByOrganisation).toBe(true);
      }
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
  });
});

type Listed = { items: { id: string; unread: boolean }[]; unread: number };

describe('privacy of the candidate’s marks', () => {
  it('the candidate’s read and hidden marks stay on the server; members never receive them', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const r1 = await server.login('recruteur1@demo.test');
    const id = (await start(c.token, { organisationId: BAKERY, subject: 'Ma candidature', body: 'Bonjour' }))
      .body.conversation.id;
    expect((await api(h.url(`/api/me/conversations/${id}/read`), { token: c.token, body: {} })).status).toBe(
      204,
    );
    const hidden = await api<{ hidden: number }>(h.url('/api/me/conversations/hide'), {
      token: c.token,
      body: { ids: [id] },
    });
    expect(hidden.body).toEqual({ hidden: 1 });
    const listed = await api<Listed>(h.url('/api/me/conversations'), { token: c.token });
    expect(listed.body.items.map((i) => i.id)).not.toContain(id);

    const pulled = (await h.pullAll<ConversationDoc>('conversations', r1)).get(id)!;
    expect(pulled).toBeDefined();
    expect(pulled.hiddenBy).toEqual([]);
    expect(pulled.candidateReadAt).toBeUndefined();
    const stored = (await h.stored<ConversationDoc>('conversations', id))!.doc;
    expect(stored.hiddenBy.some((m) => m.accountId === c.id)).toBe(false);
    expect(stored.candidateReadAt).toBeUndefined();
    const marks = () =>
      server.db.query('select 1 from conversation_candidate_marks where account_id = $1', [c.id]);
    expect((await marks()).rows).toHaveLength(1);
    // RGPD erasure: the marks go with the account.
    await server.db.transaction((tx) => eraseCandidate(tx, server.app.engine, c.id, 'demande'));
    expect((await marks()).rows).toEqual([]);
  });

  it('a newer message brings a hidden conversation back, unread until the candidate reads it', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const id = (await start(c.token, { organisationId: BAKERY, subject: 'Sujet', body: 'Bonjour' })).body
      .conversation.id;
    await api(h.url('/api/me/conversations/hide'), { token: c.token, body: { ids: [id] } });
    // The organisation answers (as the service writes it; the workstation's push is covered elsewhere).
    await server.db.query(
      `update conversations set doc = doc || jsonb_build_object('lastMessageAt', $2::text, 'lastMessageFrom', 'organisation')
        where id = $1`,
      [id, new Date(Date.now() + 60_000).toISOString()],
    );
    let listed = await api<Listed>(h.url('/api/me/conversations'), { token: c.token });
    expect(listed.body.items.find((i) => i.id === id)?.unread).toBe(true);
    await api(h.url(`/api/me/conversations/${id}/read`), { token: c.token, body: {} });
    listed = await api<Listed>(h.url('/api/me/conversations'), { token: c.token });
    expect(listed.body.items.find((i) => i.id === id)?.unread).toBe(false);
    expect(listed.body.unread).toBe(0);
  });
});

describe('what a candidate may attach a conversation to', () => {
  it('not a draft offer of the organisation; a published one, yes', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const { rows } = await server.db.query<{ id: string }>(
      `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' <> 'publiee' limit 1`,
      [BAKERY],
    );
    let draftId = rows[0]?.id;
    if (!draftId) {
      draftId = await h.offerOf(BAKERY);
      await server.db.query(`update offers set doc = doc || '{"status":"brouillon"}'::jsonb where id = $1`, [
        draftId,
      ]);
    }
    const refused = await api<{ error: { fields: { field: string }[] } }>(h.url('/api/me/conversations'), {
      token: c.token,
      body: { organisationId: BAKERY, subject: 's', body: 'b', aboutKind: 'offer', aboutId: draftId },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((f) => f.field)).toEqual(['aboutId']);
    expect(JSON.stringify(refused.body)).not.toContain('"aboutLabel"');

    const published = await h.offerOf(BAKERY);
    const ok = await api<{ conversation: { aboutLabel?: string } }>(h.url('/api/me/conversations'), {
      token: c.token,
      body: { organisationId: BAKERY, subject: 's', body: 'b', aboutKind: 'offer', aboutId: published },
    });
    expect(ok.status).toBe(201);
  });
});

describe('idempotent portal sends', () => {
  it('the same draft sent twice (same id, same body) is stored once and answered 200 the second time', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const draft = randomUUID();
    const first = await start(c.token, {
      organisationId: BAKERY,
      subject: 'Sujet',
      body: 'Bonjour',
      id: draft,
    });
    expect(first.status).toBe(201);
    expect(first.body.message.id).toBe(draft);
    const again = await start(c.token, {
      organisationId: BAKERY,
      subject: 'Sujet',
      body: 'Bonjour',
      id: draft,
    });
    expect(again.status).toBe(200);
    expect(again.body.conversation.id).toBe(first.body.conversation.id);
    expect(again.body.message.id).toBe(draft);
    const cid = first.body.conversation.id;

    const replyId = randomUUID();
    const send = (body: string, id: string = replyId) =>
      api<{ message: { id: string } }>(h.url(`/api/me/conversations/${cid}/messages`), {
        token: c.token,
        body: { body, id },
      });
    const results = await Promise.all([send('Suite'), send('Suite'), send('Suite')]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(results.every((r) => r.body.message.id === replyId)).toBe(true);
    expect((await h.messagesOf(cid)).map((m) => m.body)).toEqual(['Bonjour', 'Suite']);

    // Another body under the same id, another author, or a bad id: refused, nothing stored.
    expect((await send('Autre texte')).status).toBe(409);
    const other = await h.newCandidate('Marc', 'Petit');
    await h.apply(other.token, BAKERY);
    const stolen = await start(other.token, {
      organisationId: BAKERY,
      subject: 'Sujet',
      body: 'Bonjour',
      id: draft,
    });
    expect(stolen.status).toBe(409);
    const bad = await send('Suite', 'pas-un-uuid');
    expect(bad.status).toBe(400);
    expect((await h.messagesOf(cid)).map((m) => m.body)).toEqual(['Bonjour', 'Suite']);
  });
});

describe('reports', () => {
  it('one open report per conversation and reporter: reporting again updates the reason', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const id = (await start(c.token, { organisationId: BAKERY, subject: 'Sujet', body: 'Bonjour' })).body
      .conversation.id;
    for (const reason of ['Spam', 'Spam encore', 'Propos déplacés'])
      expect(
        (await api(h.url(`/api/me/conversations/${id}/report`), { token: c.token, body: { reason } })).status,
      ).toBe(204);
    const r1 = await server.login('recruteur1@demo.test');
    expect(
      (await api(h.url(`/api/conversations/${id}/report`), { token: r1, body: { reason: 'Insultes' } }))
        .status,
    ).toBe(204);
    const { rows } = await server.db.query<{ reporter_kind: string; reason: string }>(
      'select reporter_kind, reason from conversation_reports where conversation_id = $1 order by reporter_kind',
      [id],
    );
    expect(rows).toEqual([
      { reporter_kind: 'candidate', reason: 'Propos déplacés' },
      { reporter_kind: 'organisation', reason: 'Insultes' },
    ]);
  });
});

describe('moderators and attachments', () => {
  it('a moderator opens the files of a reported conversation, not before it is reported', async () => {
    const c = await h.newCandidate();
    await h.apply(c.token, BAKERY);
    const pdf = Buffer.concat([makePdf(), Buffer.from(`\n% piece ${randomUUID()}\n`)]);
    const upload = await fetch(h.url('/api/candidate/files?purpose=message'), {
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/octet-stream' },
      body: pdf,
    });
    expect(upload.status).toBe(201);
    const sha = createHash('sha256').update(pdf).digest('hex');
    const started = await start(c.token, {
      organisationId: BAKERY,
      subject: 'Sujet',
      body: 'Ci-joint',
      attachments: [{ sha256: sha, name: 'piece.pdf', size: pdf.length }],
    });
    expect(started.status).toBe(201);
    const moderator = await server.login('moderateur@demo.test');
    const read = () =>
      fetch(h.url(`/api/files/${sha}`), { headers: { authorization: `Bearer ${moderator}` } });
    expect((await read()).status).toBe(404);
    const id = started.body.conversation.id;
    await api(h.url(`/api/me/conversations/${id}/report`), { token: c.token, body: { reason: 'Test' } });
    const res = await read();
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
  });
});

describe('indexes and batched facts', () => {
  it('cv_lists are indexed by organisation (migration 028)', async () => {
    const { rows } = await server.db.query<{ indexname: string }>(
      `select indexname from pg_indexes where tablename = 'cv_lists' and indexname = 'cv_lists_organisation'`,
    );
    expect(rows).toHaveLength(1);
  });

  it('the facts of several organisations in one query are those of each one alone', async () => {
    const thomas = '0a0c0000-0000-4000-8000-000000000006';
    const orgs = Object.values(DEMO_ORGANISATIONS).map((o) => o.id);
    const sender = { accountKind: 'candidate' as const, accountId: thomas };
    const many = await loadMessagingFactsMany(server.db, {
      candidateAccountId: thomas,
      organisationIds: [...orgs, randomUUID(), 'pas-un-uuid'],
      direction: 'candidate-to-organisation',
      sender,
    });
    expect([...many.keys()].sort()).toEqual([...orgs].sort());
    for (const org of orgs) {
      const one = await loadMessagingFacts(server.db, {
        candidateAccountId: thomas,
        organisationId: org,
        direction: 'candidate-to-organisation',
        sender,
      });
      expect(many.get(org), org).toEqual(one);
    }
    expect([...many.values()].some((f) => f.facts.applications.length > 0)).toBe(true);
  });
});
