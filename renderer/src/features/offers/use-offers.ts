import { useMemo } from 'react';
import { map } from 'rxjs';
import type { OfferDoc } from '../../../../shared/schemas';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';

/** The organisation's offers, live from the local replica. */
export function useOrganisationOffers(
  db: WorkstationDatabase,
  organisationId: string | null,
): OfferDoc[] | undefined {
  const obs = useMemo(
    () =>
      organisationId
        ? db.offers
            .find({ selector: { organisationId } })
            .$.pipe(map((docs) => docs.map((d) => d.toJSON() as OfferDoc)))
        : null,
    [db, organisationId],
  );
  return useObservableValue(obs);
}

/** Offers awaiting moderation in the replica (moderators see them across organisations), oldest first. */
export function usePendingModerationOffers(db: WorkstationDatabase): OfferDoc[] | undefined {
  const obs = useMemo(
    () =>
      db.offers
        .find({ selector: { status: 'en_attente' } })
        .$.pipe(
          map((docs) =>
            docs
              .map((d) => d.toJSON() as OfferDoc)
              .sort((a, b) => ((a.submittedAt ?? a.updatedAt) < (b.submittedAt ?? b.updatedAt) ? -1 : 1)),
          ),
        ),
    [db],
  );
  return useObservableValue(obs);
}
