import { mergeCvLists } from '../../../shared/domain/cv-lists';
import type { CvListDoc } from '../../../shared/schemas';
import { type ConflictInput, deepEqual, type WithDeleted } from './conflict';
import { stripLocal } from './local-keys';

const strip = stripLocal;

/**
 * Saved CV lists (DESIGN §4 `cvLists`): the two copies merge rather than one winning. Per CV the
 * latest addition and the latest removal are kept, so CVs added or removed on this device while
 * another device (or a colleague, for a shared list) changed the list are all kept; the name and
 * sharing come from the later rename. A list deleted on the server, or out of the user's reach,
 * stays deleted. When the master did not move, the server refused the change: its state is kept.
 */
export function resolveCvListConflict(input: ConflictInput<CvListDoc>): WithDeleted<CvListDoc> {
  const master = strip(input.realMasterState);
  const mine = strip(input.newDocumentState);
  const assumed = input.assumedMasterState ? strip(input.assumedMasterState) : undefined;
  if (master._deleted) return master;
  // The master did not move: the server refused the change (a notice says why). Its word stands,
  // or the same change would be pushed and refused again and again.
  if (assumed && deepEqual(master, assumed)) return master;
  // A deletion is pushed again on top of the new master, and the server decides.
  if (mine._deleted) return { ...master, _deleted: true };
  const { _deleted: _m, ...masterDoc } = master;
  const { _deleted: _n, ...mineDoc } = mine;
  return { ...mergeCvLists(masterDoc as CvListDoc, mineDoc as CvListDoc), _deleted: false };
}
