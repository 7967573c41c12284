import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CvHit,
  type CvSearchCriteria,
  compareCvHits,
  cvStems,
  prepareCvSearch,
  scoreCv,
} from '../../../../shared/domain/cv-search';
import { type CvDoc, cvSchema } from '../../../../shared/schemas/cv.schema';
import { migrationStrategiesFor } from '../../../../shared/schemas/migrations';
import { type CvCollection, getLocalCvIndex, LocalCvIndex } from './local-index';
import { LocalSearchError, searchLocal } from './local-search';

// Schema versions above 0 (cvs v1) need the migration plugin, as in the workstation.
addRxPlugin(RxDBMigrationSchemaPlugin);

// The synthetic corpus lives with the benchmark (scripts/, another TypeScript project).
interface Corpus {
  syntheticCvs(n: number, seed?: number, base?: number): CvDoc[];
  syntheticCv(i: number, seed?: number, base?: number): CvDoc;
}
const CORPUS_PATH = '../../../../scripts/bench-cvtheque/cv-corpus.ts';
let corpus: Corpus;
beforeAll(async () => {
  corpus = (await import(/* @vite-ignore */ CORPUS_PATH)) as Corpus;
});

const NOW = new Date('2026-12-01T00:00:00.000Z');
const CARCASSONNE = { code: '11069', label: 'Carcassonne', lat: 43.213, lon: 2.3491 };

/** What the server does: every CV through scoreCv, sorted with compareCvHits. */
const stemsOf = new WeakMap<CvDoc, Map<string, number>>();
function bruteForce(docs: CvDoc[], criteria: CvSearchCriteria, limit = 200) {
  const search = prepareCvSearch(criteria, NOW);
  const hits: CvHit[] = [];
  for (const d of docs) {
    let stems = stemsOf.get(d);
    if (!stems) {
      stems = cvStems(d);
      stemsOf.set(d, stems);
    }
    const h = scoreCv(search, d, stems);
    if (h) hits.push(h);
  }
  hits.sort(compareCvHits);
  return { total: hits.length, hits: hits.slice(0, limit) };
}

const QUERIES: CvSearchCriteria[] = [
  {},
  { keywords: 'serveuses' },
  { keywords: 'Infirmière diplômée' },
  { keywords: 'boulangère pâtisserie' },
  { keywords: 'aide-soignants EHPAD' },
  { keywords: 'CACES R489 cariste' },
  { keywords: 'électricienne', rqthOnly: true },
  { place: CARCASSONNE },
  { place: CARCASSONNE, radiusKm: 30 },
  { keywords: 'cuisinier', place: CARCASSONNE, radiusKm: 100, rqthOnly: true },
  { place: { code: '31555', label: 'Toulouse', lat: 43.6045, lon: 1.4442 }, radiusKm: 5 },
  { qualifications: ['employe_qualifie', 'technicien'], contractTypes: ['CDI'] },
  { domains: ['J', 'K'], availability: ['immediate'] },
  { languages: ['ANGLAIS'], licences: ['B'] },
  { licences: ['B', 'CE'], keywords: 'chauffeur' },
  { romeCodes: ['G1803', 'G1602'], appellationCode: '38585' },
  { rqthOnly: true, languages: ['occitan'] },
  { keywords: 'plombier zingueur' },
  { languages: ['klingon'] },
];

describe('LocalCvIndex (sans base)', () => {
  it('trouve exactement ce que scoreCv trouve sur tous les CV, dans le même ordre', () => {
    const docs = corpus.syntheticCvs(1500, 7, NOW.getTime());
    const index = new LocalCvIndex();
    for (const d of docs) index.add(d);
    for (const criteria of QUERIES) {
      const expected = bruteForce(docs, criteria);
      const got = index.search(criteria, { now: NOW });
      const label = JSON.stringify(criteria);
      expect(got.source).toBe('local');
      expect(got.total, label).toBe(expected.total);
      expect(
        got.hits.map((h) => `${h.doc.id}:${h.score}:${h.distanceKm ?? ''}`),
        label,
      ).toEqual(expected.hits.map((h) => `${h.doc.id}:${h.score}:${h.distanceKm ?? ''}`));
    }
    // The corpus exercises the filters: most queries find something, some do not.
    const totals = QUERIES.map((q) => bruteForce(docs, q).total);
    expect(totals.filter((t) => t > 0).length).toBeGreaterThanOrEqual(QUERIES.length - 3);
    expect(totals[0]).toBe(1500);
  });

  it('remplace une version, oublie un CV supprimé, et le reste après compactage', () => {
    const docs = corpus.syntheticCvs(3000, 3, NOW.getTime());
    const index = new LocalCvIndex();
    for (const d of docs) index.add(d);
    // 1,300 deletions trigger a compaction of the lists.
    const removed = new Set(docs.slice(0, 1300).map((d) => d.id));
    for (const id of removed) index.remove(id);
    const changed = { ...docs[2000]!, title: 'Zingueuse couvreuse', updatedAt: '2026-11-30T00:00:00.000Z' };
    index.add(changed);
    const left = docs.filter((d) => !removed.has(d.id)).map((d) => (d.id === changed.id ? changed : d));
    expect(index.size).toBe(1700);
    for (const criteria of [...QUERIES, { keywords: 'zingueur' }, { keywords: docs[2000]!.title }]) {
      const expected = bruteForce(left, criteria);
      const got = index.search(criteria, { now: NOW });
      expect(got.total, JSON.stringify(criteria)).toBe(expected.total);
      expect(got.hits.map((h) => h.doc.id)).toEqual(expected.hits.map((h) => h.doc.id));
    }
    expect(index.search({ keywords: 'zingueuses' }, { now: NOW }).hits.map((h) => h.doc.id)).toEqual([
      changed.id,
    ]);
  });

  it('au plus 200 résultats, le total les compte tous', () => {
    const index = new LocalCvIndex();
    for (const d of corpus.syntheticCvs(600, 5, NOW.getTime())) index.add(d);
    const all = index.search({}, { now: NOW });
    expect(all.total).toBe(600);
    expect(all.hits).toHaveLength(200);
    for (let i = 1; i < all.hits.length; i++)
      expect(compareCvHits(all.hits[i - 1]!, all.hits[i]!)).toBeLessThan(0);
    expect(index.search({}, { now: NOW, limit: 10 }).hits).toHaveLength(10);
  });

  it('statistiques : CV, racines, mémoire', () => {
    const index = new LocalCvIndex();
    for (const d of corpus.syntheticCvs(400, 9, NOW.getTime())) index.add(d);
    const s = index.stats();
    expect(s.cvs).toBe(400);
    expect(s.stems).toBeGreaterThan(100);
    expect(s.approxBytes).toBeGreaterThan(400 * 500);
    expect(s.approxBytes).toBeLessThan(400 * 20_000);
  });
});

describe('LocalCvIndex sur la collection RxDB `cvs`', () => {
  let db: RxDatabase<{ cvs: CvCollection }> | null = null;
  afterEach(async () => {
    await db?.remove();
    db = null;
  });

  async function open(name: string) {
    db = await createRxDatabase<{ cvs: CvCollection }>({ name, storage: getRxStorageMemory() });
    await db.addCollections({
      cvs: { schema: cvSchema, migrationStrategies: migrationStrategiesFor('cvs') },
    });
    return db;
  }

  const waitFor = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(check()).toBe(true);
  };

  it('se construit depuis la collection puis suit insertions, mises à jour et suppressions', async () => {
    const d = await open('cvtheque_index_1');
    const docs = corpus.syntheticCvs(300, 11, NOW.getTime());
    await d.cvs.bulkInsert(docs);
    const index = getLocalCvIndex(d);
    expect(getLocalCvIndex(d)).toBe(index);
    // One index per collection, whatever object carries it.
    expect(getLocalCvIndex({ cvs: d.cvs })).toBe(index);
    const ms = await index.ready();
    expect(ms).toBeGreaterThan(0);
    expect(index.stats().buildMs).toBe(ms);
    expect(index.size).toBe(300);

    let notified = 0;
    index.onChange(() => notified++);
    const fresh: CvDoc = {
      ...corpus.syntheticCv(5000, 11, NOW.getTime()),
      title: 'Ébéniste',
      rqth: 'reconnue',
      commune: { code: '11069', name: 'Carcassonne', lat: 43.213, lon: 2.3491 },
    };
    await d.cvs.insert(fresh);
    await waitFor(() => index.has(fresh.id));
    const found = await searchLocal(
      d,
      { keywords: 'ébénistes', rqthOnly: true, place: CARCASSONNE },
      { now: NOW },
    );
    expect(found.hits.map((h) => h.doc.id)).toEqual([fresh.id]);
    expect(found.hits[0]!.doc).not.toHaveProperty('_meta');
    expect(found.source).toBe('local');

    // Update: the old words no longer find it, the new ones do.
    await d.cvs.findOne(fresh.id).incrementalPatch({ title: 'Tapissière' });
    await waitFor(() => index.search({ keywords: 'ébéniste' }, { now: NOW }).total === 0);
    expect(index.search({ keywords: 'tapissier' }, { now: NOW }).hits.map((h) => h.doc.id)).toEqual([
      fresh.id,
    ]);

    // Deletion (a CV no longer visible leaves the replica).
    await d.cvs.findOne(docs[0]!.id).remove();
    await waitFor(() => !index.has(docs[0]!.id));
    expect(index.size).toBe(300);
    expect(notified).toBeGreaterThanOrEqual(3);
    const all = docs.slice(1).concat([{ ...fresh, title: 'Tapissière' }]);
    for (const criteria of QUERIES) {
      expect(index.search(criteria, { now: NOW }).total, JSON.stringify(criteria)).toBe(
        bruteForce(all, criteria).total,
      );
    }
  });

  it('un lot répliqué ne prévient l’écran qu’une fois', async () => {
    const d = await open('cvtheque_index_4');
    const index = getLocalCvIndex(d);
    await index.ready();
    let notified = 0;
    index.onChange(() => notified++);
    await d.cvs.bulkInsert(corpus.syntheticCvs(50, 17, NOW.getTime()));
    await waitFor(() => index.size === 50);
    await new Promise((r) => setTimeout(r, 20));
    expect(notified).toBe(1);
  });

  it('refuse des critères invalides avec des messages en français', async () => {
    const d = await open('cvtheque_index_2');
    await expect(searchLocal(d, { radiusKm: 10 }, { now: NOW })).rejects.toBeInstanceOf(LocalSearchError);
    await expect(searchLocal(d, { radiusKm: 10 }, { now: NOW })).rejects.toThrow(/Choisissez une commune/);
  });

  it('les écritures faites pendant la construction ne sont pas perdues', async () => {
    const d = await open('cvtheque_index_3');
    await d.cvs.bulkInsert(corpus.syntheticCvs(200, 13, NOW.getTime()));
    const index = getLocalCvIndex(d);
    const extra = corpus.syntheticCvs(220, 13, NOW.getTime()).slice(200);
    await Promise.all([index.ready(), d.cvs.bulkInsert(extra)]);
    await waitFor(() => index.size === 220);
  });
});
