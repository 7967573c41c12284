import { createRxDatabase, removeRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { type AtRestKey, protectAtRest } from './at-rest';
import { withIndexedChangesSince } from './changes-since';
import { collectionCreators, type WorkstationCollections, type WorkstationDatabase } from './collections';
import { loadLocalDataKey } from './local-key';
import { withPulledRecordsOnDemand } from './pulled-records';
import { validateLocalWrites } from './validate-storage';

/**
 * One local database per signed-in user (DESIGN §5, client side): Dexie (IndexedDB) storage,
 * z-schema validation of local writes (no eval under the CSP), on the desktop the sensitive
 * fields encrypted at rest with the user's key (at-rest.ts), and the replication's records of
 * pulled documents made from the documents (pulled-records.ts). Never dev-mode here: it loads a remote iframe.
 */

export function databaseNameFor(userId: string): string {
  return `ws_${userId.replace(/[^a-zA-Z0-9]/g, '').toLowerCase()}`;
}

let current: { userId: string; promise: Promise<WorkstationDatabase> } | null = null;

function storage(key: AtRestKey | null = null) {
  const schemas = Object.values(collectionCreators).map((c) => c.schema);
  // The replication's records of pulled documents are made from them (pulled-records.ts), under
  // the at-rest protection so that what they copy is what is stored.
  const dexie = withPulledRecordsOnDemand(getRxStorageDexie());
  return withIndexedChangesSince(
    validateLocalWrites(
      key ? protectAtRest(dexie, key, schemas as never) : dexie,
      schemas.map((s) => s.title ?? ''),
    ),
  );
}

async function create(userId: string): Promise<WorkstationDatabase> {
  const { key } = await loadLocalDataKey(userId);
  const db = await createRxDatabase<WorkstationCollections>({
    name: databaseNameFor(userId),
    storage: storage(key),
    multiInstance: true,
    eventReduce: true,
  });
  await db.addCollections(collectionCreators);
  return db;
}

/** Opens (once) the database of this user, closing another user's database first. */
export async function openUserDatabase(userId: string): Promise<WorkstationDatabase> {
  if (current && current.userId === userId) return current.promise;
  await closeUserDatabase();
  const promise = create(userId);
  current = { userId, promise };
  try {
    return await promise;
  } catch (err) {
    if (current?.promise === promise) current = null;
    throw err;
  }
}

/** Closes the open database (local data is kept for the next sign-in). */
export async function closeUserDatabase(): Promise<void> {
  const open = current;
  current = null;
  if (!open) return;
  try {
    const db = await open.promise;
    await db.close();
  } catch {
    // A database that failed to open has nothing to close.
  }
}

/**
 * Deletes this user's local database (every collection, the replication's state), closing it
 * first if it is open: « effacer les données de cet ordinateur », or a session revoked remotely.
 */
export async function removeUserDatabase(userId: string): Promise<void> {
  if (current?.userId === userId) await closeUserDatabase();
  // RxDB empties each collection's storage (Dexie clears its tables)…
  await removeRxDatabase(databaseNameFor(userId), storage(), true);
  // …then the IndexedDB databases themselves go, names included.
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  const prefix = `rxdb-dexie-${databaseNameFor(userId)}--`;
  const names = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith(prefix));
  await Promise.all(names.map(deleteIndexedDb));
}

/** Deletes one IndexedDB database (an open connection closes on `versionchange`, then it goes). */
export function deleteIndexedDb(name: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(name));
  });
}
