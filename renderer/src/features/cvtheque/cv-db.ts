import { useMemo } from 'react';
import type { RxCollection } from 'rxdb';
import { map } from 'rxjs';
import {
  activeCvIds,
  addToList,
  newCvList,
  removeFromList,
  renameList,
} from '../../../../shared/domain/cv-lists';
import { recordSearch, type SearchRun, setFavourite } from '../../../../shared/domain/searches';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { CvListDoc } from '../../../../shared/schemas/cv-list.schema';
import type { SearchDoc } from '../../../../shared/schemas/search.schema';
import type { WorkstationDatabase } from '../../db/collections';
import { useObservableValue } from '../../hooks/use-rx-query';
import { docData } from '../offers/use-offers';

/**
 * The CVthèque's collections in the workstation's replica (`cvs` read-only, `cvLists` and
 * `searches` the user's own), and the writes the screens make through the shared helpers
 * (`shared/domain/cv-lists.ts`, `shared/domain/searches.ts`).
 */

export interface CvCollections {
  cvs: RxCollection<CvDoc>;
  cvLists: RxCollection<CvListDoc>;
  searches: RxCollection<SearchDoc>;
}

/** The three collections, or null while the replica does not have them (an older database). */
export function cvCollections(db: WorkstationDatabase): CvCollections | null {
  const c = db as Partial<CvCollections>;
  return c.cvs && c.cvLists && c.searches ? { cvs: c.cvs, cvLists: c.cvLists, searches: c.searches } : null;
}

const byName = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** The lists the user sees in this organisation: their own and those shared with it, by name. */
export function visibleLists(
  lists: readonly CvListDoc[],
  userId: string,
  organisationId: string | null,
): CvListDoc[] {
  return lists
    .filter((l) => l.organisationId === organisationId && (l.ownerId === userId || l.shared))
    .sort((a, b) => byName.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

export function useCvLists(db: WorkstationDatabase, userId: string, organisationId: string | null) {
  const obs = useMemo(() => {
    const cols = cvCollections(db);
    return cols
      ? cols.cvLists.find().$.pipe(map((docs) => visibleLists(docs.map(docData), userId, organisationId)))
      : null;
  }, [db, userId, organisationId]);
  return useObservableValue(obs);
}

/** The user's search history, most recent first. */
export function useSearchHistory(db: WorkstationDatabase, userId: string) {
  const obs = useMemo(() => {
    const cols = cvCollections(db);
    return cols
      ? cols.searches
          .find({ selector: { ownerId: userId } })
          .$.pipe(
            map((docs) =>
              docs
                .map(docData)
                .sort((a, b) => (a.lastRunAt < b.lastRunAt ? 1 : a.lastRunAt > b.lastRunAt ? -1 : 0)),
            ),
          )
      : null;
  }, [db, userId]);
  return useObservableValue(obs);
}

/** How many CVs the replica holds (the « disponible hors ligne » summary). */
export function useLocalCvCount(db: WorkstationDatabase): number | undefined {
  const obs = useMemo(() => cvCollections(db)?.cvs.count().$ ?? null, [db]);
  return useObservableValue(obs);
}

/** CVs of the replica by id (those it does not hold are left out). */
export function useCvsByIds(db: WorkstationDatabase, ids: readonly string[]) {
  const key = ids.join(',');
  const obs = useMemo(() => {
    const cols = cvCollections(db);
    const list = key ? key.split(',') : [];
    return cols && list.length
      ? cols.cvs.findByIds(list).$.pipe(map((m) => new Map([...m].map(([id, d]) => [id, docData(d)]))))
      : null;
  }, [db, key]);
  return useObservableValue(obs) ?? (ids.length ? undefined : new Map<string, CvDoc>());
}

export function useCv(db: WorkstationDatabase, id: string | null): CvDoc | null | undefined {
  const obs = useMemo(() => {
    const cols = cvCollections(db);
    return cols && id ? cols.cvs.findOne(id).$.pipe(map((d) => (d ? docData(d) : null))) : null;
  }, [db, id]);
  const value = useObservableValue(obs);
  return id ? value : null;
}

export const NO_REPLICA_MESSAGE =
  'La CVthèque n’est pas encore disponible sur ce poste : mettez l’application à jour ou patientez jusqu’à la prochaine synchronisation.';

function need(db: WorkstationDatabase): CvCollections {
  const c = cvCollections(db);
  if (!c) throw new Error(NO_REPLICA_MESSAGE);
  return c;
}

// ─── Lists ─────────────────────────────────────────────────────────────────────────────────

export async function createList(
  db: WorkstationDatabase,
  input: { organisationId: string; ownerId: string; name: string; shared?: boolean },
): Promise<CvListDoc> {
  const doc = newCvList({ ...input, id: crypto.randomUUID(), now: new Date() });
  await need(db).cvLists.insert(doc);
  return doc;
}

async function modifyList(db: WorkstationDatabase, listId: string, fn: (l: CvListDoc) => CvListDoc) {
  const doc = await need(db).cvLists.findOne(listId).exec();
  if (!doc) throw new Error('Cette liste n’existe plus.');
  await doc.incrementalModify((d) => fn(d as CvListDoc));
}

export function addCvsToList(db: WorkstationDatabase, listId: string, cvIds: string[], userId: string) {
  return modifyList(db, listId, (l) => addToList(l, cvIds, userId, new Date()));
}

export function removeCvsFromList(db: WorkstationDatabase, listId: string, cvIds: string[]) {
  return modifyList(db, listId, (l) => removeFromList(l, cvIds, new Date()));
}

export function changeList(
  db: WorkstationDatabase,
  listId: string,
  change: { name?: string; shared?: boolean },
) {
  return modifyList(db, listId, (l) => renameList(l, change, new Date()));
}

export async function deleteList(db: WorkstationDatabase, listId: string): Promise<void> {
  const doc = await need(db).cvLists.findOne(listId).exec();
  await doc?.remove();
}

/**
 * « Ajouter à une liste »: the CVs put in the lists ticked and taken out of those unticked (only
 * lists whose state the user changed are written).
 */
export async function applyListChoice(
  db: WorkstationDatabase,
  cvIds: string[],
  choice: Map<string, boolean>,
  userId: string,
): Promise<{ added: number; removed: number }> {
  let added = 0;
  let removed = 0;
  for (const [listId, inList] of choice) {
    if (inList) {
      await addCvsToList(db, listId, cvIds, userId);
      added++;
    } else {
      await removeCvsFromList(db, listId, cvIds);
      removed++;
    }
  }
  return { added, removed };
}

export { activeCvIds };

// ─── Searches ──────────────────────────────────────────────────────────────────────────────

/** Records a run in the history (one entry per distinct search, `searchIdFor`). */
export async function recordRun(db: WorkstationDatabase, run: SearchRun): Promise<SearchDoc | null> {
  const cols = cvCollections(db);
  if (!cols) return null;
  const probe = recordSearch(null, run, new Date());
  const existing = await cols.searches.findOne(probe.id).exec();
  if (!existing) {
    await cols.searches.insert(probe);
    return probe;
  }
  let out: SearchDoc = probe;
  await existing.incrementalModify((d) => {
    out = recordSearch(d as SearchDoc, run, new Date());
    return out;
  });
  return out;
}

export async function starSearch(db: WorkstationDatabase, id: string, favourite: boolean): Promise<void> {
  const doc = await need(db).searches.findOne(id).exec();
  if (!doc) return;
  await doc.incrementalModify((d) => setFavourite(d as SearchDoc, favourite, new Date()));
}

export async function deleteSearch(db: WorkstationDatabase, id: string): Promise<void> {
  const doc = await need(db).searches.findOne(id).exec();
  await doc?.remove();
}
