/**
 * A candidate's personal data, area by area (RGPD, seeds 003 and 004). Each area that stores data
 * about a candidate exports one step: what to put in the export, and how to erase it. The RGPD
 * routes and the retention job (rgpd.ts, jobs) run every step of `PERSONAL_DATA_STEPS` in one
 * transaction.
 */
import type { Queryable } from '../../db/database';
import type { SyncEngine } from '../../sync/engine';

export interface ExportedFile {
  sha256: string;
  /** File name inside the export archive (e.g. `cv/mon-cv.pdf`). */
  name: string;
}

export interface PersonalDataStep {
  /** Key of this area in the JSON export (`profil`, `cv`, `candidatures`…). */
  name: string;
  /** Everything this area holds about the account, as plain JSON, and the files to include. */
  exportData(q: Queryable, accountId: string): Promise<{ data: unknown; files: ExportedFile[] }>;
  /**
   * Removes (or anonymises where a record must stay, e.g. an application an organisation keeps
   * counting) everything this area holds about the account. Replicated documents are written as
   * tombstones through `engine.write` so every replica drops them at its next pull.
   */
  erase(tx: Queryable, engine: SyncEngine, accountId: string): Promise<void>;
}
