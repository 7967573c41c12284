/**
 * A tiny key-value store on plain IndexedDB for the reference files (not RxDB: its free tier's
 * collections are all taken by the replica). Falls back to memory where IndexedDB is unavailable
 * (private windows of some browsers): the data is then downloaded again at the next start.
 */

export interface KeyValueStore {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

const DB_NAME = 'recrutement-reference';
const STORE = 'files';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB : échec de la requête'));
  });
}

function openDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB indisponible'));
    open.onblocked = () => reject(new Error('IndexedDB bloquée par un autre onglet'));
  });
}

export class IndexedDbStore implements KeyValueStore {
  private db: Promise<IDBDatabase> | null = null;

  private async store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    if (!this.db) {
      this.db = openDatabase();
      this.db.catch(() => {
        this.db = null;
      });
    }
    return (await this.db).transaction(STORE, mode).objectStore(STORE);
  }

  async get<T>(key: string): Promise<T | undefined> {
    return (await request((await this.store('readonly')).get(key))) as T | undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    await request((await this.store('readwrite')).put(value, key));
  }

  async delete(key: string): Promise<void> {
    await request((await this.store('readwrite')).delete(key));
  }
}

export class MemoryStore implements KeyValueStore {
  readonly data = new Map<string, unknown>();

  async get<T>(key: string): Promise<T | undefined> {
    return this.data.get(key) as T | undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    this.data.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.data.delete(key);
  }
}

/** IndexedDB when the environment has it, memory otherwise. */
export function defaultStore(): KeyValueStore {
  return typeof indexedDB === 'undefined' ? new MemoryStore() : new IndexedDbStore();
}
