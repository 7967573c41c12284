import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CandidateApplication } from '../../shared/domain/application';
import {
  evaluationIdFor,
  newEvaluation,
  withNote,
  withRating,
  withTag,
} from '../../shared/domain/evaluation';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import type { EvaluationDoc } from '../../shared/schemas/evaluation.schema';
import type { NoticeDoc } from '../../shared/schemas/notice.schema';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { hashPassword } from '../src/auth/password';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { makePdf } from '../src/files/sample-files';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Applicant triage on the server (issue 6): evaluations per author, the refusal (reason, whether
 * the candidate sees it, message; e-mail and portal), status changes that lost a race shown as
 * « modifiée entre-temps » with both versions, and the RGPD erasure of evaluations.
 */

type Live<T> = T & { _deleted: boolean };
type AppRow = Live<ApplicationDoc>;
type EvalRow = Live<EvaluationDoc>;

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const TRANSPORTS = DEMO_ORGANISATIONS.transports.id;
const R1 = DEMO_ACCOUNTS[0].id;
const R2 = DEMO_ACCOUNTS[1].id;

let server: TestServer;
const tokens: Record<string, string> = {};
let colleagueId = '';
let bakeryOffers: string[] = [];

const url = (path: string) => `${server.url}${path}`;

async function addMember(email: string, organisationId: string, role: 'admin' | 'member') {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
     values ($1, $2, $3, 'recruiter', 'Paul', 'Lefèvre', 'Recruteur')`,
    [id, email, await hashPassword(DEMO_PASSWORD)],
  );
  await server.db.query('insert into memberships (account_id, organisation_id, role) values ($1, $2, $3)', [
    id,
    organisationId,
    role,
  ]);
  return { id, token: await server.login(email) };
}

/** A confirmed candidate account, signed in. */
async function newCandidate() {
  const id = randomUUID();
  const email = `candidat-${id.slice(0, 8)}@exemple.test`;
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     values ($1, $2, $3, 'candidate', 'Léa', 'Durand', now())`,
    [id, email, await hashPassword(DEMO_PASSWORD)],
  );
  return { id, email, token: await server.login(email) };
}

/** The candidate applies on the portal to a bakery offer with a PDF CV; returns the application id. */
async function applyOnline(token: string, offerId = bakeryOffers[0]!): Promise<string> {
  const upload = await fetch(url('/api/candidate/files?purpose=cv'), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: makePdf(),
  });
  const file = ((await upload.json()) as { sha256: string }).sha256;
  const res = await api<{ application: { id: string } }>(url('/api/candidate/applications'), {
    token,
    body: { offerId, file },
  });
  expect(res.status).toBe(201);
  return res.body.application.id;
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2']) tokens[who] = await server.login(`${who}@demo.test`);
  const m = await addMember('collegue@boulangerie.test', BAKERY, 'admin');
  tokens.collegue = m.token;
  colleagueId = m.id;
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' = 'publiee'
       and coalesce(doc->>'applicationMode', 'portail') = 'portail' order by doc->>'number'`,
    [BAKERY],
  );
  bakeryOffers = rows.map((r) => r.id);
});

async function pullAll<T>(
  collection: string,
  token: string,
  from: SyncCheckpoint | null = null,
): Promise<{ docs: Map<string, Live<T>>; checkpoint: SyncCheckpoint | null }> {
  await settle(server.db);
  const docs = new Map<string, Live<T>>();
  let checkpoint = from;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams({ batchSize: '100' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await api<PullResponse<Live<T>>>(url(`/api/sync/${collection}/v0/pull?${q}`), { token });
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set((d as unknown as { id: string }).id, d);
    checkpoint = res.body.checkpoint;
  }
  return { docs, checkpoint };
}

async function push<T>(
  collection: string,
  token: string,
  rows: { assumedMasterState: T | null; newDocumentState: T }[],
) {
  const res = await api<T[]>(url(`/api/sync/${collection}/v0/push`), { token, body: rows });
  expect(res.status).toBe(200);
  return res.body;
}

async function noticesOf(userId: string): Promise<NoticeDoc[]> {
  const { rows } = await server.db.query<{ doc: NoticeDoc }>(
    "select doc from notices where doc->>'userId' = $1 and not deleted order by seq",
    [userId],
  );
  return rows.map((r) => r.doc);
}

async function outbox(to: string) {
  const { rows } = await server.db.query<{ subject: string; body_text: string }>(
    'select subject, body_text from email_outbox where lower(to_address) = lower($1) order by id',
    [to],
  );
  return rows;
}

async function storedEvaluation(id: string) {
  const { rows } = await server.db.query<{ doc: EvaluationDoc; deleted: boolean }>(
    'select doc, deleted from evaluations where id = $1',
    [id],
  );
  return rows[0];
}

const live = <T>(doc: T): Live<T> => ({ ...doc, _deleted: false });

function evaluation(authorId: string, subjectId: string, patch: Partial<EvaluationDoc> = {}): EvaluationDoc {
  const now = new Date(Date.now() - 60_000);
  let e = newEvaluation({
    authorId,
    authorName: 'Nom inventé',
    organisationId: BAKERY,
    subjectKind: 'application',
    subjectId,
    offerId: randomUUID(),
    now,
  });
  e = withRating(e, 4, now);
  e = withNote(e, 'Très motivée, disponible tout de suite.', randomUUID(), now);
  e = withTag(e, 'salon', now);
  return { ...e, ...patch };
}

describe('evaluations, one per author', () => {
  it('is written by its author (name and offer from the server), seen by colleagues, not by another organisation', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const mine = evaluation(R1, appId);
    expect(
      await push('evaluations', tokens.recruteur1!, [
        { assumedMasterState: null, newDocumentState: live(mine) },
      ]),
    ).toEqual([]);
    const saved = (await storedEvaluation(mine.id))!.doc;
    expect(saved).toMatchObject({
      authorId: R1,
      authorName: 'Claire Martin',
      offerId: bakeryOffers[0],
      rating: 4,
      tags: ['salon'],
    });
    expect(saved.notes.map((n) => n.text)).toEqual(['Très motivée, disponible tout de suite.']);

    // A colleague's own evaluation of the same applicant is another document: nobody overwrites anybody.
    const theirs = evaluation(colleagueId, appId, { rating: 2 });
    expect(theirs.id).not.toBe(mine.id);
    expect(
      await push('evaluations', tokens.collegue!, [
        { assumedMasterState: null, newDocumentState: live(theirs) },
      ]),
    ).toEqual([]);
    const seen = (await pullAll<EvaluationDoc>('evaluations', tokens.collegue!)).docs;
    expect(seen.get(mine.id)).toMatchObject({ authorName: 'Claire Martin', rating: 4, _deleted: false });
    expect(seen.get(theirs.id)).toMatchObject({ authorName: 'Paul Lefèvre', rating: 2 });
    const other = (await pullAll<EvaluationDoc>('evaluations', tokens.recruteur2!)).docs;
    expect(other.has(mine.id)).toBe(false);
    expect(other.has(theirs.id)).toBe(false);

    // The author changes it (dates from the future are clamped), then deletes it.
    const master = seen.get(mine.id)! as EvalRow;
    const later = {
      ...master,
      rating: 5,
      ratedAt: '2099-01-01T00:00:00.000Z',
      updatedAt: '2099-01-01T00:00:00.000Z',
    };
    expect(
      await push('evaluations', tokens.recruteur1!, [
        { assumedMasterState: master, newDocumentState: later },
      ]),
    ).toEqual([]);
    const changed = (await storedEvaluation(mine.id))!.doc;
    expect(changed.rating).toBe(5);
    expect(Date.parse(changed.ratedAt!)).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(Date.parse(changed.updatedAt)).toBeLessThanOrEqual(Date.now() + 60_000);
    const current = (await pullAll<EvaluationDoc>('evaluations', tokens.recruteur1!)).docs.get(mine.id)!;
    expect(
      await push('evaluations', tokens.recruteur1!, [
        { assumedMasterState: current, newDocumentState: { ...current, _deleted: true } },
      ]),
    ).toEqual([]);
    expect((await storedEvaluation(mine.id))!.deleted).toBe(true);
  });

  it('refuses another author’s id, a colleague’s changes, and an application of another organisation', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    // The colleague writes in Claire Martin's name.
    const forged = evaluation(R1, appId);
    const answer = await push('evaluations', tokens.collegue!, [
      { assumedMasterState: null, newDocumentState: live(forged) },
    ]);
    expect(answer).toMatchObject([{ id: forged.id, _deleted: true }]);
    expect(await storedEvaluation(forged.id)).toBeUndefined();
    const n1 = (await noticesOf(colleagueId)).find((n) => n.documentId === forged.id)!;
    expect(n1).toMatchObject({ kind: 'refus', title: 'Évaluation refusée' });
    expect(n1.fields?.[0]?.field).toBe('authorId');

    // A colleague may not change or delete Claire Martin's evaluation, even claiming to be her.
    const mine = evaluation(R1, appId);
    await push('evaluations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(mine) },
    ]);
    const master = (await pullAll<EvaluationDoc>('evaluations', tokens.collegue!)).docs.get(mine.id)!;
    await push('evaluations', tokens.collegue!, [
      { assumedMasterState: master, newDocumentState: { ...master, rating: 1 } },
    ]);
    await push('evaluations', tokens.collegue!, [
      { assumedMasterState: master, newDocumentState: { ...master, _deleted: true } },
    ]);
    expect((await storedEvaluation(mine.id))!).toMatchObject({ deleted: false, doc: { rating: 4 } });

    // The transport company's recruiter cannot evaluate the bakery's applicant.
    const foreign = evaluation(R2, appId, { organisationId: TRANSPORTS });
    await push('evaluations', tokens.recruteur2!, [
      { assumedMasterState: null, newDocumentState: live(foreign) },
    ]);
    expect(await storedEvaluation(foreign.id)).toBeUndefined();
    expect((await noticesOf(R2)).find((n) => n.documentId === foreign.id)?.fields?.[0]?.field).toBe(
      'subjectId',
    );
    // Nor in the bakery's name.
    const claimed = evaluation(R2, appId);
    await push('evaluations', tokens.recruteur2!, [
      { assumedMasterState: null, newDocumentState: live(claimed) },
    ]);
    // (The same author and subject: the same id as above; its latest notice.)
    expect((await noticesOf(R2)).filter((n) => n.documentId === claimed.id).at(-1)?.fields?.[0]?.field).toBe(
      'organisationId',
    );
    // An id that is not derived from the author and the subject.
    const wrongId = { ...evaluation(R1, appId), id: evaluationIdFor(R1, randomUUID()) };
    await push('evaluations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(wrongId) },
    ]);
    expect((await noticesOf(R1)).find((n) => n.documentId === wrongId.id)?.fields?.[0]?.field).toBe('id');
  });
  it('evaluates a CV of the CVthèque in the name of one of the user’s organisations (no offer)', async () => {
    const { rows } = await server.db.query<{ id: string }>(
      'select id from cvs where not deleted order by id limit 1',
    );
    const cvId = rows[0]!.id;
    const e = { ...evaluation(R1, cvId), subjectKind: 'cv' as const };
    expect(
      await push('evaluations', tokens.recruteur1!, [
        { assumedMasterState: null, newDocumentState: live(e) },
      ]),
    ).toEqual([]);
    const saved = (await storedEvaluation(e.id))!.doc;
    expect(saved).toMatchObject({ subjectKind: 'cv', subjectId: cvId, organisationId: BAKERY });
    expect(saved.offerId).toBeUndefined();
    // An unknown CV is refused on the subject.
    const ghost = { ...evaluation(R1, randomUUID()), subjectKind: 'cv' as const };
    await push('evaluations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(ghost) },
    ]);
    expect(await storedEvaluation(ghost.id)).toBeUndefined();
    expect((await noticesOf(R1)).find((n) => n.documentId === ghost.id)?.fields?.[0]?.field).toBe(
      'subjectId',
    );
  });
});

describe('refusing an application', () => {
  it('requires a reason; sends one e-mail with the visible reason and the message; the portal shows them', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const master = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      appId,
    )! as AppRow;

    // Without a reason: refused, on the field.
    await push('applications', tokens.recruteur1!, [
      { assumedMasterState: master, newDocumentState: { ...master, status: 'refusee' } },
    ]);
    const n = (await noticesOf(R1)).find((x) => x.documentId === appId)!;
    expect(n.fields?.[0]?.field).toBe('refusalReason');
    expect(n.fields?.[0]?.message).toMatch(/motif/);

    const before = (await outbox(c.email)).length;
    const refused = {
      ...master,
      status: 'refusee' as const,
      refusalReason: 'competences',
      refusalVisible: true,
      refusalMessage: 'Merci pour votre candidature ; nous gardons votre CV pour un prochain poste.',
    };
    expect(
      await push('applications', tokens.recruteur1!, [
        { assumedMasterState: master, newDocumentState: refused },
      ]),
    ).toEqual([]);
    // A retried push (the same row again) is answered with the master and sends nothing more.
    await push('applications', tokens.recruteur1!, [
      { assumedMasterState: master, newDocumentState: refused },
    ]);
    const mails = (await outbox(c.email)).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toContain('n’a pas été retenue');
    expect(mails[0]!.body_text).toContain('Motif : Compétences insuffisantes pour le poste');
    expect(mails[0]!.body_text).toContain('nous gardons votre CV');

    const list = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token: c.token,
    });
    expect(list.body.applications.find((a) => a.id === appId)).toMatchObject({
      status: 'refusee' as const,
      statusLabel: 'Non retenue',
      refusal: {
        reason: 'Compétences insuffisantes pour le poste',
        message: 'Merci pour votre candidature ; nous gardons votre CV pour un prochain poste.',
      },
    });
  });

  it('keeps a hidden reason from the candidate (e-mail and portal) and still sends the message', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const master = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      appId,
    )! as AppRow;
    const refused = {
      ...master,
      status: 'refusee' as const,
      refusalReason: 'Profil trop éloigné du poste',
      refusalVisible: false,
      refusalMessage: 'Bonne continuation.',
    };
    expect(
      await push('applications', tokens.recruteur1!, [
        { assumedMasterState: master, newDocumentState: refused },
      ]),
    ).toEqual([]);
    const mail = (await outbox(c.email)).at(-1)!;
    expect(mail.body_text).toContain('Bonne continuation.');
    expect(mail.body_text).not.toContain('Profil trop éloigné');
    const list = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token: c.token,
    });
    const shown = list.body.applications.find((a) => a.id === appId)!;
    expect(shown.refusal).toEqual({ message: 'Bonne continuation.' });
    expect(JSON.stringify(shown)).not.toContain('Profil trop éloigné');
    // The recruiters keep the reason.
    const doc = (await pullAll<ApplicationDoc>('applications', tokens.collegue!)).docs.get(appId)!;
    expect(doc).toMatchObject({ refusalReason: 'Profil trop éloigné du poste', refusalVisible: false });
  });
});

describe('status changes that lost a race', () => {
  it('re-applies a change still valid on the new master, and refuses the others as « modifiée entre-temps »', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const seenByR1 = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      appId,
    )! as AppRow;

    // Offline, the colleague hires; Claire Martin wanted an interview. The colleague syncs first.
    expect(
      await push('applications', tokens.collegue!, [
        { assumedMasterState: seenByR1, newDocumentState: { ...seenByR1, status: 'embauchee' } },
      ]),
    ).toEqual([]);
    const mine = { ...seenByR1, status: 'entretien', updatedAt: new Date().toISOString() };
    const conflict = await push('applications', tokens.recruteur1!, [
      { assumedMasterState: seenByR1, newDocumentState: mine },
    ]);
    expect(conflict).toMatchObject([{ id: appId, status: 'embauchee' }]);
    // The workstation re-applies her change on top of the master, as its conflict handler does.
    const newMaster = conflict[0]! as AppRow;
    const answer = await push('applications', tokens.recruteur1!, [
      { assumedMasterState: newMaster, newDocumentState: { ...newMaster, status: 'entretien' } },
    ]);
    expect(answer).toMatchObject([{ status: 'embauchee' }]);
    const notice = (await noticesOf(R1)).filter((x) => x.documentId === appId).at(-1)!;
    expect(notice.title).toBe('Candidature modifiée entre-temps');
    expect(notice.message).toMatch(
      /^Vous vouliez la passer à « Entretien » ; entre-temps, Paul Lefèvre l’a passée à « Embauchée » le \d\d\/\d\d à \d\d:\d\d\./,
    );
    expect(notice.message).toContain('Léa Durand');

    // Still valid on the new master: re-applied on top of it.
    const c2 = await newCandidate();
    const app2 = await applyOnline(c2.token);
    const seen2 = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      app2,
    )! as AppRow;
    await push('applications', tokens.collegue!, [
      { assumedMasterState: seen2, newDocumentState: { ...seen2, status: 'a_l_etude' } },
    ]);
    const [master2] = await push('applications', tokens.recruteur1!, [
      { assumedMasterState: seen2, newDocumentState: { ...seen2, status: 'entretien' } },
    ]);
    expect(
      await push('applications', tokens.recruteur1!, [
        { assumedMasterState: master2!, newDocumentState: { ...master2!, status: 'entretien' } },
      ]),
    ).toEqual([]);
    const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
      'select doc from applications where id = $1',
      [app2],
    );
    expect(rows[0]!.doc.history.map((h) => [h.to, h.by])).toEqual([
      ['nouvelle', c2.id],
      ['a_l_etude', colleagueId],
      ['entretien', R1],
    ]);
  });

  it('keeps the hour a move was made offline, within bounds, so the workstation has nothing to write back', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const seen = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      appId,
    )! as AppRow;
    const stored = async () =>
      (await server.db.query<{ doc: ApplicationDoc }>('select doc from applications where id = $1', [appId]))
        .rows[0]!.doc;
    // As the workstation writes a move: its own history entry and updatedAt, at the keypress.
    const offlineMove = (base: AppRow, to: ApplicationDoc['status'], at: string): AppRow => ({
      ...base,
      status: to,
      updatedAt: at,
      history: [...base.history, { at, from: base.status, to, by: R1, byName: 'Claire Martin' }],
    });
    const justAfter = new Date(Math.max(Date.parse(seen.updatedAt), Date.parse(seen.history.at(-1)!.at)) + 1);
    const mine = offlineMove(seen, 'a_l_etude', justAfter.toISOString());
    expect(
      await push('applications', tokens.recruteur1!, [{ assumedMasterState: seen, newDocumentState: mine }]),
    ).toEqual([]);
    const { _deleted, ...pushed } = mine;
    expect(await stored()).toEqual(pushed);

    // A time in the future, or before the application's last change, is not believed: now instead.
    const afterFirst = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      appId,
    )! as AppRow;
    const future = offlineMove(afterFirst, 'entretien', new Date(Date.now() + 3_600_000).toISOString());
    const t0 = Date.now();
    expect(
      await push('applications', tokens.recruteur1!, [
        { assumedMasterState: afterFirst, newDocumentState: future },
      ]),
    ).toEqual([]);
    const second = (await stored()).history.at(-1)!;
    expect(second.to).toBe('entretien');
    expect(Date.parse(second.at)).toBeGreaterThanOrEqual(t0 - 1000);
    expect(Date.parse(second.at)).toBeLessThanOrEqual(Date.now());

    const afterSecond = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      appId,
    )! as AppRow;
    const backdated = offlineMove(afterSecond, 'preselectionnee', justAfter.toISOString());
    const t1 = Date.now();
    await push('applications', tokens.recruteur1!, [
      { assumedMasterState: afterSecond, newDocumentState: backdated },
    ]);
    const third = (await stored()).history.at(-1)!;
    expect(third.to).toBe('preselectionnee');
    expect(Date.parse(third.at)).toBeGreaterThanOrEqual(t1 - 1000);
    // Another user's entry is never taken as this user's time.
    expect((await stored()).history.map((h) => h.by)).toEqual([c.id, R1, R1, R1]);
  });

  it('refuses a plain invalid move without speaking of a race', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const master = (await pullAll<ApplicationDoc>('applications', tokens.recruteur1!)).docs.get(
      appId,
    )! as AppRow;
    await push('applications', tokens.recruteur1!, [
      {
        assumedMasterState: master,
        newDocumentState: { ...master, status: 'retiree', updatedAt: new Date().toISOString() },
      },
    ]);
    const notice = (await noticesOf(R1)).filter((x) => x.documentId === appId).at(-1)!;
    expect(notice.title).toBe('Changement de statut refusé');
  });
});

describe('undoing one’s own last move after it was synced', () => {
  it('moves back where the user took it from, withdraws an unsent refusal e-mail, and only for its author', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const pullApp = async (token: string) =>
      (await pullAll<ApplicationDoc>('applications', token)).docs.get(appId)! as AppRow;
    let master = await pullApp(tokens.recruteur1!);
    await push('applications', tokens.recruteur1!, [
      { assumedMasterState: master, newDocumentState: { ...master, status: 'a_l_etude' } },
    ]);
    master = await pullApp(tokens.recruteur1!);
    // « à l'étude » → « nouvelle » is not in the table, but undoes her own move.
    expect(
      await push('applications', tokens.recruteur1!, [
        { assumedMasterState: master, newDocumentState: { ...master, status: 'nouvelle' } },
      ]),
    ).toEqual([]);
    master = await pullApp(tokens.recruteur1!);
    expect(master.status).toBe('nouvelle');
    expect(master.history.map((h) => h.to)).toEqual(['nouvelle', 'a_l_etude', 'nouvelle']);

    // A refusal taken back before its e-mail left: the e-mail is withdrawn.
    const before = (await outbox(c.email)).length;
    await push('applications', tokens.recruteur1!, [
      {
        assumedMasterState: master,
        newDocumentState: { ...master, status: 'refusee', refusalReason: 'experience', refusalVisible: true },
      },
    ]);
    expect(await outbox(c.email)).toHaveLength(before + 1);
    master = await pullApp(tokens.recruteur1!);
    expect(
      await push('applications', tokens.recruteur1!, [
        { assumedMasterState: master, newDocumentState: { ...master, status: 'nouvelle' } },
      ]),
    ).toEqual([]);
    expect(await outbox(c.email)).toHaveLength(before);
    master = await pullApp(tokens.recruteur1!);
    expect(master.refusalReason).toBeUndefined();
    expect(master.refusalVisible).toBeUndefined();

    // Someone else cannot take back Claire Martin's move.
    await push('applications', tokens.recruteur1!, [
      { assumedMasterState: master, newDocumentState: { ...master, status: 'a_l_etude' } },
    ]);
    master = await pullApp(tokens.collegue!);
    await push('applications', tokens.collegue!, [
      { assumedMasterState: master, newDocumentState: { ...master, status: 'nouvelle' } },
    ]);
    expect((await pullApp(tokens.collegue!)).status).toBe('a_l_etude');
  });
});

describe('RGPD', () => {
  it('the candidate’s erasure removes the evaluations of their applications from every replica', async () => {
    const c = await newCandidate();
    const appId = await applyOnline(c.token);
    const note = 'Note confidentielle sur Léa Durand';
    const e1 = evaluation(R1, appId, {});
    const e2 = evaluation(colleagueId, appId);
    const withSecret = withNote(e1, note, randomUUID(), new Date());
    await push('evaluations', tokens.recruteur1!, [
      { assumedMasterState: null, newDocumentState: live(withSecret) },
    ]);
    await push('evaluations', tokens.collegue!, [{ assumedMasterState: null, newDocumentState: live(e2) }]);
    const before = await pullAll<EvaluationDoc>('evaluations', tokens.collegue!);
    expect(before.docs.get(e1.id)?.notes.some((n) => n.text === note)).toBe(true);

    const res = await api(url('/api/candidate/account'), {
      token: c.token,
      method: 'DELETE',
      body: { password: DEMO_PASSWORD },
    });
    expect(res.status).toBe(204);
    const after = await pullAll<EvaluationDoc>('evaluations', tokens.collegue!, before.checkpoint);
    for (const id of [e1.id, e2.id]) {
      expect(after.docs.get(id)).toMatchObject({ _deleted: true, notes: [], tags: [], authorName: '' });
    }
    const { rows } = await server.db.query<{ doc: unknown; deleted: boolean }>(
      'select doc, deleted from evaluations where id = any($1::text[])',
      [[e1.id, e2.id]],
    );
    expect(rows.every((r) => r.deleted)).toBe(true);
    expect(JSON.stringify(rows)).not.toContain('confidentielle');
    expect(JSON.stringify(rows)).not.toContain(appId);
  });
});
