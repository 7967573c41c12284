/** The candidate side's scheduled jobs (saved-search alerts, RGPD retention), each in its own module. */
import type { Database } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import { runRgpdRetention } from './rgpd-retention';
import { type AlertSearch, engineAlertSearch, runSavedSearchAlerts } from './saved-search-alerts';
import type { ScheduledJob } from './scheduler';

export interface CandidateJobDeps {
  db: Database;
  engine: SyncEngine;
  /** Base of the links in e-mails, read at each run (the port may be known only once listening). */
  publicUrl: () => string;
  /** How alerts find new offers (tests may replace it). */
  alertSearch?: AlertSearch;
}

export function candidateJobs(deps: CandidateJobDeps): ScheduledJob[] {
  const search = deps.alertSearch ?? engineAlertSearch;
  return [
    {
      name: 'saved-search-alerts',
      run: (now) => runSavedSearchAlerts(deps.db, now, { base: deps.publicUrl(), search }),
    },
    {
      name: 'rgpd-retention',
      run: (now) => runRgpdRetention(deps.db, deps.engine, now, { base: deps.publicUrl() }),
    },
  ];
}
