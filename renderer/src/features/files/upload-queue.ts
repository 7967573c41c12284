import type { FilePurpose } from '../../../../shared/domain/files';
import type { FileStore } from './file-store';
import {
  dueJobs,
  dueNow,
  EMPTY_SUMMARY,
  enqueueJob,
  finishAttempt,
  nextWakeUp,
  recoverInterrupted,
  retryJob,
  startAttempt,
  summarize,
  type UploadJob,
  type UploadOutcome,
  type UploadQueueSummary,
} from './upload-queue-logic';

/** How the queue reaches the server (`file-api.ts` in the app, a fake in tests). */
export interface UploadTransport {
  /** `uploaded` when the server already has the file. */
  status(sha256: string): Promise<UploadOutcome | { kind: 'absent' }>;
  upload(sha256: string, purpose: FilePurpose, blob: Blob): Promise<UploadOutcome>;
}

export interface UploadQueueOptions {
  now?: () => number;
  random?: () => number;
  /** Subscribes to "the server answers again"; returns an unsubscribe function. */
  onReconnect?: (listener: () => void) => () => void;
}

const STORE_FAILURE_RETRY_MS = 5_000;

export const MISSING_LOCAL_FILE_MESSAGE =
  'Ce fichier n’est plus enregistré sur ce poste : choisissez-le à nouveau pour l’envoyer.';

/**
 * Sends the files that documents refer to, once, whenever the server can be reached: the jobs live
 * in the file store (IndexedDB), so a reload or a restart resumes them. One file at a time; failures
 * wait longer and longer (see `backoffDelay`), and every waiting job is tried at once when the
 * server answers again.
 */
export class UploadQueue {
  private jobs = new Map<string, UploadJob>();
  private summary: UploadQueueSummary = EMPTY_SUMMARY;
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private rerun = false;
  private started = false;
  private loaded: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(
    private readonly store: FileStore,
    private readonly transport: UploadTransport,
    private readonly options: UploadQueueOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Loads the saved jobs, resumes interrupted ones and starts sending. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.options.onReconnect?.(() => void this.wakeAll()) ?? null;
    await this.load();
    this.kick();
  }

  stop(): void {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Queues a file already kept in the store. Resolves once the job is saved (not sent). */
  async enqueue(sha256: string, purpose: FilePurpose): Promise<void> {
    await this.load();
    const job = enqueueJob(
      this.jobs.get(sha256) ?? (await this.store.getJob(sha256)),
      sha256,
      purpose,
      this.now(),
    );
    await this.save(job);
    this.kick();
  }

  /** Tries every waiting or refused file again now. */
  async retryAll(): Promise<void> {
    await this.load();
    const now = this.now();
    for (const job of [...this.jobs.values()])
      if (job.state !== 'uploading') await this.save(retryJob(job, now));
    this.kick();
  }

  /** The server answers again: waiting files go now. */
  async wakeAll(): Promise<void> {
    await this.load();
    const now = this.now();
    for (const job of [...this.jobs.values()]) {
      const woken = dueNow(job, now);
      if (woken !== job) await this.save(woken);
    }
    this.kick();
  }

  /** Sends every job that is due, one after another; resolves when none is left due. */
  runDue(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          await this.load();
          for (const job of dueJobs([...this.jobs.values()], this.now())) await this.attempt(job);
        } while (this.rerun || dueJobs([...this.jobs.values()], this.now()).length > 0);
      } finally {
        this.running = null;
        this.schedule();
      }
    })();
    return this.running;
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): UploadQueueSummary => this.summary;

  /** The jobs as they stand (for tests and diagnostics). */
  list(): UploadJob[] {
    return [...this.jobs.values()];
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      const now = this.now();
      for (const saved of await this.store.allJobs()) {
        const job = recoverInterrupted(saved, now);
        if (job !== saved) await this.store.putJob(job);
        this.jobs.set(job.sha256, job);
      }
      this.publish();
    })().catch((err) => {
      this.loaded = null;
      throw err;
    });
    return this.loaded;
  }

  private async attempt(job: UploadJob): Promise<void> {
    await this.save(startAttempt(job, this.now()));
    let outcome: UploadOutcome;
    try {
      outcome = await this.send(job);
    } catch {
      outcome = { kind: 'offline' };
    }
    const next = finishAttempt(job, outcome, this.now(), this.random);
    if (next) await this.save(next);
    else await this.remove(job.sha256);
  }

  private async send(job: UploadJob): Promise<UploadOutcome> {
    const status = await this.transport.status(job.sha256);
    if (status.kind !== 'absent') return status;
    const file = await this.store.getFile(job.sha256);
    if (!file) return { kind: 'refused', message: MISSING_LOCAL_FILE_MESSAGE };
    return this.transport.upload(job.sha256, job.purpose, file.blob);
  }

  private async save(job: UploadJob): Promise<void> {
    await this.store.putJob(job);
    this.jobs.set(job.sha256, job);
    this.publish();
  }

  private async remove(sha256: string): Promise<void> {
    await this.store.deleteJob(sha256);
    this.jobs.delete(sha256);
    this.publish();
  }

  private publish(): void {
    this.summary = summarize([...this.jobs.values()]);
    for (const l of this.listeners) l();
  }

  private kick(): void {
    if (!this.started) return;
    void this.runDue().catch(() => {
      // The local store failed (quota, closed database): try again a little later.
      if (this.timer) clearTimeout(this.timer);
      if (this.started) this.timer = setTimeout(() => this.kick(), STORE_FAILURE_RETRY_MS);
    });
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.started) return;
    const wait = nextWakeUp([...this.jobs.values()], this.now());
    if (wait === null) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.kick();
      },
      Math.max(wait, 50),
    );
  }
}
