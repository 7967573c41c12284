// dev-mode's schema checker only: the plugin itself (which loads a remote iframe) is never added.
import { checkSchema } from 'rxdb/plugins/dev-mode';
import { describe, expect, it } from 'vitest';
import { applicationSchema } from '../schemas/application.schema';
import {
  ACTIVE_APPLICATION_STATUSES,
  APPLICATION_STATUS_LABELS,
  APPLICATION_STATUS_RECRUITER_LABELS,
  APPLICATION_STATUSES,
  APPLICATION_TRANSITIONS,
  canAnswerProposal,
  canMoveApplication,
  canUndoLastMove,
  canWithdraw,
  isActive,
  isApplicationStatus,
  nextStatuses,
  offerStateOf,
} from './application';

describe('application statuses', () => {
  it('has a French label for each status, on both sides', () => {
    for (const s of APPLICATION_STATUSES) {
      expect(APPLICATION_STATUS_LABELS[s]).toMatch(/\S/);
      expect(APPLICATION_STATUS_RECRUITER_LABELS[s]).toMatch(/\S/);
    }
    expect(new Set(Object.values(APPLICATION_STATUS_LABELS)).size).toBe(APPLICATION_STATUSES.length);
    expect(APPLICATION_STATUS_LABELS.nouvelle).toBe('Envoyée');
    expect(APPLICATION_STATUS_LABELS.embauchee).toBe('Retenue');
    expect(APPLICATION_STATUS_LABELS.refusee).toBe('Non retenue');
  });

  it('knows its statuses', () => {
    expect(isApplicationStatus('nouvelle')).toBe(true);
    expect(isApplicationStatus('publiee')).toBe(false);
    expect(isApplicationStatus(3)).toBe(false);
  });

  it('counts open applications and waiting proposals as active', () => {
    expect(ACTIVE_APPLICATION_STATUSES).toEqual([
      'proposee',
      'nouvelle',
      'a_l_etude',
      'entretien',
      'preselectionnee',
      'embauchee',
    ]);
    for (const s of ['refusee', 'retiree', 'archivee', 'declinee'] as const) expect(isActive(s)).toBe(false);
  });
});

describe('the transitions table', () => {
  it('only names known statuses and never a move to the same status', () => {
    for (const t of APPLICATION_TRANSITIONS) {
      expect(isApplicationStatus(t.from)).toBe(true);
      expect(isApplicationStatus(t.to)).toBe(true);
      expect(t.from).not.toBe(t.to);
    }
    const keys = APPLICATION_TRANSITIONS.map((t) => `${t.from}>${t.to}>${t.by}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('lets the candidate withdraw until a decision, and never after one', () => {
    for (const s of ['nouvelle', 'a_l_etude', 'entretien', 'preselectionnee'] as const)
      expect(canWithdraw(s)).toBe(true);
    for (const s of ['proposee', 'embauchee', 'refusee', 'archivee', 'retiree', 'declinee'] as const)
      expect(canWithdraw(s)).toBe(false);
    // A recruiter never withdraws on the candidate's behalf.
    expect(canMoveApplication('nouvelle', 'retiree', 'recruteur')).toBe(false);
  });

  it('lets the candidate answer a proposal, and nothing else', () => {
    expect(nextStatuses('proposee', 'candidat').sort()).toEqual(['declinee', 'nouvelle']);
    expect(canAnswerProposal('proposee')).toBe(true);
    expect(canAnswerProposal('nouvelle')).toBe(false);
    const candidateMoves = APPLICATION_TRANSITIONS.filter((t) => t.by === 'candidat');
    expect(candidateMoves.every((t) => ['nouvelle', 'declinee', 'retiree'].includes(t.to))).toBe(true);
    // Only the candidate accepts or declines.
    expect(canMoveApplication('proposee', 'nouvelle', 'recruteur')).toBe(false);
  });

  it('gives the recruiter the pipeline and the decisions', () => {
    expect(canMoveApplication('nouvelle', 'a_l_etude', 'recruteur')).toBe(true);
    expect(canMoveApplication('a_l_etude', 'entretien', 'recruteur')).toBe(true);
    expect(canMoveApplication('entretien', 'embauchee', 'recruteur')).toBe(true);
    expect(canMoveApplication('preselectionnee', 'refusee', 'recruteur')).toBe(true);
    expect(canMoveApplication('refusee', 'a_l_etude', 'recruteur')).toBe(true);
    // A withdrawn application is not brought back by the recruiter.
    expect(canMoveApplication('retiree', 'a_l_etude', 'recruteur')).toBe(false);
    // Archived is final.
    expect(APPLICATION_TRANSITIONS.some((t) => t.from === 'archivee')).toBe(false);
  });

  it('lets the server archive whatever is open or closed when an offer closes', () => {
    for (const s of APPLICATION_STATUSES) {
      if (s === 'archivee') continue;
      expect(canMoveApplication(s, 'archivee', 'systeme'), s).toBe(true);
    }
  });

  it('reaches every status from a new application or a proposal', () => {
    const seen = new Set<string>(['proposee', 'nouvelle']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of APPLICATION_TRANSITIONS)
        if (seen.has(t.from) && !seen.has(t.to)) {
          seen.add(t.to);
          grew = true;
        }
    }
    expect([...seen].sort()).toEqual([...APPLICATION_STATUSES].sort());
  });
});

describe('offerStateOf', () => {
  it('maps offer statuses to what the candidate reads', () => {
    expect(offerStateOf('publiee')).toBe('en_ligne');
    expect(offerStateOf('pourvue')).toBe('pourvue');
    expect(offerStateOf('expiree')).toBe('expiree');
    expect(offerStateOf('archivee')).toBe('retiree');
    expect(offerStateOf(null)).toBe('retiree');
  });
});

describe('the applications schema (replicated, v0)', () => {
  it('passes RxDB’s own checks and names every status and source', () => {
    expect(() => checkSchema(applicationSchema as never)).not.toThrow();
    const props = applicationSchema.properties as Record<string, { enum?: readonly string[] }>;
    expect(props.status?.enum).toEqual([...APPLICATION_STATUSES]);
    expect(applicationSchema.version).toBe(0);
  });
});

describe('undoing one’s own last move', () => {
  const at = '2026-12-04T10:00:00.000Z';
  const doc = {
    status: 'a_l_etude',
    history: [
      { at: '2026-12-01T09:00:00.000Z', to: 'nouvelle' },
      { at, from: 'nouvelle', to: 'a_l_etude', by: 'u1' },
    ],
  };
  const minutes = (m: number) => new Date(Date.parse(at) + m * 60_000);

  it('takes back the move within 15 minutes, even where the table has no way back', () => {
    expect(canMoveApplication('a_l_etude', 'nouvelle', 'recruteur')).toBe(false);
    expect(canUndoLastMove(doc, 'nouvelle', 'u1', minutes(14))).toBe(true);
  });

  it('refuses another person, another status, or too late', () => {
    expect(canUndoLastMove(doc, 'nouvelle', 'u2', minutes(1))).toBe(false);
    expect(canUndoLastMove(doc, 'entretien', 'u1', minutes(1))).toBe(false);
    expect(canUndoLastMove(doc, 'nouvelle', 'u1', minutes(16))).toBe(false);
    expect(canUndoLastMove({ ...doc, status: 'entretien' }, 'nouvelle', 'u1', minutes(1))).toBe(false);
    expect(canUndoLastMove({ status: 'nouvelle', history: [] }, 'nouvelle', 'u1', minutes(1))).toBe(false);
  });
});
