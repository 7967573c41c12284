import { describe, expect, it } from 'vitest';
import type { StoredFile } from '../files/file-store';
import { CV_FILE_MISSING_MESSAGE, CV_FILE_OFFLINE_MESSAGE, type FileSource, loadCvFile } from './file-cache';

const HASH = 'a'.repeat(64);

function memoryStore() {
  const files = new Map<string, StoredFile>();
  return {
    files,
    getFile: async (h: string) => files.get(h) ?? null,
    putFile: async (f: StoredFile) => {
      files.set(f.sha256, f);
    },
  };
}

describe('CV file cache', () => {
  it('downloads once, keeps the file, then reads it offline', async () => {
    const store = memoryStore();
    let downloads = 0;
    let online = true;
    const source: FileSource = {
      store,
      download: async () => {
        downloads++;
        return online
          ? { kind: 'ok', blob: new Blob(['%PDF-1.4'], { type: 'application/pdf' }), mime: 'application/pdf' }
          : { kind: 'offline' };
      },
    };
    const first = await loadCvFile(HASH, source);
    expect(first.status).toBe('ready');
    expect(first.status === 'ready' && first.fromCache).toBe(false);
    expect(store.files.get(HASH)?.mime).toBe('application/pdf');
    online = false;
    const second = await loadCvFile(HASH, source);
    expect(second.status === 'ready' && second.fromCache).toBe(true);
    expect(downloads).toBe(1);
    expect(second.status === 'ready' ? await second.blob.text() : '').toBe('%PDF-1.4');
  });

  it('says why a file cannot be shown', async () => {
    const store = memoryStore();
    expect(await loadCvFile(HASH, { store, download: async () => ({ kind: 'offline' }) })).toEqual({
      status: 'unavailable',
      message: CV_FILE_OFFLINE_MESSAGE,
    });
    expect(await loadCvFile(HASH, { store, download: async () => ({ kind: 'missing' }) })).toEqual({
      status: 'unavailable',
      message: CV_FILE_MISSING_MESSAGE,
    });
    expect((await loadCvFile('nope', { store, download: async () => ({ kind: 'missing' }) })).status).toBe(
      'unavailable',
    );
    expect(store.files.size).toBe(0);
  });
});
