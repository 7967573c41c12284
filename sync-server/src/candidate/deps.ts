import type { Database } from '../db/database';
import type { SyncEngine } from '../sync/engine';

/** What the candidate-facing route modules need. */
export interface CandidateDeps {
  db: Database;
  engine: SyncEngine;
  /** Base of the links written in e-mails; without it, `linkBase()` (domain/route-helpers) uses the request's host. */
  publicUrl?: string;
  secureCookies: boolean;
}
