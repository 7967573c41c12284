import { describe, expect, it } from 'vitest';
import { newEvaluation, withNote, withRating } from '../../../shared/domain/evaluation';
import type { ApplicationDoc, EventDoc } from '../../../shared/schemas';
import {
  resolveApplicationConflict,
  resolveEvaluationConflict,
  resolveEventConflict,
} from './conflict-triage';

const base: ApplicationDoc & { _deleted: boolean } = {
  id: 'a1',
  organisationId: 'o1',
  status: 'nouvelle',
  source: 'portail',
  history: [{ at: '2026-12-01T10:00:00.000Z', to: 'nouvelle' }],
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  _deleted: false,
};

describe('application conflicts', () => {
  it('re-applies my status change and refusal on top of a colleague’s move', () => {
    const master = {
      ...base,
      status: 'entretien' as const,
      history: [
        ...base.history,
        { at: '2026-12-02T10:00:00.000Z', from: 'nouvelle' as const, to: 'entretien' as const, by: 'u2' },
      ],
      updatedAt: '2026-12-02T10:00:00.000Z',
    };
    const mine = {
      ...base,
      status: 'refusee' as const,
      refusalReason: 'Expérience insuffisante',
      refusalVisible: true,
    };
    const out = resolveApplicationConflict({
      assumedMasterState: base,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out.status).toBe('refusee');
    expect(out.refusalReason).toBe('Expérience insuffisante');
    // The history is the master's: the server writes the entry of the move it accepts.
    expect(out.history).toEqual(master.history);
  });

  it('keeps the master when I changed nothing it owns, or when the server refused', () => {
    const master = { ...base, status: 'entretien' as const, updatedAt: '2026-12-02T10:00:00.000Z' };
    expect(
      resolveApplicationConflict({
        assumedMasterState: base,
        realMasterState: master,
        newDocumentState: base,
      }),
    ).toEqual(master);
    const mine = { ...base, status: 'a_l_etude' as const };
    expect(
      resolveApplicationConflict({ assumedMasterState: base, realMasterState: base, newDocumentState: mine }),
    ).toEqual(base);
  });

  it('without an assumed state (a capture whose creation answer was lost), re-applies the move made here', () => {
    const master = { ...base, updatedAt: '2026-12-02T10:00:00.000Z' };
    const mine = { ...base, status: 'a_l_etude' as const };
    expect(resolveApplicationConflict({ realMasterState: master, newDocumentState: mine })).toEqual({
      ...master,
      status: 'a_l_etude',
    });
    expect(resolveApplicationConflict({ realMasterState: master, newDocumentState: base })).toEqual(master);
  });
});

describe('evaluation conflicts', () => {
  it('merges the same author’s two devices', () => {
    const e = newEvaluation({
      authorId: 'u1',
      authorName: 'A',
      organisationId: 'o1',
      subjectKind: 'application',
      subjectId: 'a1',
      now: new Date('2026-12-01T10:00:00Z'),
    });
    const laptop = {
      ...withNote(
        withRating(e, 3, new Date('2026-12-01T10:01:00Z')),
        'oral',
        'n1',
        new Date('2026-12-01T10:02:00Z'),
      ),
      _deleted: false,
    };
    const tablet = {
      ...withNote(
        withRating(e, 5, new Date('2026-12-01T10:05:00Z')),
        'écrit',
        'n2',
        new Date('2026-12-01T10:06:00Z'),
      ),
      _deleted: false,
    };
    const out = resolveEvaluationConflict({
      assumedMasterState: { ...e, _deleted: false },
      realMasterState: tablet,
      newDocumentState: laptop,
    });
    expect(out.rating).toBe(5);
    expect(out.notes.map((n) => n.id)).toEqual(['n1', 'n2']);
  });
});

describe('event conflicts', () => {
  it('keeps each side’s changed fields, never the server-owned ones', () => {
    const ev: EventDoc & { _deleted: boolean } = {
      id: 'e1',
      organisationId: 'o1',
      kind: 'salon',
      status: 'planifiee',
      name: 'Salon de l’emploi',
      date: '2026-12-10',
      offerIds: [],
      colleagueIds: [],
      public: false,
      createdBy: 'u1',
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-01T10:00:00.000Z',
      _deleted: false,
    };
    const master = { ...ev, public: true, registrationCount: 3 };
    const mine = { ...ev, name: 'Forum de l’emploi', registrationCount: 0 };
    const out = resolveEventConflict({
      assumedMasterState: ev,
      realMasterState: master,
      newDocumentState: mine,
    });
    expect(out).toMatchObject({ name: 'Forum de l’emploi', public: true, registrationCount: 3 });
  });
});
