/** Demo data of the candidate side (DESIGN §5: candidat@demo.test has a profile, two CVs, two applications). */
import { seedDemoApplications } from '../candidate/demo-applications';
import { seedDemoCvs } from '../candidate/demo-cvs';
import { seedDemoMessages } from '../candidate/demo-messages';
import { seedDemoProfile } from '../candidate/demo-profile';
import type { SyncEngine } from '../sync/engine';
import type { Queryable } from './database';

export interface DemoCandidateIds {
  candidate: string;
  /** Published demo offers the candidate may apply to (ids, by offer number). */
  offerIds: string[];
}

export async function seedDemoCandidate(
  tx: Queryable,
  engine: SyncEngine,
  ids: DemoCandidateIds,
): Promise<void> {
  await seedDemoProfile(tx, engine, ids);
  await seedDemoCvs(tx, engine, ids);
  await seedDemoApplications(tx, engine, ids);
  await seedDemoMessages(tx, engine, ids);
}
