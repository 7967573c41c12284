/**
 * Offer search criteria (seed 002 « La recherche d'offres »), shared by the portal form, the
 * search API, saved searches and their alerts. The search itself runs on the server
 * (sync-server/src/search/offer-search.ts).
 */
import type { ContractType, QualificationLevel, WorkingTime } from './offer';

/** At most 5 keywords (seed 002). */
export const MAX_KEYWORDS = 5;
/** At most 150 results are shown, with paging (seed 002). */
export const MAX_RESULTS = 150;

export type PlaceKind = 'commune' | 'departement' | 'region';

export interface OfferSearchCriteria {
  /** Métier or keywords, at most `MAX_KEYWORDS` words. */
  keywords?: string;
  /** « Afficher strictement les offres contenant ces mots-clés ». */
  strict?: boolean;
  /** ROME appellation (code OGR) chosen from the suggestions. */
  appellation?: string;
  /** ROME code (search by ROME code). */
  romeCode?: string;
  /** Commune (INSEE code), département (code) or région (code). */
  place?: { kind: PlaceKind; code: string };
  /** Radius around a commune, in km. */
  radiusKm?: number;
  contractTypes?: ContractType[];
  /** Advanced search. */
  domain?: string;
  qualifications?: QualificationLevel[];
  workingTimes?: WorkingTime[];
  /** Published within the last N days. */
  publishedWithinDays?: number;
  /** Minimum monthly gross salary in euros. */
  salaryMin?: number;
  seasonal?: boolean;
  /** Search by offer number (« 100001A »): the other criteria are ignored. */
  offerNumber?: string;
}
