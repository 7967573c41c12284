import type { CvSearchCriteria, CvSearchResponse } from '../../../../shared/domain/cv-search';
import type { WorkstationDatabase } from '../../db/collections';
import { cvCollections } from './cv-db';
import { LocalSearchError, searchLocal } from './local-search';
import { CriteriaError } from './search-runner';

/**
 * The search on this workstation's replica (offline, or when the server fails): H-B's index
 * (`searchLocal`), with the shared ranking. Bad criteria come back as `CriteriaError`.
 */
export async function localCvSearch(
  db: WorkstationDatabase,
  criteria: CvSearchCriteria,
): Promise<CvSearchResponse> {
  const cols = cvCollections(db);
  if (!cols) return { hits: [], total: 0, source: 'local', tookMs: 0 };
  try {
    return await searchLocal({ cvs: cols.cvs }, criteria);
  } catch (err) {
    if (err instanceof LocalSearchError) throw new CriteriaError(err.message, err.fields);
    throw err;
  }
}
