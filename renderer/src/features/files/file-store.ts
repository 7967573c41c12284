import type { UploadJob } from './upload-queue-logic';

/**
 * The workstation's local file store (DESIGN §4, "Files"): the bytes of every file it needs
 * offline, by SHA-256, and the upload queue's jobs. Plain IndexedDB, one database per signed-in
 * user, beside (not inside) the RxDB replica: RxDB's free tier opens at most 13 collections and
 * the workstation needs them all.
 */

export interface StoredFile {
  sha256: string;
  blob: Blob;
  /** Type found in the content (never the file's name). */
  mime: string;
  size: number;
  storedAt: number;
  /** The blob is the file encrypted with the user's data key (protected-file-store.ts). */
  sealed?: boolean;
}

export interface FileStore {
  getFile(sha256: string): Promise<StoredFile | null>;
  putFile(file: StoredFile): Promise<void>;
  getJob(sha256: string): Promise<UploadJob | null>;
  allJobs(): Promise<UploadJob[]>;
  putJob(job: UploadJob): Promise<void>;
  deleteJob(sha256: string): Promise<void>;
}

const FILES = 'files';
const UPLOADS = 'uploads';
const VERSION = 1;

export function fileStoreNameFor(userId: string): string {
  return `ws_files_${userId.replace(/[^a-zA-Z0-9]/g, '').toLowerCase()}`;
}

export const LOCAL_STORE_ERROR =
  'Impossible d’enregistrer le fichier sur ce poste (espace de stockage plein ou navigation privée ?).';

function promised<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error(LOCAL_STORE_ERROR));
  });
}

function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES, { keyPath: 'sha256' });
      if (!db.objectStoreNames.contains(UPLOADS)) db.createObjectStore(UPLOADS, { keyPath: 'sha256' });
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema: let it, we reopen on next use.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    request.onerror = () => reject(request.error ?? new Error(LOCAL_STORE_ERROR));
    request.onblocked = () => reject(new Error(LOCAL_STORE_ERROR));
  });
}

/** A store in IndexedDB, opened on first use. */
export function indexedDbFileStore(name: string): FileStore {
  let opening: Promise<IDBDatabase> | null = null;
  const db = () => {
    opening ??= openDatabase(name).catch((err) => {
      opening = null;
      throw err;
    });
    return opening;
  };
  async function run<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>) {
    const tx = (await db()).transaction(store, mode);
    const result = promised(fn(tx.objectStore(store)));
    if (mode === 'readonly') return result;
    // A write counts once its transaction has committed.
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error(LOCAL_STORE_ERROR));
      tx.onabort = () => reject(tx.error ?? new Error(LOCAL_STORE_ERROR));
    });
    return result;
  }
  return {
    getFile: async (sha256) => ((await run(FILES, 'readonly', (s) => s.get(sha256))) as StoredFile) ?? null,
    putFile: async (file) => {
      await run(FILES, 'readwrite', (s) => s.put(file));
    },
    getJob: async (sha256) => ((await run(UPLOADS, 'readonly', (s) => s.get(sha256))) as UploadJob) ?? null,
    allJobs: async () => (await run(UPLOADS, 'readonly', (s) => s.getAll())) as UploadJob[],
    putJob: async (job) => {
      await run(UPLOADS, 'readwrite', (s) => s.put(job));
    },
    deleteJob: async (sha256) => {
      await run(UPLOADS, 'readwrite', (s) => s.delete(sha256));
    },
  };
}

/** A store in memory: for tests, and where IndexedDB is missing. */
export function memoryFileStore(): FileStore {
  const files = new Map<string, StoredFile>();
  const jobs = new Map<string, UploadJob>();
  return {
    getFile: async (sha256) => files.get(sha256) ?? null,
    putFile: async (file) => {
      files.set(file.sha256, file);
    },
    getJob: async (sha256) => jobs.get(sha256) ?? null,
    allJobs: async () => [...jobs.values()],
    putJob: async (job) => {
      jobs.set(job.sha256, { ...job });
    },
    deleteJob: async (sha256) => {
      jobs.delete(sha256);
    },
  };
}

export function openFileStore(userId: string): FileStore {
  return typeof indexedDB === 'undefined' ? memoryFileStore() : indexedDbFileStore(fileStoreNameFor(userId));
}
