import { describe, expect, it } from 'vitest';
import {
  BACKOFF,
  backoffDelay,
  dueJobs,
  dueNow,
  enqueueJob,
  finishAttempt,
  newUploadJob,
  nextWakeUp,
  OFFLINE_MESSAGE,
  outcomeOfStatus,
  recoverInterrupted,
  retryJob,
  startAttempt,
  summarize,
  type UploadJob,
} from './upload-queue-logic';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const middle = () => 0.5; // no jitter

describe('backoffDelay', () => {
  it('doubles from 2 s up to 5 minutes', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, middle))).toEqual([2000, 4000, 8000, 16000, 32000]);
    expect(backoffDelay(8, middle)).toBe(256_000);
    expect(backoffDelay(9, middle)).toBe(BACKOFF.maxMs);
    expect(backoffDelay(50, middle)).toBe(BACKOFF.maxMs);
    expect(backoffDelay(0, middle)).toBe(2000);
  });

  it('spreads each delay by at most 20 %, never above the cap', () => {
    expect(backoffDelay(3, () => 0)).toBe(6400);
    expect(backoffDelay(3, () => 0.999999)).toBe(9600);
    expect(backoffDelay(20, () => 0.999999)).toBe(BACKOFF.maxMs);
    expect(backoffDelay(20, () => 0)).toBe(BACKOFF.maxMs * 0.8);
  });
});

describe('job transitions', () => {
  it('pending → uploading → done', () => {
    const job = newUploadJob(A, 'logo', 1000);
    expect(job).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: 1000, lastError: null });
    const running = startAttempt(job, 1100);
    expect(running.state).toBe('uploading');
    expect(finishAttempt(running, { kind: 'uploaded' }, 1200)).toBeNull();
  });

  it('offline or a passing failure: back to pending, later each time, with a French reason', () => {
    let job = startAttempt(newUploadJob(A, 'logo', 0), 0);
    job = finishAttempt(job, { kind: 'offline' }, 10_000, middle)!;
    expect(job).toMatchObject({
      state: 'pending',
      attempts: 1,
      nextAttemptAt: 12_000,
      lastError: OFFLINE_MESSAGE,
    });
    job = finishAttempt(
      startAttempt(job, 12_000),
      { kind: 'retry', message: 'Erreur du serveur (503).' },
      12_500,
      middle,
    )!;
    expect(job).toMatchObject({
      state: 'pending',
      attempts: 2,
      nextAttemptAt: 16_500,
      lastError: 'Erreur du serveur (503).',
    });
    // Retry-After longer than the backoff wins.
    job = finishAttempt(
      startAttempt(job, 17_000),
      { kind: 'retry', message: 'Trop', retryAfterMs: 60_000 },
      17_000,
      middle,
    )!;
    expect(job.nextAttemptAt).toBe(77_000);
  });

  it('a refusal is final until the user retries or chooses the file again', () => {
    const refused = finishAttempt(
      startAttempt(newUploadJob(A, 'logo', 0), 0),
      { kind: 'refused', message: 'Le fichier dépasse 1 Mo.' },
      5,
    )!;
    expect(refused).toMatchObject({ state: 'refused', lastError: 'Le fichier dépasse 1 Mo.' });
    expect(dueJobs([refused], 1e12)).toEqual([]);
    expect(nextWakeUp([refused], 0)).toBeNull();
    expect(retryJob(refused, 50)).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 50,
      lastError: null,
    });
    expect(enqueueJob(refused, A, 'logo', 60)).toMatchObject({
      state: 'pending',
      nextAttemptAt: 60,
      createdAt: 0,
    });
  });

  it('queuing a file again keeps its running or waiting job', () => {
    const waiting = { ...newUploadJob(A, 'logo', 0), attempts: 3, nextAttemptAt: 9000 };
    expect(enqueueJob(waiting, A, 'logo', 100)).toBe(waiting);
    expect(enqueueJob(null, B, 'banner', 100)).toMatchObject({
      sha256: B,
      purpose: 'banner',
      state: 'pending',
    });
  });

  it('an upload interrupted by a closed window resumes as pending', () => {
    const running = startAttempt(newUploadJob(A, 'logo', 0), 10);
    expect(recoverInterrupted(running, 500)).toMatchObject({ state: 'pending', nextAttemptAt: 500 });
    const waiting = newUploadJob(B, 'logo', 0);
    expect(recoverInterrupted(waiting, 500)).toBe(waiting);
  });

  it('back online, waiting jobs are due now and keep their failure count', () => {
    const waiting: UploadJob = { ...newUploadJob(A, 'logo', 0), attempts: 4, nextAttemptAt: 100_000 };
    const woken = dueNow(waiting, 2000);
    expect(woken).toMatchObject({ nextAttemptAt: 2000, attempts: 4 });
    expect(dueNow(woken, 2000)).toBe(woken);
  });
});

describe('scheduling and summary', () => {
  const jobs: UploadJob[] = [
    { ...newUploadJob(B, 'logo', 20), nextAttemptAt: 0 },
    { ...newUploadJob(A, 'banner', 10), nextAttemptAt: 0 },
    {
      ...newUploadJob('c'.repeat(64), 'logo', 5),
      nextAttemptAt: 5000,
      lastError: OFFLINE_MESSAGE,
      updatedAt: 30,
    },
    {
      ...newUploadJob('d'.repeat(64), 'logo', 1),
      state: 'refused',
      lastError: 'Le fichier dépasse 1 Mo.',
      updatedAt: 40,
    },
  ];

  it('takes due jobs oldest first and wakes up for the next one', () => {
    expect(dueJobs(jobs, 1000).map((j) => j.sha256)).toEqual([A, B]);
    expect(nextWakeUp(jobs, 1000)).toBe(0);
    expect(nextWakeUp(jobs.slice(2), 1000)).toBe(4000);
    expect(nextWakeUp([], 1000)).toBeNull();
  });

  it('counts pending and refused files and gives the latest error', () => {
    expect(summarize(jobs)).toEqual({
      pending: 3,
      uploading: 0,
      refused: 1,
      lastError: 'Le fichier dépasse 1 Mo.',
    });
    expect(summarize([startAttempt(jobs[0]!, 1)])).toEqual({
      pending: 1,
      uploading: 1,
      refused: 0,
      lastError: null,
    });
    expect(summarize([])).toEqual({ pending: 0, uploading: 0, refused: 0, lastError: null });
  });

  it('reads HTTP answers: the file refused for good, or a passing failure', () => {
    expect(outcomeOfStatus(201, '')).toEqual({ kind: 'uploaded' });
    expect(outcomeOfStatus(413, 'Le fichier dépasse 1 Mo.')).toEqual({
      kind: 'refused',
      message: 'Le fichier dépasse 1 Mo.',
    });
    expect(outcomeOfStatus(415, 'Format refusé')).toMatchObject({ kind: 'refused' });
    expect(outcomeOfStatus(400, 'Empreinte')).toMatchObject({ kind: 'refused' });
    expect(outcomeOfStatus(503, 'Indisponible')).toEqual({ kind: 'retry', message: 'Indisponible' });
    expect(outcomeOfStatus(429, 'Trop', 30)).toEqual({
      kind: 'retry',
      message: 'Trop',
      retryAfterMs: 30_000,
    });
    expect(outcomeOfStatus(401, 'x')).toMatchObject({
      kind: 'retry',
      message: expect.stringContaining('reconnectez-vous'),
    });
  });
});
