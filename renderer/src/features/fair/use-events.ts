import { useMemo } from 'react';
import { map } from 'rxjs';
import type { ApplicationDoc, OfferDoc } from '../../../../shared/schemas';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { EventDoc } from '../../../../shared/schemas/event.schema';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';

/** Every event of the replica (the user's organisations, and sessions asked of them), live. */
export function useAllEvents(db: WorkstationDatabase): EventDoc[] | undefined {
  const obs = useMemo(
    () => db.events.find().$.pipe(map((docs) => docs.map((d) => d.toJSON() as EventDoc))),
    [db],
  );
  return useObservableValue(obs);
}

/** One event, live (null once known to be absent). */
export function useEvent(db: WorkstationDatabase, id: string): EventDoc | null | undefined {
  const obs = useMemo(
    () => db.events.findOne(id).$.pipe(map((d) => (d ? (d.toJSON() as EventDoc) : null))),
    [db, id],
  );
  return useObservableValue(obs);
}

/** The applications of the offers presented at an event and of the event itself, live. */
export function useEventApplications(
  db: WorkstationDatabase,
  event: Pick<EventDoc, 'id' | 'offerIds'> | null | undefined,
): ApplicationDoc[] | undefined {
  const key = event ? `${event.id}:${event.offerIds.join(',')}` : '';
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the event's id and offers
  const obs = useMemo(() => {
    if (!event) return null;
    const or = [
      { eventId: event.id },
      ...(event.offerIds.length > 0 ? [{ offerId: { $in: [...event.offerIds] } }] : []),
    ];
    return db.applications
      .find({ selector: { $or: or } as never })
      .$.pipe(map((docs) => docs.map((d) => d.toJSON() as ApplicationDoc)));
  }, [db, key]);
  return useObservableValue(obs);
}

/** Offers of the replica by id (those of an event). */
export function useOffersById(
  db: WorkstationDatabase,
  ids: readonly string[],
): Map<string, OfferDoc> | undefined {
  const key = ids.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the ids
  const obs = useMemo(
    () =>
      db.offers
        .findByIds([...ids])
        .$.pipe(map((found) => new Map([...found.entries()].map(([id, d]) => [id, d.toJSON() as OfferDoc])))),
    [db, key],
  );
  return useObservableValue(obs);
}

/** CVs of the replica by id. */
export function useCvsById(db: WorkstationDatabase, ids: readonly string[]): Map<string, CvDoc> | undefined {
  const key = [...ids].sort().join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for the ids
  const obs = useMemo(
    () =>
      db.cvs
        .findByIds([...ids])
        .$.pipe(map((found) => new Map([...found.entries()].map(([id, d]) => [id, d.toJSON() as CvDoc])))),
    [db, key],
  );
  return useObservableValue(obs);
}
