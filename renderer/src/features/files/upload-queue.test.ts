import { describe, expect, it } from 'vitest';
import type { FilePurpose } from '../../../../shared/domain/files';
import { memoryFileStore } from './file-store';
import { MISSING_LOCAL_FILE_MESSAGE, UploadQueue, type UploadTransport } from './upload-queue';
import { OFFLINE_MESSAGE, type UploadOutcome } from './upload-queue-logic';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

/** A server that holds files and can be switched off. */
function fakeServer() {
  const stored = new Map<string, Blob>();
  const calls: string[] = [];
  const server = {
    online: true,
    refuse: null as string | null,
    stored,
    calls,
    transport: {
      status: async (sha256) => {
        calls.push(`status ${sha256[0]}`);
        if (!server.online) return { kind: 'offline' };
        return stored.has(sha256) ? { kind: 'uploaded' } : { kind: 'absent' };
      },
      upload: async (sha256: string, purpose: FilePurpose, blob: Blob): Promise<UploadOutcome> => {
        calls.push(`put ${sha256[0]} ${purpose}`);
        if (!server.online) return { kind: 'offline' };
        if (server.refuse) return { kind: 'refused', message: server.refuse };
        stored.set(sha256, blob);
        return { kind: 'uploaded' };
      },
    } satisfies UploadTransport,
  };
  return server;
}

function setup() {
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const store = memoryFileStore();
  const server = fakeServer();
  const reconnect = new Set<() => void>();
  const make = () =>
    new UploadQueue(store, server.transport, {
      now: clock.now,
      random: () => 0.5,
      onReconnect: (l) => {
        reconnect.add(l);
        return () => reconnect.delete(l);
      },
    });
  const keep = (sha256: string) =>
    store.putFile({ sha256, blob: new Blob([sha256]), mime: 'image/png', size: 64, storedAt: now });
  return { clock, store, server, make, keep, reconnect };
}

describe('UploadQueue', () => {
  it('sends a queued file once and forgets the job', async () => {
    const { server, make, keep, store } = setup();
    const queue = make();
    await keep(A);
    await queue.enqueue(A, 'logo');
    expect(queue.getSnapshot()).toMatchObject({ pending: 1 });
    await queue.runDue();
    expect(server.stored.has(A)).toBe(true);
    expect(server.calls).toEqual(['status a', 'put a logo']);
    expect(queue.getSnapshot()).toEqual({ pending: 0, uploading: 0, refused: 0, lastError: null });
    expect(await store.allJobs()).toEqual([]);
  });

  it('does not send a file the server already has', async () => {
    const { server, make, keep } = setup();
    server.stored.set(A, new Blob(['x']));
    const queue = make();
    await keep(A);
    await queue.enqueue(A, 'logo');
    await queue.runDue();
    expect(server.calls).toEqual(['status a']);
    expect(queue.list()).toEqual([]);
  });

  it('offline: waits with a growing delay, survives a restart, and goes when the server answers', async () => {
    const { server, make, keep, clock, store, reconnect } = setup();
    server.online = false;
    const first = make();
    await keep(A);
    await keep(B);
    await first.enqueue(A, 'logo');
    await first.enqueue(B, 'banner');
    await first.runDue();
    expect(first.getSnapshot()).toEqual({ pending: 2, uploading: 0, refused: 0, lastError: OFFLINE_MESSAGE });
    expect(first.list().map((j) => j.attempts)).toEqual([1, 1]);
    clock.advance(1000);
    await first.runDue();
    expect(first.list().map((j) => j.attempts)).toEqual([1, 1]); // not due yet
    clock.advance(1000);
    await first.runDue();
    expect(first.list().map((j) => j.attempts)).toEqual([2, 2]);
    expect(first.list()[0]!.nextAttemptAt - clock.now()).toBe(4000);
    first.stop();

    // The app restarts: the jobs come back from the store.
    expect((await store.allJobs()).length).toBe(2);
    const second = make();
    await second.start();
    expect(second.getSnapshot().pending).toBe(2);
    server.online = true;
    for (const wake of reconnect) wake();
    await second.wakeAll();
    await second.runDue();
    expect([...server.stored.keys()].sort()).toEqual([A, B]);
    expect(second.getSnapshot().pending).toBe(0);
    second.stop();
  });

  it('an upload cut by a closed window is sent again at the next start', async () => {
    const { server, make, keep, store } = setup();
    await keep(A);
    await store.putJob({
      sha256: A,
      purpose: 'photo',
      state: 'uploading',
      attempts: 0,
      nextAttemptAt: 0,
      lastError: null,
      createdAt: 0,
      updatedAt: 0,
    });
    const queue = make();
    await queue.start();
    await queue.runDue();
    expect(server.stored.has(A)).toBe(true);
    queue.stop();
  });

  it('keeps a refused file with the server’s reason until retried', async () => {
    const { server, make, keep } = setup();
    server.refuse = 'Le fichier dépasse 1 Mo.';
    const queue = make();
    await keep(A);
    await queue.enqueue(A, 'logo');
    await queue.runDue();
    expect(queue.getSnapshot()).toEqual({
      pending: 0,
      uploading: 0,
      refused: 1,
      lastError: 'Le fichier dépasse 1 Mo.',
    });
    await queue.runDue();
    expect(server.calls.filter((c) => c.startsWith('put'))).toHaveLength(1);
    server.refuse = null;
    await queue.retryAll();
    await queue.runDue();
    expect(server.stored.has(A)).toBe(true);
    expect(queue.getSnapshot().refused).toBe(0);
  });

  it('says so when the file is no longer on this workstation', async () => {
    const { make } = setup();
    const queue = make();
    await queue.enqueue(B, 'logo');
    await queue.runDue();
    expect(queue.getSnapshot()).toMatchObject({ refused: 1, lastError: MISSING_LOCAL_FILE_MESSAGE });
  });

  it('notifies subscribers as the state changes', async () => {
    const { make, keep } = setup();
    const queue = make();
    const seen: number[] = [];
    const off = queue.subscribe(() => seen.push(queue.getSnapshot().pending));
    await keep(A);
    await queue.enqueue(A, 'logo');
    await queue.runDue();
    off();
    expect(seen).toContain(1);
    expect(seen.at(-1)).toBe(0);
  });
});
