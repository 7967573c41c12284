import {
  CV_MAX_RESULTS,
  type CvHit,
  type CvSearchCriteria,
  type CvSearchResponse,
  compareCvHits,
  cvStems,
  prepareCvSearch,
  scoreCv,
} from '../../../../shared/domain/cv-search';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { FieldError } from '../../../../shared/sync/errors';
import { ApiError, apiFetch } from '../../lib/api';

/**
 * Where a CVthèque search runs: on the server (the whole CVthèque) when the workstation is
 * online, on the local replica when it is offline or when the server fails. Bad criteria are
 * the user's to fix: the server's field errors come back as such, never as a local fallback.
 */

export type LocalReason = 'offline' | 'server-failed';

export interface SearchOutcome {
  response: CvSearchResponse;
  /** Why the replica answered (absent: the server did). */
  localReason?: LocalReason;
}

export class CriteriaError extends Error {
  constructor(
    message: string,
    readonly fields: FieldError[],
  ) {
    super(message);
  }
}

export interface SearchDeps {
  online: boolean;
  server: (criteria: CvSearchCriteria, signal?: AbortSignal) => Promise<CvSearchResponse>;
  local: (criteria: CvSearchCriteria) => Promise<CvSearchResponse>;
}

export async function runCvSearch(
  criteria: CvSearchCriteria,
  deps: SearchDeps,
  signal?: AbortSignal,
): Promise<SearchOutcome> {
  if (!deps.online) return { response: await deps.local(criteria), localReason: 'offline' };
  try {
    const response = await deps.server(criteria, signal);
    return { response };
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof ApiError && (err.status === 400 || err.status === 422))
      throw new CriteriaError(err.message, err.fields);
    // 401 is handled by the session (sign-in screen); 403: not allowed to search the CVthèque.
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) throw err;
    return { response: await deps.local(criteria), localReason: 'server-failed' };
  }
}

/** The server's search (`POST /api/cvtheque/search`). */
export function serverSearch(criteria: CvSearchCriteria, signal?: AbortSignal): Promise<CvSearchResponse> {
  return apiFetch<CvSearchResponse>('/api/cvtheque/search', {
    method: 'POST',
    body: { criteria },
    ...(signal ? { signal } : {}),
  }).then((r) => ({ ...r, source: 'serveur' as const }));
}

/**
 * A plain scan of CVs with the shared ranking (`scoreCv` + `compareCvHits`): what the replica
 * answers when no index is available.
 */
export function scanCvs(
  docs: Iterable<CvDoc>,
  criteria: CvSearchCriteria,
  now = new Date(),
): CvSearchResponse {
  const started = performance.now();
  const prepared = prepareCvSearch(criteria, now);
  const hits: CvHit[] = [];
  for (const doc of docs) {
    const hit = scoreCv(prepared, doc, cvStems(doc));
    if (hit) hits.push(hit);
  }
  hits.sort(compareCvHits);
  return {
    hits: hits.slice(0, CV_MAX_RESULTS),
    total: hits.length,
    source: 'local',
    tookMs: Math.round((performance.now() - started) * 10) / 10,
  };
}
