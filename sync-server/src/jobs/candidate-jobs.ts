/** The candidate side's scheduled jobs (saved-search alerts, RGPD retention), each in its own module. */
import type { Database } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import type { ScheduledJob } from './scheduler';

export interface CandidateJobDeps {
  db: Database;
  engine: SyncEngine;
  publicUrl: string;
}

export function candidateJobs(_deps: CandidateJobDeps): ScheduledJob[] {
  return [];
}
