import type { FilePurpose } from '../../../../shared/domain/files';
import { loadLocalDataKey } from '../../db/local-key';
import { onServerReachableChange } from '../../lib/network-status';
import { fileStatus, uploadFile } from './file-api';
import { type FileStore, LOCAL_STORE_ERROR, openFileStore } from './file-store';
import type { PreparedFile } from './prepare-file';
import { protectFileStore } from './protected-file-store';
import { UploadQueue } from './upload-queue';

/**
 * The signed-in user's local file store and upload queue: one pair per user, opened on first use.
 * The app calls `startFileServices(user.id)` when a session opens (so files left by an earlier run
 * are sent) and `closeFileServices()` on sign-out.
 */

export interface FileServices {
  userId: string;
  store: FileStore;
  queue: UploadQueue;
}

let current: FileServices | null = null;

function onReconnect(listener: () => void): () => void {
  const offReachable = onServerReachableChange((reachable) => {
    if (reachable) listener();
  });
  const onOnline = () => listener();
  globalThis.addEventListener?.('online', onOnline);
  return () => {
    offReachable();
    globalThis.removeEventListener?.('online', onOnline);
  };
}

export function fileServicesFor(userId: string): FileServices {
  if (current?.userId === userId) return current;
  closeFileServices();
  // Encrypted with the user's data key on the desktop (the same key as the replica's sensitive fields).
  const store = protectFileStore(openFileStore(userId), () => loadLocalDataKey(userId).then((k) => k.key));
  const queue = new UploadQueue(store, { status: fileStatus, upload: uploadFile }, { onReconnect });
  current = { userId, store, queue };
  void queue.start().catch(() => undefined);
  return current;
}

/** Opens this user's file services and resumes the uploads a previous run left. */
export function startFileServices(userId: string): void {
  fileServicesFor(userId);
}

export function closeFileServices(): void {
  current?.queue.stop();
  current = null;
}

/**
 * Keeps a checked file on this workstation and queues its upload. When this resolves, a document
 * may refer to the file's hash and be saved, even offline.
 */
export async function keepAndQueue(
  services: FileServices,
  prepared: Extract<PreparedFile, { ok: true }>,
  purpose: FilePurpose,
): Promise<void> {
  try {
    await services.store.putFile({
      sha256: prepared.sha256,
      blob: prepared.blob,
      mime: prepared.mime,
      size: prepared.size,
      storedAt: Date.now(),
    });
    await services.queue.enqueue(prepared.sha256, purpose);
  } catch {
    throw new Error(LOCAL_STORE_ERROR);
  }
}
