import { mergeSearches } from '../../../shared/domain/searches';
import type { SearchDoc } from '../../../shared/schemas';
import { type ConflictInput, deepEqual, type WithDeleted } from './conflict';
import { stripLocal } from './local-keys';

/**
 * Search history (DESIGN §4 `searches`): latest wins per field (`mergeSearches`). The alert fields
 * (`lastAlertAt`, `lastAlertCount`) belong to the server: always the master's. A deletion on
 * either side wins (removing an entry from the history is what the user asked for; the server
 * decides again when it is pushed), unless the server refused it (the master did not move).
 */
export function resolveSearchConflict(input: ConflictInput<SearchDoc>): WithDeleted<SearchDoc> {
  const master = stripLocal(input.realMasterState);
  const mine = stripLocal(input.newDocumentState);
  if (master._deleted) return master;
  // The master did not move: the server refused the change (a notice says why); its word stands.
  // Without an assumed master, the same search was recorded on another device first: they merge.
  const assumed = input.assumedMasterState ? stripLocal(input.assumedMasterState) : undefined;
  if (assumed && deepEqual(master, assumed)) return master;
  if (mine._deleted) return { ...master, _deleted: true };
  const { _deleted: _m, ...masterDoc } = master;
  const { _deleted: _n, ...mineDoc } = mine;
  const merged = mergeSearches(masterDoc as SearchDoc, mineDoc as SearchDoc) as Record<string, unknown>;
  delete merged.lastAlertAt;
  delete merged.lastAlertCount;
  if (masterDoc.lastAlertAt !== undefined) merged.lastAlertAt = masterDoc.lastAlertAt;
  if (masterDoc.lastAlertCount !== undefined) merged.lastAlertCount = masterDoc.lastAlertCount;
  return { ...(merged as SearchDoc), _deleted: false };
}
