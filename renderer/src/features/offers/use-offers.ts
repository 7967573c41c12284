import { useMemo } from 'react';
import type { RxDocument } from 'rxdb';
import { map } from 'rxjs';
import type { OfferDoc } from '../../../../shared/schemas';
import type { OrganisationDoc } from '../../../../shared/schemas/organisation.schema';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';

/**
 * The data of a document as the replica holds it, without a copy: the same object for as long
 * as the document does not change, which lets the offers list cache its rows per document.
 * Read-only (RxDB owns it); writes go through the collection.
 */
export function docData<T>(doc: RxDocument<T>): T {
  return doc._data as unknown as T;
}

/** The organisation's offers, live from the local replica. */
export function useOrganisationOffers(
  db: WorkstationDatabase,
  organisationId: string | null,
): OfferDoc[] | undefined {
  const obs = useMemo(
    () =>
      organisationId
        ? db.offers.find({ selector: { organisationId } }).$.pipe(map((docs) => docs.map(docData)))
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

/** Organisations of the replica by id (the moderation queue reads their verification state). */
export function useOrganisations(db: WorkstationDatabase): Map<string, OrganisationDoc> | undefined {
  const obs = useMemo(
    () =>
      db.organisations
        .find()
        .$.pipe(map((docs) => new Map(docs.map((d) => [d.id, d.toJSON() as OrganisationDoc])))),
    [db],
  );
  return useObservableValue(obs);
}

export interface MemberOption {
  accountId: string;
  name: string;
  email: string;
  role: 'admin' | 'member';
}

/** Members of an organisation as the co-recruiters list shows them, by last name. */
export function organisationMembers(org: OrganisationDoc | null | undefined): MemberOption[] {
  return (org?.members ?? [])
    .map((m) => ({
      accountId: m.accountId,
      name: `${m.firstName} ${m.lastName}`.trim(),
      email: m.email,
      role: m.role as 'admin' | 'member',
    }))
    .sort((a, b) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }));
}
