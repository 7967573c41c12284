import { useMemo } from 'react';
import { map } from 'rxjs';
import type { NoticeDoc } from '../../../../shared/schemas';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';

/** Every notice of the user, newest first (sorted in memory: Dexie cannot index a desc sort). */
export function useNotices(db: WorkstationDatabase): NoticeDoc[] | undefined {
  const obs = useMemo(
    () =>
      db.notices
        .find()
        .$.pipe(
          map((docs) =>
            docs.map((d) => d.toJSON() as NoticeDoc).sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1)),
          ),
        ),
    [db],
  );
  return useObservableValue(obs);
}

export function useUnreadNoticeCount(db: WorkstationDatabase): number {
  const obs = useMemo(
    () => db.notices.find().$.pipe(map((docs) => docs.filter((d) => !d.readAt).length)),
    [db],
  );
  return useObservableValue(obs) ?? 0;
}

export async function markNoticeRead(db: WorkstationDatabase, id: string): Promise<void> {
  const doc = await db.notices.findOne(id).exec();
  if (doc && !doc.readAt) await doc.incrementalPatch({ readAt: new Date().toISOString() });
}
