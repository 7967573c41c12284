import type { OfferDoc } from '../schemas/offer.schema';
import { OFFER_PUBLIC_FIELDS } from './offer';

/** An offer as the public sees it: no internal contact, no moderation detail. */
export type PublicOffer = Pick<OfferDoc, (typeof OFFER_PUBLIC_FIELDS)[number]>;

export function toPublicOffer(doc: OfferDoc): PublicOffer {
  const out: Record<string, unknown> = {};
  for (const key of OFFER_PUBLIC_FIELDS) {
    if (doc[key] !== undefined) out[key] = doc[key];
  }
  // The application contact is public only when the recruiter chose to apply through it.
  if (doc.applicationMode !== 'contact') delete out.applicationContact;
  return out as PublicOffer;
}

export interface PublicOfferPage {
  items: PublicOffer[];
  total: number;
  page: number;
  pageSize: number;
}
