import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvaluationDoc } from '../schemas/evaluation.schema';
import {
  averageRating,
  evaluationIdFor,
  mergeEvaluations,
  newEvaluation,
  validateEvaluation,
  withNote,
  withoutTag,
  withRating,
  withTag,
} from './evaluation';

const t = (m: number) => new Date(Date.UTC(2026, 11, 4, 10, m));
const base = () =>
  newEvaluation({
    authorId: 'u1',
    authorName: 'Claire Martin',
    organisationId: 'o1',
    subjectKind: 'application',
    subjectId: 'a1',
    offerId: 'f1',
    now: t(0),
  });

describe('evaluations', () => {
  it('derives one id per author and subject', () => {
    expect(evaluationIdFor('u1', 'a1')).toHaveLength(36);
    expect(evaluationIdFor('u1', 'a1')).toBe(evaluationIdFor('u1', 'a1'));
    expect(evaluationIdFor('u1', 'a1')).not.toBe(evaluationIdFor('u2', 'a1'));
    expect(evaluationIdFor('u1', 'a1')).not.toBe(evaluationIdFor('u1', 'a2'));
    expect(validateEvaluation(base())).toEqual([]);
    expect(validateEvaluation({ ...base(), id: evaluationIdFor('u2', 'a1') })[0]?.field).toBe('id');
  });

  it('merges two devices: notes appended, latest rating, tags united', () => {
    const laptop = withTag(
      withNote(withRating(base(), 4, t(1)), 'Très à l’aise à l’oral', 'n1', t(2)),
      'Permis B',
      t(3),
    );
    const tablet = withTag(
      withRating(withNote(base(), 'Disponible lundi', 'n2', t(4)), 2, t(5)),
      'Cariste',
      t(5),
    );
    const m = mergeEvaluations(laptop, tablet);
    expect(m.notes.map((n) => n.text)).toEqual(['Très à l’aise à l’oral', 'Disponible lundi']);
    expect(m.rating).toBe(2);
    expect(m.ratedAt).toBe(t(5).toISOString());
    expect(m.tags).toEqual(['Cariste', 'Permis B']);
    expect(m.updatedAt).toBe(t(5).toISOString());
    expect(mergeEvaluations(tablet, laptop)).toEqual(m);
  });

  it('keeps tags once, whatever their case or accents', () => {
    const a = withTag(base(), 'Mobilité', t(1));
    const b = withTag(base(), 'mobilite', t(2));
    expect(mergeEvaluations(a, b).tags).toHaveLength(1);
    expect(withTag(a, '  mobilité ', t(3)).tags).toEqual(['Mobilité']);
    expect(withoutTag(a, 'MOBILITÉ', t(3)).tags).toEqual([]);
  });

  it('ignores empty notes and averages ratings', () => {
    expect(withNote(base(), '   ', 'n1', t(1)).notes).toEqual([]);
    expect(averageRating([{ rating: 4 }, {}, { rating: 5 }])).toBe(4.5);
    expect(averageRating([{}])).toBeNull();
  });

  it('merge is commutative, associative and idempotent', () => {
    const edit = fc.oneof(
      fc.record({
        k: fc.constant('rate' as const),
        r: fc.integer({ min: 1, max: 5 }),
        m: fc.integer({ min: 0, max: 50 }),
      }),
      fc.record({
        k: fc.constant('note' as const),
        id: fc.constantFrom('n1', 'n2', 'n3', 'n4'),
        m: fc.integer({ min: 0, max: 50 }),
      }),
      fc.record({
        k: fc.constant('tag' as const),
        tag: fc.constantFrom('Cariste', 'cariste', 'Permis B', 'Anglais'),
        m: fc.integer({ min: 0, max: 50 }),
      }),
    );
    const device = fc.array(edit, { maxLength: 6 }).map((edits) =>
      edits.reduce<EvaluationDoc>((d, e) => {
        if (e.k === 'rate') return withRating(d, e.r, t(e.m));
        if (e.k === 'note') return withNote(d, `note ${e.id}`, e.id, t(e.m));
        return withTag(d, e.tag, t(e.m));
      }, base()),
    );
    fc.assert(
      fc.property(device, device, device, (a, b, c) => {
        expect(mergeEvaluations(a, b)).toEqual(mergeEvaluations(b, a));
        expect(mergeEvaluations(mergeEvaluations(a, b), c)).toEqual(
          mergeEvaluations(a, mergeEvaluations(b, c)),
        );
        const m = mergeEvaluations(a, b);
        expect(mergeEvaluations(m, b)).toEqual(m);
        expect(mergeEvaluations(m, m)).toEqual(m);
        for (const n of [...a.notes, ...b.notes]) expect(m.notes.some((x) => x.id === n.id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
