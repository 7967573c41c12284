import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CandidateCv, CvSummary } from '../../shared/domain/cv';
import type { SyncCheckpoint } from '../../shared/sync/protocol';
import { createSession } from '../src/auth/sessions';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import { CV_DATA } from '../src/candidate/personal-data/cvs';
import { DEMO_ACCOUNTS } from '../src/db/seed-demo';
import { importRomeBuiltin } from '../src/reference/rome';
import { api, settle, startTestServer, type TestServer } from './harness';

/** Issue 4 « CVs »: drafts, completeness, 5 CVs for different ROME codes, publication, CVthèque replicas. */

let server: TestServer;
const tokens: Record<string, string> = {};

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}
type Row = Record<string, unknown> & { id: string; _deleted: boolean };

const BOULANGER = {
  appellationCode: '11573',
  appellationLabel: 'Boulanger / Boulangère',
  romeCode: 'D1102',
  workplaces: [{ communeCode: '31555', communeName: 'Toulouse' }],
  contractTypes: ['CDI'],
  workingTimes: ['temps_plein'],
};
const COMMIS = {
  ...BOULANGER,
  appellationCode: '12756',
  appellationLabel: 'Commis / Commise de cuisine',
  romeCode: 'G1602',
};
const VENDEUR = {
  ...BOULANGER,
  appellationCode: '20576',
  appellationLabel: 'Vendeur / Vendeuse en épicerie',
  romeCode: 'D1106',
};
const LONG =
  'Fabrication des pains de tradition et des viennoiseries, cuisson au four à sole, préparation des commandes.';

beforeAll(async () => {
  server = await startTestServer();
  // The built-in ROME referential: appellations are checked against it (kept by reset).
  await importRomeBuiltin(server.db);
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  await server.reset();
  tokens.recruteur1 = await server.login('recruteur1@demo.test');
  tokens.conseiller = await server.login('conseiller@demo.test');
  tokens.moderateur = await server.login('moderateur@demo.test');
  tokens.thomas = await server.login('candidat@demo.test');
});

/** A new candidate account (e-mail confirmed unless told), with a session token. */
async function candidate(options: { confirmed?: boolean; first?: string } = {}) {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     values ($1, $2, 'not-a-hash', 'candidate', $3, 'Durand', $4)`,
    [id, `cand-${id}@demo.test`, options.first ?? 'Léa', options.confirmed === false ? null : new Date()],
  );
  return { id, email: `cand-${id}@demo.test`, token: await createSession(server.db, id) };
}

const url = (path: string) => `${server.url}${path}`;
const create = (token: string, body: unknown = {}) =>
  api<CandidateCv & ErrorBody>(url('/api/candidate/cvs'), { token, body });
const put = (token: string, id: string, body: unknown) =>
  api<CandidateCv & ErrorBody>(url(`/api/candidate/cvs/${id}`), { token, method: 'PUT', body });
const action = (token: string, id: string, what: string, body: unknown = {}) =>
  api<{ cv: CandidateCv; completeness: number; reminder: boolean } & CandidateCv & ErrorBody>(
    url(`/api/candidate/cvs/${id}/${what}`),
    { token, body },
  );

async function pull(token: string, checkpoint: SyncCheckpoint | null = null) {
  await settle(server.db);
  const docs = new Map<string, Row>();
  let cp = checkpoint;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams({ batchSize: '50' });
    if (cp) q.set('checkpoint', JSON.stringify(cp));
    const res = await api<{ documents: Row[]; checkpoint: SyncCheckpoint | null }>(
      url(`/api/sync/cvs/v1/pull?${q}`),
      { token },
    );
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set(d.id, d);
    cp = res.body.checkpoint;
  }
  return { docs, checkpoint: cp };
}

describe('demo data (DESIGN §5)', () => {
  it('Thomas Garcia has two CVs, one online and in the CVthèque, one draft', async () => {
    const list = await api<CvSummary[]>(url('/api/candidate/cvs'), { token: tokens.thomas });
    expect(list.status).toBe(200);
    expect(list.body.map((c) => [c.id, c.status])).toEqual([
      [DEMO_CV_IDS.published, 'publie'],
      [DEMO_CV_IDS.draft, 'brouillon'],
    ]);
    expect(list.body[0]!.completeness).toBe(100);
    const { docs } = await pull(tokens.recruteur1!);
    expect([...docs.keys()]).toEqual([DEMO_CV_IDS.published]);
    const doc = docs.get(DEMO_CV_IDS.published)!;
    expect(doc).toMatchObject({
      title: 'Boulanger confirmé, pain de tradition',
      romeCode: 'D1102',
      lastName: 'Garcia',
    });
    expect(JSON.stringify(doc)).not.toContain(DEMO_ACCOUNTS[5].id);
  });

  it('advisors see the CVthèque too; moderators and candidates do not replicate it', async () => {
    expect((await pull(tokens.conseiller!)).docs.size).toBe(1);
    expect((await pull(tokens.moderateur!)).docs.size).toBe(0);
    const asCandidate = await api(url('/api/sync/cvs/v1/pull'), { token: tokens.thomas });
    expect(asCandidate.status).toBeGreaterThanOrEqual(400);
    expect(asCandidate.status).toBeLessThan(500);
  });
});

describe('drafts saved at every step', () => {
  it('creates an empty draft, saves each step, the server computes the completeness', async () => {
    const c = await candidate();
    const created = await create(c.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'brouillon', completeness: 0, title: '', target: null });
    const id = created.body.id;

    const step0 = await put(c.token, id, { target: BOULANGER, completeness: 100 });
    expect(step0.status).toBe(200);
    expect(step0.body.completeness).toBe(30);
    expect(step0.body.title).toBe('Boulanger / Boulangère'); // the appellation is the default title (seed 002)

    const step1 = await put(c.token, id, {
      summary: LONG,
      experiences: [
        { company: 'Fournil', jobTitle: 'Boulanger', start: '2020-01', end: null, description: LONG },
      ],
      diplomas: [{ title: 'CAP Boulanger', date: '2019', description: '' }],
      skills: [1, 2, 3].map((n) => ({ label: `Compétence ${n}`, level: n })),
      languages: [{ language: 'Espagnol', level: 'courant' }],
      licences: ['B'],
    });
    expect(step1.status).toBe(200);
    expect(step1.body.completeness).toBe(100);
    expect(step1.body.experiences[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(step1.body.target).toEqual(BOULANGER); // absent fields are kept

    const again = await api<CandidateCv>(url(`/api/candidate/cvs/${id}`), { token: c.token });
    expect(again.body).toMatchObject({ completeness: 100, summary: LONG, licences: ['B'] });
    const list = await api<CvSummary[]>(url('/api/candidate/cvs'), { token: c.token });
    expect(list.body).toEqual([
      expect.objectContaining({ id, completeness: 100, romeCode: 'D1102', status: 'brouillon' }),
    ]);
  });

  it('answers bad input with French field errors and writes nothing', async () => {
    const c = await candidate();
    const { body } = await create(c.token, { summary: 'Accroche' });
    const bad = await put(c.token, body.id, {
      summary: 'Nouvelle accroche',
      experiences: [{ company: 'A', jobTitle: 'B', start: '2022-05', end: '2021-01', description: '' }],
      skills: [{ label: 'Pétrissage', level: 9 }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields!.map((f) => f.field).sort()).toEqual([
      'experiences.0.end',
      'skills.0.level',
    ]);
    const after = await api<CandidateCv>(url(`/api/candidate/cvs/${body.id}`), { token: c.token });
    expect(after.body.summary).toBe('Accroche');

    for (const garbage of [
      [],
      'texte',
      { title: 42 },
      { target: { appellationCode: '99999', appellationLabel: 'Inconnu', romeCode: 'Z9999' } },
    ]) {
      const res = await put(c.token, body.id, garbage);
      expect(res.status, JSON.stringify(garbage)).toBe(400);
      expect(res.body.error.message).toBeTruthy();
    }
    expect((await put(c.token, 'pas-un-id', {})).status).toBe(404);
    expect((await put(c.token, randomUUID(), {})).status).toBe(404);
  });

  it('a CV belongs to its candidate only; recruiters have no access to the candidate routes', async () => {
    const a = await candidate();
    const b = await candidate();
    const { body } = await create(a.token, { target: BOULANGER });
    expect((await api(url(`/api/candidate/cvs/${body.id}`), { token: b.token })).status).toBe(404);
    expect((await put(b.token, body.id, { summary: 'x' })).status).toBe(404);
    expect(
      (await api(url(`/api/candidate/cvs/${body.id}`), { token: b.token, method: 'DELETE' })).status,
    ).toBe(404);
    expect((await api(url('/api/candidate/cvs'), { token: tokens.recruteur1 })).status).toBe(403);
    expect((await api(url('/api/candidate/cvs'))).status).toBe(401);
  });
});

describe('five CVs for different ROME codes (seed 002)', () => {
  it('refuses a sixth CV', async () => {
    const c = await candidate();
    for (let i = 0; i < 5; i++) expect((await create(c.token)).status).toBe(201);
    const sixth = await create(c.token);
    expect(sixth.status).toBe(409);
    expect(sixth.body.error.message).toContain('5 CV');
  });

  it('refuses two CVs for the same ROME code, naming the target', async () => {
    const c = await candidate();
    expect((await create(c.token, { target: BOULANGER })).status).toBe(201);
    const same = await create(c.token, {
      target: {
        ...BOULANGER,
        appellationCode: '10868',
        appellationLabel: 'Aide-boulanger / Aide-boulangère',
      },
    });
    expect(same.status).toBe(409);
    expect(same.body.error.fields?.[0]?.field).toBe('target');
    expect(same.body.error.message).toContain('D1102');
    const other = await create(c.token, { target: COMMIS });
    expect(other.status).toBe(201);
    const moved = await put(c.token, other.body.id, { target: BOULANGER });
    expect(moved.status).toBe(409);
    expect((await api<CvSummary[]>(url('/api/candidate/cvs'), { token: c.token })).body).toHaveLength(2);
  });

  it('copies experiences and diplomas from an existing CV', async () => {
    const c = await candidate();
    const first = await create(c.token, {
      target: BOULANGER,
      summary: LONG,
      experiences: [
        { company: 'Fournil', jobTitle: 'Boulanger', start: '2020-01', end: null, description: LONG },
      ],
      diplomas: [{ title: 'CAP Boulanger', date: '2019', description: '' }],
      skills: [{ label: 'Levain', level: 5 }],
    });
    const copy = await create(c.token, { copyFrom: first.body.id, target: COMMIS });
    expect(copy.status).toBe(201);
    expect(copy.body.experiences).toEqual([{ ...first.body.experiences[0]!, id: expect.any(String) }]);
    expect(copy.body.experiences[0]!.id).not.toBe(first.body.experiences[0]!.id);
    expect(copy.body.diplomas.map((d) => d.title)).toEqual(['CAP Boulanger']);
    expect(copy.body.skills).toEqual([]);
    expect(copy.body.summary).toBe('');
    const other = await candidate();
    expect((await create(other.token, { copyFrom: first.body.id })).status).toBe(400);
  });
});

describe('publication and the CVthèque replicas', () => {
  it('needs a target and a confirmed e-mail; answers the completeness for the reminder', async () => {
    const c = await candidate();
    const { body } = await create(c.token);
    const noTarget = await action(c.token, body.id, 'publish');
    expect(noTarget.status).toBe(400);
    expect(noTarget.body.error.fields?.[0]?.field).toBe('target');

    await put(c.token, body.id, { target: BOULANGER });
    const published = await action(c.token, body.id, 'publish', { publication: { cvtheque: true } });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ completeness: 30, reminder: true, threshold: 60 });
    expect(published.body.cv.status).toBe('publie');

    const unconfirmed = await candidate({ confirmed: false });
    const draft = await create(unconfirmed.token, { target: BOULANGER });
    const refused = await action(unconfirmed.token, draft.body.id, 'publish');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('Confirmez');
  });

  it('anonymity and contact choices decide what recruiters see', async () => {
    const c = await candidate({ first: 'Inès' });
    const { body } = await create(c.token, { target: BOULANGER, summary: LONG });
    await action(c.token, body.id, 'publish', {
      publication: { cvtheque: true, anonymous: true, showContact: true },
    });
    let doc = (await pull(tokens.recruteur1!)).docs.get(body.id)!;
    expect(doc).toMatchObject({ anonymous: true, summary: LONG, appellationLabel: 'Boulanger / Boulangère' });
    expect(JSON.stringify(doc)).not.toMatch(/Inès|Durand|cand-/);

    await put(c.token, body.id, { publication: { anonymous: false, showContact: false } });
    doc = (await pull(tokens.recruteur1!)).docs.get(body.id)!;
    expect(doc).toMatchObject({ firstName: 'Inès', lastName: 'Durand' });
    expect(doc.email).toBeUndefined();

    await put(c.token, body.id, { publication: { showContact: true } });
    doc = (await pull(tokens.recruteur1!)).docs.get(body.id)!;
    expect(doc.email).toBe(c.email);
  });

  it('hidden, suspended or deleted CVs leave every recruiter replica at the next pull', async () => {
    const c = await candidate();
    const { body } = await create(c.token, { target: BOULANGER, summary: LONG });
    await action(c.token, body.id, 'publish');
    const first = await pull(tokens.recruteur1!);
    expect(first.docs.get(body.id)?._deleted).toBe(false);

    // Suspended: a tombstone without content.
    const suspended = await action(c.token, body.id, 'suspend');
    expect(suspended.body.status).toBe('suspendu');
    let next = await pull(tokens.recruteur1!, first.checkpoint);
    expect(next.docs.get(body.id)).toMatchObject({ _deleted: true, title: '', experiences: [] });
    expect(JSON.stringify(next.docs.get(body.id))).not.toContain('Fournil');
    expect(JSON.stringify(next.docs.get(body.id))).not.toContain(LONG);

    // Resumed, then hidden from the CVthèque while online.
    expect((await action(c.token, body.id, 'resume')).status).toBe(200);
    next = await pull(tokens.recruteur1!, next.checkpoint);
    expect(next.docs.get(body.id)?._deleted).toBe(false);
    await put(c.token, body.id, { publication: { cvtheque: false } });
    next = await pull(tokens.recruteur1!, next.checkpoint);
    expect(next.docs.get(body.id)?._deleted).toBe(true);

    // Visible again, then deleted.
    await put(c.token, body.id, { publication: { cvtheque: true } });
    next = await pull(tokens.conseiller!, null);
    expect(next.docs.get(body.id)?._deleted).toBe(false);
    const cp = (await pull(tokens.conseiller!)).checkpoint;
    expect(
      (await api(url(`/api/candidate/cvs/${body.id}`), { token: c.token, method: 'DELETE' })).status,
    ).toBe(204);
    next = await pull(tokens.conseiller!, cp);
    expect(next.docs.get(body.id)?._deleted).toBe(true);
    expect((await api(url(`/api/candidate/cvs/${body.id}`), { token: c.token })).status).toBe(404);

    // Only online CVs can be suspended, only suspended ones resumed.
    const draft = await create(c.token);
    expect((await action(c.token, draft.body.id, 'suspend')).status).toBe(409);
    expect((await action(c.token, draft.body.id, 'resume')).status).toBe(409);
  });

  it('a draft or a CV out of the CVthèque is never replicated', async () => {
    const c = await candidate();
    const { body } = await create(c.token, { target: VENDEUR });
    await put(c.token, body.id, { summary: LONG });
    expect((await pull(tokens.recruteur1!)).docs.has(body.id)).toBe(false);
    await action(c.token, body.id, 'publish', { publication: { cvtheque: false } });
    expect((await pull(tokens.recruteur1!)).docs.has(body.id)).toBe(false);
  });

  it('recruiters cannot write the CVthèque: a push is refused with the master state', async () => {
    const res = await api<Row[]>(url('/api/sync/cvs/v1/push'), {
      token: tokens.recruteur1,
      body: [
        {
          assumedMasterState: null,
          newDocumentState: {
            id: randomUUID(),
            title: 'Faux CV',
            express: false,
            experiences: [],
            diplomas: [],
            skills: [],
            languages: [],
            licences: [],
            completeness: 100,
            anonymous: true,
            updatedAt: new Date().toISOString(),
            _deleted: false,
          },
        },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body[0]?._deleted).toBe(true);
    const { rows } = await server.db.query("select 1 from cvs where doc->>'title' = 'Faux CV'");
    expect(rows).toHaveLength(0);
  });

  it('a member of a training body sees the CVthèque (DESIGN §6)', async () => {
    const orgId = randomUUID();
    await server.db.query(
      `insert into organisations (id, kind, name, verified) values ($1, 'training', 'Centre de formation', true)`,
      [orgId],
    );
    const id = randomUUID();
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name) values ($1, $2, 'x', 'recruiter', 'Paul', 'Formateur')`,
      [id, `formateur-${id}@demo.test`],
    );
    await server.db.query(
      `insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')`,
      [id, orgId],
    );
    const token = await createSession(server.db, id);
    expect((await pull(token)).docs.has(DEMO_CV_IDS.published)).toBe(true);
  });
});

describe('RGPD (personal-data/cvs.ts)', () => {
  it('exports the CVs and erases them: rows deleted, projections tombstoned', async () => {
    const thomas = DEMO_ACCOUNTS[5].id;
    const exported = await CV_DATA.exportData(server.db, thomas);
    expect((exported.data as CandidateCv[]).map((c) => c.id)).toEqual([
      DEMO_CV_IDS.published,
      DEMO_CV_IDS.draft,
    ]);
    const before = await pull(tokens.recruteur1!);
    await server.db.transaction((tx) => CV_DATA.erase(tx, server.app.engine, thomas));
    const { rows } = await server.db.query('select 1 from candidate_cvs where account_id = $1', [thomas]);
    expect(rows).toHaveLength(0);
    const after = await pull(tokens.recruteur1!, before.checkpoint);
    expect(after.docs.get(DEMO_CV_IDS.published)?._deleted).toBe(true);
    const stored = await server.db.query<{ doc: unknown; search: string }>(
      'select doc, search from cvs where id = $1',
      [DEMO_CV_IDS.published],
    );
    expect(JSON.stringify(stored.rows)).not.toMatch(/Garcia|Thomas|Fournil|Boulangerie du Marché/);
  });
});
