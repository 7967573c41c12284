import { describe, expect, it } from 'vitest';
import type { Membership } from '../../../../shared/domain/account';
import {
  OFFER_STATUSES,
  type OfferStatus,
  RECRUITER_OFFER_TRANSITIONS,
} from '../../../../shared/domain/offer';
import {
  actionTargets,
  directActionTarget,
  OFFER_ACTION_LABELS,
  type OfferActionId,
  offerActionName,
  offerActions,
  offerRights,
  primaryRowActions,
} from './offer-actions';

const ORG = 'org1';
const membership = (over: Partial<Membership> = {}): Membership => ({
  organisationId: ORG,
  organisationName: 'Boulangeries Martin',
  kind: 'employer',
  role: 'member',
  verified: true,
  ...over,
});
const author = { id: 'author' };
const co = { id: 'co' };
const colleague = { id: 'colleague' };
const admin = { id: 'admin' };

const offer = (status: OfferStatus, over: Record<string, unknown> = {}) => ({
  organisationId: ORG,
  authorId: 'author',
  coRecruiterIds: ['co'],
  status,
  ...over,
});

describe('offer actions by status', () => {
  it.each(OFFER_STATUSES)(
    '« %s »: the actions lead exactly to the recruiter transitions of the table',
    (status) => {
      const actions = offerActions(offer(status), author, membership());
      const reached = new Set<OfferStatus>();
      for (const a of actions) for (const to of actionTargets(a, status)) if (to !== status) reached.add(to);
      expect([...reached].sort()).toEqual([...RECRUITER_OFFER_TRANSITIONS[status]].sort());
    },
  );

  it('direct actions only make moves the table allows', () => {
    for (const status of OFFER_STATUSES) {
      for (const a of offerActions(offer(status), author, membership())) {
        const to = directActionTarget(a);
        if (to) expect(RECRUITER_OFFER_TRANSITIONS[status], `${status} → ${a}`).toContain(to);
      }
    }
  });

  it('lists the expected actions for each status', () => {
    const of = (s: OfferStatus) => offerActions(offer(s), author, membership());
    expect(of('brouillon')).toEqual(['modifier', 'soumettre', 'dupliquer', 'supprimer']);
    expect(of('en_attente')).toEqual(['modifier', 'retirer', 'dupliquer', 'supprimer']);
    expect(of('publiee')).toEqual(['modifier', 'pourvue', 'archiver', 'dupliquer', 'supprimer']);
    expect(of('refusee')).toEqual(['modifier', 'soumettre', 'dupliquer', 'supprimer']);
    expect(of('expiree')).toEqual(['republier', 'modifier_republier', 'archiver', 'dupliquer', 'supprimer']);
    expect(of('pourvue')).toEqual(['archiver', 'dupliquer', 'supprimer']);
    expect(of('archivee')).toEqual(['dupliquer', 'supprimer']);
    // « Supprimée (Brouillon) » can still be duplicated (seed 001), and nothing else.
    expect(of('supprimee')).toEqual(['dupliquer']);
  });

  it('an unverified organisation cannot republish an expired offer as it is', () => {
    const actions = offerActions(offer('expiree'), author, membership({ verified: false }));
    expect(actions).not.toContain('republier');
    expect(actions).toContain('modifier_republier');
  });
});

describe('offer rights (seed 004)', () => {
  it('the author, a named co-recruiter and an administrator act on the offer', () => {
    for (const [user, m] of [
      [author, membership()],
      [co, membership()],
      [admin, membership({ role: 'admin' })],
    ] as const) {
      const r = offerRights(offer('publiee'), user, m);
      expect(r.canAct, user.id).toBe(true);
      expect(offerActions(offer('publiee'), user, m)).toContain('modifier');
    }
  });

  it('another member reads the offer and may only duplicate it', () => {
    const r = offerRights(offer('publiee'), colleague, membership());
    expect(r).toEqual({ member: true, canAct: false, canNameCoRecruiters: false, isAuthor: false });
    for (const s of OFFER_STATUSES)
      expect(offerActions(offer(s), colleague, membership())).toEqual(['dupliquer']);
  });

  it('only the author and administrators name co-recruiters', () => {
    expect(offerRights(offer('brouillon'), author, membership()).canNameCoRecruiters).toBe(true);
    expect(offerRights(offer('brouillon'), admin, membership({ role: 'admin' })).canNameCoRecruiters).toBe(
      true,
    );
    expect(offerRights(offer('brouillon'), co, membership()).canNameCoRecruiters).toBe(false);
  });

  it('nobody outside the organisation, and no moderator, acts from « Mes offres »', () => {
    expect(offerActions(offer('brouillon'), author, null)).toEqual([]);
    expect(offerActions(offer('brouillon'), author, membership({ organisationId: 'other' }))).toEqual([]);
    expect(offerActions(offer('en_attente'), admin, membership({ kind: 'platform', role: 'admin' }))).toEqual(
      [],
    );
    expect(
      offerActions(offer('brouillon'), admin, membership({ kind: 'prescriber', role: 'admin' })),
    ).toEqual([]);
  });

  it('an offer without author is a draft of this workstation: its creator acts on it', () => {
    const local = offer('brouillon', { authorId: undefined, coRecruiterIds: undefined });
    expect(offerRights(local, colleague, membership()).canAct).toBe(true);
    expect(offerActions(local, colleague, membership())).toContain('soumettre');
  });

  it('an agency member has the same rules', () => {
    expect(offerActions(offer('brouillon'), author, membership({ kind: 'agency' }))).toContain('modifier');
    expect(offerActions(offer('brouillon'), colleague, membership({ kind: 'agency' }))).toEqual([
      'dupliquer',
    ]);
  });
});

describe('row layout and names', () => {
  it('shows at most two main actions as buttons, never Dupliquer or Supprimer among them', () => {
    const all = Object.keys(OFFER_ACTION_LABELS) as OfferActionId[];
    const primary = primaryRowActions(all);
    expect(primary.length).toBeLessThanOrEqual(2);
    expect(primary).not.toContain('dupliquer');
    expect(primary).not.toContain('supprimer');
    expect(primaryRowActions(['modifier', 'soumettre', 'dupliquer', 'supprimer'])).toEqual([
      'modifier',
      'soumettre',
    ]);
  });

  it('names buttons with the offer title (the E2E page model relies on these names)', () => {
    expect(offerActionName('soumettre', 'Vendeur H/F')).toBe('Soumettre à la modération « Vendeur H/F »');
    expect(offerActionName('modifier', 'Vendeur H/F')).toBe('Modifier « Vendeur H/F »');
    expect(offerActionName('republier', '')).toBe('Republier telle quelle « sans titre »');
  });
});
