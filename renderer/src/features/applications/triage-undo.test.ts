import { describe, expect, it } from 'vitest';
import { newEvaluation, withNote, withRating, withTag } from '../../../../shared/domain/evaluation';
import { undoEvaluationChange } from './triage-db';

const t = (m: number) => new Date(Date.UTC(2026, 11, 4, 10, m));
const base = newEvaluation({
  authorId: 'u1',
  authorName: 'Claire Martin',
  organisationId: 'o1',
  subjectKind: 'application',
  subjectId: 'a1',
  now: t(0),
});

describe('undoing one change of an evaluation', () => {
  it('takes back a tag without losing a note written meanwhile', () => {
    // The tag's undo was computed before the note landed: only the tag goes.
    const doc = withNote(
      withTag(withRating(base, 2, t(1)), 'Vivier vente', t(2)),
      'Rappeler lundi',
      'n1',
      t(3),
    );
    const out = undoEvaluationChange(doc, { type: 'tag', tag: 'Vivier vente', wasPresent: false }, t(4));
    expect(out.tags).toEqual([]);
    expect(out.notes.map((n) => n.text)).toEqual(['Rappeler lundi']);
    expect(out.rating).toBe(2);
  });

  it('takes back a note, a rating (to the previous one, dated now) or a first rating', () => {
    const noted = withNote(base, 'Très bon contact', 'n1', t(1));
    expect(undoEvaluationChange(noted, { type: 'note', noteId: 'n1' }, t(2)).notes).toEqual([]);
    const rerated = withRating(withRating(base, 3, t(1)), 5, t(2));
    const back = undoEvaluationChange(rerated, { type: 'rating', previous: { rating: 3 } }, t(3));
    expect(back).toMatchObject({ rating: 3, ratedAt: t(3).toISOString() });
    const first = undoEvaluationChange(withRating(base, 4, t(1)), { type: 'rating', previous: null }, t(2));
    expect(first.rating).toBeUndefined();
    expect(first.ratedAt).toBeUndefined();
  });

  it('puts back a tag that was removed', () => {
    const out = undoEvaluationChange(base, { type: 'tag', tag: 'Permis B', wasPresent: true }, t(1));
    expect(out.tags).toEqual(['Permis B']);
  });
});
