/** The search form pre-filled from the signed-in candidate's profile (seed 000 « Ma recherche »). Pure. */
import type { CandidateProfile } from '../../../shared/domain/candidate-profile';
import { type OfferSearchCriteria, RADIUS_CHOICES } from '../../../shared/domain/offer-search';
import type { SearchLabels } from './components/search/SearchForm';

/** What the candidate's search preferences suggest, for an empty form (seed 000 « Ma recherche »). */
export function criteriaFromProfile(profile: CandidateProfile): {
  criteria: OfferSearchCriteria;
  labels: SearchLabels;
} {
  const criteria: OfferSearchCriteria = {};
  const labels: SearchLabels = {};
  const s = profile.search;
  if (s?.contractTypes?.length) criteria.contractTypes = s.contractTypes;
  if (s?.qualifications?.length) criteria.qualifications = s.qualifications;
  const domain = s?.domains?.[0] ?? profile.domains?.[0];
  if (domain) criteria.domain = domain;
  const appellation = s?.appellations?.[0];
  if (appellation) {
    criteria.appellation = appellation.code;
    labels.appellation = appellation.label;
  }
  if (profile.address?.communeCode) {
    criteria.place = { kind: 'commune', code: profile.address.communeCode };
    labels.place = `${profile.address.communeName} (${profile.address.postalCode})`;
    const max = s?.maxDistanceKm ?? 20;
    criteria.radiusKm = RADIUS_CHOICES.find((r) => r >= max) ?? 100;
  }
  return { criteria, labels };
}
