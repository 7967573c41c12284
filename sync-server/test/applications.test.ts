import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type {
  CandidateApplication,
  FollowedApplication,
  OfferSelection,
} from '../../shared/domain/application';
import type { ApplicationDoc } from '../../shared/schemas/application.schema';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { hashPassword } from '../src/auth/password';
import { APPLICATION_DATA } from '../src/candidate/personal-data/applications';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { DEMO_COMPANY_IDS } from '../src/db/seed-demo-companies';
import { applicationsCollection } from '../src/domain/applications';
import { offersCollection } from '../src/domain/offers';
import { makePdf, sampleJpeg } from '../src/files/sample-files';
import type { Doc } from '../src/sync/types';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Applications on the portal (seeds 000, 002, 004; DESIGN §4, §6): with and without an account,
 * spontaneous, proposals, the transitions table, « Mes candidatures », « Mes sélections », the
 * recruiters' replicas and the RGPD erasure.
 */

type Row = ApplicationDoc & { _deleted: boolean };
type Json = Record<string, unknown>;

let server: TestServer;
const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;

const url = (path: string) => `${server.url}${path}`;

interface Offers {
  /** Published, online application, of the bakery (recruteur1). */
  bakery: string[];
  /** Published, online application, of the transport company (recruteur2). */
  transport: string[];
  contact: string;
  draft: string;
  expired: string;
}
let offers: Offers;

async function offersWhere(where: string, params: unknown[] = []): Promise<string[]> {
  const { rows } = await server.db.query<{ id: string }>(
    `select id from offers where not deleted and ${where} order by doc->>'number'`,
    params,
  );
  return rows.map((r) => r.id);
}

/** A candidate account (e-mail confirmed unless told), signed in. */
async function newCandidate(options: { confirmed?: boolean } = {}) {
  const id = randomUUID();
  const email = `candidat-${id.slice(0, 8)}@exemple.test`;
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     values ($1, $2, $3, 'candidate', 'Léa', 'Durand', $4)`,
    [id, email, await hashPassword(DEMO_PASSWORD), options.confirmed === false ? null : new Date()],
  );
  return { id, email, token: await server.login(email) };
}

async function uploadCv(token: string, purpose: 'cv' | 'letter' = 'cv'): Promise<string> {
  const pdf = makePdf();
  const res = await fetch(url(`/api/candidate/files?purpose=${purpose}`), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: pdf,
  });
  expect(res.status).toBeLessThan(300);
  return ((await res.json()) as { sha256: string }).sha256;
}

async function uploadPublic(bytes: Buffer<ArrayBuffer>, purpose = 'cv') {
  const res = await fetch(url(`/api/public/application-files?purpose=${purpose}`), {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const apply = (token: string, body: Json) => api<Json>(url('/api/candidate/applications'), { token, body });

async function appDoc(id: string): Promise<ApplicationDoc> {
  const { rows } = await server.db.query<{ doc: ApplicationDoc }>(
    'select doc from applications where id = $1',
    [id],
  );
  return rows[0]!.doc;
}

async function outbox(to: string) {
  const { rows } = await server.db.query<{ subject: string; body_text: string }>(
    'select subject, body_text from email_outbox where lower(to_address) = lower($1) order by id',
    [to],
  );
  return rows;
}

async function pullAll(token: string): Promise<Map<string, Row>> {
  await settle(server.db);
  const docs = new Map<string, Row>();
  let checkpoint: SyncCheckpoint | null = null;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams({ batchSize: '50' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await api<PullResponse<Row>>(url(`/api/sync/applications/v0/pull?${q}`), { token });
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set(d.id, d);
    checkpoint = res.body.checkpoint;
  }
  return docs;
}

async function setOfferStatus(id: string, status: string) {
  await server.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ doc: Doc }>('select doc from offers where id = $1', [id]);
    await server.app.engine.write(tx, offersCollection, { ...rows[0]!.doc, status }, false);
  });
}

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

beforeEach(async () => {
  await server.reset();
  await server.db.query("update accounts set email_confirmed_at = now() where kind = 'candidate'");
  const portail = "doc->>'status' = 'publiee' and coalesce(doc->>'applicationMode', 'portail') = 'portail'";
  offers = {
    bakery: await offersWhere(`${portail} and doc->>'organisationId' = $1`, [BAKERY]),
    transport: await offersWhere(`${portail} and doc->>'organisationId' = $1`, [
      DEMO_ORGANISATIONS.transports.id,
    ]),
    contact: (await offersWhere("doc->>'status' = 'publiee' and doc->>'applicationMode' = 'contact'"))[0]!,
    draft: (await offersWhere("doc->>'status' = 'brouillon'"))[0]!,
    expired: (await offersWhere("doc->>'status' = 'expiree'"))[0]!,
  };
  // Offers the demo candidate has not applied to yet.
  const applied = new Set(
    (await server.db.query<{ o: string }>("select doc->>'offerId' as o from applications")).rows.map(
      (r) => r.o,
    ),
  );
  offers.bakery = offers.bakery.filter((o) => !applied.has(o));
  offers.transport = offers.transport.filter((o) => !applied.has(o));
  expect(offers.bakery.length).toBeGreaterThanOrEqual(2);
  expect(offers.transport.length).toBeGreaterThanOrEqual(1);
});

describe('applying with an account (seed 002 « télécandidature »)', () => {
  it('writes an application with the applicant, the file, the history, and e-mails the candidate', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const letterFile = await uploadCv(c.token, 'letter');
    const res = await apply(c.token, {
      offerId: offers.bakery[0],
      file,
      letterFile,
      message: '  Disponible dès lundi.  ',
    });
    expect(res.status).toBe(201);
    const id = (res.body.application as { id: string }).id;
    const doc = await appDoc(id);
    expect(doc).toMatchObject({
      offerId: offers.bakery[0],
      organisationId: BAKERY,
      candidateId: c.id,
      status: 'nouvelle',
      source: 'portail',
      cvFile: file,
      letterFile,
      message: 'Disponible dès lundi.',
      applicant: { firstName: 'Léa', lastName: 'Durand', email: c.email },
    });
    expect(doc.offer?.title).toMatch(/\S/);
    expect(doc.offer?.number).toMatch(/\S/);
    expect(doc.history).toEqual([expect.objectContaining({ to: 'nouvelle', by: c.id })]);
    const { rows } = await server.db.query(
      'select 1 from file_refs where collection = $1 and doc_id = $2 and sha256 = $3',
      ['applications', id, file],
    );
    expect(rows).toHaveLength(1);
    const mails = await outbox(c.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.body_text).toContain('/mes-candidatures');

    const list = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token: c.token,
    });
    expect(list.body.applications).toHaveLength(1);
    expect(list.body.applications[0]).toMatchObject({
      id,
      status: 'nouvelle',
      statusLabel: 'Envoyée',
      offerState: 'en_ligne',
      canWithdraw: true,
      canAnswer: false,
    });
  });

  it('refuses a second active application to the same offer, and accepts one after a withdrawal', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const first = await apply(c.token, { offerId: offers.bakery[0], file });
    expect(first.status).toBe(201);
    const second = await apply(c.token, { offerId: offers.bakery[0], file });
    expect(second.status).toBe(409);
    const error = (second.body as { error: { message: string } }).error;
    expect(error.message).toMatch(/Vous avez déjà postulé à cette offre le \d{1,2} \S+ \d{4}/);

    const id = (first.body.application as { id: string }).id;
    const withdrawn = await api<{ application: CandidateApplication }>(
      url(`/api/candidate/applications/${id}/withdraw`),
      { token: c.token, body: { reason: 'J’ai trouvé un poste.' } },
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.application).toMatchObject({
      status: 'retiree',
      statusLabel: 'Retirée',
      canWithdraw: false,
    });
    const doc = await appDoc(id);
    expect(doc.withdrawalReason).toBe('J’ai trouvé un poste.');
    expect(doc.history?.at(-1)).toMatchObject({ from: 'nouvelle', to: 'retiree', by: c.id });
    // The offer's author is told, without the candidate's name.
    const notices = await server.db.query<{ doc: { title: string; message: string } }>(
      "select doc from notices where doc->>'documentId' = $1 and doc->>'userId' = (select doc->>'authorId' from offers where id = $2)",
      [id, offers.bakery[0]],
    );
    expect(notices.rows.map((r) => r.doc.title)).toEqual(['Candidature retirée']);
    expect(notices.rows[0]!.doc.message).not.toContain('Durand');

    const again = await apply(c.token, { offerId: offers.bakery[0], file });
    expect(again.status).toBe(201);
    // Withdrawing twice is refused with the status named.
    const twice = await api<Json>(url(`/api/candidate/applications/${id}/withdraw`), {
      token: c.token,
      body: {},
    });
    expect(twice.status).toBe(409);
    expect(JSON.stringify(twice.body)).toContain('Retirée');
  });

  it('keeps one row when the same application is sent twice at once', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const results = await Promise.all(
      Array.from({ length: 4 }, () => apply(c.token, { offerId: offers.bakery[1], file })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const { rows } = await server.db.query<{ n: number }>(
      "select count(*)::int as n from applications where doc->>'candidateId' = $1 and not deleted",
      [c.id],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('enforces the uniqueness in the database too (partial unique index)', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const res = await apply(c.token, { offerId: offers.bakery[0], file });
    const doc = await appDoc((res.body.application as { id: string }).id);
    await expect(
      server.db.transaction((tx) =>
        server.app.engine.write(
          tx,
          applicationsCollection,
          { ...doc, id: randomUUID() } as unknown as Doc,
          false,
        ),
      ),
    ).rejects.toThrow();
  });

  it('refuses offers that are not online, in contact mode, or unknown, with a French message', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const draft = await apply(c.token, { offerId: offers.draft, file });
    expect(draft.status).toBe(404);
    const expired = await apply(c.token, { offerId: offers.expired, file });
    expect(expired.status).toBe(410);
    expect(JSON.stringify(expired.body)).toContain('plus en ligne');
    const contact = await apply(c.token, { offerId: offers.contact, file });
    expect(contact.status).toBe(409);
    expect(JSON.stringify(contact.body)).toContain('contacté directement');
    expect((await apply(c.token, { offerId: randomUUID(), file })).status).toBe(404);
    expect((await apply(c.token, { offerId: 'pas un id', file })).status).toBe(404);
    const { rows } = await server.db.query("select 1 from applications where doc->>'candidateId' = $1", [
      c.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('validates the body: CV required, message length and type, files of this candidate only', async () => {
    const c = await newCandidate();
    const noCv = await apply(c.token, { offerId: offers.bakery[0] });
    expect(noCv.status).toBe(400);
    expect(noCv.body).toMatchObject({ error: { fields: [{ field: 'cvId' }] } });
    const other = await newCandidate();
    const othersFile = await uploadCv(other.token);
    const stolen = await apply(c.token, { offerId: offers.bakery[0], file: othersFile });
    expect(stolen.status).toBe(400);
    expect(stolen.body).toMatchObject({ error: { fields: [{ field: 'file' }] } });
    const file = await uploadCv(c.token);
    const long = await apply(c.token, { offerId: offers.bakery[0], file, message: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ error: { fields: [{ field: 'message' }] } });
    const typed = await apply(c.token, { offerId: offers.bakery[0], file, message: 42 });
    expect(typed.status).toBe(400);
    const both = await apply(c.token, {
      offerId: offers.bakery[0],
      companyId: DEMO_COMPANY_IDS.boulangerie,
      file,
    });
    expect(both.status).toBe(400);
    expect((await api(url('/api/candidate/applications'), { token: c.token, rawBody: '[1,2]' })).status).toBe(
      400,
    );
  });

  it('sends a copy of a chosen CV, or a folder with its cover letter and video (seed 004 « dossiers »)', async () => {
    const c = await newCandidate();
    const created = await api<{ id: string }>(url('/api/candidate/cvs'), { token: c.token, body: {} });
    expect(created.status).toBe(201);
    const cvId = created.body.id;
    const saved = await api(url(`/api/candidate/cvs/${cvId}`), {
      method: 'PUT',
      token: c.token,
      body: { title: 'Boulanger confirmé', summary: 'Dix ans de fournil.' },
    });
    expect(saved.status).toBe(200);
    const withCv = await apply(c.token, { offerId: offers.bakery[0], cvId, message: 'Bonjour' });
    expect(withCv.status).toBe(201);
    const doc = await appDoc((withCv.body.application as { id: string }).id);
    expect(doc.cvId).toBe(cvId);
    expect(doc.cv).toMatchObject({ title: 'Boulanger confirmé', summary: 'Dix ans de fournil.' });
    // Later edits of the CV do not change what was sent.
    await api(url(`/api/candidate/cvs/${cvId}`), {
      method: 'PUT',
      token: c.token,
      body: { title: 'Autre titre' },
    });
    expect((await appDoc(doc.id)).cv?.title).toBe('Boulanger confirmé');

    const folder = await api<{ id: string }>(url('/api/candidate/folders'), {
      token: c.token,
      body: {
        name: 'Boulangerie',
        cvId,
        cvFile: null,
        letterText: 'Madame, Monsieur, je souhaite rejoindre votre équipe.',
        letterFile: null,
        videoUrl: 'https://www.youtube.com/watch?v=abcdefghijk',
      },
    });
    expect(folder.status).toBe(201);
    const withFolder = await apply(c.token, { offerId: offers.bakery[1], folderId: folder.body.id });
    expect(withFolder.status).toBe(201);
    const fdoc = await appDoc((withFolder.body.application as { id: string }).id);
    expect(fdoc).toMatchObject({
      folderId: folder.body.id,
      cvId,
      videoUrl: 'https://www.youtube.com/watch?v=abcdefghijk',
    });
    expect(fdoc.message).toContain('je souhaite rejoindre votre équipe');
    const unknown = await apply(c.token, { offerId: offers.transport[0], folderId: randomUUID() });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { fields: [{ field: 'folderId' }] } });
    const othersCv = await apply((await newCandidate()).token, { offerId: offers.transport[0], cvId });
    expect(othersCv.status).toBe(400);
    expect(othersCv.body).toMatchObject({ error: { fields: [{ field: 'cvId' }] } });
  });

  it('refuses before the e-mail is confirmed, and recruiters or anonymous callers', async () => {
    const c = await newCandidate({ confirmed: false });
    const file = await uploadCv(c.token);
    const res = await apply(c.token, { offerId: offers.bakery[0], file });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('Confirmez d’abord votre adresse e-mail');
    const recruiter = await server.login('recruteur1@demo.test');
    expect((await apply(recruiter, { offerId: offers.bakery[0], file })).status).toBe(403);
    expect(
      (await api(url('/api/candidate/applications'), { body: { offerId: offers.bakery[0] } })).status,
    ).toBe(401);
  });
});

describe('spontaneous applications (seeds 003, 004)', () => {
  it('applies to a published company profile and to one of its fiches de poste, once each', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const { rows } = await server.db.query<{
      id: string;
      org: string;
      jobs: { id: string; published: boolean }[];
    }>(
      `select id, doc->>'organisationId' as org, doc->'jobs' as jobs from companies
        where not deleted and doc->>'published' = 'true'
          and exists (select 1 from jsonb_array_elements(doc->'jobs') j where j->>'published' = 'true')
        limit 1`,
    );
    const company = rows[0]!;
    const job = company.jobs.find((j) => j.published)!;
    const general = await apply(c.token, { companyId: company.id, file, message: 'Candidature spontanée.' });
    expect(general.status).toBe(201);
    const onJob = await apply(c.token, { companyId: company.id, jobId: job.id, file });
    expect(onJob.status).toBe(201);
    const doc = await appDoc((onJob.body.application as { id: string }).id);
    expect(doc).toMatchObject({
      companyId: company.id,
      jobId: job.id,
      source: 'spontanee',
      organisationId: company.org,
    });
    expect(doc.offerId).toBeUndefined();
    expect((await apply(c.token, { companyId: company.id, file })).status).toBe(409);
    expect((await apply(c.token, { companyId: company.id, jobId: randomUUID(), file })).status).toBe(404);
  });

  it('refuses an unpublished company profile', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const { rows } = await server.db.query<{ id: string }>(
      "select id from companies where not deleted and doc->>'published' = 'false' limit 1",
    );
    expect(rows).toHaveLength(1);
    const res = await apply(c.token, { companyId: rows[0]!.id, file });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { fields: [{ field: 'companyId' }] } });
  });
});

describe('applying without an account (seed 004)', () => {
  const person = {
    civility: 'madame',
    firstName: 'Inès',
    lastName: 'Benoît',
    email: 'ines.benoit@exemple.test',
    phone: '06 11 22 33 44',
    message: 'Bonjour, je suis disponible.',
    consent: true,
  };

  it('uploads the CV, applies, e-mails a follow link that shows and withdraws the application', async () => {
    const up = await uploadPublic(makePdf());
    expect(up.status).toBe(201);
    const file = up.body.sha256 as string;
    const res = await api<Json>(url('/api/public/applications'), {
      body: { ...person, offerId: offers.bakery[0], file },
    });
    expect(res.status).toBe(201);
    const id = (res.body.application as { id: string }).id;
    const doc = await appDoc(id);
    expect(doc.candidateId).toBeUndefined();
    expect(doc.applicant).toMatchObject({ civility: 'madame', email: person.email, phone: person.phone });
    expect(doc.applicant?.consent?.text).toContain('J’accepte');
    expect(doc.cvFile).toBe(file);

    const mails = await outbox(person.email);
    expect(mails).toHaveLength(1);
    const token = /suivi-candidature\?jeton=([A-Za-z0-9_-]+)/.exec(mails[0]!.body_text)?.[1];
    expect(token).toBeTruthy();
    // Only the hash of the token is stored.
    const stored = await server.db.query('select 1 from application_follow_tokens where token_hash = $1', [
      token,
    ]);
    expect(stored.rows).toHaveLength(0);

    const follow = await api<{ application: FollowedApplication }>(
      url(`/api/public/applications/follow?token=${token}`),
    );
    expect(follow.status).toBe(200);
    expect(follow.body.application).toMatchObject({
      id,
      status: 'nouvelle',
      statusLabel: 'Envoyée',
      canWithdraw: true,
    });
    expect(JSON.stringify(follow.body)).not.toContain(person.email);

    const dup = await api<Json>(url('/api/public/applications'), {
      body: { ...person, email: 'INES.benoit@exemple.test', offerId: offers.bakery[0], file },
    });
    expect(dup.status).toBe(409);

    const withdrawn = await api<{ application: FollowedApplication }>(
      url('/api/public/applications/withdraw'),
      {
        body: { token },
      },
    );
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.application).toMatchObject({ status: 'retiree', canWithdraw: false });
    const again = await api<Json>(url('/api/public/applications'), {
      body: { ...person, offerId: offers.bakery[0], file },
    });
    expect(again.status).toBe(201);

    expect((await api(url('/api/public/applications/follow?token=inconnu-inconnu-inconnu-123'))).status).toBe(
      404,
    );
    expect((await api(url('/api/public/applications/follow?token=x'))).status).toBe(400);
  });

  it('names every field at fault and writes nothing', async () => {
    const res = await api<{ error: { fields: { field: string }[] } }>(url('/api/public/applications'), {
      body: {
        offerId: offers.bakery[0],
        civility: 'docteur',
        firstName: '',
        email: 'pas-un-email',
        phone: 'abc',
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.map((f) => f.field).sort()).toEqual(
      ['civility', 'consent', 'email', 'file', 'firstName', 'lastName', 'phone'].sort(),
    );
    // A file sent through the signed-in route is not usable without an account.
    const c = await newCandidate();
    const own = await uploadCv(c.token);
    const stolen = await api<Json>(url('/api/public/applications'), {
      body: { ...person, offerId: offers.bakery[0], file: own },
    });
    expect(stolen.status).toBe(400);
    const { rows } = await server.db.query(
      "select 1 from applications where doc->'applicant'->>'email' = $1",
      [person.email],
    );
    expect(rows).toHaveLength(0);
  });

  it('checks uploads by content and limits them per address', async () => {
    // An image is not a CV, whatever its name.
    const image = await uploadPublic(sampleJpeg());
    expect(image.status).toBe(415);
    expect(image.body).toMatchObject({ error: { fields: [{ field: 'file' }] } });
    const bad = await fetch(url('/api/public/application-files'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(415);
    let last = 0;
    for (let i = 0; i < 25 && last !== 429; i++) last = (await uploadPublic(makePdf())).status;
    expect(last).toBe(429);
  });
});

describe('proposals and the transitions table', () => {
  async function propose(candidateId: string, offerId: string): Promise<string> {
    const id = randomUUID();
    const now = new Date().toISOString();
    await server.db.transaction((tx) =>
      server.app.engine.write(
        tx,
        applicationsCollection,
        {
          id,
          organisationId: BAKERY,
          offerId,
          offer: { title: 'Offre proposée', companyName: 'Boulangerie' },
          candidateId,
          applicant: { firstName: 'Léa', lastName: 'Durand' },
          status: 'proposee',
          source: 'proposition',
          history: [{ at: now, to: 'proposee', by: DEMO_ACCOUNTS[0].id, byName: 'Claire Martin' }],
          createdAt: now,
          updatedAt: now,
        } as Doc,
        false,
      ),
    );
    return id;
  }

  it('lets the candidate accept a proposal (it becomes an application) or decline it', async () => {
    const c = await newCandidate();
    const a = await propose(c.id, offers.bakery[0]!);
    const b = await propose(c.id, offers.bakery[1]!);
    const list = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token: c.token,
    });
    expect(list.body.applications.find((x) => x.id === a)).toMatchObject({
      statusLabel: 'Proposition reçue',
      canAnswer: true,
      canWithdraw: false,
    });
    // A pending proposal blocks a second application to the same offer.
    const file = await uploadCv(c.token);
    const dup = await apply(c.token, { offerId: offers.bakery[0], file });
    expect(dup.status).toBe(409);
    expect(JSON.stringify(dup.body)).toContain('proposition');

    const accepted = await api<{ application: CandidateApplication }>(
      url(`/api/candidate/applications/${a}/accept`),
      {
        token: c.token,
        body: {},
      },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.application).toMatchObject({ status: 'nouvelle', canWithdraw: true });
    const declined = await api<{ application: CandidateApplication }>(
      url(`/api/candidate/applications/${b}/decline`),
      { token: c.token, body: {} },
    );
    expect(declined.body.application).toMatchObject({
      status: 'declinee',
      statusLabel: 'Proposition déclinée',
    });
    expect((await appDoc(b)).history?.map((h) => h.to)).toEqual(['proposee', 'declinee']);
    // Answered once only; a proposal is declined, not withdrawn.
    expect(
      (await api(url(`/api/candidate/applications/${b}/accept`), { token: c.token, body: {} })).status,
    ).toBe(409);
    const c2 = await propose(c.id, offers.transport[0]!);
    expect(
      (await api(url(`/api/candidate/applications/${c2}/withdraw`), { token: c.token, body: {} })).status,
    ).toBe(409);
    // Nobody else answers for the candidate.
    const other = await newCandidate();
    expect(
      (await api(url(`/api/candidate/applications/${c2}/accept`), { token: other.token, body: {} })).status,
    ).toBe(404);
  });

  it('lets the recruiter move an application along the table through a push, and refuses other moves', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const res = await apply(c.token, { offerId: offers.bakery[0], file });
    const id = (res.body.application as { id: string }).id;
    const recruiter = await server.login('recruteur1@demo.test');
    const docs = await pullAll(recruiter);
    const master = docs.get(id)!;
    expect(master.status).toBe('nouvelle');

    const push = (assumed: Row, status: string, extra: Record<string, unknown> = {}) =>
      api<Row[]>(url('/api/sync/applications/v0/push'), {
        token: recruiter,
        body: [{ assumedMasterState: assumed, newDocumentState: { ...assumed, status, ...extra } }],
      });
    // Only the candidate withdraws.
    const refused = await push(master, 'retiree');
    expect(refused.status).toBe(200);
    expect(refused.body[0]?.status).toBe('nouvelle');
    expect((await appDoc(id)).status).toBe('nouvelle');

    // A refusal comes with its reason (issue 6).
    const noReason = await push(master, 'refusee');
    expect(noReason.body[0]?.status).toBe('nouvelle');
    const ok = await push(master, 'refusee', {
      refusalReason: 'Expérience insuffisante',
      refusalVisible: false,
    });
    expect(ok.body).toEqual([]);
    const after = await appDoc(id);
    expect(after.status).toBe('refusee');
    expect(after.history?.at(-1)).toMatchObject({ from: 'nouvelle', to: 'refusee', by: DEMO_ACCOUNTS[0].id });

    // Not after a decision: the candidate cannot withdraw a refused application.
    const late = await api<Json>(url(`/api/candidate/applications/${id}/withdraw`), {
      token: c.token,
      body: {},
    });
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.body)).toContain('Non retenue');
    const list = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token: c.token,
    });
    expect(list.body.applications[0]).toMatchObject({ statusLabel: 'Non retenue', canWithdraw: false });
  });
});

describe('recruiters’ replicas (DESIGN §6)', () => {
  it('the organisation of the offer pulls the application; another organisation does not', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const res = await apply(c.token, { offerId: offers.bakery[0], file, message: 'Bonjour' });
    const id = (res.body.application as { id: string }).id;
    const mine = await pullAll(await server.login('recruteur1@demo.test'));
    expect(mine.get(id)).toMatchObject({ status: 'nouvelle', applicant: { email: c.email }, cvFile: file });
    const theirs = await pullAll(await server.login('recruteur2@demo.test'));
    expect(theirs.has(id)).toBe(false);
    // The bakery's recruiter may download the CV file; the other organisation may not.
    const dl1 = await fetch(url(`/api/files/${file}`), {
      headers: { authorization: `Bearer ${await server.login('recruteur1@demo.test')}` },
    });
    expect(dl1.status).toBe(200);
    const dl2 = await fetch(url(`/api/files/${file}`), {
      headers: { authorization: `Bearer ${await server.login('recruteur2@demo.test')}` },
    });
    expect(dl2.status).toBe(404);
  });
});

describe('« Mes candidatures » and « Mes sélections »', () => {
  it('shows the demo candidate’s two applications and the offer even after it expires', async () => {
    const token = await server.login('candidat@demo.test');
    const list = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token,
    });
    expect(list.body.applications.map((a) => a.status).sort()).toEqual(['entretien', 'nouvelle']);
    const target = list.body.applications[0]!;
    await setOfferStatus(target.offerId!, 'expiree');
    const after = await api<{ applications: CandidateApplication[] }>(url('/api/candidate/applications'), {
      token,
    });
    const same = after.body.applications.find((a) => a.id === target.id)!;
    expect(same.offerState).toBe('expiree');
    expect(same.offer.title).toBe(target.offer.title);
  });

  it('adds offers, shows filled or withdrawn ones as such, and removes several at once', async () => {
    const c = await newCandidate();
    const [a, b] = offers.bakery;
    const t = offers.transport[0]!;
    for (const offerId of [a, b, t, a])
      expect(
        (await api(url('/api/candidate/selections'), { token: c.token, body: { offerId } })).status,
      ).toBe(201);
    expect(
      (await api(url('/api/candidate/selections'), { token: c.token, body: { offerId: offers.draft } }))
        .status,
    ).toBe(404);
    expect((await api(url('/api/candidate/selections'), { token: c.token, body: {} })).status).toBe(400);
    await setOfferStatus(b!, 'pourvue');
    await server.db.query('update offers set deleted = true where id = $1', [t]);
    const list = await api<{ selections: OfferSelection[] }>(url('/api/candidate/selections'), {
      token: c.token,
    });
    expect(list.body.selections).toHaveLength(3);
    const state = Object.fromEntries(list.body.selections.map((s) => [s.offerId, s.offerState]));
    expect(state).toEqual({ [a!]: 'en_ligne', [b!]: 'pourvue', [t]: 'retiree' });
    expect(list.body.selections.find((s) => s.offerId === t)?.offer.title).toMatch(/\S/);

    const removed = await api<{ removed: number; selections: OfferSelection[] }>(
      url('/api/candidate/selections'),
      {
        method: 'DELETE',
        token: c.token,
        body: { offerIds: [a, t] },
      },
    );
    expect(removed.status).toBe(200);
    expect(removed.body.removed).toBe(2);
    expect(removed.body.selections.map((s) => s.offerId)).toEqual([b]);
    expect(
      (
        await api(url('/api/candidate/selections'), {
          method: 'DELETE',
          token: c.token,
          body: { offerIds: [] },
        })
      ).status,
    ).toBe(400);
    // Another candidate's binder is separate.
    const other = await newCandidate();
    const theirs = await api<{ selections: OfferSelection[] }>(url('/api/candidate/selections'), {
      token: other.token,
    });
    expect(theirs.body.selections).toEqual([]);
  });
});

describe('RGPD', () => {
  it('exports, then erases: tombstones on every replica, no personal data left in any row', async () => {
    const c = await newCandidate();
    const file = await uploadCv(c.token);
    const res = await apply(c.token, { offerId: offers.bakery[0], file, message: 'Message très personnel' });
    const id = (res.body.application as { id: string }).id;
    await api(url('/api/candidate/selections'), { token: c.token, body: { offerId: offers.bakery[1] } });
    const recruiter = await server.login('recruteur1@demo.test');
    await pullAll(recruiter);

    const exported = await APPLICATION_DATA.exportData(server.db, c.id);
    expect(JSON.stringify(exported.data)).toContain('Message très personnel');
    expect(exported.files.map((f) => f.sha256)).toContain(file);

    await server.db.transaction((tx) => APPLICATION_DATA.erase(tx, server.app.engine, c.id));
    const rows = await server.db.query<{ t: string }>(
      'select doc::text as t, deleted from applications where id = $1',
      [id],
    );
    expect(rows.rows[0]!.t).not.toContain(c.email);
    expect(rows.rows[0]!.t).not.toContain('Durand');
    expect(rows.rows[0]!.t).not.toContain('Message très personnel');
    expect(rows.rows[0]!.t).not.toContain(c.id);
    const left = await server.db.query(
      "select 1 from applications where doc::text ilike '%' || $1 || '%' or doc::text ilike '%' || $2 || '%'",
      [c.email, c.id],
    );
    expect(left.rows).toHaveLength(0);
    expect(
      (await server.db.query('select 1 from offer_selections where account_id = $1', [c.id])).rows,
    ).toHaveLength(0);
    expect(
      (
        await server.db.query("select 1 from file_refs where collection = 'applications' and doc_id = $1", [
          id,
        ])
      ).rows,
    ).toHaveLength(0);
    const pulled = await pullAll(recruiter);
    expect(pulled.get(id)?._deleted).toBe(true);
  });
});

describe('bad input', () => {
  it('answers a 4xx with a French message, never a 500, whatever the body', async () => {
    const c = await newCandidate();
    const field = fc.oneof(
      fc.constant(undefined),
      fc.constant(offers.bakery[0]),
      fc.constant(DEMO_COMPANY_IDS.boulangerie),
      fc.string({ maxLength: 40 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    );
    const body = fc.oneof(
      fc.record(
        {
          offerId: field,
          companyId: field,
          jobId: field,
          cvId: field,
          folderId: field,
          file: field,
          letterFile: field,
          message: field,
          civility: field,
          firstName: field,
          lastName: field,
          email: field,
          phone: field,
          consent: field,
          offerIds: field,
          reason: field,
          token: field,
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );
    const routes = [
      ['POST', '/api/candidate/applications', true],
      ['POST', '/api/public/applications', false],
      ['POST', '/api/candidate/selections', true],
      ['DELETE', '/api/candidate/selections', true],
      ['POST', `/api/candidate/applications/${randomUUID()}/withdraw`, true],
      ['POST', '/api/public/applications/withdraw', false],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), body, async ([method, path, signed], b) => {
        const res = await api<{ error?: { message?: string } }>(url(path), {
          method,
          ...(signed ? { token: c.token } : {}),
          rawBody: JSON.stringify(b ?? null),
        });
        expect(res.status, `${method} ${path} ${JSON.stringify(b)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.body.error?.message).toMatch(/\S/);
      }),
      { numRuns: 60 },
    );
    // Nothing half-written: every application written is a whole one.
    const { rows } = await server.db.query<{ n: number }>(
      "select count(*)::int as n from applications where not deleted and (doc->>'status' is null or doc->'history' is null)",
    );
    expect(rows[0]!.n).toBe(0);
  });
});
