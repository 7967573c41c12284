/// <reference types="vite/client" />
/**
 * CVthèque benchmark page (built with Vite, driven by scripts/bench-cvtheque.ts through
 * Playwright): an RxDB database on Dexie (IndexedDB) with the `cvs` collection, N synthetic
 * French CVs, the workstation's `LocalCvIndex`, the same searches done with a plain RxDB query,
 * and a PDF's first page rendered with pdf.js.
 */

import { GlobalWorkerOptions, getDocument, PDFWorker } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import {
  addRxPlugin,
  createRevision,
  createRxDatabase,
  getDefaultRxDocumentMeta,
  normalizeMangoQuery,
  now,
  prepareQuery,
  type RxCollection,
  type RxDatabase,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { LocalCvIndex } from '../../renderer/src/features/cvtheque/local-index';
import {
  type CvHit,
  type CvSearchCriteria,
  compareCvHits,
  cvStems,
  prepareCvSearch,
  scoreCv,
} from '../../shared/domain/cv-search';
import { type CvDoc, cvSchema } from '../../shared/schemas/cv.schema';
import { migrationStrategiesFor } from '../../shared/schemas/migrations';
import { syntheticCv } from './cv-corpus';

// Schema versions above 0 (cvs v1) need the migration plugin, as in the workstation.
addRxPlugin(RxDBMigrationSchemaPlugin);

type Db = RxDatabase<{ cvs: RxCollection<CvDoc> }>;

const NOW = new Date('2026-12-01T00:00:00.000Z');
let db: Db | null = null;
let index: LocalCvIndex | null = null;
let worker: PDFWorker | null = null;

async function open(name: string): Promise<Db> {
  if (db) return db;
  const d = await createRxDatabase<{ cvs: RxCollection<CvDoc> }>({
    name,
    storage: getRxStorageDexie(),
    multiInstance: false,
    eventReduce: true,
  });
  await d.addCollections({ cvs: { schema: cvSchema, migrationStrategies: migrationStrategiesFor('cvs') } });
  db = d;
  return d;
}

const heap = () => {
  const m = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory;
  return m ? m.usedJSHeapSize : null;
};
const gc = () => (globalThis as unknown as { gc?: () => void }).gc?.();

/** What a plain RxDB query does without the index: find, then filter and rank in JS. */
async function plainSearch(collection: RxCollection<CvDoc>, criteria: CvSearchCriteria, run: number) {
  const t0 = performance.now();
  // A selector RxDB can give to the storage (RQTH when asked), made unique per run (completeness
  // ≥ -run is always true) so that RxDB's query cache never answers instead of IndexedDB.
  const selector: Record<string, unknown> = { completeness: { $gte: -1 - run } };
  if (criteria.rqthOnly) selector.rqth = 'reconnue';
  const docs = await collection.find({ selector: selector as never }).exec();
  const search = prepareCvSearch(criteria, NOW);
  const hits: CvHit[] = [];
  for (const d of docs) {
    const doc = d.toJSON() as CvDoc;
    const hit = scoreCv(search, doc, cvStems(doc));
    if (hit) hits.push(hit);
  }
  hits.sort(compareCvHits);
  return {
    ms: performance.now() - t0,
    total: hits.length,
    first: hits[0]?.doc.id ?? null,
    read: docs.length,
  };
}

const bench = {
  /** Stores N synthetic CVs (as the replication writes them: storage bulkWrite, no validation). */
  async setup(name: string, count: number) {
    const d = await open(name);
    const existing = await d.cvs.count().exec();
    const t0 = performance.now();
    for (let i = existing; i < count; i += 2000) {
      const rows = [];
      for (let k = i; k < Math.min(count, i + 2000); k++) {
        rows.push({
          document: {
            ...syntheticCv(k, 1, NOW.getTime()),
            _deleted: false,
            _attachments: {},
            _meta: { ...getDefaultRxDocumentMeta(), lwt: now() },
            _rev: createRevision(d.token),
          },
        });
      }
      const res = await d.cvs.storageInstance.bulkWrite(rows as never, 'replication-downstream-bench');
      if (res.error.length > 0) throw new Error(`bulkWrite : ${JSON.stringify(res.error[0]).slice(0, 400)}`);
    }
    return { insertMs: performance.now() - t0, cvs: await d.cvs.count().exec(), inserted: count - existing };
  },

  /** Builds the index from the collection (IndexedDB read + indexing), with the heap before/after. */
  async build(name: string) {
    const d = await open(name);
    index?.dispose();
    index = null;
    gc();
    const before = heap();
    const built = new LocalCvIndex(d.cvs);
    const buildMs = await built.build();
    index = built;
    gc();
    const after = heap();
    return {
      buildMs,
      stats: built.stats(),
      heapBefore: before,
      heapAfter: after,
      memoryApi: before === null ? 'aucune' : 'performance.memory (usedJSHeapSize, après gc())',
    };
  },

  /** For comparison: the same documents read with RxDB's own query (cursor, documents converted). */
  async rxdbRead(name: string) {
    const d = await open(name);
    const t = performance.now();
    const instance = d.cvs.storageInstance;
    const mango = normalizeMangoQuery(instance.schema, {
      selector: { _deleted: { $eq: false } },
      sort: [{ id: 'asc' }],
    } as never);
    const raw = await instance.query(prepareQuery(instance.schema, mango as never));
    return { readMs: performance.now() - t, count: raw.documents.length };
  },

  /** One indexed search: time, total, first id. */
  search(criteria: CvSearchCriteria) {
    if (!index) throw new Error('Index non construit.');
    const t0 = performance.now();
    const res = index.search(criteria, { now: NOW });
    return { ms: performance.now() - t0, total: res.total, first: res.hits[0]?.doc.id ?? null };
  },

  async plain(name: string, criteria: CvSearchCriteria, run: number) {
    const d = await open(name);
    return plainSearch(d.cvs, criteria, run);
  },

  /**
   * pdf.js: from the URL to the first page painted on a canvas. The first call starts pdf.js'
   * worker (as the first PDF opened in the app does); the next ones reuse it.
   */
  async pdf(url: string) {
    GlobalWorkerOptions.workerSrc = workerUrl;
    const t0 = performance.now();
    worker ??= new PDFWorker();
    const task = getDocument({ url, worker });
    const pdf = await task.promise;
    const tOpen = performance.now();
    const page = await pdf.getPage(1);
    const viewport = page.getViewport({ scale: 1.25 });
    const canvas = document.createElement('canvas');
    canvas.width = Math.ceil(viewport.width);
    canvas.height = Math.ceil(viewport.height);
    document.body.append(canvas);
    await page.render({ canvas, viewport }).promise;
    const total = performance.now() - t0;
    const pages = pdf.numPages;
    await task.destroy();
    canvas.remove();
    return { totalMs: total, openMs: tOpen - t0, renderMs: total - (tOpen - t0), pages };
  },

  async close() {
    index?.dispose();
    index = null;
    await db?.close();
    db = null;
  },
};

declare global {
  interface Window {
    cvBench: typeof bench;
  }
}
window.cvBench = bench;
document.getElementById('state')!.textContent = 'Prêt';
