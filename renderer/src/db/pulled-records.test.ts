import {
  addRxPlugin,
  createRxDatabase,
  type RxCollection,
  type RxConflictHandler,
  type RxStorage,
} from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { Master, type Note, plain, type Stored, noteSchema as schema } from '../test-support/memory-master';
import { deepEqual } from './conflict';
import { withPulledRecordsOnDemand } from './pulled-records';

addRxPlugin(RxDBMigrationSchemaPlugin);

/** The fields changed here since the state it started from, put on the server's state. */
const mergeHandler: RxConflictHandler<Note> = {
  isEqual: (a, b) => deepEqual(plain(a as Stored), plain(b as Stored)),
  resolve: async (input) => {
    const master = plain(input.realMasterState as Stored);
    const assumed = input.assumedMasterState ? plain(input.assumedMasterState as Stored) : null;
    resolvedWith.push(assumed);
    if (!assumed) return master;
    const mine = plain(input.newDocumentState as Stored);
    const out = { ...master };
    if (mine.title !== assumed.title) out.title = mine.title;
    if (mine.n !== assumed.n) out.n = mine.n;
    return out;
  },
};
let resolvedWith: (Stored | null)[] = [];

/** Records, below the wrapper, what reaches the replication's records and the documents. */
function spy<I, O>(inner: RxStorage<I, O>, log: { title: string; context: string; ids: string[] }[]) {
  return {
    ...inner,
    async createStorageInstance(params) {
      const instance = await inner.createStorageInstance(params);
      const bulkWrite = instance.bulkWrite.bind(instance);
      instance.bulkWrite = (rows, context) => {
        log.push({
          title: params.schema.title ?? '',
          context,
          ids: rows.map((r) => String((r.document as Record<string, unknown>).id)),
        });
        return bulkWrite(rows, context);
      };
      return instance;
    },
  } as RxStorage<I, O>;
}

const opened: { closed: boolean; remove(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) if (!db.closed) await db.remove();
  resolvedWith = [];
});

let counter = 0;
async function workstation(options: { lazy: boolean; name?: string } = { lazy: true }) {
  const log: { title: string; context: string; ids: string[] }[] = [];
  const memory = spy(getRxStorageMemory(), log);
  const db = await createRxDatabase<{ notes: RxCollection<Note> }>({
    name: options.name ?? `pulled_records_${counter++}`,
    storage: options.lazy ? withPulledRecordsOnDemand(memory) : memory,
    multiInstance: false,
  });
  await db.addCollections({ notes: { schema, conflictHandler: mergeHandler } });
  opened.push(db);
  const sync = async (master: Master) => {
    const replication = replicateRxCollection<Note, { seq: number }>({
      collection: db.notes,
      replicationIdentifier: 'notes-test',
      live: false,
      retryTime: 50,
      pull: {
        batchSize: 20,
        handler: async (checkpoint) => master.pull(checkpoint?.seq ?? 0, 20) as never,
      },
      push: { batchSize: 20, handler: async (rows) => master.push(rows as never) as never },
    });
    const errors: unknown[] = [];
    replication.error$.subscribe((e) => errors.push(e));
    await replication.awaitInitialReplication();
    await replication.cancel();
    expect(errors).toEqual([]);
  };
  const records = () =>
    log
      .filter((w) => w.title === 'RxReplicationProtocolMetaData')
      .flatMap((w) => w.ids.filter((id) => id.endsWith('|0')).map((id) => `${w.context} ${id.slice(0, -2)}`));
  return { db, sync, log, records };
}

function seeded(count: number): Master {
  const master = new Master();
  for (let i = 0; i < count; i++) master.write({ id: `n${i}`, title: `Note ${i}`, n: i, _deleted: false });
  return master;
}

describe('replication records of pulled documents, made from the documents', () => {
  it('a first sync writes no record per document; a change made here is pushed with the state it started from', async () => {
    const master = seeded(50);
    const ws = await workstation();
    await ws.sync(master);
    expect(await ws.db.notes.count().exec()).toBe(50);
    expect(ws.records()).toEqual([]);

    const note = await ws.db.notes.findOne('n7').exec();
    await note!.incrementalPatch({ title: 'Modifiée ici' });
    await ws.sync(master);
    expect(master.pushed).toEqual([
      {
        assumed: { id: 'n7', title: 'Note 7', n: 7, _deleted: false },
        doc: { id: 'n7', title: 'Modifiée ici', n: 7, _deleted: false },
      },
    ]);
    expect(master.docs.get('n7')?.doc.title).toBe('Modifiée ici');
    // Once pushed, the replication keeps its own record of that document.
    expect(ws.records()).toEqual(['replication-up-write-meta n7']);
  });

  it('pushes exactly what RxDB pushes when it writes every record', async () => {
    const runs = [];
    for (const lazy of [true, false]) {
      const master = seeded(30);
      const ws = await workstation({ lazy });
      await ws.sync(master);
      master.write({ id: 'n3', title: 'Changée sur le serveur', n: 3, _deleted: false });
      master.write({ id: 'n4', title: 'Note 4', n: 4, _deleted: true });
      await ws.sync(master);
      await (await ws.db.notes.findOne('n3').exec())!.incrementalPatch({ n: 33 });
      await (await ws.db.notes.findOne('n5').exec())!.incrementalPatch({ n: 55 });
      await (await ws.db.notes.findOne('n5').exec())!.incrementalPatch({ title: 'Deux fois' });
      await ws.db.notes.insert({ id: 'n4', title: 'Recréée ici', n: 44 });
      await ws.sync(master);
      runs.push({
        pushed: master.pushed,
        server: [...master.docs.values()].map((r) => r.doc),
        replica: (await ws.db.notes.find().exec()).map((d) => d.toJSON()),
        resolvedWith,
      });
      resolvedWith = [];
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]!.pushed.find((p) => p.doc.id === 'n4')?.assumed).toEqual({
      id: 'n4',
      title: 'Note 4',
      n: 4,
      _deleted: true,
    });
    expect(runs[0]!.pushed.find((p) => p.doc.id === 'n3')?.assumed?.title).toBe('Changée sur le serveur');
  });

  it('a change made here while the server changed the document is merged from the state it started from', async () => {
    const master = seeded(10);
    const ws = await workstation();
    await ws.sync(master);
    await (await ws.db.notes.findOne('n2').exec())!.incrementalPatch({ n: 99 });
    master.write({ id: 'n2', title: 'Titre du serveur', n: 2, _deleted: false });
    await ws.sync(master);
    // The push met the server's newer state: the handler had the pulled state to compare with.
    expect(resolvedWith).toEqual([{ id: 'n2', title: 'Note 2', n: 2, _deleted: false }]);
    expect(master.docs.get('n2')?.doc).toEqual({
      id: 'n2',
      title: 'Titre du serveur',
      n: 99,
      _deleted: false,
    });
    expect((await ws.db.notes.findOne('n2').exec())!.toJSON()).toEqual({
      id: 'n2',
      title: 'Titre du serveur',
      n: 99,
    });
  });

  it('random days of changes on both sides: the same pushes, server and replica as with every record written', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const runs = [];
      for (const lazy of [true, false]) {
        let state = seed;
        const random = () => {
          state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
          return state / 2_147_483_648;
        };
        const master = seeded(12);
        const ws = await workstation({ lazy });
        await ws.sync(master);
        let next = 12;
        for (let step = 0; step < 60; step++) {
          const roll = random();
          const id = `n${Math.floor(random() * next)}`;
          const onServer = master.docs.get(id)?.doc;
          const local = await ws.db.notes.findOne(id).exec();
          if (roll < 0.2 && onServer)
            master.write({ ...onServer, title: `Serveur ${step}`, _deleted: false });
          else if (roll < 0.3 && onServer) master.write({ ...onServer, _deleted: true });
          else if (roll < 0.6 && local) await local.incrementalPatch({ n: step });
          else if (roll < 0.7 && local) await local.incrementalRemove();
          else if (roll < 0.8) {
            const fresh = local ? `n${next++}` : id;
            await ws.db.notes.insert({ id: fresh, title: `Ici ${step}`, n: step });
          } else await ws.sync(master);
        }
        await ws.sync(master);
        await ws.sync(master);
        runs.push({
          pushed: master.pushed,
          server: [...master.docs.values()].map((r) => r.doc),
          replica: (await ws.db.notes.find().exec()).map((d) => d.toJSON()),
          resolvedWith,
        });
        resolvedWith = [];
      }
      expect(runs[0], `graine ${seed}`).toEqual(runs[1]);
      expect(runs[0]!.pushed.length, `graine ${seed}`).toBeGreaterThan(5);
    }
  });

  it('after a schema migration, the replication of the new version reads the records of its own collection', async () => {
    // The older version's storage is opened, migrated and removed while the new one is open: the
    // two have the same properties, and the new version's records must not be looked up in the old.
    const base = getRxStorageMemory();
    const closing = {
      ...base,
      async createStorageInstance(params) {
        const instance = await base.createStorageInstance(params);
        let closed = false;
        const close = instance.close.bind(instance);
        const find = instance.findDocumentsById.bind(instance);
        instance.close = () => {
          closed = true;
          return close();
        };
        // As Dexie's storage does once closed.
        instance.findDocumentsById = (ids, deleted) => {
          if (closed) throw new Error(`fermée : ${params.collectionName}`);
          return find(ids, deleted);
        };
        return instance;
      },
    } as typeof base;
    const run = async (lazy: boolean) => {
      const master = seeded(5);
      const name = `pulled_records_migration_${counter++}`;
      const open = async (version: number) => {
        const db = await createRxDatabase<{ notes: RxCollection<Note> }>({
          name,
          storage: lazy ? withPulledRecordsOnDemand(closing) : closing,
          multiInstance: false,
        });
        await db.addCollections({
          notes: {
            schema: { ...schema, version },
            conflictHandler: mergeHandler,
            ...(version > 0 ? { migrationStrategies: { 1: (d: Note) => d } } : {}),
          },
        });
        opened.push(db);
        return db;
      };
      const errors: unknown[] = [];
      const sync = async (db: Awaited<ReturnType<typeof open>>, identifier: string) => {
        const replication = replicateRxCollection<Note, { seq: number }>({
          collection: db.notes,
          replicationIdentifier: identifier,
          live: false,
          retryTime: 50,
          pull: { batchSize: 20, handler: async (cp) => master.pull(cp?.seq ?? 0, 20) as never },
          push: { batchSize: 20, handler: async (rows) => master.push(rows as never) as never },
        });
        replication.error$.subscribe((e) => errors.push(e));
        await replication.awaitInitialReplication();
        await replication.cancel();
      };
      const v0 = await open(0);
      await sync(v0, 'notes-v0');
      await (await v0.notes.findOne('n2').exec())!.incrementalPatch({ title: 'Avant la migration' });
      await v0.close();
      const v1 = await open(1);
      await (await v1.notes.findOne('n1').exec())!.incrementalPatch({ title: 'Après la migration' });
      await sync(v1, 'notes-v1');
      const result = {
        errors: errors.map(String),
        pushed: master.pushed,
        server: [...master.docs.values()].map((r) => r.doc),
        replica: (await v1.notes.find().exec()).map((d) => d.toJSON()),
      };
      resolvedWith = [];
      return result;
    };
    const lazy = await run(true);
    expect(lazy.errors).toEqual([]);
    expect(lazy).toEqual(await run(false));
  });

  it('after a restart, a change to a pulled document still starts from the server state', async () => {
    const master = seeded(5);
    const name = `pulled_records_restart_${counter++}`;
    const first = await workstation({ lazy: true, name });
    await first.sync(master);
    await (await first.db.notes.findOne('n1').exec())!.incrementalPatch({ title: 'Hors ligne' });
    await first.db.close();
    const second = await workstation({ lazy: true, name });
    expect(await second.db.notes.count().exec()).toBe(5);
    await second.sync(master);
    expect(master.pushed).toEqual([
      {
        assumed: { id: 'n1', title: 'Note 1', n: 1, _deleted: false },
        doc: { id: 'n1', title: 'Hors ligne', n: 1, _deleted: false },
      },
    ]);
  });
});
