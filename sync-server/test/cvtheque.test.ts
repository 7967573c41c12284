import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CandidateCv, DEFAULT_PUBLICATION } from '../../shared/domain/cv';
import {
  type CvSearchCriteria,
  type CvSearchResponse,
  compareCvHits,
  cvStems,
  prepareCvSearch,
  scoreCv,
} from '../../shared/domain/cv-search';
import type { CvDoc } from '../../shared/schemas/cv.schema';
import type { SyncCheckpoint } from '../../shared/sync/protocol';
import { createSession, loadUser } from '../src/auth/sessions';
import { DEMO_CV_IDS } from '../src/candidate/demo-cvs';
import {
  cvthequeMembershipEntry,
  cvthequeMembershipExit,
  cvthequeScopeJob,
  prepareCvtheque,
  recomputeOrganisationScope,
  refreshCvKeys,
  searchCvtheque,
} from '../src/cvtheque';
import { scopeCovers } from '../src/cvtheque/keys';
import { ensureCvSearchIndex } from '../src/cvtheque/search-index';
import { type CvOwnerFacts, syncCvProjection } from '../src/domain/cvs';
import { api, settle, startTestServer, type TestServer } from './harness';

/** Issue 5, the CVthèque on the server: replication scope with a cap, and the server search. */

let server: TestServer;
const NOW = new Date();
const url = (path: string) => `${server.url}${path}`;

type Row = Record<string, unknown> & { id: string; _deleted: boolean };
interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});
beforeEach(async () => {
  await server.reset();
});

const CARCASSONNE = { code: '11069', name: 'Carcassonne', lat: 43.213, lon: 2.3491 };
const NARBONNE = { code: '11262', name: 'Narbonne', lat: 43.1837, lon: 3.0042 };
const TOULOUSE = { code: '31555', name: 'Toulouse', lat: 43.6045, lon: 1.444 };
const PARIS = { code: '75056', name: 'Paris', lat: 48.8566, lon: 2.3522 };

interface Made {
  title?: string;
  romeCode?: string;
  commune?: typeof CARCASSONNE | null;
  rqth?: string;
  completeness?: number;
  daysOld?: number;
  summary?: string;
  skills?: string[];
  status?: CandidateCv['status'];
  /** Text of the attached file (as extracted). */
  fileText?: string;
  anonymous?: boolean;
}

/** Writes a CVthèque projection as the candidate's CV store does (no candidate row needed). */
async function makeCv(m: Made, id: string = randomUUID()): Promise<string> {
  const updatedAt = new Date(NOW.getTime() - (m.daysOld ?? 1) * 86_400_000).toISOString();
  const cv: CandidateCv = {
    id,
    express: false,
    status: m.status ?? 'publie',
    title: m.title ?? 'Boulanger',
    target: {
      appellationCode: '11573',
      appellationLabel: m.title ?? 'Boulanger',
      romeCode: m.romeCode ?? 'D1102',
      workplaces: [],
      contractTypes: ['CDI'],
      workingTimes: ['temps_plein'],
    },
    summary: m.summary ?? '',
    experiences: [],
    diplomas: [],
    skills: (m.skills ?? []).map((label, i) => ({ id: `s${i}`, label, level: 3 })),
    languages: [],
    licences: [],
    file: null,
    publication: { ...DEFAULT_PUBLICATION, cvtheque: true, anonymous: m.anonymous ?? false },
    completeness: m.completeness ?? 70,
    createdAt: updatedAt,
    updatedAt,
    publishedAt: updatedAt,
  };
  const commune = m.commune === undefined ? CARCASSONNE : m.commune;
  const owner: CvOwnerFacts = {
    firstName: 'Léa',
    lastName: 'Martin',
    email: 'lea@exemple.fr',
    phone: '',
    showPhone: false,
    rqth: m.rqth ?? 'non',
    availability: 'immediate',
    availableFrom: null,
    commune,
  };
  await server.db.transaction((tx) =>
    syncCvProjection(tx, server.app.engine, id, cv, owner, m.fileText ?? ''),
  );
  return id;
}

/** A new organisation at a commune, with one member signed in. */
async function organisation(kind: string, communeCode: string) {
  const orgId = randomUUID();
  await server.db.query(
    `insert into organisations (id, kind, name, verified, address) values ($1, $2, $3, true, $4)`,
    [
      orgId,
      kind,
      `Organisation ${orgId.slice(0, 4)}`,
      JSON.stringify({ postalCode: '11000', city: 'X', communeCode }),
    ],
  );
  const accountId = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name) values ($1, $2, 'x', 'recruiter', 'Anne', 'Membre')`,
    [accountId, `membre-${accountId}@demo.test`],
  );
  await server.db.query(
    `insert into memberships (account_id, organisation_id, role) values ($1, $2, 'admin')`,
    [accountId, orgId],
  );
  return { orgId, accountId, token: await createSession(server.db, accountId) };
}

async function rescope(orgId: string, cap: number) {
  return server.db.transaction((tx) => recomputeOrganisationScope(tx, server.app.engine, orgId, { cap }));
}

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
const live = (docs: Map<string, Row>) =>
  [...docs.values()]
    .filter((d) => !d._deleted)
    .map((d) => d.id)
    .sort();

describe('replication scope of the CVthèque (DESIGN §5 guarantee 3)', () => {
  it('the demo organisations replicate the demo candidate’s published CV; the scope is described in French', async () => {
    for (const email of [
      'recruteur1@demo.test',
      'recruteur2@demo.test',
      'agence@demo.test',
      'conseiller@demo.test',
    ]) {
      const token = await server.login(email);
      expect(live((await pull(token)).docs), email).toEqual([DEMO_CV_IDS.published]);
    }
    const token = await server.login('recruteur1@demo.test');
    const scope = await api<{
      departements: { code: string; label: string; domains: string[] }[];
      domains: { code: string; label: string }[];
      cvCount: number;
      cap: number;
      whole: boolean;
    }>(url('/api/cvtheque/scope'), { token });
    expect(scope.status).toBe(200);
    expect(scope.body.cvCount).toBe(1);
    expect(scope.body.cap).toBe(20_000);
    expect(scope.body.whole).toBe(true);
    expect(scope.body.departements.find((d) => d.code === '11')).toMatchObject({ label: 'Aude (11)' });
    expect(scope.body.domains.find((d) => d.code === 'D')?.label).toBe(
      'Commerce, vente et grande distribution (D)',
    );
    // Rows carry scoped keys, never the former global key.
    const { rows } = await server.db.query<{ keys: string[] }>('select keys from cvs where id = $1', [
      DEMO_CV_IDS.published,
    ]);
    expect(rows[0]!.keys).toContain('cvt:11:D');
    expect(rows[0]!.keys).not.toContain('cvtheque');
    const candidate = await server.login('candidat@demo.test');
    expect((await api(url('/api/cvtheque/scope'), { token: candidate })).status).toBe(403);
  });

  it('keeps the nearest départements within the cap; a grown scope reaches a member who synced before; a shrunk one leaves', async () => {
    const near = [await makeCv({}), await makeCv({ commune: NARBONNE }), await makeCv({})];
    const toulouse = [await makeCv({ commune: TOULOUSE }), await makeCv({ commune: TOULOUSE })];
    const paris = await makeCv({ commune: PARIS, romeCode: 'N4101' });
    const org = await organisation('prescriber', CARCASSONNE.code);
    // 3 + the demo CV in the Aude: 4 CVs; Toulouse would make 6.
    const small = await rescope(org.orgId, 4);
    expect(small?.cvCount).toBe(4);
    const stored = await server.db.query<{ keys: string[]; cv_count: number }>(
      'select keys, cv_count from cvtheque_scopes where organisation_id = $1',
      [org.orgId],
    );
    expect(scopeCovers(stored.rows[0]!.keys, '11', 'D')).toBe(true);
    expect(scopeCovers(stored.rows[0]!.keys, '11', 'N')).toBe(true);
    expect(scopeCovers(stored.rows[0]!.keys, '31', 'D')).toBe(false);
    expect(scopeCovers(stored.rows[0]!.keys, '75', 'N')).toBe(false);
    // Whole départements are one key each (the Aude, with every domain).
    expect(stored.rows[0]!.keys).toContain('cvt:11:*');
    expect(stored.rows[0]!.cv_count).toBe(4);
    const first = await pull(org.token);
    expect(live(first.docs)).toEqual([...near, DEMO_CV_IDS.published].sort());

    // The cap grows: the Toulouse and Paris CVs, written long before, reach the member's replica.
    const grown = await rescope(org.orgId, 100);
    expect(grown?.restamped).toBe(3);
    const second = await pull(org.token, first.checkpoint);
    expect(live(second.docs)).toEqual([...toulouse, paris].sort());
    const scope = await api<{ cvCount: number }>(url('/api/cvtheque/scope'), { token: org.token });
    expect(scope.body.cvCount).toBe(7);
    const keys = await server.db.query<{ keys: string[] }>(
      'select keys from cvtheque_scopes where organisation_id = $1',
      [org.orgId],
    );
    expect(keys.rows[0]!.keys).toEqual(['cvt:all']);

    // It shrinks again: those CVs leave the replica (tombstones without content).
    await rescope(org.orgId, 4);
    const third = await pull(org.token, second.checkpoint);
    expect([...third.docs.keys()].sort()).toEqual([...toulouse, paris].sort());
    for (const d of third.docs.values()) expect(d).toMatchObject({ _deleted: true, title: '' });
    // Members of other organisations are not affected.
    const recruteur = await server.login('recruteur1@demo.test');
    expect(live((await pull(recruteur)).docs)).toContain(paris);
  });

  it('an employer starts with the domains of its offers', async () => {
    const baker = await makeCv({ commune: PARIS });
    const driver = await makeCv({ commune: PARIS, romeCode: 'N4101' });
    // Transports Garonne (demo) offers transport jobs (N): with room for one CV, the driver.
    const { rows } = await server.db.query<{ id: string }>(
      "select id::text from organisations where name = 'Transports Garonne'",
    );
    const change = await rescope(rows[0]!.id, 1);
    expect(change?.cvCount).toBe(1);
    const token = await server.login('recruteur2@demo.test');
    expect(live((await pull(token)).docs)).toEqual([driver]);
    expect(baker).not.toBe(driver);
  });

  it('a CV hidden or suspended leaves the replica at the next pull', async () => {
    const org = await organisation('employer', CARCASSONNE.code);
    const id = await makeCv({ title: 'Pâtissier' });
    const first = await pull(org.token);
    expect(live(first.docs)).toContain(id);
    await makeCv({ title: 'Pâtissier', status: 'suspendu' }, id);
    const next = await pull(org.token, first.checkpoint);
    expect(next.docs.get(id)).toMatchObject({ _deleted: true, title: '', experiences: [] });
    const { rows } = await server.db.query('select 1 from cv_search where id = $1', [id]);
    expect(rows).toHaveLength(0);
  });

  it('CVs in a member’s saved list or sent to the organisation are replicated beyond the scope', async () => {
    const paris = await makeCv({ commune: PARIS, romeCode: 'N4101' });
    const org = await organisation('employer', CARCASSONNE.code);
    await rescope(org.orgId, 1);
    const first = await pull(org.token);
    expect(live(first.docs)).toEqual([DEMO_CV_IDS.published]);

    // A private list of the member holding the CV.
    const listId = randomUUID();
    const entries = [{ cvId: paris, addedAt: NOW.toISOString(), addedBy: org.accountId }];
    const listDoc = (e: unknown[]) =>
      JSON.stringify({
        id: listId,
        organisationId: org.orgId,
        ownerId: org.accountId,
        name: 'Salon',
        shared: false,
        entries: e,
        renamedAt: NOW.toISOString(),
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      });
    await server.db.query(
      `insert into cv_lists (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, 1, nextval('sync_seq'))`,
      [listId, listDoc(entries), [`user:${org.accountId}`]],
    );
    await server.db.transaction((tx) => refreshCvKeys(tx, server.app.engine, [paris]));
    const second = await pull(org.token, first.checkpoint);
    expect(live(second.docs)).toEqual([paris]);

    // Removed from the list: it leaves.
    const removed = [{ ...entries[0], removedAt: new Date(NOW.getTime() + 1000).toISOString() }];
    await server.db.query('update cv_lists set doc = $2 where id = $1', [listId, listDoc(removed)]);
    await server.db.transaction((tx) => refreshCvKeys(tx, server.app.engine, [paris]));
    const third = await pull(org.token, second.checkpoint);
    expect(third.docs.get(paris)?._deleted).toBe(true);

    // An application to the organisation made with this CV.
    await server.db.query(
      `insert into applications (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, 1, nextval('sync_seq'))`,
      [randomUUID(), JSON.stringify({ organisationId: org.orgId, cvId: paris }), [`org:${org.orgId}`]],
    );
    await server.db.transaction((tx) => refreshCvKeys(tx, server.app.engine, [paris]));
    const fourth = await pull(org.token, third.checkpoint);
    expect(live(fourth.docs)).toEqual([paris]);
  });
});

describe('scope upkeep', () => {
  it('startup moves rows off the former global key: replicas made before drop what is out of scope', async () => {
    const paris = await makeCv({ commune: PARIS, romeCode: 'N4101' });
    const org = await organisation('employer', CARCASSONNE.code);
    await rescope(org.orgId, 1);
    // A replica made before issue 5: every CV under « cvtheque ».
    await server.db.query(
      "update cvs set keys = array['cvtheque'], txid = pg_current_xact_id()::text::bigint, seq = nextval('sync_seq')",
    );
    const before = await pull(org.token);
    expect(live(before.docs)).toEqual([DEMO_CV_IDS.published, paris].sort());
    process.env.CVTHEQUE_REPLICA_CAP = '1';
    try {
      await prepareCvtheque(server.db, server.app.engine);
    } finally {
      delete process.env.CVTHEQUE_REPLICA_CAP;
    }
    const { rows } = await server.db.query<{ n: number }>(
      "select count(*)::int as n from cvs where 'cvtheque' = any(keys)",
    );
    expect(rows[0]!.n).toBe(0);
    const after = await pull(org.token, before.checkpoint);
    expect(after.docs.get(paris)?._deleted).toBe(true);
    expect(after.docs.get(DEMO_CV_IDS.published)?._deleted).toBe(false);
  });

  it('the hourly job recomputes scopes older than an hour; leaving or joining an organisation moves its CVs', async () => {
    const org = await organisation('prescriber', CARCASSONNE.code);
    const first = await pull(org.token); // the scope is computed at sign-in
    expect(live(first.docs)).toEqual([DEMO_CV_IDS.published]);
    const job = cvthequeScopeJob({ db: server.db, engine: server.app.engine });
    // The demo organisations, never signed in here, get theirs; then nothing is due.
    expect((await job.run(new Date())).organisations).toBe(4);
    expect((await job.run(new Date())).organisations).toBe(0);
    const later = await job.run(new Date(Date.now() + 2 * 3_600_000));
    expect(later.organisations).toBeGreaterThanOrEqual(5); // the demo ones and this one

    await server.db.transaction((tx) =>
      cvthequeMembershipExit(tx, server.app.engine, org.orgId, org.accountId),
    );
    const gone = await pull(org.token, first.checkpoint);
    // Still a member here (the membership row is the organisation routes' business): the exit
    // is skipped while the CV is visible; once the membership is gone it applies.
    expect(gone.docs.get(DEMO_CV_IDS.published)).toBeUndefined();
    await server.db.query('delete from memberships where account_id = $1', [org.accountId]);
    const after = await pull(org.token, first.checkpoint);
    expect(after.docs.get(DEMO_CV_IDS.published)?._deleted).toBe(true);

    await server.db.query(
      `insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')`,
      [org.accountId, org.orgId],
    );
    await server.db.transaction((tx) => cvthequeMembershipEntry(tx, server.app.engine, org.orgId));
    const back = await pull(org.token, after.checkpoint);
    expect(back.docs.get(DEMO_CV_IDS.published)?._deleted).toBe(false);
  });
});

describe('server search (POST /api/cvtheque/search)', () => {
  async function corpus() {
    return {
      best: await makeCv({ title: 'Boulanger', rqth: 'reconnue', completeness: 100, daysOld: 1 }),
      skill: await makeCv({
        title: 'Vendeur',
        romeCode: 'D1106',
        rqth: 'reconnue',
        skills: ['Boulangerie', 'Boulanger de tradition'],
        commune: NARBONNE,
      }),
      summary: await makeCv({
        title: 'Pâtissière',
        rqth: 'reconnue',
        summary: 'Ancienne boulangère, je cherche un poste en pâtisserie.',
        completeness: 40,
        daysOld: 100,
      }),
      notRqth: await makeCv({ title: 'Boulangère', rqth: 'non' }),
      far: await makeCv({ title: 'Boulanger', rqth: 'reconnue', commune: PARIS }),
      noPlace: await makeCv({ title: 'Boulanger', rqth: 'reconnue', commune: null }),
      other: await makeCv({ title: 'Chauffeur', romeCode: 'N4101', rqth: 'reconnue' }),
    };
  }

  /** What the shared functions say over every CV of the database: the expected answer. */
  async function expected(criteria: CvSearchCriteria) {
    const { rows } = await server.db.query<{ doc: CvDoc }>('select doc from cvs where not deleted');
    const search = prepareCvSearch(criteria, NOW);
    return rows
      .map((r) => scoreCv(search, r.doc, cvStems(r.doc)))
      .filter((h) => h !== null)
      .sort(compareCvHits)
      .map((h) => [h.doc.id, h.score, h.distanceKm]);
  }

  const search = (token: string | undefined, body: unknown) =>
    api<CvSearchResponse & ErrorBody>(url('/api/cvtheque/search'), { token, body });

  it('filters on RQTH, radius and keywords, and ranks as scoreCv and compareCvHits do', async () => {
    const cvs = await corpus();
    const token = await server.login('recruteur1@demo.test');
    const criteria: CvSearchCriteria = {
      keywords: 'Boulangères',
      place: {
        code: CARCASSONNE.code,
        label: 'Carcassonne (11000)',
        lat: CARCASSONNE.lat,
        lon: CARCASSONNE.lon,
      },
      radiusKm: 100,
      rqthOnly: true,
    };
    const res = await search(token, { criteria });
    expect(res.status).toBe(200);
    expect(res.body.source).toBe('serveur');
    expect(typeof res.body.tookMs).toBe('number');
    const ids = res.body.hits.map((h) => h.doc.id);
    expect(ids.slice(0, 1)).toEqual([cvs.best]);
    expect(new Set(ids)).toEqual(new Set([cvs.best, cvs.skill, cvs.summary]));
    expect(res.body.total).toBe(3);
    expect(res.body.hits.find((h) => h.doc.id === cvs.skill)?.distanceKm).toBeGreaterThan(40);
    const direct = await searchCvtheque(
      server.db,
      (await loadUser(
        server.db,
        (
          await server.db.query<{ id: string }>(
            "select id::text from accounts where email = 'recruteur1@demo.test'",
          )
        ).rows[0]!.id,
      ))!,
      criteria,
      { now: NOW },
    );
    expect(direct.hits.map((h) => [h.doc.id, h.score, h.distanceKm])).toEqual(await expected(criteria));

    // Without RQTH: the non-RQTH CV too. Without a place: the far and placeless ones too.
    const all = await search(token, { criteria: { keywords: 'boulanger' } });
    expect(new Set(all.body.hits.map((h) => h.doc.id))).toEqual(
      new Set([cvs.best, cvs.skill, cvs.summary, cvs.notRqth, cvs.far, cvs.noPlace, DEMO_CV_IDS.published]),
    );
    // The commune alone (radius 0).
    const commune = await search(token, {
      criteria: { place: { ...criteria.place }, rqthOnly: true, domains: ['D'] },
    });
    expect(new Set(commune.body.hits.map((h) => h.doc.id))).toEqual(new Set([cvs.best, cvs.summary]));
    // Every CV, best first, the same order as the shared ranking.
    const everything = await searchCvtheque(
      server.db,
      {
        id: 'x',
        email: 'x@x',
        firstName: 'x',
        lastName: 'x',
        kind: 'recruiter',
        emailConfirmed: true,
        memberships: [
          { organisationId: 'o', organisationName: 'o', kind: 'training', role: 'member', verified: true },
        ],
      },
      {},
      { now: NOW },
    );
    expect(everything.hits.map((h) => [h.doc.id, h.score, h.distanceKm])).toEqual(await expected({}));
    expect(everything.total).toBe(8);
  });

  it('answers bad criteria with a 400 naming the fields, candidates with a 403, strangers with a 401', async () => {
    const token = await server.login('conseiller@demo.test');
    const bad = await search(token, {
      criteria: {
        radiusKm: 1000,
        rqthOnly: 'oui',
        domains: ['Z'],
        couleur: 'bleu',
        keywords: 'a'.repeat(300),
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => f.field).sort()).toEqual(
      ['couleur', 'domains', 'keywords', 'radiusKm', 'rqthOnly'].sort(),
    );
    expect(bad.body.error.message).toContain('5 erreurs');
    const noPlace = await search(token, { criteria: { radiusKm: 10 } });
    expect(noPlace.body.error.fields).toEqual([
      { field: 'place', message: 'Choisissez une commune pour chercher dans un rayon.' },
    ]);
    expect((await search(token, [1, 2])).status).toBe(400);
    expect((await search(token, { criteria: 'boulanger' })).status).toBe(400);
    const candidate = await server.login('candidat@demo.test');
    const refused = await search(candidate, { criteria: {} });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('CVthèque est réservée');
    const moderator = await server.login('moderateur@demo.test');
    expect((await search(moderator, { criteria: {} })).status).toBe(403);
    expect((await search(undefined, { criteria: {} })).status).toBe(401);
  });

  it('finds words of the attached file, never the contact data of an anonymous CV', async () => {
    const id = await makeCv({
      title: 'Commis de cuisine',
      romeCode: 'G1602',
      anonymous: true,
      fileText: 'Léa Martin — lea@exemple.fr — 06 11 22 33 44\nExpérience : fermentation du kombucha maison.',
    });
    const token = await server.login('recruteur1@demo.test');
    const found = await search(token, { criteria: { keywords: 'kombucha' } });
    expect(found.body.hits.map((h) => h.doc.id)).toEqual([id]);
    const doc = found.body.hits[0]!.doc;
    expect(doc.fileText).toContain('kombucha maison');
    expect(JSON.stringify(doc)).not.toMatch(/Martin|lea@|06 11/);
    expect((await search(token, { criteria: { keywords: 'Martin' } })).body.total).toBe(0);
    // The replica carries the same text.
    expect((await pull(token)).docs.get(id)?.fileText).toBe(doc.fileText);
  });

  it('the index is completed at startup for projections written before it', async () => {
    const id = await makeCv({ title: 'Fromager' });
    await server.db.query('delete from cv_search');
    expect(await ensureCvSearchIndex(server.db)).toBe(2);
    expect(await ensureCvSearchIndex(server.db)).toBe(0);
    const { rows } = await server.db.query<{
      stems: string[];
      facets: string[];
      weights: Record<string, number>;
    }>('select stems, facets, weights from cv_search where id = $1', [id]);
    expect(rows[0]!.stems).toContain('fromager');
    expect(rows[0]!.weights.fromager).toBe(3);
    expect(rows[0]!.facets).toEqual(expect.arrayContaining(['d:D', 'g:11', 'm:11069', 'r:non']));
  });
});
