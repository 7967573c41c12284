/**
 * « Offres correspondant à ce CV » (seed 002: « Rechercher des offres pour ce CV »; after saving a
 * CV the candidate is shown the matching offers).
 *
 * `GET /api/candidate/cvs/:id/matching-offers` → `CvMatchingOffers`: the CV's target becomes offer
 * search criteria (appellation, or its ROME code; contract types; working times; each workplace
 * with a radius), searched with the portal's offer search (`searchOffers`). With several
 * workplaces, one search per workplace, merged (an offer appears once, exact before close).
 */
import type { FastifyInstance } from 'fastify';
import type { CandidateCv } from '../../../shared/domain/cv';
import {
  criteriaToQuery,
  type OfferSearchCriteria,
  type PublicOfferHit,
} from '../../../shared/domain/offer-search';
import { requireCandidate } from '../auth/request-user';
import type { Queryable } from '../db/database';
import { notFound } from '../http-error';
import { SearchCriteriaError, searchOffers } from '../search/offer-search';
import { CV_NOT_FOUND, loadCandidateCv } from './cv-store';
import type { CandidateDeps } from './deps';

/** Around each workplace of the CV. */
export const MATCHING_RADIUS_KM = 30;
/** Workplaces searched (the first ones of the CV). */
export const MATCHING_MAX_PLACES = 3;
/** Offers shown per section. */
export const MATCHING_LIMIT = 20;

export const NO_TARGET_MESSAGE =
  'Indiquez le métier recherché (« Ma cible professionnelle ») dans ce CV pour voir les offres qui lui correspondent.';

export interface CvMatchingOffers {
  cv: { id: string; title: string };
  /** The criteria of the first search (for « Voir toutes les offres » in the offer search). */
  criteria: OfferSearchCriteria | null;
  /** Query string of the offer search page with those criteria. */
  searchQuery: string;
  exact: PublicOfferHit[];
  close: PublicOfferHit[];
  exactTotal: number;
  /** Set when nothing could be searched (no target yet). */
  message?: string;
}

/** The search criteria of a CV's target, one per workplace (at least one, without place). */
export function criteriaForCv(cv: CandidateCv, useAppellation = true): OfferSearchCriteria[] {
  const t = cv.target;
  if (!t || (!t.appellationCode && !t.romeCode)) return [];
  const base: OfferSearchCriteria = {
    ...(useAppellation && t.appellationCode ? { appellation: t.appellationCode } : { romeCode: t.romeCode }),
    ...(t.contractTypes.length ? { contractTypes: [...t.contractTypes] } : {}),
    ...(t.workingTimes.length ? { workingTimes: [...t.workingTimes] } : {}),
  };
  const places = t.workplaces.slice(0, MATCHING_MAX_PLACES);
  if (places.length === 0) return [base];
  return places.map((w) => ({
    ...base,
    place: { kind: 'commune' as const, code: w.communeCode },
    radiusKm: MATCHING_RADIUS_KM,
  }));
}

async function searchAll(q: Queryable, list: OfferSearchCriteria[]) {
  const exact = new Map<string, PublicOfferHit>();
  const close = new Map<string, PublicOfferHit>();
  let exactTotal = 0;
  for (const criteria of list) {
    const result = await searchOffers(q, criteria, { pageSize: 50, sort: 'pertinence' });
    exactTotal = Math.max(exactTotal, result.exactTotal);
    for (const hit of result.exact) {
      const seen = exact.get(hit.id);
      if (!seen || (hit.distanceKm ?? Infinity) < (seen.distanceKm ?? Infinity)) exact.set(hit.id, hit);
    }
    for (const hit of result.close) if (!close.has(hit.id)) close.set(hit.id, hit);
  }
  for (const id of exact.keys()) close.delete(id);
  const byScore = (a: PublicOfferHit, b: PublicOfferHit) =>
    b.score - a.score || (a.distanceKm ?? 0) - (b.distanceKm ?? 0) || a.id.localeCompare(b.id);
  return {
    exact: [...exact.values()].sort(byScore).slice(0, MATCHING_LIMIT),
    close: [...close.values()].sort(byScore).slice(0, MATCHING_LIMIT),
    exactTotal: Math.max(exactTotal, exact.size),
  };
}

export async function matchingOffers(q: Queryable, cv: CandidateCv): Promise<CvMatchingOffers> {
  const head = { cv: { id: cv.id, title: cv.title } };
  let list = criteriaForCv(cv);
  if (list.length === 0)
    return {
      ...head,
      criteria: null,
      searchQuery: '',
      exact: [],
      close: [],
      exactTotal: 0,
      message: NO_TARGET_MESSAGE,
    };
  // An appellation or a commune the referential does not know (any more): search by ROME code,
  // then without the places, rather than failing.
  for (let attempt = 0; ; attempt++) {
    try {
      const found = await searchAll(q, list);
      const first = list[0]!;
      return { ...head, criteria: first, searchQuery: criteriaToQuery(first), ...found };
    } catch (error) {
      if (!(error instanceof SearchCriteriaError) || attempt >= 2) throw error;
      const fields = new Set(error.fields.map((f) => f.field));
      if (fields.has('appellation')) list = criteriaForCv(cv, false);
      else if (fields.has('place') || fields.has('radiusKm'))
        list = [list.map(({ place: _place, radiusKm: _radius, ...rest }) => rest)[0]!];
      else throw error;
    }
  }
}

export async function registerMatchingRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db } = deps;
  app.get('/api/candidate/cvs/:id/matching-offers', async (request) => {
    const user = await requireCandidate(db, request);
    const cv = await loadCandidateCv(db, user.id, String((request.params as { id?: unknown }).id ?? ''));
    if (!cv) throw notFound(CV_NOT_FOUND);
    return matchingOffers(db, cv);
  });
}
