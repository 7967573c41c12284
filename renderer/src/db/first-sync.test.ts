import { createRxDatabase, type RxCollection } from 'rxdb';
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncCheckpoint } from '../../../shared/sync/protocol';
import { Master, type Note, noteSchema, plain, type Stored } from '../test-support/memory-master';
import { type FirstSync, firstSync } from './first-sync';
import { withPulledRecordsOnDemand } from './pulled-records';

const opened: { closed: boolean; remove(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) if (!db.closed) await db.remove();
});

let counter = 0;
async function replica() {
  const db = await createRxDatabase<{ notes: RxCollection<Note> }>({
    name: `first_sync_${counter++}`,
    storage: withPulledRecordsOnDemand(getRxStorageMemory()),
    multiInstance: false,
  });
  await db.addCollections({ notes: { schema: noteSchema } });
  opened.push(db);
  return db;
}

const BATCH = 25;
/** The server's pages as the workstation asks them (the checkpoint is a position, as on the server). */
const pager =
  (master: Master, before?: (page: number) => Promise<void>) => async (checkpoint: SyncCheckpoint | null) => {
    const after = checkpoint?.seq ?? 0;
    pages.push(after);
    await before?.(pages.length);
    const page = master.pull(after, BATCH);
    return {
      documents: page.documents as never,
      checkpoint: page.documents.length > 0 ? { txid: '1', seq: page.checkpoint.seq } : null,
    };
  };
let pages: number[] = [];

/** The replication as the workstation starts it after a first sync (positions on both sides). */
async function replicate(collection: RxCollection<Note>, master: Master, first: FirstSync | null) {
  let pulls = 0;
  const replication = replicateRxCollection<Note, SyncCheckpoint>({
    collection,
    replicationIdentifier: 'first-sync-test',
    live: false,
    retryTime: 50,
    pull: {
      batchSize: BATCH,
      ...(first?.checkpoint ? { initialCheckpoint: first.checkpoint } : {}),
      handler: async (checkpoint) => {
        pulls++;
        const page = master.pull(checkpoint?.seq ?? 0, BATCH);
        return {
          documents: page.documents as never,
          checkpoint: { txid: '1', seq: page.checkpoint.seq },
        };
      },
    },
    push: {
      batchSize: BATCH,
      ...(first?.upstream ? { initialCheckpoint: first.upstream } : {}),
      handler: async (rows) => master.push(rows as never) as never,
    },
  });
  const errors: unknown[] = [];
  replication.error$.subscribe((e) => errors.push(e));
  await replication.awaitInitialReplication();
  await replication.cancel();
  expect(errors).toEqual([]);
  return { pulls };
}

function seeded(count: number): Master {
  const master = new Master();
  for (let i = 0; i < count; i++) master.write({ id: `n${i}`, title: `Note ${i}`, n: i, _deleted: false });
  return master;
}

afterEach(() => {
  pages = [];
});

describe('first sync of an empty replica', () => {
  it('writes every page, then the replication has nothing to pull or send; a later change starts from the server state', async () => {
    const master = seeded(110);
    master.write({ id: 'n5', title: 'Note 5', n: 5, _deleted: true });
    const db = await replica();
    const first = await firstSync(db.notes as never, pager(master), BATCH);
    expect(first?.documents).toBe(110);
    expect(pages).toEqual([0, 26, 51, 76, 101]);
    expect(await db.notes.count().exec()).toBe(109);
    const { pulls } = await replicate(db.notes, master, first);
    first?.close();
    expect(pulls).toBe(1); // from the first sync's checkpoint: nothing new
    expect(master.pushed).toEqual([]);

    await (await db.notes.findOne('n9').exec())!.incrementalPatch({ title: 'Modifiée ici' });
    await replicate(db.notes, master, null);
    expect(master.pushed).toEqual([
      {
        assumed: { id: 'n9', title: 'Note 9', n: 9, _deleted: false },
        doc: { id: 'n9', title: 'Modifiée ici', n: 9, _deleted: false },
      },
    ]);
  });

  it('a change made here during the first sync is sent, not left behind the starting position', async () => {
    const master = seeded(80);
    const db = await replica();
    const first = await firstSync(
      db.notes as never,
      pager(master, async (page) => {
        // While the pages come: a note typed here, and a pulled one changed.
        if (page === 2)
          await db.notes.insert({ id: 'ici', title: 'Saisie pendant la synchronisation', n: 1 });
        if (page === 3) await (await db.notes.findOne('n3').exec())!.incrementalPatch({ n: 33 });
      }),
      BATCH,
    );
    expect(first?.upstream).not.toBeNull();
    await replicate(db.notes, master, first);
    first?.close();
    expect(master.pushed.map((p) => [p.doc.id, p.assumed?.title ?? null, p.doc.n])).toEqual(
      expect.arrayContaining([
        ['ici', null, 1],
        ['n3', 'Note 3', 33],
      ]),
    );
    expect(plain(master.docs.get('n3')!.doc)).toEqual({ id: 'n3', title: 'Note 3', n: 33, _deleted: false });
    expect(master.docs.get('ici')?.doc.title).toBe('Saisie pendant la synchronisation');
  });

  it('a change written before the starting position but seen after the first sync is written again after it', async () => {
    const master = seeded(30);
    const db = await replica();
    const first = await firstSync(db.notes as never, pager(master), BATCH);
    // A write that began before the first sync's last one and ends after it: stored below the
    // replication's starting position, its event arriving late.
    const inner = db.notes.storageInstance.originalStorageInstance ?? db.notes.storageInstance;
    await inner.bulkWrite(
      [
        {
          document: {
            id: 'tard',
            title: 'Écrite en retard',
            n: 7,
            _deleted: false,
            _attachments: {},
            _rev: '1-local',
            _meta: { lwt: 1 },
          } as never,
        },
      ],
      'rx-collection-bulk-insert',
    );
    await new Promise((r) => setTimeout(r, 20));
    await replicate(db.notes, master, first);
    first?.close();
    expect(master.pushed.map((p) => p.doc.id)).toEqual(['tard']);
    expect((master.docs.get('tard')?.doc as Stored | undefined)?.title).toBe('Écrite en retard');
  });

  it('a document the server changes or deletes during the first sync ends as the server has it; a deletion made here is sent, not overwritten', async () => {
    const master = seeded(60);
    const db = await replica();
    const first = await firstSync(
      db.notes as never,
      pager(master, async (page) => {
        if (page !== 2) return;
        // After the first page is written: on the server, n3 changes and n4 is deleted (both come
        // again in a later page); here, n5 is deleted, then the server changes it too.
        await (await db.notes.findOne('n5').exec())!.incrementalRemove();
        master.write({ id: 'n3', title: 'Changée sur le serveur', n: 3, _deleted: false });
        master.write({ id: 'n4', title: 'Note 4', n: 4, _deleted: true });
        master.write({ id: 'n5', title: 'Aussi changée sur le serveur', n: 5, _deleted: false });
      }),
      BATCH,
    );
    await replicate(db.notes, master, first);
    first?.close();
    expect((await db.notes.findOne('n3').exec())?.title).toBe('Changée sur le serveur');
    expect(await db.notes.findOne('n4').exec()).toBeNull();
    // The deletion made here is not overwritten by the first sync: it is sent, against the state it
    // started from, and meets the server's change (RxDB's default handler here: the server's wins).
    expect(master.pushed.map((p) => [p.doc.id, p.doc._deleted, p.assumed?.title ?? null])).toEqual([
      ['n5', true, 'Note 5'],
    ]);
    expect((await db.notes.findOne('n5').exec())?.title).toBe('Aussi changée sur le serveur');
  });

  it('leaves a replica that has documents to the replication, and starts from nothing when offline', async () => {
    const master = seeded(10);
    const db = await replica();
    await db.notes.insert({ id: 'deja', title: 'Déjà là', n: 0 });
    expect(await firstSync(db.notes as never, pager(master), BATCH)).toBeNull();

    const empty = await replica();
    const offline = await firstSync(
      empty.notes as never,
      async () => {
        throw new Error('hors ligne');
      },
      BATCH,
    );
    expect(offline).toMatchObject({ checkpoint: null, upstream: null, documents: 0 });
    offline?.close();
    await replicate(empty.notes, master, offline);
    expect(await empty.notes.count().exec()).toBe(10);
  });
});
