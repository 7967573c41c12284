import type { FilePurpose } from '../../../../shared/domain/files';

/**
 * The upload queue's rules, without I/O: jobs, their states, the retry schedule. The queue itself
 * (`upload-queue.ts`) keeps the jobs in IndexedDB and applies these functions.
 *
 *   pending ──start──▶ uploading ──uploaded──▶ (removed)
 *      ▲                  │
 *      └──retry/offline───┤   (next attempt after a growing delay)
 *                         └──refused──▶ refused   (the server will never take it: kept to show why)
 */

export type UploadState = 'pending' | 'uploading' | 'refused';

export interface UploadJob {
  sha256: string;
  purpose: FilePurpose;
  state: UploadState;
  /** Failed attempts since the last success or manual retry. */
  attempts: number;
  /** Epoch milliseconds before which the job is not tried again. */
  nextAttemptAt: number;
  /** Why the last attempt failed, in French. */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

/** How an attempt ended. */
export type UploadOutcome =
  /** The server has the file (stored now, or already). */
  | { kind: 'uploaded' }
  /** The server could not be reached. */
  | { kind: 'offline' }
  /** A passing failure (server error, too many requests, session to renew): try again later. */
  | { kind: 'retry'; message: string; retryAfterMs?: number }
  /** The server refuses this file for good (type, size, damaged): trying again changes nothing. */
  | { kind: 'refused'; message: string };

export const BACKOFF = {
  firstMs: 2_000,
  factor: 2,
  maxMs: 5 * 60_000,
  /** Each delay is spread by ±20 % so that many workstations coming back online do not all call at once. */
  jitter: 0.2,
};

export const OFFLINE_MESSAGE = 'Serveur injoignable : les fichiers seront envoyés au retour de la connexion.';

/** Delay before the next attempt after `attempts` failures (1 → about 2 s, 2 → 4 s, … up to 5 min). */
export function backoffDelay(attempts: number, random: () => number = Math.random): number {
  const n = Math.max(1, attempts);
  const base = Math.min(BACKOFF.maxMs, BACKOFF.firstMs * BACKOFF.factor ** (n - 1));
  const spread = 1 + BACKOFF.jitter * (2 * random() - 1);
  return Math.round(Math.min(BACKOFF.maxMs, base * spread));
}

export function newUploadJob(sha256: string, purpose: FilePurpose, now: number): UploadJob {
  return {
    sha256,
    purpose,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Queues a file. An existing pending or running job is kept as it is; a refused one is tried again
 * (the user chose the file again).
 */
export function enqueueJob(
  existing: UploadJob | null,
  sha256: string,
  purpose: FilePurpose,
  now: number,
): UploadJob {
  if (!existing) return newUploadJob(sha256, purpose, now);
  if (existing.state === 'refused')
    return { ...newUploadJob(sha256, purpose, now), createdAt: existing.createdAt };
  return existing;
}

export function startAttempt(job: UploadJob, now: number): UploadJob {
  return { ...job, state: 'uploading', updatedAt: now };
}

/** The job after an attempt, or null when it is done (the job is then removed). */
export function finishAttempt(
  job: UploadJob,
  outcome: UploadOutcome,
  now: number,
  random: () => number = Math.random,
): UploadJob | null {
  switch (outcome.kind) {
    case 'uploaded':
      return null;
    case 'refused':
      return { ...job, state: 'refused', lastError: outcome.message, updatedAt: now };
    case 'offline':
    case 'retry': {
      const attempts = job.attempts + 1;
      const wait = Math.max(
        backoffDelay(attempts, random),
        outcome.kind === 'retry' ? (outcome.retryAfterMs ?? 0) : 0,
      );
      return {
        ...job,
        state: 'pending',
        attempts,
        nextAttemptAt: now + wait,
        lastError: outcome.kind === 'offline' ? OFFLINE_MESSAGE : outcome.message,
        updatedAt: now,
      };
    }
  }
}

/** Jobs to try now, oldest first. */
export function dueJobs(jobs: readonly UploadJob[], now: number): UploadJob[] {
  return jobs
    .filter((j) => j.state === 'pending' && j.nextAttemptAt <= now)
    .sort((a, b) => a.createdAt - b.createdAt || a.sha256.localeCompare(b.sha256));
}

/** Milliseconds until the next pending job is due (0 if one is due now), or null if none waits. */
export function nextWakeUp(jobs: readonly UploadJob[], now: number): number | null {
  let next: number | null = null;
  for (const j of jobs) {
    if (j.state !== 'pending') continue;
    const wait = Math.max(0, j.nextAttemptAt - now);
    if (next === null || wait < next) next = wait;
  }
  return next;
}

/** The server answers again: every pending job is due at once (its failure count is kept). */
export function dueNow(job: UploadJob, now: number): UploadJob {
  return job.state === 'pending' && job.nextAttemptAt > now
    ? { ...job, nextAttemptAt: now, updatedAt: now }
    : job;
}

/** A job left `uploading` by a closed window or a crash goes back to `pending`. */
export function recoverInterrupted(job: UploadJob, now: number): UploadJob {
  return job.state === 'uploading' ? { ...job, state: 'pending', nextAttemptAt: now, updatedAt: now } : job;
}

/** A manual retry of a refused or waiting job. */
export function retryJob(job: UploadJob, now: number): UploadJob {
  return { ...job, state: 'pending', attempts: 0, nextAttemptAt: now, lastError: null, updatedAt: now };
}

export interface UploadQueueSummary {
  /** Files not on the server yet (waiting or being sent). */
  pending: number;
  uploading: number;
  refused: number;
  /** The most recent failure still relevant, in French. */
  lastError: string | null;
}

export const EMPTY_SUMMARY: UploadQueueSummary = { pending: 0, uploading: 0, refused: 0, lastError: null };

export function summarize(jobs: readonly UploadJob[]): UploadQueueSummary {
  let pending = 0;
  let uploading = 0;
  let refused = 0;
  let last: UploadJob | null = null;
  for (const j of jobs) {
    if (j.state === 'refused') refused++;
    else pending++;
    if (j.state === 'uploading') uploading++;
    if (j.lastError && (!last || j.updatedAt > last.updatedAt)) last = j;
  }
  return { pending, uploading, refused, lastError: last?.lastError ?? null };
}

/**
 * What an HTTP answer to an upload means for the queue. 400, 413 and 415 are the server's
 * verdict on the file itself; everything else may pass.
 */
export function outcomeOfStatus(status: number, message: string, retryAfterSeconds?: number): UploadOutcome {
  if (status >= 200 && status < 300) return { kind: 'uploaded' };
  if (status === 400 || status === 413 || status === 415 || status === 422)
    return { kind: 'refused', message };
  if (status === 401)
    return {
      kind: 'retry',
      message: 'Session expirée : reconnectez-vous pour envoyer les fichiers en attente.',
    };
  return {
    kind: 'retry',
    message,
    ...(retryAfterSeconds !== undefined ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
  };
}
