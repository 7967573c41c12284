import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MESSAGING_REFUSAL_MESSAGES } from '../../shared/domain/messaging';
import type { ConversationDoc } from '../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../shared/schemas/message.schema';
import { DEMO_CONVERSATION_ID } from '../src/candidate/demo-messages';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { CANDIDATE_GONE, DECISION_NOTE_MAX, REPORT_NOT_FOUND } from '../src/messaging/moderation';
import { api, startTestServer, type TestServer } from './harness';
import { helpers, type Live, live, messageDraft } from './messaging-helpers';

/**
 * Moderators' decisions on reported conversations (issue 7): « classer » clears the report in every
 * replica and resolves the reports; « suspendre-candidat » also disables the candidate's account
 * (no sign-in, no session, no message either way); rights, French field errors, nothing written on
 * a refusal, and an audit entry without personal data.
 */

const THOMAS = DEMO_ACCOUNTS.find((a) => a.email === 'candidat@demo.test')!.id;
const MODERATOR = DEMO_ACCOUNTS.find((a) => a.email === 'moderateur@demo.test')!.id;
const ID = DEMO_CONVERSATION_ID;

let server: TestServer;
const h = helpers(() => server);
const tokens: Record<string, string> = {};
/** A member of the demo conversation's organisation, and their account id. */
let member: { email: string; id: string; token: string };

type ErrorBody = { error: { code: string; message: string; fields?: { field: string; message: string }[] } };
type Outcome = {
  conversationId: string;
  decision: string;
  resolvedReports: number;
  candidateSuspended: boolean;
};
type ReportedList = {
  items: { conversation: ConversationDoc; reports: { reporterKind: string; reason: string }[] }[];
};

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  for (const who of ['moderateur', 'candidat', 'recruteur1'])
    tokens[who] = await server.login(`${who}@demo.test`);
  const { rows } = await server.db.query<{ email: string; id: string }>(
    `select a.email, a.id::text from conversations c
       join memberships m on m.organisation_id::text = c.doc->>'organisationId'
       join accounts a on a.id = m.account_id
      where c.id = $1 order by a.email limit 1`,
    [ID],
  );
  expect(rows[0], 'un membre de l’organisation de la conversation de démonstration').toBeDefined();
  member = { ...rows[0]!, token: await server.login(rows[0]!.email) };
});

async function report(reason: string, token = tokens.candidat!) {
  const res = await api(h.url(`/api/me/conversations/${ID}/report`), { token, body: { reason } });
  expect(res.status).toBe(204);
}

function decide(body: unknown, token = tokens.moderateur!, id = ID) {
  return api<Outcome & ErrorBody>(h.url(`/api/moderation/conversations/${id}/decision`), { token, body });
}

async function reportRows() {
  const { rows } = await server.db.query<{
    reason: string;
    resolved_at: Date | null;
    resolved_by: string | null;
    decision: string | null;
    decision_note: string | null;
  }>(
    `select reason, resolved_at, resolved_by::text, decision, decision_note from conversation_reports
      where conversation_id = $1 order by at, reason`,
    [ID],
  );
  return rows;
}

async function auditOf(action: string) {
  const { rows } = await server.db.query<{
    actor_id: string | null;
    collection: string;
    document_id: string;
    detail: unknown;
  }>('select actor_id::text, collection, document_id, detail from audit_log where action = $1 order by id', [
    action,
  ]);
  return rows;
}

describe('« classer »', () => {
  it('clears the report in every replica, resolves every open report, audits; a later report starts afresh', async () => {
    await report('Propos insultants');
    const memberReport = await api(h.url(`/api/conversations/${ID}/report`), {
      token: member.token,
      body: { reason: 'Le candidat insiste' },
    });
    expect(memberReport.status).toBe(204);
    const before = await h.pullAll<ConversationDoc>('conversations', member.token);
    expect(before.get(ID)!.reportedAt).toBeDefined();

    const res = await decide({ decision: 'classer', note: '  Échange vif mais correct.  ' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      conversationId: ID,
      decision: 'classer',
      resolvedReports: 2,
      candidateSuspended: false,
    });

    // The document, the member's replica (a new position), the moderators' list and reading.
    expect((await h.stored<ConversationDoc>('conversations', ID))!.doc.reportedAt).toBeUndefined();
    const after = await h.pullAll<ConversationDoc>('conversations', member.token);
    expect(after.get(ID)!.reportedAt).toBeUndefined();
    expect(after.get(ID)!.messageCount).toBe(before.get(ID)!.messageCount);
    const list = await api<ReportedList>(h.url('/api/moderation/conversations'), {
      token: tokens.moderateur!,
    });
    expect(list.body.items).toEqual([]);
    expect(
      (await api(h.url(`/api/moderation/conversations/${ID}`), { token: tokens.moderateur! })).status,
    ).toBe(404);

    // The reports: resolved, by whom, how, with the note.
    const rows = await reportRows();
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      expect(r.resolved_at).not.toBeNull();
      expect(r.resolved_by).toBe(MODERATOR);
      expect(r.decision).toBe('classer');
      expect(r.decision_note).toBe('Échange vif mais correct.');
    }

    // Audited without the note nor a name.
    const audit = await auditOf('moderation-classer');
    expect(audit).toEqual([
      {
        actor_id: MODERATOR,
        collection: 'conversations',
        document_id: ID,
        detail: { signalements: 2, note: true },
      },
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/vif|Thomas|Garcia/);

    // The candidate is not suspended: still signed in, still writing.
    const write = await api(h.url(`/api/me/conversations/${ID}/messages`), {
      token: tokens.candidat!,
      body: { body: 'Merci pour votre réponse.' },
    });
    expect(write.status).toBe(201);

    // Deciding again: no longer reported.
    const again = await decide({ decision: 'classer' });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe(REPORT_NOT_FOUND);

    // Reported again: listed with the new reason only.
    await report('Nouveau message déplacé');
    const relisted = await api<ReportedList>(h.url('/api/moderation/conversations'), {
      token: tokens.moderateur!,
    });
    expect(relisted.body.items.map((i) => [i.conversation.id, i.reports.map((r) => r.reason)])).toEqual([
      [ID, ['Nouveau message déplacé']],
    ]);
    const detail = await api<{ reports: { reason: string }[] }>(
      h.url(`/api/moderation/conversations/${ID}`),
      {
        token: tokens.moderateur!,
      },
    );
    expect(detail.body.reports.map((r) => r.reason)).toEqual(['Nouveau message déplacé']);
    const second = await decide({ decision: 'classer' });
    expect(second.body.resolvedReports).toBe(1);
    expect(await auditOf('moderation-classer')).toHaveLength(2);
    expect((await auditOf('moderation-classer'))[1]!.detail).toEqual({ signalements: 1, note: false });
  });
});

describe('« suspendre-candidat »', () => {
  it('disables the candidate: signed out, no sign-in, no message either way; the report is dealt with', async () => {
    await report('Menaces');
    const res = await decide({ decision: 'suspendre-candidat' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      decision: 'suspendre-candidat',
      resolvedReports: 1,
      candidateSuspended: true,
    });

    const { rows } = await server.db.query<{ disabled_at: Date | null }>(
      'select disabled_at from accounts where id = $1',
      [THOMAS],
    );
    expect(rows[0]!.disabled_at).not.toBeNull();
    const sessions = await server.db.query('select 1 from sessions where account_id = $1', [THOMAS]);
    expect(sessions.rows).toHaveLength(0);

    // Their session no longer works, and they cannot sign in again.
    expect((await api(h.url('/api/me/conversations'), { token: tokens.candidat! })).status).toBe(401);
    const login = await api(h.url('/api/auth/login'), {
      body: { email: 'candidat@demo.test', password: DEMO_PASSWORD },
    });
    expect(login.status).toBe(401);

    // A member's message to them is refused by the messaging rules.
    const doc = (await h.stored<ConversationDoc>('conversations', ID))!.doc;
    expect(doc.reportedAt).toBeUndefined();
    const count = (await h.messagesOf(ID)).length;
    const message = messageDraft({ conversation: doc, authorId: member.id, body: 'Bonjour' });
    const answer = await h.push<Live<MessageDoc>>('messages', member.token, [
      { assumedMasterState: null, newDocumentState: live(message) },
    ]);
    expect(answer[0]!._deleted).toBe(true);
    expect((await h.noticesOf(member.id)).at(-1)!.message).toBe(
      MESSAGING_REFUSAL_MESSAGES['candidate-disabled'].organisation,
    );
    expect(await h.messagesOf(ID)).toHaveLength(count);

    // Reports resolved, both audit entries, no personal data in them.
    expect((await reportRows()).map((r) => [r.decision, r.resolved_by, r.decision_note])).toEqual([
      ['suspendre-candidat', MODERATOR, null],
    ]);
    expect(await auditOf('moderation-suspendre-candidat')).toEqual([
      {
        actor_id: MODERATOR,
        collection: 'conversations',
        document_id: ID,
        detail: { signalements: 1, note: false },
      },
    ]);
    expect(await auditOf('compte-suspendu')).toEqual([
      { actor_id: MODERATOR, collection: 'accounts', document_id: THOMAS, detail: { motif: 'moderation' } },
    ]);
  });

  it('writes nothing when the candidate account no longer exists', async () => {
    await report('Spam');
    // The conversation names an account that is gone (e.g. a damaged row): nothing changes.
    await server.db.query(
      `update conversations set doc = jsonb_set(doc, '{candidateId}', '"0a0c0000-0000-4000-8000-0000000000ff"') where id = $1`,
      [ID],
    );
    const res = await decide({ decision: 'suspendre-candidat', note: 'Note' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(CANDIDATE_GONE);
    expect((await h.stored<ConversationDoc>('conversations', ID))!.doc.reportedAt).toBeDefined();
    expect((await reportRows()).map((r) => r.resolved_at)).toEqual([null]);
    expect(await auditOf('moderation-suspendre-candidat')).toEqual([]);
  });
});

describe('rights and bad input', () => {
  it('only platform members decide: 401 signed out, 403 for members and candidates', async () => {
    await report('Propos déplacés');
    expect(
      (await api(h.url(`/api/moderation/conversations/${ID}/decision`), { body: { decision: 'classer' } }))
        .status,
    ).toBe(401);
    for (const token of [tokens.recruteur1!, member.token, tokens.candidat!]) {
      const res = await decide({ decision: 'classer' }, token);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe('Cet espace est réservé aux modérateurs de la plateforme.');
    }
    expect((await h.stored<ConversationDoc>('conversations', ID))!.doc.reportedAt).toBeDefined();
    expect((await reportRows())[0]!.resolved_at).toBeNull();
  });

  it('404 for an unknown or unreported conversation', async () => {
    const unknown = await decide(
      { decision: 'classer' },
      tokens.moderateur!,
      '0a0d0000-0000-4000-8000-0000000000ff',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(REPORT_NOT_FOUND);
    // The demo conversation is not reported yet.
    const quiet = await decide({ decision: 'suspendre-candidat' });
    expect(quiet.status).toBe(404);
    const { rows } = await server.db.query('select disabled_at from accounts where id = $1', [THOMAS]);
    expect(rows[0]).toEqual({ disabled_at: null });
    expect((await decide({ decision: 'classer' }, tokens.moderateur!, 'pas un identifiant !')).status).toBe(
      404,
    );
  });

  it('400 with French messages naming each field at fault, and nothing written', async () => {
    await report('Propos déplacés');
    const bad = await decide({ decision: 'supprimer', note: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation');
    expect(bad.body.error.fields).toEqual([
      { field: 'decision', message: 'Choisissez une décision : « Classer » ou « Suspendre le candidat ».' },
      { field: 'note', message: 'La note doit être un texte.' },
    ]);
    const missing = await decide({});
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields!.map((f) => f.field)).toEqual(['decision']);
    const long = await decide({ decision: 'classer', note: 'é'.repeat(DECISION_NOTE_MAX + 1) });
    expect(long.status).toBe(400);
    expect(long.body.error.fields).toEqual([
      { field: 'note', message: `La note ne doit pas dépasser ${DECISION_NOTE_MAX} caractères.` },
    ]);
    const notObject = await decide(['classer']);
    expect(notObject.status).toBe(400);
    expect((await decide({ decision: 'classer', note: 'é'.repeat(DECISION_NOTE_MAX) })).status).toBe(200);
    // Only the valid one was applied.
    expect(await auditOf('moderation-classer')).toHaveLength(1);
    expect((await reportRows())[0]!.decision_note).toHaveLength(DECISION_NOTE_MAX);
  });
});
