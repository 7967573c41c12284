import { type AtRestKey, openBytes, sealBytes } from '../../db/at-rest';
import type { FileStore, StoredFile } from './file-store';

/**
 * The local file store with the files' bytes encrypted by the user's data key (desktop): CVs and
 * letters kept for offline reading, files waiting for upload. Each file is sealed with AES-GCM and
 * bound to its SHA-256 (`file:<sha256>`). Without a key (web workstation) the store is unchanged;
 * a sealed file that cannot be opened counts as not kept (it is downloaded again).
 */
export function protectFileStore(inner: FileStore, keyOf: () => Promise<AtRestKey | null>): FileStore {
  return {
    ...inner,
    async putFile(file) {
      const key = await keyOf();
      if (!key) return inner.putFile(file);
      const clear = new Uint8Array(await file.blob.arrayBuffer());
      const sealed = await sealBytes(key, `file:${file.sha256}`, clear);
      const stored: StoredFile = {
        ...file,
        blob: new Blob([sealed], { type: 'application/octet-stream' }),
        sealed: true,
      };
      return inner.putFile(stored);
    },
    async getFile(sha256) {
      const stored = await inner.getFile(sha256);
      if (!stored?.sealed) return stored;
      const key = await keyOf();
      if (!key) return null;
      try {
        const sealed = new Uint8Array(await stored.blob.arrayBuffer());
        const clear = await openBytes(key, `file:${sha256}`, sealed);
        const { sealed: _sealed, ...rest } = stored;
        return { ...rest, blob: new Blob([clear], { type: stored.mime }) };
      } catch {
        return null;
      }
    },
  };
}
