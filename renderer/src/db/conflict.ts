import { canRecruiterMoveOffer, OFFER_SERVER_FIELDS, type OfferStatus } from '../../../shared/domain/offer';
import type { NoticeDoc, OfferDoc } from '../../../shared/schemas';
import { LOCAL_ONLY_KEYS, stripLocal } from './local-keys';

/**
 * Conflict resolution for the replicated collections (DESIGN §4–5). Pure functions: RxDB calls
 * them through the collections' `conflictHandler`, the unit tests call them directly.
 *
 * The server answers a refused or conflicting push with its master state. The default RxDB
 * handler would keep the master and silently drop every local edit; here the master is the base and
 * only what the user changed (their state versus the master they started from) is re-applied.
 */

export type WithDeleted<T> = T & { _deleted: boolean };

export interface ConflictInput<T> {
  assumedMasterState?: WithDeleted<T>;
  realMasterState: WithDeleted<T>;
  newDocumentState: WithDeleted<T>;
}

/** Structural equality of JSON values, ignoring key order and keys holding `undefined`. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  return true;
}

export function replicatedEqual(a: unknown, b: unknown): boolean {
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return deepEqual(a, b);
  const strip = (o: object) =>
    Object.fromEntries(Object.entries(o).filter(([k, v]) => !LOCAL_ONLY_KEYS.has(k) && v !== undefined));
  return deepEqual(strip(a), strip(b));
}

const OFFER_ALWAYS_FROM_MASTER = new Set<string>([...OFFER_SERVER_FIELDS, 'id', 'organisationId']);

/** Keys the user changed between the master state they started from and their current state. */
export function changedKeys<T extends object>(base: T, mine: T): string[] {
  const b = base as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(m)]);
  return [...keys].filter((k) => !LOCAL_ONLY_KEYS.has(k) && !deepEqual(b[k], m[k]));
}

/**
 * Offers: master wins for server-owned fields, deletions and refusals; the user's own edits of
 * other fields are re-applied on top of the new master. A status change is re-applied only if the
 * user made it and it is still a valid recruiter move from the new master's status.
 */
export function resolveOfferConflict(input: ConflictInput<OfferDoc>): WithDeleted<OfferDoc> {
  const master = stripLocal(input.realMasterState);
  const assumed = input.assumedMasterState ? stripLocal(input.assumedMasterState) : undefined;
  const mine = stripLocal(input.newDocumentState);

  // Deleted (or out of scope) on the server.
  if (master._deleted) return master;
  // The master did not move: the server refused the change itself. Take its word.
  if (assumed && deepEqual(master, assumed)) return master;

  const result = { ...master } as Record<string, unknown>;
  const mineRecord = mine as Record<string, unknown>;
  // No assumed master: this workstation created the offer, the server has it (the answer to the
  // creation was lost) and it was edited here since. What differs from the master is what this user
  // wrote; dropping it would lose the edit without a word.
  const changed = changedKeys(assumed ?? master, mine).filter(
    (k) => !OFFER_ALWAYS_FROM_MASTER.has(k) && k !== '_deleted',
  );
  const statusChanged = changed.includes('status');
  for (const key of changed) {
    if (key === 'status' || key === 'previousStatus') continue;
    if (key in mineRecord && mineRecord[key] !== undefined) result[key] = mineRecord[key];
    else delete result[key];
  }
  if (statusChanged) {
    const from = master.status as OfferStatus;
    const to = mine.status as OfferStatus;
    if (canRecruiterMoveOffer(from, to)) {
      result.status = to;
      if (to === 'supprimee') result.previousStatus = from === 'supprimee' ? master.previousStatus : from;
      else if (changed.includes('previousStatus')) {
        if (mine.previousStatus !== undefined) result.previousStatus = mine.previousStatus;
        else delete result.previousStatus;
      }
    }
  }
  return result as WithDeleted<OfferDoc>;
}

/** Notices: the server's state wins, except that a notice read locally stays read. */
export function resolveNoticeConflict(input: ConflictInput<NoticeDoc>): WithDeleted<NoticeDoc> {
  const master = stripLocal(input.realMasterState);
  if (master._deleted) return master;
  const localReadAt = input.newDocumentState.readAt;
  if (localReadAt && !master.readAt) return { ...master, readAt: localReadAt };
  return master;
}

/** The RxDB 17 conflict-handler shape (`RxConflictHandler<T>`), built from a pure resolver. */
export function makeConflictHandler<T>(resolve: (input: ConflictInput<T>) => WithDeleted<T>) {
  return {
    isEqual: (a: WithDeleted<T>, b: WithDeleted<T>, _context: string): boolean => replicatedEqual(a, b),
    resolve: async (input: ConflictInput<T>, _context: string): Promise<WithDeleted<T>> => resolve(input),
  };
}
