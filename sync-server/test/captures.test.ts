import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CandidateApplication } from '../../shared/domain/application';
import { newEvaluation, withNote, withRating } from '../../shared/domain/evaluation';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import type { EvaluationDoc } from '../../shared/schemas/evaluation.schema';
import type { NoticeDoc } from '../../shared/schemas/notice.schema';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { hashPassword } from '../src/auth/password';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { linkCapturesToAccount } from '../src/domain/capture-service';
import { sha256Hex } from '../src/files/file-types';
import { pendingFileRefs } from '../src/files/routes';
import { makePdf, sampleJpeg } from '../src/files/sample-files';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Fair captures from the workstation (issue 6): created offline by members of the organisation,
 * never refused as duplicates but flagged, a follow-up e-mail once per capture, merged with the
 * recruiter's confirmation; the CV photo or PDF may arrive after the capture.
 */

type Row = ApplicationDoc & { _deleted: boolean };

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const TRANSPORTS = DEMO_ORGANISATIONS.transports.id;
const R1 = DEMO_ACCOUNTS[0].id;
const CONSENT =
  'J’accepte que mes données soient transmises au recruteur et conservées pour le traitement de ma candidature.';

let server: TestServer;
const tokens: Record<string, string> = {};
let colleagueId = '';
let bakeryOffers: string[] = [];
let transportOffers: string[] = [];

const url = (path: string) => `${server.url}${path}`;

async function addMember(email: string, organisationId: string, firstName: string, lastName: string) {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
     values ($1, $2, $3, 'recruiter', $4, $5, 'Recruteur')`,
    [id, email, await hashPassword(DEMO_PASSWORD), firstName, lastName],
  );
  await server.db.query(
    "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')",
    [id, organisationId],
  );
  return { id, token: await server.login(email) };
}

async function offersOf(organisationId: string): Promise<string[]> {
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and doc->>'organisationId' = $1 and doc->>'status' = 'publiee'
      order by doc->>'number'`,
    [organisationId],
  );
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  for (const who of ['recruteur1', 'recruteur2', 'candidat'])
    tokens[who] = await server.login(`${who}@demo.test`);
  const m = await addMember('collegue@boulangerie.test', BAKERY, 'Paul', 'Lefèvre');
  tokens.collegue = m.token;
  colleagueId = m.id;
  bakeryOffers = await offersOf(BAKERY);
  transportOffers = await offersOf(TRANSPORTS);
  expect(bakeryOffers.length).toBeGreaterThan(1);
});

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

function capture(patch: Partial<ApplicationDoc> = {}, applicant: Partial<ApplicationDoc['applicant']> = {}) {
  const id = randomUUID();
  const at = minutesAgo(30);
  const doc: ApplicationDoc = {
    id,
    organisationId: BAKERY,
    offerId: bakeryOffers[0]!,
    captureId: id,
    applicant: {
      firstName: 'Marie-Hélène',
      lastName: 'Dupont',
      email: 'mh.dupont@exemple.test',
      phone: '06 98 76 54 32',
      jobSought: 'Vendeuse en boulangerie',
      consent: { at, text: CONSENT },
      ...applicant,
    },
    status: 'nouvelle',
    source: 'salon',
    history: [],
    createdAt: at,
    updatedAt: at,
    ...patch,
  };
  return doc;
}

async function push(token: string, rows: { assumedMasterState: Row | null; newDocumentState: Row }[]) {
  const res = await api<Row[]>(url('/api/sync/applications/v0/push'), { token, body: rows });
  expect(res.status).toBe(200);
  return res.body;
}
const live = (doc: ApplicationDoc): Row => ({ ...doc, _deleted: false });
const create = (token: string, doc: ApplicationDoc) =>
  push(token, [{ assumedMasterState: null, newDocumentState: live(doc) }]);

async function stored(id: string): Promise<ApplicationDoc | undefined> {
  const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
    'select doc from applications where id = $1 and not deleted',
    [id],
  );
  return rows[0]?.doc;
}

async function pullAll(token: string): Promise<Map<string, Row>> {
  await settle(server.db);
  const docs = new Map<string, Row>();
  let checkpoint: SyncCheckpoint | null = null;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams({ batchSize: '100' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await api<PullResponse<Row>>(url(`/api/sync/applications/v0/pull?${q}`), { token });
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set(d.id, d);
    checkpoint = res.body.checkpoint;
  }
  return docs;
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

describe('capturing a walk-in candidate from the workstation', () => {
  it('writes the capture with server-owned fields; the organisation pulls it, another does not', async () => {
    const photo = sampleJpeg();
    const sha = sha256Hex(photo);
    const doc = capture({
      cvFile: sha,
      // Server-owned: whatever the workstation says is replaced.
      capturedBy: colleagueId,
      capturedByName: 'Quelqu’un d’autre',
      duplicateOf: randomUUID(),
      duplicateReasons: ['email'],
      mergedInto: randomUUID(),
      followUpAt: minutesAgo(60),
      candidateId: randomUUID(),
      cvId: randomUUID(),
      history: [{ at: minutesAgo(99), to: 'embauchee', by: colleagueId }],
      createdAt: new Date(Date.now() + 3 * 24 * 3600_000).toISOString(),
    });
    expect(await create(tokens.recruteur1!, doc)).toEqual([]);
    const saved = (await stored(doc.id))!;
    expect(saved).toMatchObject({
      status: 'nouvelle',
      source: 'salon',
      captureId: doc.id,
      capturedBy: R1,
      capturedByName: 'Claire Martin',
      applicant: { firstName: 'Marie-Hélène', lastName: 'Dupont', jobSought: 'Vendeuse en boulangerie' },
      cvFile: sha,
    });
    expect(saved.applicant?.consent?.text).toBe(CONSENT);
    for (const field of ['duplicateOf', 'duplicateReasons', 'mergedInto', 'candidateId', 'cvId'] as const)
      expect(saved[field], field).toBeUndefined();
    expect(saved.history).toEqual([{ at: saved.createdAt, to: 'nouvelle', by: R1, byName: 'Claire Martin' }]);
    // A date in the future is clamped to now + 1 minute.
    expect(Date.parse(saved.createdAt)).toBeLessThanOrEqual(Date.now() + 60_000);
    const { rows: offer } = await server.db.query<{ title: string }>(
      "select doc->>'title' as title from offers where id = $1",
      [bakeryOffers[0]],
    );
    expect(saved.offer?.title).toBe(offer[0]!.title);

    // The capture syncs before its photo: the reference is pending until the upload.
    expect(await pendingFileRefs(server.db, 'applications', doc.id)).toEqual([sha]);
    const put = await fetch(url(`/api/files/${sha}?purpose=photo`), {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.recruteur1}`, 'content-type': 'application/octet-stream' },
      body: photo,
    });
    expect(put.status).toBe(201);
    expect(await pendingFileRefs(server.db, 'applications', doc.id)).toEqual([]);
    // A colleague may download it; another organisation may not.
    const byColleague = await fetch(url(`/api/files/${sha}`), {
      headers: { authorization: `Bearer ${tokens.collegue}` },
    });
    expect(byColleague.status).toBe(200);
    const byOther = await fetch(url(`/api/files/${sha}`), {
      headers: { authorization: `Bearer ${tokens.recruteur2}` },
    });
    expect(byOther.status).toBe(404);

    expect((await pullAll(tokens.collegue!)).get(doc.id)).toMatchObject({ capturedBy: R1, _deleted: false });
    expect((await pullAll(tokens.recruteur2!)).has(doc.id)).toBe(false);
  });

  it('lets any member capture, and accepts a PDF CV as the capture’s file', async () => {
    const pdf = makePdf();
    const doc = capture({ cvFile: sha256Hex(pdf), source: 'session' }, { email: undefined });
    expect(await create(tokens.collegue!, doc)).toEqual([]);
    expect(await stored(doc.id)).toMatchObject({ capturedBy: colleagueId, capturedByName: 'Paul Lefèvre' });
    const put = await fetch(url(`/api/files/${sha256Hex(pdf)}?purpose=cv`), {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.collegue}`, 'content-type': 'application/octet-stream' },
      body: pdf,
    });
    expect(put.status).toBe(201);
  });

  it('takes a CV given later to a capture without one; never replaces a CV, nor touches an online application', async () => {
    const doc = capture();
    expect(await create(tokens.recruteur1!, doc)).toEqual([]);
    const master = await stored(doc.id);
    const pdf = makePdf();
    const sha = sha256Hex(pdf);
    // Dropped on the applicant, with a status change in the same push: both apply.
    expect(
      await push(tokens.recruteur1!, [
        {
          assumedMasterState: live(master!),
          newDocumentState: live({ ...master!, cvFile: sha, status: 'a_l_etude' }),
        },
      ]),
    ).toEqual([]);
    const withCv = await stored(doc.id);
    expect(withCv).toMatchObject({ cvFile: sha, status: 'a_l_etude' });
    // Referenced by the application (its upload may follow: the file is awaited).
    expect(await pendingFileRefs(server.db, 'applications', doc.id)).toEqual([sha]);
    // A second CV does not replace the first: refused with the master state and a notice.
    const other = sha256Hex(Buffer.concat([makePdf(), Buffer.from('% autre CV\n')]));
    const [answer] = await push(tokens.recruteur1!, [
      { assumedMasterState: live(withCv!), newDocumentState: live({ ...withCv!, cvFile: other }) },
    ]);
    expect(answer).toMatchObject({ cvFile: sha });
    expect((await stored(doc.id))?.cvFile).toBe(sha);
    const notices = await noticesOf(DEMO_ACCOUNTS[0].id);
    expect(notices.some((n) => n.message?.includes('a déjà un CV joint'))).toBe(true);
    // Leaving the field out changes nothing.
    const { cvFile: _cv, ...withoutCv } = withCv!;
    expect(
      await push(tokens.recruteur1!, [
        {
          assumedMasterState: live(withCv!),
          newDocumentState: live({ ...withoutCv, status: 'entretien' } as ApplicationDoc),
        },
      ]),
    ).toEqual([]);
    expect(await stored(doc.id)).toMatchObject({ cvFile: sha, status: 'entretien' });

    // An application sent from the portal keeps the candidate's documents.
    const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
      `select doc from applications where doc->>'organisationId' = $1 and doc->>'source' = 'portail'
          and doc->>'cvFile' is null and not deleted limit 1`,
      [BAKERY],
    );
    const online = rows[0]!.doc;
    const [refused] = await push(tokens.recruteur1!, [
      { assumedMasterState: live(online), newDocumentState: live({ ...online, cvFile: sha }) },
    ]);
    expect(refused?.cvFile).toBeUndefined();
    expect((await stored(online.id))?.cvFile).toBeUndefined();
  });

  it('refuses a capture without consent, or without any way to reach the person, naming the fields', async () => {
    const noConsent = capture({}, { consent: undefined, email: undefined, phone: undefined, firstName: ' ' });
    const answer = await create(tokens.recruteur1!, noConsent);
    expect(answer).toHaveLength(1);
    expect(answer[0]).toMatchObject({ id: noConsent.id, _deleted: true });
    expect(await stored(noConsent.id)).toBeUndefined();
    const notice = (await noticesOf(R1)).find((n) => n.documentId === noConsent.id)!;
    expect(notice.title).toBe('Saisie refusée');
    expect(notice.fields?.map((f) => f.field).sort()).toEqual(
      ['applicant.consent', 'applicant.email', 'applicant.firstName', 'applicant.phone'].sort(),
    );
    expect(notice.fields?.find((f) => f.field === 'applicant.consent')?.message).toMatch(/consentement/);

    const badPhone = capture({}, { phone: '06 12', email: 'pas-une-adresse' });
    await create(tokens.recruteur1!, badPhone);
    const n2 = (await noticesOf(R1)).find((n) => n.documentId === badPhone.id)!;
    expect(n2.fields?.map((f) => f.field).sort()).toEqual(['applicant.email', 'applicant.phone']);

    // Only fair or session captures are created from the workstation.
    const online = capture({ source: 'portail' });
    await create(tokens.recruteur1!, online);
    expect(await stored(online.id)).toBeUndefined();
    expect((await noticesOf(R1)).find((n) => n.documentId === online.id)?.fields?.[0]?.field).toBe('source');
    // Triaged before its first sync: written as captured, then moved by the usual rules.
    const hired = capture({ status: 'embauchee' });
    await create(tokens.recruteur1!, hired);
    const storedHired = await stored(hired.id);
    expect(storedHired?.status).toBe('embauchee');
    expect(storedHired?.history.map((h) => h.to)).toEqual(['nouvelle', 'embauchee']);
    // A move the rules refuse never costs the capture: kept as « nouvelle », with a notice.
    const refused = capture({ status: 'refusee' });
    await create(tokens.recruteur1!, refused);
    expect((await stored(refused.id))?.status).toBe('nouvelle');
    const n3 = (await noticesOf(R1)).find((n) => n.documentId === refused.id);
    expect(n3?.message).toMatch(/saisie est enregistrée/);
    expect(n3?.fields?.[0]?.field).toBe('refusalReason');
  });

  it('refuses an offer of another organisation, and an organisation the user is not a member of', async () => {
    const foreignOffer = capture({ offerId: transportOffers[0]! });
    expect(await create(tokens.recruteur1!, foreignOffer)).toMatchObject([{ _deleted: true }]);
    const n1 = (await noticesOf(R1)).find((n) => n.documentId === foreignOffer.id)!;
    expect(n1.fields).toEqual([{ field: 'offerId', message: expect.stringMatching(/Boulangeries Martin/) }]);

    const foreignOrg = capture({ organisationId: TRANSPORTS, offerId: transportOffers[0]! });
    await create(tokens.recruteur1!, foreignOrg);
    expect(await stored(foreignOrg.id)).toBeUndefined();
    expect((await noticesOf(R1)).find((n) => n.documentId === foreignOrg.id)?.fields?.[0]?.field).toBe(
      'organisationId',
    );

    const unknownOffer = capture({ offerId: randomUUID() });
    await create(tokens.recruteur1!, unknownOffer);
    expect((await noticesOf(R1)).find((n) => n.documentId === unknownOffer.id)?.fields?.[0]?.field).toBe(
      'offerId',
    );
  });
});

describe('duplicates: flagged, never refused', () => {
  it('accepts two colleagues’ offline captures of the same person and flags the second (+33 / 06, inverted names)', async () => {
    const first = capture({}, { email: undefined, phone: '06 98 76 54 32' });
    const second = capture(
      { createdAt: minutesAgo(20) },
      { firstName: 'DUPONT', lastName: 'Marie Hélène', email: undefined, phone: '+33 6 98 76 54 32' },
    );
    expect(await create(tokens.recruteur1!, first)).toEqual([]);
    expect(await create(tokens.collegue!, second)).toEqual([]);
    expect((await stored(first.id))!.duplicateOf).toBeUndefined();
    expect(await stored(second.id)).toMatchObject({
      duplicateOf: first.id,
      duplicateReasons: ['phone', 'name'],
      status: 'nouvelle',
    });
    // A third person with another name and number is not flagged.
    const other = capture(
      {},
      { firstName: 'Jean', lastName: 'Petit', email: 'jean.petit@exemple.test', phone: '0700000000' },
    );
    expect(await create(tokens.collegue!, other)).toEqual([]);
    expect((await stored(other.id))!.duplicateReasons).toBeUndefined();
  });

  it('flags a capture of someone who applied online (same e-mail, any offer of the organisation)', async () => {
    const { rows } = await server.db.query<{ id: string; email: string; offer: string }>(
      `select id, doc->'applicant'->>'email' as email, doc->>'offerId' as offer from applications
        where not deleted and doc->>'organisationId' = $1 and doc->'applicant'->>'email' is not null limit 1`,
      [BAKERY],
    );
    const online = rows[0]!;
    const otherOffer = bakeryOffers.find((o) => o !== online.offer)!;
    const doc = capture(
      { offerId: otherOffer },
      { firstName: 'Tom', lastName: 'G.', email: online.email.toUpperCase(), phone: undefined },
    );
    expect(await create(tokens.recruteur1!, doc)).toEqual([]);
    expect(await stored(doc.id)).toMatchObject({ duplicateOf: online.id, duplicateReasons: ['email'] });
    // The same capture's application to another offer is never its own duplicate.
    const sibling = capture({ captureId: doc.id, offerId: online.offer }, { ...doc.applicant });
    expect(await create(tokens.recruteur1!, sibling)).toEqual([]);
    expect((await stored(sibling.id))!.duplicateOf).toBe(online.id);
  });

  it('lists the look-alikes of an application for the merge dialog', async () => {
    const first = capture({}, { email: undefined });
    const second = capture({}, { firstName: 'Dupont', lastName: 'Marie-Helene', email: undefined });
    await create(tokens.recruteur1!, first);
    await create(tokens.recruteur1!, second);
    const res = await api<{ duplicates: { id: string; reasons: string[]; firstName: string }[] }>(
      url(`/api/triage/applications/${second.id}/duplicates`),
      { token: tokens.recruteur1! },
    );
    expect(res.status).toBe(200);
    expect(res.body.duplicates[0]).toMatchObject({ id: first.id, reasons: ['phone', 'name'] });
    expect(
      (await api(url(`/api/triage/applications/${second.id}/duplicates`), { token: tokens.recruteur2! }))
        .status,
    ).toBe(404);
  });
});

describe('the follow-up e-mail', () => {
  it('is queued once per capture, with a link to the portal’s sign-up page prefilled', async () => {
    const email = 'lea.martin@exemple.test';
    const a = capture({}, { firstName: 'Léa', lastName: 'Martin', email });
    const b = capture({ captureId: a.id, offerId: bakeryOffers[1]! }, { ...a.applicant });
    expect(await create(tokens.recruteur1!, a)).toEqual([]);
    // A retried push changes nothing; the same capture's second offer sends nothing more.
    await create(tokens.recruteur1!, a);
    expect(await create(tokens.recruteur1!, b)).toEqual([]);
    const mails = await outbox(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Boulangeries Martin');
    expect(mails[0]!.body_text).toContain('Bonjour Léa');
    expect(mails[0]!.body_text).toContain(
      `${server.url}/inscription?email=${encodeURIComponent(email)}&prenom=L%C3%A9a&nom=Martin`,
    );
    const docA = (await stored(a.id))!;
    expect(docA.followUpAt).toBeDefined();
    expect((await stored(b.id))!.followUpAt).toBe(docA.followUpAt);
    // Another capture (another colleague, another day) is another follow-up.
    const c = capture({}, { firstName: 'Léa', lastName: 'Martin', email });
    await create(tokens.collegue!, c);
    expect(await outbox(email)).toHaveLength(2);
    // Without an e-mail, nothing is sent.
    const noMail = capture({}, { email: undefined });
    await create(tokens.recruteur1!, noMail);
    expect((await stored(noMail.id))!.followUpAt).toBeUndefined();
  });

  it('links the capture of a person who already has an account, which then shows in « Mes candidatures »', async () => {
    const doc = capture({}, { firstName: 'Thomas', lastName: 'Garcia', email: 'candidat@demo.test' });
    expect(await create(tokens.recruteur1!, doc)).toEqual([]);
    const { rows } = await server.db.query<{ id: string }>(
      "select id::text as id from accounts where email = 'candidat@demo.test'",
    );
    expect((await stored(doc.id))!.candidateId).toBe(rows[0]!.id);
    const mine = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token: tokens.candidat!,
    });
    expect(mine.body.applications.find((x) => x.id === doc.id)).toMatchObject({
      source: 'salon',
      status: 'nouvelle',
    });
    const mails = await outbox('candidat@demo.test');
    expect(mails.at(-1)!.body_text).toContain(`${server.url}/mes-candidatures`);
  });

  it('links earlier captures when the person confirms an account with that e-mail', async () => {
    const email = 'nouvelle.personne@exemple.test';
    const doc = capture({}, { email });
    await create(tokens.recruteur1!, doc);
    expect((await stored(doc.id))!.candidateId).toBeUndefined();
    const id = randomUUID();
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
       values ($1, $2, $3, 'candidate', 'Marie', 'Dupont', now())`,
      [id, email, await hashPassword(DEMO_PASSWORD)],
    );
    const linked = await server.db.transaction((tx) =>
      linkCapturesToAccount(tx, server.app.engine, id, email.toUpperCase()),
    );
    expect(linked).toBe(1);
    const list = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token: await server.login(email),
    });
    expect(list.body.applications.map((x) => x.id)).toEqual([doc.id]);
  });
});

describe('merging a capture into another application', () => {
  it('archives the capture and completes the target in one push; refuses the impossible merges', async () => {
    const pdf = makePdf();
    // A: the e-mail and a CV; B, captured later by a colleague: the phone, flagged as A's duplicate.
    const a = capture({ cvFile: sha256Hex(pdf) }, { phone: undefined, jobSought: undefined });
    const b = capture({}, { email: undefined, firstName: 'Marie Hélène', lastName: 'DUPONT' });
    await create(tokens.recruteur1!, a);
    await create(tokens.collegue!, b);
    expect(await stored(b.id)).toMatchObject({ duplicateOf: a.id, duplicateReasons: ['name'] });

    // Claire Martin rated both at the fair: her two evaluations become one on B.
    const now = new Date();
    const onA = withRating(
      withNote(
        newEvaluation({
          authorId: R1,
          authorName: 'x',
          organisationId: BAKERY,
          subjectKind: 'application',
          subjectId: a.id,
          now,
        }),
        'Vue au stand le matin',
        randomUUID(),
        now,
      ),
      5,
      now,
    );
    const onB = withNote(
      newEvaluation({
        authorId: R1,
        authorName: 'x',
        organisationId: BAKERY,
        subjectKind: 'application',
        subjectId: b.id,
        now,
      }),
      'Repassée l’après-midi',
      randomUUID(),
      now,
    );
    for (const e of [onA, onB]) {
      const r = await api(url('/api/sync/evaluations/v0/push'), {
        token: tokens.recruteur1!,
        body: [{ assumedMasterState: null, newDocumentState: { ...e, _deleted: false } }],
      });
      expect(r.body).toEqual([]);
    }

    const replica = await pullAll(tokens.recruteur1!);
    const masterA = replica.get(a.id)!;
    // The recruiter confirms: A (the capture) goes into B.
    expect(
      await push(tokens.recruteur1!, [
        { assumedMasterState: masterA, newDocumentState: { ...masterA, mergedInto: b.id } },
      ]),
    ).toEqual([]);
    const mergedA = (await stored(a.id))!;
    expect(mergedA).toMatchObject({ status: 'archivee', mergedInto: b.id });
    expect(mergedA.history.at(-1)).toMatchObject({ from: 'nouvelle', to: 'archivee', by: R1 });
    const target = (await stored(b.id))!;
    expect(target.applicant).toMatchObject({
      email: 'mh.dupont@exemple.test',
      phone: '06 98 76 54 32',
      jobSought: 'Vendeuse en boulangerie',
    });
    expect(target.cvFile).toBe(sha256Hex(pdf));
    expect(target.duplicateOf).toBeUndefined();
    expect(target.duplicateReasons).toBeUndefined();
    const { rows: evals } = await server.db.query<{ id: string; deleted: boolean; doc: EvaluationDoc }>(
      'select id, deleted, doc from evaluations where id = any($1::text[])',
      [[onA.id, onB.id]],
    );
    const movedEval = evals.find((e) => e.id === onB.id)!;
    expect(movedEval.deleted).toBe(false);
    expect(movedEval.doc.rating).toBe(5);
    expect(movedEval.doc.notes.map((n) => n.text).sort()).toEqual([
      'Repassée l’après-midi',
      'Vue au stand le matin',
    ]);
    expect(evals.find((e) => e.id === onA.id)!.deleted).toBe(true);
    // Both reach the replicas.
    const after = await pullAll(tokens.collegue!);
    expect(after.get(a.id)).toMatchObject({ mergedInto: b.id, status: 'archivee' });
    expect(after.get(b.id)?.applicant?.email).toBe('mh.dupont@exemple.test');

    // Not twice, not into itself, not into another organisation's application.
    const again = (await pullAll(tokens.recruteur1!)).get(a.id)!;
    await push(tokens.recruteur1!, [
      { assumedMasterState: again, newDocumentState: { ...again, mergedInto: randomUUID() } },
    ]);
    expect((await stored(a.id))!.mergedInto).toBe(b.id);
    const c = capture();
    await create(tokens.recruteur1!, c);
    const masterC = (await pullAll(tokens.recruteur1!)).get(c.id)!;
    await push(tokens.recruteur1!, [
      { assumedMasterState: masterC, newDocumentState: { ...masterC, mergedInto: c.id } },
    ]);
    const foreign = capture({ organisationId: TRANSPORTS, offerId: transportOffers[0]! });
    expect(await create(tokens.recruteur2!, foreign)).toEqual([]);
    await push(tokens.recruteur1!, [
      { assumedMasterState: masterC, newDocumentState: { ...masterC, mergedInto: foreign.id } },
    ]);
    expect((await stored(c.id))!).toMatchObject({ status: 'nouvelle' });
    expect((await stored(c.id))!.mergedInto).toBeUndefined();
    const refusals = (await noticesOf(R1)).filter((n) => n.documentId === c.id || n.documentId === a.id);
    expect(refusals.map((n) => n.title)).toEqual(['Fusion refusée', 'Fusion refusée', 'Fusion refusée']);
    expect(refusals.every((n) => n.fields?.[0]?.field === 'mergedInto')).toBe(true);
  });
  it('applies a change pushed with the merge in one batch on top of the merged application', async () => {
    const a = capture({}, { phone: undefined });
    const b = capture({}, { email: undefined });
    await create(tokens.recruteur1!, a);
    await create(tokens.recruteur1!, b);
    const replica = await pullAll(tokens.recruteur1!);
    const masterA = replica.get(a.id)!;
    const masterB = replica.get(b.id)!;
    expect(
      await push(tokens.recruteur1!, [
        { assumedMasterState: masterA, newDocumentState: { ...masterA, mergedInto: b.id } },
        { assumedMasterState: masterB, newDocumentState: { ...masterB, status: 'a_l_etude' } },
      ]),
    ).toEqual([]);
    expect(await stored(b.id)).toMatchObject({
      status: 'a_l_etude',
      applicant: { email: 'mh.dupont@exemple.test', phone: '06 98 76 54 32' },
    });
    expect(await stored(a.id)).toMatchObject({ status: 'archivee', mergedInto: b.id });
  });
});
