import {
  MAX_MODERATION_FLAGS,
  type ModerationFlag,
  moderationFlags,
  type OfferToCheck,
  type PublishedOfferForCheck,
} from '../../../shared/domain/moderation-checks';
import type { Queryable } from '../db/database';

/** Published offers compared with a submitted one, at most (same organisation or same company). */
const DUPLICATE_CANDIDATES = 1000;

/**
 * The automatic checks a moderator sees on a submitted offer (H/F mention, discriminatory
 * criteria, missing salary or contact, probable duplicates of a published offer). They never
 * block a submission: they point the moderator at what to look at.
 */
export async function moderationFlagsFor(
  tx: Queryable,
  offer: Record<string, unknown>,
): Promise<ModerationFlag[]> {
  const { rows } = await tx.query<{ doc: PublishedOfferForCheck }>(
    `select doc from offers
      where not deleted and doc->>'status' = 'publiee' and id <> $1
        and (doc->>'organisationId' = $2 or lower(doc->>'companyName') = lower($3))
      -- A duplicate is in the same city (and job, when both name one): those first, the newest
      -- first, so a large organisation's other offers never push the real duplicate out.
      order by (lower(unaccent(coalesce(doc->>'city', ''))) = lower(unaccent($5))) desc,
               (coalesce(doc->>'romeCode', '') = $6) desc,
               doc->>'publishedAt' desc nulls last
      limit $4`,
    [
      String(offer.id ?? ''),
      String(offer.organisationId ?? ''),
      String(offer.companyName ?? ''),
      DUPLICATE_CANDIDATES,
      String(offer.city ?? ''),
      String(offer.romeCode ?? ''),
    ],
  );
  return moderationFlags(
    offer as unknown as OfferToCheck,
    rows.map((r) => r.doc),
  ).slice(0, MAX_MODERATION_FLAGS);
}
