import { useMemo } from 'react';
import { map } from 'rxjs';
import type { OrganisationDoc } from '../../../../shared/schemas';
import type { WorkstationDatabase } from '../../db/collections';
import type { SyncController } from '../../db/replication';
import { useObservableValue } from '../../hooks/use-rx-query';
import { useSyncState } from '../../hooks/use-sync-state';

/** Every organisation the replica holds (the user's, and for moderators those awaiting verification). */
export function useOrganisationDocs(db: WorkstationDatabase): OrganisationDoc[] | undefined {
  const obs = useMemo(
    () =>
      db.organisations
        .find({ sort: [{ name: 'asc' }] })
        .$.pipe(map((docs) => docs.map((d) => d.toJSON() as OrganisationDoc))),
    [db],
  );
  return useObservableValue(obs);
}

/** One organisation from the replica (null when absent, undefined while loading). */
export function useOrganisation(
  db: WorkstationDatabase,
  id: string | null | undefined,
): OrganisationDoc | null | undefined {
  const obs = useMemo(
    () =>
      id
        ? db.organisations.findOne(id).$.pipe(map((d) => (d ? (d.toJSON() as OrganisationDoc) : null)))
        : null,
    [db, id],
  );
  return useObservableValue(obs);
}

/** Whether the server can be reached now (REST actions are online only). */
export function useOnline(sync: SyncController): boolean {
  return useSyncState(sync).online;
}

/**
 * The freshest of the replica's document and the last one a REST call answered: the answer shows
 * at once, the replica takes over once it has caught up (or moved on).
 */
export function freshest(
  replica: OrganisationDoc | null | undefined,
  answered: OrganisationDoc | null,
): OrganisationDoc | null | undefined {
  if (!answered) return replica;
  if (!replica || replica.id !== answered.id) return answered;
  return replica.updatedAt >= answered.updatedAt ? replica : answered;
}
