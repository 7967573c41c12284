/**
 * Saved CV lists (DESIGN §4 `cvLists`; seed 001 « CV sauvegardés »): pure functions shared by the
 * workstation (screens, conflict handler) and the server (push decision).
 *
 * Members are an add/remove set: each entry keeps when the CV was last added (`addedAt`) and last
 * removed (`removedAt`); the CV is in the list while `addedAt` is later than `removedAt`. Two
 * copies edited apart (two devices offline) merge entry by entry with the latest dates, so
 * additions and removals made on either side are both kept (`mergeCvLists`).
 */

import type { CvListDoc } from '../schemas/cv-list.schema';
import type { FieldError } from '../sync/errors';

export type CvListEntry = CvListDoc['entries'][number];

export const CV_LIST_NAME_MAX_LENGTH = 100;
/** Entries a list keeps at most (the schema's `maxItems`), removed ones included. */
export const CV_LIST_MAX_ENTRIES = 2000;

function time(iso: string | undefined): number {
  if (!iso) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
}

/** Later of two ISO dates (absent counts as the earliest). */
function later(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const ta = time(a);
  const tb = time(b);
  if (ta !== tb) return ta > tb ? a : b;
  return a >= b ? a : b;
}

function isoOf(now: Date | string): string {
  return typeof now === 'string' ? now : now.toISOString();
}

/** `now`, or just after `after` when the clock is behind it (so the latest action always wins). */
function notBefore(now: string, after: string | undefined): string {
  if (after === undefined || time(now) > time(after)) return now;
  return new Date(time(after) + 1).toISOString();
}

/** Whether the entry is currently in its list. */
export function isActiveEntry(entry: CvListEntry): boolean {
  return entry.removedAt === undefined || time(entry.addedAt) > time(entry.removedAt);
}

/** The CVs in the list, most recently added first. */
export function activeCvIds(list: Pick<CvListDoc, 'entries'>): string[] {
  return list.entries
    .filter(isActiveEntry)
    .sort((a, b) => time(b.addedAt) - time(a.addedAt) || (a.cvId < b.cvId ? -1 : a.cvId > b.cvId ? 1 : 0))
    .map((e) => e.cvId);
}

export function isInList(list: Pick<CvListDoc, 'entries'>, cvId: string): boolean {
  const e = list.entries.find((x) => x.cvId === cvId);
  return !!e && isActiveEntry(e);
}

/** Keeps at most `CV_LIST_MAX_ENTRIES` entries: the oldest removed ones go first. */
function bounded(entries: CvListEntry[]): CvListEntry[] {
  if (entries.length <= CV_LIST_MAX_ENTRIES) return entries;
  const removed = entries
    .filter((e) => !isActiveEntry(e))
    .sort((a, b) => time(a.removedAt) - time(b.removedAt));
  const drop = new Set(removed.slice(0, entries.length - CV_LIST_MAX_ENTRIES).map((e) => e.cvId));
  return entries.filter((e) => !drop.has(e.cvId));
}

/** The list with these CVs added (those already in it are left as they are). */
export function addToList(list: CvListDoc, cvIds: string[], userId: string, now: Date | string): CvListDoc {
  const at = isoOf(now);
  const byId = new Map(list.entries.map((e) => [e.cvId, e]));
  let changed = false;
  for (const cvId of new Set(cvIds)) {
    const e = byId.get(cvId);
    if (e && isActiveEntry(e)) continue;
    changed = true;
    const addedAt = notBefore(at, e?.removedAt);
    byId.set(cvId, { ...(e?.removedAt ? { removedAt: e.removedAt } : {}), cvId, addedAt, addedBy: userId });
  }
  if (!changed) return list;
  return { ...list, entries: bounded([...byId.values()]), updatedAt: later(list.updatedAt, at) ?? at };
}

/** The list with these CVs removed (the entries stay, marked removed). */
export function removeFromList(list: CvListDoc, cvIds: string[], now: Date | string): CvListDoc {
  const at = isoOf(now);
  const remove = new Set(cvIds);
  let changed = false;
  const entries = list.entries.map((e) => {
    if (!remove.has(e.cvId) || !isActiveEntry(e)) return e;
    changed = true;
    return { ...e, removedAt: notBefore(at, e.addedAt) };
  });
  if (!changed) return list;
  return { ...list, entries: bounded(entries), updatedAt: later(list.updatedAt, at) ?? at };
}

/** The list renamed and (un)shared; `renamedAt` records when, for merges. */
export function renameList(
  list: CvListDoc,
  change: { name?: string; shared?: boolean },
  now: Date | string,
): CvListDoc {
  const at = notBefore(isoOf(now), list.renamedAt);
  return {
    ...list,
    name: change.name !== undefined ? change.name.trim() : list.name,
    shared: change.shared ?? list.shared,
    renamedAt: at,
    updatedAt: later(list.updatedAt, at) ?? at,
  };
}

/** A new, empty list. */
export function newCvList(input: {
  id: string;
  organisationId: string;
  ownerId: string;
  name: string;
  shared?: boolean;
  now: Date | string;
}): CvListDoc {
  const at = isoOf(input.now);
  return {
    id: input.id,
    organisationId: input.organisationId,
    ownerId: input.ownerId,
    name: input.name.trim(),
    shared: input.shared ?? false,
    entries: [],
    renamedAt: at,
    createdAt: at,
    updatedAt: at,
  };
}

function mergeEntry(a: CvListEntry | undefined, b: CvListEntry | undefined): CvListEntry {
  if (!a) return b!;
  if (!b) return a;
  const ta = time(a.addedAt);
  const tb = time(b.addedAt);
  const newer =
    ta > tb || (ta === tb && (a.addedAt > b.addedAt || (a.addedAt === b.addedAt && a.addedBy >= b.addedBy)))
      ? a
      : b;
  const removedAt = later(a.removedAt, b.removedAt);
  return {
    cvId: newer.cvId,
    addedAt: newer.addedAt,
    addedBy: newer.addedBy,
    ...(removedAt !== undefined ? { removedAt } : {}),
  };
}

/**
 * Two copies of one list merged (offline edits on two devices, or a push against a newer master):
 * per CV the latest addition and the latest removal (in the list while added after removed); the
 * name and sharing of the later `renamedAt`. Identity (`id`, `organisationId`, `ownerId`) comes
 * from `a` (the master, on either side). Commutative for everything but identity.
 */
export function mergeCvLists(a: CvListDoc, b: CvListDoc): CvListDoc {
  const ids = new Set([...a.entries.map((e) => e.cvId), ...b.entries.map((e) => e.cvId)]);
  const aById = new Map(a.entries.map((e) => [e.cvId, e]));
  const bById = new Map(b.entries.map((e) => [e.cvId, e]));
  const entries = [...ids]
    .sort()
    .map((id) => mergeEntry(aById.get(id), bById.get(id)))
    .sort((x, y) => time(x.addedAt) - time(y.addedAt) || (x.cvId < y.cvId ? -1 : 1));
  const ra = time(a.renamedAt);
  const rb = time(b.renamedAt);
  const naming =
    ra > rb ||
    (ra === rb &&
      (a.renamedAt > b.renamedAt || (a.renamedAt === b.renamedAt && a.name + a.shared >= b.name + b.shared)))
      ? a
      : b;
  const createdA = time(a.createdAt);
  const createdB = time(b.createdAt);
  return {
    id: a.id,
    organisationId: a.organisationId,
    ownerId: a.ownerId,
    name: naming.name,
    shared: naming.shared,
    entries: bounded(entries),
    renamedAt: naming.renamedAt,
    createdAt: createdA <= createdB ? a.createdAt : b.createdAt,
    updatedAt: later(a.updatedAt, b.updatedAt) ?? a.updatedAt,
  };
}

/** The entries with one entry per CV (duplicates folded as a merge would). */
export function normaliseEntries(entries: CvListEntry[]): CvListEntry[] {
  const byId = new Map<string, CvListEntry>();
  for (const e of entries) byId.set(e.cvId, mergeEntry(byId.get(e.cvId), e));
  return [...byId.values()];
}

/** CVs whose membership differs between two states of a list (null: no list). */
export function changedCvIds(
  before: Pick<CvListDoc, 'entries'> | null,
  after: Pick<CvListDoc, 'entries'> | null,
): string[] {
  const a = new Set(before ? activeCvIds(before) : []);
  const b = new Set(after ? activeCvIds(after) : []);
  return [...new Set([...a, ...b])].filter((id) => a.has(id) !== b.has(id)).sort();
}

/** « Aucun CV », « 1 CV dans cette liste », « 2 CVs dans cette liste » (seed 001). */
export function cvCountLabel(n: number): string {
  if (n <= 0) return 'Aucun CV';
  return n === 1 ? '1 CV dans cette liste' : `${n} CVs dans cette liste`;
}

/** French messages for a list name: 1 to 100 characters once trimmed. */
export function validateCvListName(name: unknown, field = 'name'): FieldError[] {
  if (typeof name !== 'string') return [{ field, message: 'Le nom de la liste doit être un texte.' }];
  const trimmed = name.trim();
  if (trimmed.length === 0) return [{ field, message: 'Donnez un nom à la liste.' }];
  if (trimmed.length > CV_LIST_NAME_MAX_LENGTH)
    return [
      {
        field,
        message: `Le nom de la liste ne doit pas dépasser ${CV_LIST_NAME_MAX_LENGTH} caractères (${trimmed.length} actuellement).`,
      },
    ];
  return [];
}
