import { describe, expect, it } from 'vitest';
import type { ApplicationDoc, EvaluationDoc } from '../../../../shared/schemas';
import {
  applicantRow,
  commandOf,
  countByFilter,
  fillsLastPost,
  matchesFilter,
  matchesText,
  moveIndex,
  othersInProgress,
  pushUndo,
  recruiterMoves,
  sortRows,
  UNDO_DEPTH,
  type UndoEntry,
} from './applicants-model';

const app = (id: string, over: Partial<ApplicationDoc> = {}): ApplicationDoc => ({
  id,
  organisationId: 'o1',
  offerId: 'f1',
  status: 'nouvelle',
  source: 'portail',
  history: [],
  applicant: { firstName: 'Hélène', lastName: 'Dupont', email: 'helene@example.fr', phone: '06 12 34 56 78' },
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  ...over,
});
const ev = (authorId: string, rating: number | undefined, tags: string[] = []): EvaluationDoc => ({
  id: `ev-${authorId}`,
  organisationId: 'o1',
  authorId,
  authorName: authorId,
  subjectKind: 'application',
  subjectId: 'a1',
  ...(rating ? { rating, ratedAt: '2026-12-01T10:00:00.000Z' } : {}),
  notes: [],
  tags,
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
});

describe('applicants rows', () => {
  it('averages everyone’s ratings, keeps mine and unites tags', () => {
    const row = applicantRow(
      app('a1'),
      [ev('u1', 4, ['Cariste']), ev('u2', 5, ['cariste', 'Permis B'])],
      'u1',
      'Cariste',
    );
    expect(row.average).toBe(4.5);
    expect(row.mine).toBe(4);
    expect(row.tags).toEqual(['Cariste', 'Permis B']);
    expect(row.name).toBe('Hélène Dupont');
    expect(row.statusLabel).toBe('Nouvelle');
    expect(row.evaluationCount).toBe(2);
  });

  it('filters by status group and by text, accents ignored', () => {
    const rows = [
      applicantRow(app('a1'), [], 'u1', 'Cariste'),
      applicantRow(
        app('a2', { status: 'refusee', applicant: { firstName: 'Éric', lastName: 'Martin' } }),
        [],
        'u1',
        'Cariste',
      ),
      applicantRow(app('a3', { status: 'entretien' }), [], 'u1', 'Vendeur'),
    ];
    expect(rows.filter((r) => matchesFilter(r, 'en_cours')).map((r) => r.id)).toEqual(['a1', 'a3']);
    expect(countByFilter(rows)).toMatchObject({ en_cours: 2, refusee: 1, toutes: 3, embauchee: 0 });
    expect(matchesText(rows[1]!, 'eric')).toBe(true);
    expect(matchesText(rows[0]!, 'helene vendeur')).toBe(false);
    expect(matchesText(rows[2]!, 'helene vendeur')).toBe(true);
    expect(matchesText(rows[0]!, '06 12')).toBe(true);
  });

  it('sorts by name, status, rating, date, with a stable tie-break', () => {
    const rows = [
      applicantRow(
        app('a1', {
          applicant: { firstName: 'Zoé', lastName: 'Bernard' },
          createdAt: '2026-12-03T00:00:00Z',
        }),
        [],
        'u1',
        'x',
      ),
      applicantRow(
        app('a2', { applicant: { firstName: 'Anne', lastName: 'Écuyer' }, status: 'entretien' }),
        [ev('u1', 5)],
        'u1',
        'x',
      ),
      applicantRow(
        app('a3', { applicant: { firstName: 'Luc', lastName: 'Durand' }, createdAt: '2026-12-02T00:00:00Z' }),
        [],
        'u1',
        'x',
      ),
    ];
    expect(sortRows([...rows], { key: 'name', desc: false }).map((r) => r.id)).toEqual(['a1', 'a3', 'a2']);
    expect(sortRows([...rows], { key: 'receivedAt', desc: true }).map((r) => r.id)).toEqual([
      'a1',
      'a3',
      'a2',
    ]);
    expect(sortRows([...rows], { key: 'status', desc: true })[0]?.id).toBe('a2');
    expect(sortRows([...rows], { key: 'average', desc: true })[0]?.id).toBe('a2');
  });
});

describe('triage keyboard', () => {
  it('maps keys to commands, letters in either case', () => {
    expect(commandOf({ key: 'j' })).toEqual({ kind: 'next' });
    expect(commandOf({ key: 'ArrowDown' })).toEqual({ kind: 'next' });
    expect(commandOf({ key: 'K' })).toEqual({ kind: 'previous' });
    expect(commandOf({ key: '4' })).toEqual({ kind: 'rate', rating: 4 });
    expect(commandOf({ key: '6' })).toBeNull();
    expect(commandOf({ key: 'e' })).toEqual({ kind: 'status', to: 'a_l_etude' });
    expect(commandOf({ key: 'h' })).toEqual({ kind: 'status', to: 'embauchee' });
    expect(commandOf({ key: 'r' })).toEqual({ kind: 'refuse' });
    expect(commandOf({ key: 'z', ctrlKey: true })).toEqual({ kind: 'undo' });
    expect(commandOf({ key: 'u' })).toEqual({ kind: 'undo' });
    expect(commandOf({ key: 'c', ctrlKey: true })).toBeNull();
    expect(commandOf({ key: 'j', altKey: true })).toBeNull();
  });

  it('offers only the moves of the shared table, in pipeline order', () => {
    expect(recruiterMoves('nouvelle')).toEqual([
      'a_l_etude',
      'entretien',
      'preselectionnee',
      'embauchee',
      'refusee',
      'archivee',
    ]);
    expect(recruiterMoves('retiree')).toEqual(['archivee']);
  });

  it('moves within the list and keeps a bounded undo stack', () => {
    expect(moveIndex(0, -1, 3)).toBe(0);
    expect(moveIndex(2, 1, 3)).toBe(2);
    expect(moveIndex(-1, 1, 3)).toBe(1);
    expect(moveIndex(0, 1, 0)).toBe(-1);
    let stack: UndoEntry[] = [];
    for (let i = 0; i < UNDO_DEPTH + 5; i++)
      stack = pushUndo(stack, {
        kind: 'evaluation',
        evaluationId: `e${i}`,
        label: 'x',
        inverse: { type: 'note', noteId: 'n' },
      });
    expect(stack).toHaveLength(UNDO_DEPTH);
    expect(stack.at(-1)).toMatchObject({ evaluationId: `e${UNDO_DEPTH + 4}` });
  });
});

describe('hiring for the last open post', () => {
  const offer = { id: 'f1', posts: 2 };
  const apps = [
    { id: 'a1', offerId: 'f1', status: 'embauchee' as const },
    { id: 'a2', offerId: 'f1', status: 'entretien' as const },
    { id: 'a3', offerId: 'f1', status: 'nouvelle' as const },
    { id: 'a4', offerId: 'f1', status: 'refusee' as const },
    { id: 'a5', offerId: 'f2', status: 'nouvelle' as const },
    { id: 'a6', offerId: 'f1', status: 'retiree' as const },
  ];

  it('asks only when this hire fills the last post', () => {
    expect(fillsLastPost({ id: 'a2', offerId: 'f1' }, offer, apps)).toBe(true);
    expect(fillsLastPost({ id: 'a2', offerId: 'f1' }, { id: 'f1', posts: 3 }, apps)).toBe(false);
    expect(fillsLastPost({ id: 'a2', offerId: 'f1' }, { id: 'f1' }, [])).toBe(true);
    expect(fillsLastPost({ id: 'a5', offerId: 'f2' }, undefined, apps)).toBe(false);
  });

  it('offers to refuse the others still in progress of the same offer', () => {
    expect(othersInProgress({ id: 'a2', offerId: 'f1' }, apps).map((a) => a.id)).toEqual(['a3']);
  });
});
