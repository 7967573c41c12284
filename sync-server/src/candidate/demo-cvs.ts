import type { Queryable } from '../db/database';
import type { DemoCandidateIds } from '../db/seed-demo-candidate';
import type { SyncEngine } from '../sync/engine';

export async function seedDemoCvs(
  _tx: Queryable,
  _engine: SyncEngine,
  _ids: DemoCandidateIds,
): Promise<void> {}
