/** Demo data of the candidate side (DESIGN §5: candidat@demo.test has a profile, two CVs, two applications). */
import type { SyncEngine } from '../sync/engine';
import type { Queryable } from './database';

export interface DemoCandidateIds {
  candidate: string;
  /** Published demo offers the candidate may apply to (ids). */
  offerIds: string[];
}

export async function seedDemoCandidate(
  _tx: Queryable,
  _engine: SyncEngine,
  _ids: DemoCandidateIds,
): Promise<void> {}
