import { describe, expect, it } from 'vitest';
import { MESSAGING_REFUSAL_MESSAGES } from '../../../../shared/domain/messaging';
import { cvListingOf, type ReplicaFacts, writeDecision } from './write-rules';

const ORG = { organisationId: 'o1', kind: 'employer' as const, verified: true };
const user = {
  id: 'u1',
  memberships: [{ ...ORG, organisationName: 'Boulangeries Martin', role: 'member' as const }],
};
const facts = (patch: Partial<ReplicaFacts> = {}): ReplicaFacts => ({
  user,
  organisation: ORG,
  candidateId: 'k1',
  applications: [],
  cvListing: 'none',
  conversations: [],
  ...patch,
});

describe('« Écrire » checks the rules with the replica’s facts', () => {
  it('an application filed to one of our offers allows writing; a withdrawn one does not', () => {
    expect(writeDecision(facts({ applications: [{ status: 'nouvelle', source: 'portail' }] }))).toEqual({
      allowed: true,
      basis: 'application',
    });
    const withdrawn = writeDecision(facts({ applications: [{ status: 'retiree', source: 'portail' }] }));
    expect(withdrawn.allowed).toBe(false);
    if (!withdrawn.allowed) expect(withdrawn.code).toBe('no-basis');
  });

  it('a CV in our lists allows writing while it is visible; a prior exchange too', () => {
    expect(writeDecision(facts({ cvListing: 'visible' })).allowed).toBe(true);
    const hidden = writeDecision(facts({ cvListing: 'hidden' }));
    expect(hidden.allowed).toBe(false);
    if (!hidden.allowed) expect(hidden.message).toMatch(/plus rendu visible/);
    expect(
      writeDecision(
        facts({
          conversations: [{ messageCount: 2, blockedByCandidate: false, blockedByOrganisation: false }],
        }),
      ),
    ).toEqual({ allowed: true, basis: 'prior-exchange' });
  });

  it('a block wins over every basis, and says who blocked', () => {
    const blocked = writeDecision(
      facts({
        applications: [{ status: 'nouvelle', source: 'portail' }],
        conversations: [{ messageCount: 1, blockedByCandidate: true, blockedByOrganisation: false }],
      }),
    );
    expect(blocked).toEqual({
      allowed: false,
      code: 'blocked-by-recipient',
      message: MESSAGING_REFUSAL_MESSAGES['blocked-by-recipient'].organisation,
    });
  });

  it('an unverified organisation may not write yet', () => {
    const r = writeDecision(facts({ organisation: { ...ORG, verified: false }, cvListing: 'visible' }));
    expect(r.allowed ? null : r.code).toBe('organisation-not-verified');
  });
});

describe('cvListingOf', () => {
  const lists = [
    { organisationId: 'o1', entries: [{ cvId: 'cv1', addedAt: 'x', addedBy: 'u' }] },
    { organisationId: 'o1', entries: [{ cvId: 'cv2', addedAt: 'x', addedBy: 'u', removedAt: 'y' }] },
    { organisationId: 'o2', entries: [{ cvId: 'cv3', addedAt: 'x', addedBy: 'u' }] },
  ];
  it('tells visible, hidden (listed but gone from the CVthèque) and none', () => {
    expect(cvListingOf(['cv1'], lists, 'o1', () => true)).toBe('visible');
    expect(cvListingOf(['cv1'], lists, 'o1', () => false)).toBe('hidden');
    expect(cvListingOf(['cv2'], lists, 'o1', () => true)).toBe('none');
    expect(cvListingOf(['cv3'], lists, 'o1', () => true)).toBe('none');
  });
});
