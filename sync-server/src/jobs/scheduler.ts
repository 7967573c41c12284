import { clock } from '../clock';
import { cvthequeScopeJob } from '../cvtheque/scope';
import type { Database } from '../db/database';
import { queueEmail as queueInOutbox } from '../email/outbox';
import type { SyncEngine } from '../sync/engine';
import { candidateJobs } from './candidate-jobs';
import { cvSearchAlertsJob } from './cv-search-alerts';
import { messagingDigestJob } from './messaging-digest';
import { type QueueEmail, runOfferExpiry } from './offer-expiry';

export interface ScheduledJob {
  name: string;
  run(now: Date): Promise<unknown>;
}

export interface Scheduler {
  /** Runs every job once now (tests, the test hook, and the first tick). */
  runAll(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** The server's scheduled jobs, in the order they run on each tick. */
export function serverJobs(deps: {
  db: Database;
  engine: SyncEngine;
  queueEmail?: QueueEmail;
  /** Base of the links written in e-mails, read at each run. */
  publicUrl?: () => string;
}): ScheduledJob[] {
  return [
    {
      name: 'offer-expiry',
      run: (now) =>
        runOfferExpiry(
          deps.db,
          deps.engine,
          now,
          deps.queueEmail ??
            (async (tx, mail) => {
              await queueInOutbox(tx, mail);
            }),
        ),
    },
    ...candidateJobs({
      db: deps.db,
      engine: deps.engine,
      publicUrl: deps.publicUrl ?? (() => 'http://localhost:3000'),
    }),
    cvthequeScopeJob({ db: deps.db, engine: deps.engine }),
    cvSearchAlertsJob({
      db: deps.db,
      engine: deps.engine,
      publicUrl: deps.publicUrl ?? (() => 'http://localhost:3000'),
    }),
    // Issue 7: one e-mail for the messages that arrived within 30 minutes of the previous one.
    messagingDigestJob({
      db: deps.db,
      engine: deps.engine,
      publicUrl: deps.publicUrl ?? (() => 'http://localhost:3000'),
    }),
  ];
}

/**
 * Runs the jobs every `intervalMs` (0 disables the timer; `runAll` still works). A tick never
 * overlaps the previous one; each run is recorded in `job_runs` with its outcome or error.
 */
export function startScheduler(
  db: Database,
  jobs: ScheduledJob[],
  options: { intervalMs: number; log?: (message: string) => void },
): Scheduler {
  let running: Promise<Record<string, unknown>> | null = null;
  let stopped = false;
  const runAll = async (): Promise<Record<string, unknown>> => {
    if (running) return running;
    running = (async () => {
      const results: Record<string, unknown> = {};
      for (const job of jobs) {
        if (stopped) break;
        const started = clock.now();
        try {
          const outcome = await job.run(started);
          results[job.name] = outcome;
          await db.query(
            'insert into job_runs (job, started_at, finished_at, outcome) values ($1, $2, now(), $3)',
            [job.name, started.toISOString(), JSON.stringify(outcome ?? null)],
          );
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          results[job.name] = { error: message };
          options.log?.(`Tâche planifiée « ${job.name} » en échec : ${message}`);
          await db
            .query('insert into job_runs (job, started_at, finished_at, error) values ($1, $2, now(), $3)', [
              job.name,
              started.toISOString(),
              message.slice(0, 2000),
            ])
            .catch(() => undefined);
        }
      }
      return results;
    })();
    try {
      return await running;
    } finally {
      running = null;
    }
  };
  const timer =
    options.intervalMs > 0
      ? setInterval(() => {
          void runAll();
        }, options.intervalMs)
      : null;
  timer?.unref?.();
  return {
    runAll,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running.catch(() => undefined);
    },
  };
}
