import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type BatchEvent, CORRUPT_DOWNLOAD_MESSAGE, type DownloadResult } from '../files/file-api';
import { memoryFileStore } from '../files/file-store';
import {
  type FileDownloads,
  type FileNeed,
  type FileOutcome,
  fetchMany,
  LOCAL_SAVE_MESSAGE,
  MISSING_FILE_MESSAGE,
  OFFLINE_FILE_MESSAGE,
  progressText,
} from './prepare';

/** Issue 6, « Préparer le salon » by batches of files: plan, progress, errors, fallbacks. */

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const contentOf = (i: number) => new TextEncoder().encode(`%PDF-1.4 CV n° ${i}\n`);

interface FakeServer {
  downloads: FileDownloads;
  batchCalls: string[][];
  singleCalls: string[];
  maxInFlight: () => number;
}

/**
 * A fake server holding `count` files (need i ↔ contentOf(i)); `answer` may change a batch's
 * events (drop files, mark missing or deferred, fail).
 */
function fakeServer(
  files: Map<string, Uint8Array>,
  answer: (hashes: readonly string[], call: number) => BatchEvent[] | null = () => null,
): FakeServer {
  const batchCalls: string[][] = [];
  const singleCalls: string[] = [];
  let inFlight = 0;
  let max = 0;
  const downloads: FileDownloads = {
    async *batch(hashes) {
      batchCalls.push([...hashes]);
      inFlight++;
      max = Math.max(max, inFlight);
      try {
        await new Promise((r) => setTimeout(r, 2));
        const custom = answer(hashes, batchCalls.length - 1);
        if (custom) {
          yield* custom;
          return;
        }
        const missing: string[] = [];
        for (const h of hashes) {
          const bytes = files.get(h);
          if (bytes) yield { kind: 'file', sha256: h, mime: 'application/pdf', bytes };
          else missing.push(h);
        }
        yield { kind: 'end', missing, deferred: [] };
      } finally {
        inFlight--;
      }
    },
    async single(h): Promise<DownloadResult> {
      singleCalls.push(h);
      const bytes = files.get(h);
      return bytes
        ? { kind: 'ok', blob: new Blob([bytes as Uint8Array<ArrayBuffer>]), mime: 'application/pdf' }
        : { kind: 'missing' };
    },
  };
  return { downloads, batchCalls, singleCalls, maxInFlight: () => max };
}

function library(count: number) {
  const files = new Map<string, Uint8Array>();
  const needs: FileNeed[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = contentOf(i);
    files.set(sha(bytes), bytes);
    needs.push({ sha256: sha(bytes), role: 'cv-candidature', owner: `Candidat ${i}` });
  }
  return { files, needs };
}

async function run(needs: FileNeed[], server: FakeServer, store = memoryFileStore(), options = {}) {
  const outcomes = new Map<string, FileOutcome>();
  await fetchMany(
    needs,
    store,
    server.downloads,
    (need, outcome) => {
      expect(outcomes.has(need.sha256), `${need.owner} une seule fois`).toBe(false);
      outcomes.set(need.sha256, outcome);
    },
    options,
  );
  return { outcomes, store };
}

describe('fetchMany', () => {
  it('asks for the files by batches of 100, 2 requests at once, and stores each one checked', async () => {
    const { files, needs } = library(250);
    const server = fakeServer(files);
    // Progress as the event screen counts it: after each file, never going back.
    const progress = [0];
    const errors: FileOutcome[] = [];
    const store = memoryFileStore();
    await fetchMany(needs, store, server.downloads, (_need, outcome) => {
      if (outcome.status === 'local') progress.push(progress.at(-1)! + 1);
      else errors.push(outcome);
    });
    expect(server.batchCalls.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(new Set(server.batchCalls.flat()).size).toBe(250);
    expect(server.maxInFlight()).toBe(2);
    expect(server.singleCalls).toEqual([]);
    expect(errors).toEqual([]);
    expect(progressText(progress[0]!, needs.length)).toBe('0 fichier sur 250');
    expect(progress).toEqual(Array.from({ length: 251 }, (_, i) => i));
    const stored = await store.getFile(needs[42]!.sha256);
    expect(stored).toMatchObject({
      sha256: needs[42]!.sha256,
      mime: 'application/pdf',
      size: contentOf(42).length,
    });
    expect(new Uint8Array(await stored!.blob.arrayBuffer())).toEqual(contentOf(42));
  });

  it('downloads nothing that is already here, and each file once', async () => {
    const { files, needs } = library(5);
    const store = memoryFileStore();
    await store.putFile({
      sha256: needs[1]!.sha256,
      blob: new Blob(['x']),
      mime: 'application/pdf',
      size: 1,
      storedAt: 1,
    });
    const server = fakeServer(files);
    const { outcomes } = await run([...needs, needs[2]!], server, store);
    expect(server.batchCalls).toEqual([[0, 2, 3, 4].map((i) => needs[i]!.sha256)]);
    expect([...outcomes.values()].every((o) => o.status === 'local')).toBe(true);
    expect(outcomes.size).toBe(5);
  });

  it('refuses a file whose bytes do not match its name, and keeps the others', async () => {
    const { files, needs } = library(3);
    const server = fakeServer(files, (hashes) => [
      ...hashes.map(
        (h, i): BatchEvent => ({
          kind: 'file',
          sha256: h,
          mime: 'application/pdf',
          bytes: i === 1 ? new TextEncoder().encode('altéré') : files.get(h)!,
        }),
      ),
      { kind: 'end', missing: [], deferred: [] },
    ]);
    const { outcomes, store } = await run(needs, server);
    expect(outcomes.get(needs[1]!.sha256)).toEqual({ status: 'error', message: CORRUPT_DOWNLOAD_MESSAGE });
    expect(await store.getFile(needs[1]!.sha256)).toBeNull();
    expect(outcomes.get(needs[0]!.sha256)).toEqual({ status: 'local' });
    expect(outcomes.get(needs[2]!.sha256)).toEqual({ status: 'local' });
  });

  it('reports missing files, and downloads the deferred ones one by one', async () => {
    const { files, needs } = library(4);
    const [a, b, c, d] = needs.map((n) => n.sha256) as [string, string, string, string];
    const server = fakeServer(files, () => [
      { kind: 'file', sha256: a, mime: 'application/pdf', bytes: files.get(a)! },
      { kind: 'end', missing: [b], deferred: [c, d] },
    ]);
    const { outcomes } = await run(needs, server);
    expect(outcomes.get(b)).toEqual({ status: 'error', message: MISSING_FILE_MESSAGE });
    expect(server.singleCalls.sort()).toEqual([c, d].sort());
    expect([a, c, d].map((h) => outcomes.get(h))).toEqual([
      { status: 'local' },
      { status: 'local' },
      { status: 'local' },
    ]);
  });

  it('falls back to one by one for an older server (404 on the batch route), and stops asking it', async () => {
    const { files, needs } = library(150);
    files.delete(needs[7]!.sha256);
    const server = fakeServer(files, () => [{ kind: 'unsupported' }]);
    const { outcomes } = await run(needs, server, memoryFileStore(), { concurrency: 1 });
    expect(server.batchCalls).toHaveLength(1);
    expect(server.singleCalls).toHaveLength(150);
    expect(outcomes.get(needs[7]!.sha256)).toEqual({ status: 'error', message: MISSING_FILE_MESSAGE });
    expect([...outcomes.values()].filter((o) => o.status === 'local')).toHaveLength(149);
  });

  it('after a truncated answer, fetches the rest one by one; offline, says so per file', async () => {
    const { files, needs } = library(3);
    const [a] = needs.map((n) => n.sha256) as [string];
    const cut = fakeServer(files, () => [
      { kind: 'file', sha256: a, mime: 'application/pdf', bytes: files.get(a)! },
      { kind: 'error', message: 'La réponse du serveur a été interrompue avant la fin.' },
    ]);
    const first = await run(needs, cut);
    expect(cut.singleCalls).toEqual(needs.slice(1).map((n) => n.sha256));
    expect([...first.outcomes.values()].every((o) => o.status === 'local')).toBe(true);

    const offline = fakeServer(files, () => [{ kind: 'offline' }]);
    const second = await run(needs, offline);
    expect(offline.singleCalls).toEqual([]);
    expect([...second.outcomes.values()]).toEqual(
      needs.map(() => ({ status: 'error', message: OFFLINE_FILE_MESSAGE })),
    );
  });

  it('reports a file the store cannot keep', async () => {
    const { files, needs } = library(2);
    const store = memoryFileStore();
    const full = { ...store, putFile: async () => Promise.reject(new Error('QuotaExceededError')) };
    const { outcomes } = await run(needs, fakeServer(files), full);
    expect([...outcomes.values()]).toEqual(
      needs.map(() => ({ status: 'error', message: LOCAL_SAVE_MESSAGE })),
    );
  });

  it('stops when aborted: no more requests, no more outcomes', async () => {
    const { files, needs } = library(500);
    const abort = new AbortController();
    const server = fakeServer(files);
    let seen = 0;
    await fetchMany(
      needs,
      memoryFileStore(),
      server.downloads,
      () => {
        if (++seen === 150) abort.abort();
      },
      { signal: abort.signal },
    );
    expect(seen).toBe(150);
    expect(server.batchCalls.length).toBeLessThanOrEqual(3);
  });
});
