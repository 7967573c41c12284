/** The offer search API as the portal reads it (server: sync-server/src/search/routes.ts). */
import type { CandidateProfile } from '../../../shared/domain/candidate-profile';
import type { OfferSearchResult, PlaceKind } from '../../../shared/domain/offer-search';
import { ApiError, apiRequest } from './api';

export interface SearchContext {
  place?: { kind: PlaceKind; code: string; label: string };
  appellation?: { code: string; label: string; romeCode: string };
  romeCode?: { code: string; label: string };
}

export type SearchResponse = OfferSearchResult & { context: SearchContext };

export interface PlaceChoice {
  kind: PlaceKind;
  code: string;
  label: string;
}

export interface AppellationChoice {
  code: string;
  label: string;
  romeCode: string;
}

/** `query`: the criteria, page and sort as the page's address holds them (without `?`). */
export function fetchSearch(query: string, signal?: AbortSignal): Promise<SearchResponse> {
  return apiRequest(
    'GET',
    `/api/public/search${query ? `?${query}` : ''}`,
    undefined,
    signal ? { signal } : {},
  );
}

export async function suggestPlaces(q: string, signal?: AbortSignal): Promise<PlaceChoice[]> {
  const body = await apiRequest<{ items: PlaceChoice[] }>(
    'GET',
    `/api/public/search/places?q=${encodeURIComponent(q)}`,
    undefined,
    signal ? { signal } : {},
  );
  return body.items;
}

export async function suggestAppellations(q: string, signal?: AbortSignal): Promise<AppellationChoice[]> {
  const body = await apiRequest<{ items: { codeOgr: string; label: string; romeCode: string }[] }>(
    'GET',
    `/api/reference/rome/appellations?q=${encodeURIComponent(q)}&limit=8`,
    undefined,
    signal ? { signal } : {},
  );
  return body.items.map((a) => ({ code: a.codeOgr, label: a.label, romeCode: a.romeCode }));
}

/** The signed-in candidate's profile, or null (not signed in, no profile yet, or not available). */
export async function fetchOwnProfile(signal?: AbortSignal): Promise<CandidateProfile | null> {
  try {
    const body = await apiRequest<CandidateProfile | { profile: CandidateProfile }>(
      'GET',
      '/api/candidate/profile',
      undefined,
      signal ? { signal } : {},
    );
    return body && 'profile' in body ? body.profile : (body as CandidateProfile);
  } catch (error) {
    if (error instanceof ApiError) return null;
    throw error;
  }
}

export function fetchJobPosting(id: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return apiRequest('GET', `/api/public/offers/${encodeURIComponent(id)}/jobposting.json`, undefined, {
    ...(signal ? { signal } : {}),
    headers: { accept: 'application/ld+json, application/json' },
  });
}

export function shareOffer(
  id: string,
  body: { to: string; name?: string; message?: string },
): Promise<unknown> {
  return apiRequest('POST', `/api/public/offers/${encodeURIComponent(id)}/share`, body);
}
