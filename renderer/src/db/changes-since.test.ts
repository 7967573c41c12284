import {
  addRxPlugin,
  createRxDatabase,
  getChangedDocumentsSince,
  getChangedDocumentsSinceQuery,
  prepareQuery,
  type RxDatabase,
  type RxStorageInstance,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { blankOffer, offerSchema } from '../../../shared/schemas/offer.schema';
import { withIndexedChangesSince } from './changes-since';

function offer(i: number) {
  const id = `00000000-0000-4000-8000-${String(i * 7919).padStart(12, '0')}`;
  return { ...blankOffer(id, 'org', 'brouillon', '2026-11-22T00:00:00.000Z'), title: `Offre ${i} H/F` };
}

type Read = (cp: unknown) => Promise<{ documents: Record<string, unknown>[]; checkpoint: unknown }>;

async function walk(read: Read): Promise<string[]> {
  const out: string[] = [];
  let cp: unknown;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await read(cp);
    if (page.documents.length === 0) return out;
    for (const d of page.documents) out.push(`${d.id}@${d._rev}@${d._deleted}`);
    cp = page.checkpoint;
  }
  throw new Error('no end');
}

// Offers are at schema version 1: RxDB needs the migration plugin to open them.
addRxPlugin(RxDBMigrationSchemaPlugin);

describe('withIndexedChangesSince', () => {
  let db: RxDatabase | null = null;
  afterEach(async () => {
    await db?.remove();
    db = null;
  });

  it('returns what RxDB’s own query returns, page by page, across batches sharing one lwt', async () => {
    db = await createRxDatabase({
      name: 'changes_since_1',
      storage: withIndexedChangesSince(getRxStorageMemory()),
    });
    await db.addCollections({ offers: { schema: offerSchema } });
    const offers = db.collections.offers!;
    await offers.bulkInsert(Array.from({ length: 250 }, (_, i) => offer(i))); // one lwt for 250 docs
    for (let i = 250; i < 270; i++) await offers.insert(offer(i));
    for (const i of [3, 120, 260])
      await offers.findOne(offer(i).id).incrementalPatch({ title: `Modifiée ${i}` });
    await offers.findOne(offer(7).id).remove();

    const instance = offers.storageInstance as unknown as RxStorageInstance<unknown, unknown, unknown>;
    expect(typeof instance.getChangedDocumentsSince).toBe('function');
    for (const limit of [1, 7, 50, 1000]) {
      const mine = await walk((cp) => getChangedDocumentsSince(instance, limit, cp as never) as never);
      const theirs = await walk(async (cp) => {
        const q = prepareQuery(instance.schema, getChangedDocumentsSinceQuery(instance, limit, cp as never));
        const documents = (await instance.query(q)).documents as unknown as Record<string, unknown>[];
        const last = documents.at(-1) as { id: string; _meta: { lwt: number } } | undefined;
        return { documents, checkpoint: last ? { id: last.id, lwt: last._meta.lwt } : cp };
      });
      expect(mine).toHaveLength(270);
      expect(mine).toEqual(theirs);
    }
    // Past the end: no documents, the checkpoint is kept.
    const end = await getChangedDocumentsSince(instance, 10, {
      id: 'zzz',
      lwt: Number.MAX_SAFE_INTEGER,
    } as never);
    expect(end.documents).toEqual([]);
    expect(end.checkpoint).toEqual({ id: 'zzz', lwt: Number.MAX_SAFE_INTEGER });
  });
});
