/**
 * The CVthèque search on the workstation's replica (offline, or when the server cannot be
 * reached): the criteria checked like the server does, then the in-memory index
 * (local-index.ts), which ranks with the same `scoreCv` + `compareCvHits` as the server.
 */

import {
  type CvSearchCriteria,
  type CvSearchResponse,
  validateCvCriteria,
} from '../../../../shared/domain/cv-search';
import type { FieldError } from '../../../../shared/sync/errors';
import { type DatabaseWithCvs, getLocalCvIndex, type LocalCvIndexStats } from './local-index';

export { type DatabaseWithCvs, getLocalCvIndex, LocalCvIndex, type LocalCvIndexStats } from './local-index';

/** Criteria that cannot be searched: the French messages, field by field. */
export class LocalSearchError extends Error {
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => f.message).join(' '));
    this.name = 'LocalSearchError';
  }
}

/**
 * Searches the replica of `db` (building its index on first use). Throws `LocalSearchError`
 * when the criteria are not valid.
 */
export async function searchLocal(
  db: DatabaseWithCvs,
  criteria: CvSearchCriteria,
  options: { now?: Date; limit?: number } = {},
): Promise<CvSearchResponse> {
  const errors = validateCvCriteria(criteria);
  if (errors.length) throw new LocalSearchError(errors);
  const index = getLocalCvIndex(db);
  await index.ready();
  return index.search(criteria, { now: options.now ?? new Date(), limit: options.limit });
}

/** What the replica holds (the « CV disponibles hors ligne » figures). */
export async function localIndexStats(db: DatabaseWithCvs): Promise<LocalCvIndexStats> {
  const index = getLocalCvIndex(db);
  await index.ready();
  return index.stats();
}
