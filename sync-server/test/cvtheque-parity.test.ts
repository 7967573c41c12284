/**
 * Issue 5 acceptance: the workstation's local search and the server's search rank alike. A fixed
 * French corpus is written as CVthèque projections on a test server (with the server's search
 * index), the same documents go into the workstation's `LocalCvIndex` (RxDB memory storage);
 * for each query both sides return the same total, the same first result and at least 9 of the
 * same top 10 (in fact the same list, compared too).
 */
import { addRxPlugin, createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionUser } from '../../shared/domain/account';
import type { CvSearchCriteria, CvSearchResponse } from '../../shared/domain/cv-search';
import { type CvDoc, cvSchema } from '../../shared/schemas/cv.schema';
import { migrationStrategiesFor } from '../../shared/schemas/migrations';
import { loadUser } from '../src/auth/sessions';
import { cvReplicaKeys } from '../src/cvtheque/keys';
import { searchCvtheque } from '../src/cvtheque/search';
import { writeCvSearch } from '../src/cvtheque/search-index';
import { DEMO_ACCOUNTS } from '../src/db/seed-demo';
import { cvsCollection } from '../src/domain/cvs';
import type { Doc } from '../src/sync/types';
import { startTestServer, type TestServer } from './harness';

// Schema versions above 0 (cvs v1) need the migration plugin, as in the workstation.
addRxPlugin(RxDBMigrationSchemaPlugin);

// The workstation's index and the corpus live in other TypeScript projects (renderer/, scripts/):
// loaded at run time, typed here by what the test uses.
interface LocalIndexModule {
  getLocalCvIndex(db: { cvs: RxCollection<CvDoc> }): {
    ready(): Promise<number>;
    readonly size: number;
    search(criteria: CvSearchCriteria, options: { now: Date }): CvSearchResponse;
  };
}
interface CorpusModule {
  syntheticCv(i: number, seed?: number, base?: number): CvDoc;
}
const LOCAL_INDEX = '../../renderer/src/features/cvtheque/local-index.ts';
const CORPUS = '../../scripts/bench-cvtheque/cv-corpus.ts';

const NOW = new Date('2026-12-01T09:00:00.000Z');
const CARCASSONNE = { code: '11069', label: 'Carcassonne', lat: 43.213, lon: 2.3491 };
const NARBONNE = { code: '11262', label: 'Narbonne', lat: 43.1837, lon: 3.0042 };
const TOULOUSE = { code: '31555', label: 'Toulouse', lat: 43.6045, lon: 1.4442 };

/** A few hand-written CVs on top of the generated ones: accents, plurals, feminine forms, ties. */
function handWritten(base: CvDoc): CvDoc[] {
  const at = (id: string, patch: Partial<CvDoc>): CvDoc => ({ ...base, id, ...patch });
  return [
    at('aa000001-0000-4000-8000-000000000001', {
      title: 'Serveuse de brasserie',
      summary: 'Serveuses et serveurs : j’ai formé l’équipe de salle.',
      rqth: 'reconnue',
      commune: { code: '11069', name: 'Carcassonne', lat: 43.213, lon: 2.3491 },
      completeness: 95,
      updatedAt: '2026-11-28T10:00:00.000Z',
    }),
    at('aa000002-0000-4000-8000-000000000002', {
      title: 'Infirmière de bloc opératoire',
      romeCode: 'J1506',
      appellationCode: '16345',
      rqth: 'en_cours',
      commune: { code: '11262', name: 'Narbonne', lat: 43.1837, lon: 3.0042 },
      completeness: 80,
      updatedAt: '2026-11-20T10:00:00.000Z',
    }),
    // Two CVs equal in everything but the id: the id breaks the tie on both sides.
    at('aa000003-0000-4000-8000-000000000003', {
      title: 'Électricienne',
      commune: { code: '11206', name: 'Limoux', lat: 43.0546, lon: 2.2186 },
      skills: [],
      experiences: [],
      diplomas: [],
      summary: '',
      fileText: undefined,
      completeness: 60,
      updatedAt: '2026-10-01T00:00:00.000Z',
    }),
    at('aa000004-0000-4000-8000-000000000004', {
      title: 'Électricienne',
      commune: { code: '11206', name: 'Limoux', lat: 43.0546, lon: 2.2186 },
      skills: [],
      experiences: [],
      diplomas: [],
      summary: '',
      fileText: undefined,
      completeness: 60,
      updatedAt: '2026-10-01T00:00:00.000Z',
    }),
    // A position known only by its commune code (no coordinates).
    at('aa000005-0000-4000-8000-000000000005', {
      title: 'Cuisinier',
      commune: { code: '11262', name: 'Narbonne' },
      workplaces: [],
      rqth: 'reconnue',
      updatedAt: '2026-11-30T00:00:00.000Z',
    }),
  ].map((d) => {
    const out = { ...d };
    if (out.fileText === undefined) delete out.fileText;
    return out;
  });
}

const QUERIES: { label: string; criteria: CvSearchCriteria }[] = [
  { label: 'tout', criteria: {} },
  { label: 'serveuses (pluriel féminin)', criteria: { keywords: 'serveuses' } },
  { label: 'infirmière (accent)', criteria: { keywords: 'INFIRMIÈRE' } },
  { label: 'boulangères pâtissières', criteria: { keywords: 'Boulangères pâtissières' } },
  { label: 'aide-soignants', criteria: { keywords: 'aide-soignants' } },
  { label: 'électriciens habilitation', criteria: { keywords: 'électriciens habilitation' } },
  { label: 'caces cariste', criteria: { keywords: 'CACES caristes' } },
  { label: 'rayon 60 km', criteria: { place: CARCASSONNE, radiusKm: 60 } },
  {
    label: 'plusieurs mots, trouvés en partie',
    criteria: { keywords: 'accueil clientèle encaissement conseil' },
  },
  {
    label: 'rayon 100 km et contrat',
    criteria: { place: TOULOUSE, radiusKm: 100, contractTypes: ['CDI', 'CDD'] },
  },
  { label: 'commune seule', criteria: { place: TOULOUSE } },
  { label: 'mots-clés et rayon', criteria: { keywords: 'cuisinière', place: NARBONNE, radiusKm: 100 } },
  { label: 'RQTH et mots-clés', criteria: { keywords: 'agents d’entretien', rqthOnly: true } },
  {
    label: 'RQTH, rayon, mots-clés',
    criteria: { keywords: 'serveur', rqthOnly: true, place: CARCASSONNE, radiusKm: 50 },
  },
  { label: 'RQTH seule', criteria: { rqthOnly: true } },
  {
    label: 'qualification et contrat',
    criteria: { qualifications: ['employe_qualifie', 'ouvrier_qualifie_p1p2'], contractTypes: ['CDI'] },
  },
  {
    label: 'domaine et disponibilité',
    criteria: { domains: ['J', 'K'], availability: ['immediate', 'preavis'] },
  },
  { label: 'langue et permis', criteria: { languages: ['Anglais'], licences: ['B'] } },
  { label: 'ROME et appellation', criteria: { romeCodes: ['J1506', 'J1501'], appellationCode: '16345' } },
];

describe('CVthèque : recherche locale et recherche serveur', () => {
  let server: TestServer;
  let rx: RxDatabase<{ cvs: RxCollection<CvDoc> }>;
  let index: ReturnType<LocalIndexModule['getLocalCvIndex']>;
  let recruiter: SessionUser;
  const corpus: CvDoc[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    const { getLocalCvIndex } = (await import(/* @vite-ignore */ LOCAL_INDEX)) as LocalIndexModule;
    const { syntheticCv } = (await import(/* @vite-ignore */ CORPUS)) as CorpusModule;
    for (let i = 0; i < 60; i++) corpus.push(syntheticCv(i, 2026, Date.parse('2026-11-30T00:00:00.000Z')));
    corpus.push(...handWritten(corpus[0]!));

    await server.db.transaction(async (tx) => {
      for (const doc of corpus) {
        await server.app.engine.write(tx, cvsCollection, doc as unknown as Doc, false, {
          keys: cvReplicaKeys(doc),
        });
        await writeCvSearch(tx, doc);
      }
    });
    // The same documents on the workstation: every live CV of the server (demo ones included).
    const { rows } = await server.db.query<{ doc: CvDoc }>('select doc from cvs where not deleted');
    expect(rows.length).toBeGreaterThanOrEqual(corpus.length);
    rx = await createRxDatabase({ name: 'cvtheque_parity', storage: getRxStorageMemory() });
    await rx.addCollections({
      cvs: { schema: cvSchema, migrationStrategies: migrationStrategiesFor('cvs') },
    });
    await rx.cvs.bulkInsert(rows.map((r) => r.doc));
    index = getLocalCvIndex(rx);
    await index.ready();
    expect(index.size).toBe(rows.length);

    const account = DEMO_ACCOUNTS.find((a) => a.email === 'recruteur1@demo.test')!;
    recruiter = (await loadUser(server.db, account.id))!;
    expect(recruiter).toBeTruthy();
  });

  afterAll(async () => {
    await rx?.remove();
    await server?.stop();
  });

  it.each(QUERIES)('$label : même total, même premier, au moins 9 des 10 premiers', async ({ criteria }) => {
    const remote = await searchCvtheque(server.db, recruiter, criteria, { now: NOW });
    const local = index.search(criteria, { now: NOW });
    expect(remote.source).toBe('serveur');
    expect(local.source).toBe('local');
    expect(local.total).toBe(remote.total);
    expect(remote.total).toBeGreaterThan(0);
    expect(local.hits[0]!.doc.id).toBe(remote.hits[0]!.doc.id);
    const top = (r: CvSearchResponse) => r.hits.slice(0, 10).map((h) => h.doc.id);
    const shared = top(local).filter((id) => top(remote).includes(id));
    expect(shared.length).toBeGreaterThanOrEqual(Math.min(9, remote.hits.length));
    // Same scores and distances for the same CV on both sides (the same shared functions).
    const remoteById = new Map(remote.hits.map((h) => [h.doc.id, h]));
    for (const h of local.hits.slice(0, 10)) {
      const r = remoteById.get(h.doc.id);
      if (!r) continue;
      expect(h.score).toBe(r.score);
      expect(h.distanceKm).toBe(r.distanceKm);
    }
    // In fact the whole first page is the same.
    expect(local.hits.map((h) => h.doc.id)).toEqual(remote.hits.map((h) => h.doc.id));
  });

  it('le corpus éprouve vraiment le classement (plusieurs requêtes à 10 résultats et plus)', async () => {
    let big = 0;
    for (const { criteria } of QUERIES) if (index.search(criteria, { now: NOW }).total >= 10) big++;
    expect(big).toBeGreaterThanOrEqual(7);
    // The tie between two identical CVs is broken by the id, the same way.
    const tie = index.search(
      {
        keywords: 'électricienne',
        place: { ...CARCASSONNE, code: '11206', label: 'Limoux', lat: 43.0546, lon: 2.2186 },
      },
      { now: NOW },
    );
    const ids = tie.hits.map((h) => h.doc.id);
    expect(ids.indexOf('aa000003-0000-4000-8000-000000000003')).toBeLessThan(
      ids.indexOf('aa000004-0000-4000-8000-000000000004'),
    );
  });
});
