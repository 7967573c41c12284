import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CvListDoc } from '../schemas/cv-list.schema';
import {
  activeCvIds,
  addToList,
  changedCvIds,
  cvCountLabel,
  isInList,
  mergeCvLists,
  newCvList,
  normaliseEntries,
  removeFromList,
  renameList,
  validateCvListName,
} from './cv-lists';

const T0 = '2026-03-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

function list(patch: Partial<CvListDoc> = {}): CvListDoc {
  return {
    ...newCvList({ id: 'l1', organisationId: 'o1', ownerId: 'u1', name: 'Serveurs', now: T0 }),
    ...patch,
  };
}

describe('saved CV lists: add and remove', () => {
  it('adds CVs, most recent first, and leaves a CV already in the list alone', () => {
    let l = addToList(list(), ['a', 'b'], 'u1', at(1));
    l = addToList(l, ['c'], 'u1', at(2));
    expect(activeCvIds(l)).toEqual(['c', 'a', 'b']);
    const again = addToList(l, ['a'], 'u2', at(3));
    expect(again).toBe(l);
    expect(l.entries.find((e) => e.cvId === 'a')).toEqual({ cvId: 'a', addedAt: at(1), addedBy: 'u1' });
    expect(l.updatedAt).toBe(at(2));
  });

  it('removes CVs (entries kept as removed) and adds them back later', () => {
    let l = addToList(list(), ['a', 'b'], 'u1', at(1));
    l = removeFromList(l, ['a', 'zz'], at(2));
    expect(activeCvIds(l)).toEqual(['b']);
    expect(isInList(l, 'a')).toBe(false);
    expect(l.entries.find((e) => e.cvId === 'a')?.removedAt).toBe(at(2));
    l = addToList(l, ['a'], 'u2', at(3));
    expect(isInList(l, 'a')).toBe(true);
    expect(l.entries.find((e) => e.cvId === 'a')).toEqual({
      cvId: 'a',
      addedAt: at(3),
      addedBy: 'u2',
      removedAt: at(2),
    });
  });

  it('a clock behind the last removal still adds (the latest action wins)', () => {
    let l = addToList(list(), ['a'], 'u1', at(5));
    l = removeFromList(l, ['a'], at(6));
    l = addToList(l, ['a'], 'u1', at(1));
    expect(isInList(l, 'a')).toBe(true);
    l = removeFromList(l, ['a'], at(0));
    expect(isInList(l, 'a')).toBe(false);
  });

  it('renames and shares with a later renamedAt', () => {
    const l = renameList(list(), { name: '  Cuisiniers  ', shared: true }, at(1));
    expect(l).toMatchObject({ name: 'Cuisiniers', shared: true, renamedAt: at(1), updatedAt: at(1) });
  });
});

describe('saved CV lists: merging two copies edited apart', () => {
  it('keeps the additions and removals of both sides', () => {
    const base = addToList(list(), ['a', 'b', 'c'], 'u1', at(1));
    const left = removeFromList(addToList(base, ['d'], 'u1', at(2)), ['a'], at(3));
    const right = removeFromList(addToList(base, ['e'], 'u2', at(4)), ['b'], at(5));
    const merged = mergeCvLists(left, right);
    expect(activeCvIds(merged).sort()).toEqual(['c', 'd', 'e']);
    expect(mergeCvLists(right, left).entries).toEqual(merged.entries);
  });

  it('an addition after the other side’s removal wins, and the reverse', () => {
    const base = addToList(list(), ['a'], 'u1', at(1));
    const removed = removeFromList(base, ['a'], at(2));
    const readded = addToList(removed, ['a'], 'u2', at(3));
    expect(isInList(mergeCvLists(removed, readded), 'a')).toBe(true);
    const removedLater = removeFromList(base, ['a'], at(4));
    expect(isInList(mergeCvLists(readded, removedLater), 'a')).toBe(false);
  });

  it('takes the name and sharing of the later rename; identity from the first', () => {
    const a = renameList(list(), { name: 'A' }, at(1));
    const b = { ...renameList(list(), { name: 'B', shared: true }, at(2)), ownerId: 'other' };
    const m = mergeCvLists(a, b);
    expect(m).toMatchObject({ name: 'B', shared: true, ownerId: 'u1', renamedAt: at(2) });
    expect(mergeCvLists(b, a)).toMatchObject({ name: 'B', shared: true, ownerId: 'other' });
  });

  it('is commutative, associative and idempotent on the content (property)', () => {
    const op = fc.record({
      kind: fc.constantFrom('add', 'remove'),
      cv: fc.constantFrom('a', 'b', 'c', 'd'),
      t: fc.integer({ min: 1, max: 50 }),
    });
    const replica = fc
      .array(op, { maxLength: 8 })
      .map((ops) =>
        ops.reduce(
          (l, o) =>
            o.kind === 'add' ? addToList(l, [o.cv], 'u1', at(o.t)) : removeFromList(l, [o.cv], at(o.t)),
          list(),
        ),
      );
    fc.assert(
      fc.property(replica, replica, replica, (x, y, z) => {
        const content = (l: CvListDoc) => ({
          ...l,
          entries: [...l.entries].sort((p, q) => (p.cvId < q.cvId ? -1 : 1)),
        });
        expect(content(mergeCvLists(x, y))).toEqual(content(mergeCvLists(y, x)));
        expect(content(mergeCvLists(mergeCvLists(x, y), z))).toEqual(
          content(mergeCvLists(x, mergeCvLists(y, z))),
        );
        expect(content(mergeCvLists(x, x))).toEqual(content(x));
      }),
    );
  });

  it('folds duplicate entries and tells which CVs changed', () => {
    const entries = normaliseEntries([
      { cvId: 'a', addedAt: at(1), addedBy: 'u1' },
      { cvId: 'a', addedAt: at(3), addedBy: 'u2', removedAt: at(2) },
    ]);
    expect(entries).toEqual([{ cvId: 'a', addedAt: at(3), addedBy: 'u2', removedAt: at(2) }]);
    const before = addToList(list(), ['a', 'b'], 'u1', at(1));
    const after = addToList(removeFromList(before, ['a'], at(2)), ['c'], 'u1', at(3));
    expect(changedCvIds(before, after)).toEqual(['a', 'c']);
    expect(changedCvIds(null, after)).toEqual(['b', 'c']);
    expect(changedCvIds(before, null)).toEqual(['a', 'b']);
  });
});

describe('saved CV lists: wording and names', () => {
  it('counts CVs in French (seed 001)', () => {
    expect(cvCountLabel(0)).toBe('Aucun CV');
    expect(cvCountLabel(1)).toBe('1 CV dans cette liste');
    expect(cvCountLabel(2)).toBe('2 CVs dans cette liste');
  });

  it('names: 1 to 100 characters, French messages naming the field', () => {
    expect(validateCvListName('Serveurs')).toEqual([]);
    expect(validateCvListName('   ')).toEqual([{ field: 'name', message: 'Donnez un nom à la liste.' }]);
    expect(validateCvListName('x'.repeat(101))[0]?.message).toMatch(/100 caractères/);
    expect(validateCvListName(12, 'nom')).toEqual([
      { field: 'nom', message: 'Le nom de la liste doit être un texte.' },
    ]);
    expect(validateCvListName('x'.repeat(100))).toEqual([]);
  });
});
