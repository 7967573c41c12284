import { mergeEvaluations } from '../../../shared/domain/evaluation';
import type { ApplicationDoc, EvaluationDoc, EventDoc } from '../../../shared/schemas';
import { type ConflictInput, changedKeys, deepEqual, type WithDeleted } from './conflict';
import { stripLocal } from './local-keys';

const strip = stripLocal;

/** What a recruiter changes on an application from the workstation (everything else is the master's). */
export const APPLICATION_RECRUITER_FIELDS = [
  'status',
  'refusalReason',
  'refusalVisible',
  'refusalMessage',
  'mergedInto',
] as const;

/**
 * Applications (DESIGN §4): the master is the base; what this recruiter changed (status, refusal)
 * is re-applied on top of it and pushed again. The server then re-applies a status change that is
 * still a valid transition from the new master's status, and refuses the others with a notice
 * « modifiée entre-temps » that shows both versions: nothing is dropped silently.
 */
export function resolveApplicationConflict(
  input: ConflictInput<ApplicationDoc>,
): WithDeleted<ApplicationDoc> {
  const master = strip(input.realMasterState);
  const assumed = input.assumedMasterState ? strip(input.assumedMasterState) : undefined;
  const mine = strip(input.newDocumentState);
  if (master._deleted) return master;
  // The master did not move: the server refused the change itself (its notice says why).
  if (assumed && deepEqual(master, assumed)) return master;
  const result = { ...master } as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  // No assumed master: a capture made here reached the server (its answer was lost) and was moved
  // or refused here since: what differs from the master is this recruiter's, re-applied (the server
  // judges the move again) rather than dropped without a word.
  const a = (assumed ?? master) as Record<string, unknown>;
  for (const field of APPLICATION_RECRUITER_FIELDS) {
    if (deepEqual(a[field], m[field])) continue;
    if (m[field] === undefined) delete result[field];
    else result[field] = m[field];
  }
  return result as WithDeleted<ApplicationDoc>;
}

/** Evaluations: the same author on two devices (notes appended, latest rating, tags united). */
export function resolveEvaluationConflict(input: ConflictInput<EvaluationDoc>): WithDeleted<EvaluationDoc> {
  const master = strip(input.realMasterState);
  const mine = strip(input.newDocumentState);
  if (master._deleted) return master;
  const assumed = input.assumedMasterState ? strip(input.assumedMasterState) : undefined;
  if (assumed && deepEqual(master, assumed)) return master;
  if (mine._deleted) return master;
  const { _deleted: _a, ...masterDoc } = master;
  const { _deleted: _b, ...mineDoc } = mine;
  return { ...mergeEvaluations(masterDoc as EvaluationDoc, mineDoc as EvaluationDoc), _deleted: false };
}

const EVENT_SERVER_FIELDS = new Set(['id', 'organisationId', 'createdBy', 'createdAt', 'registrationCount']);

/** Events: the fields this user changed are re-applied on top of the master (server-owned ones never). */
export function resolveEventConflict(input: ConflictInput<EventDoc>): WithDeleted<EventDoc> {
  const master = strip(input.realMasterState);
  const assumed = input.assumedMasterState ? strip(input.assumedMasterState) : undefined;
  const mine = strip(input.newDocumentState);
  if (master._deleted || !assumed) return master;
  if (deepEqual(master, assumed)) return master;
  if (mine._deleted) return { ...master, _deleted: true };
  const result = { ...master } as Record<string, unknown>;
  const m = mine as Record<string, unknown>;
  for (const field of changedKeys(assumed, mine)) {
    if (EVENT_SERVER_FIELDS.has(field) || field === '_deleted') continue;
    if (m[field] === undefined) delete result[field];
    else result[field] = m[field];
  }
  return result as WithDeleted<EventDoc>;
}
