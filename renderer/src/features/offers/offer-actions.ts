import type { Membership, SessionUser } from '../../../../shared/domain/account';
import {
  canRecruiterMoveOffer,
  OFFER_EDITABLE_STATUSES,
  type OfferStatus,
} from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';

/**
 * What a recruiter may do with an offer of « Mes offres », by status (the transition table of
 * shared/domain/offer.ts) and by right (seed 004: only the author, the co-recruiters the author
 * names and the organisation's administrators act on an offer; other members read it).
 * Pure: the list, the detail panel and the tests use it; the server checks the same rules.
 */

export type OfferActionId =
  | 'modifier'
  | 'soumettre'
  | 'retirer'
  | 'pourvue'
  | 'archiver'
  | 'republier'
  | 'modifier_republier'
  | 'supprimer'
  | 'dupliquer';

export const OFFER_ACTION_LABELS: Record<OfferActionId, string> = {
  modifier: 'Modifier',
  soumettre: 'Soumettre',
  retirer: 'Retirer de la modération',
  pourvue: 'Marquer pourvue',
  archiver: 'Archiver',
  republier: 'Republier telle quelle',
  modifier_republier: 'Modifier et republier',
  supprimer: 'Supprimer',
  dupliquer: 'Dupliquer',
};

/** Accessible names of the row buttons (the title tells which row). */
export function offerActionName(action: OfferActionId, title: string): string {
  const t = title || 'sans titre';
  if (action === 'soumettre') return `Soumettre à la modération « ${t} »`;
  return `${OFFER_ACTION_LABELS[action]} « ${t} »`;
}

/**
 * Status changes made directly from the list (no form). `from` narrows the source statuses
 * when the same target is reached by another action elsewhere (an edited published offer goes
 * back to moderation through « Modifier », not « Soumettre »).
 */
const DIRECT_ACTIONS: readonly { id: OfferActionId; to: OfferStatus; from?: readonly OfferStatus[] }[] = [
  { id: 'soumettre', to: 'en_attente', from: ['brouillon', 'refusee'] },
  { id: 'retirer', to: 'brouillon', from: ['en_attente'] },
  { id: 'pourvue', to: 'pourvue' },
  { id: 'archiver', to: 'archivee' },
  { id: 'republier', to: 'publiee' },
  { id: 'supprimer', to: 'supprimee' },
];

/** The status a direct action moves an offer to (null for actions that open the form or copy). */
export function directActionTarget(action: OfferActionId): OfferStatus | null {
  return DIRECT_ACTIONS.find((a) => a.id === action)?.to ?? null;
}

/**
 * Every status an action may lead to from `status`: direct moves, and what saving the form
 * does (« Modifier » keeps a draft, resubmits a refused offer or sends an edited published
 * offer back to moderation; « Modifier et republier » sends an expired offer to moderation).
 */
export function actionTargets(action: OfferActionId, status: OfferStatus): OfferStatus[] {
  if (action === 'dupliquer') return [];
  if (action === 'modifier') {
    switch (status) {
      case 'brouillon':
        return ['brouillon', 'en_attente'];
      case 'refusee':
        return ['brouillon', 'en_attente'];
      case 'en_attente':
        return ['en_attente', 'brouillon'];
      case 'publiee':
        return ['en_attente'];
      default:
        return [];
    }
  }
  if (action === 'modifier_republier') return ['en_attente'];
  const to = directActionTarget(action);
  return to ? [to] : [];
}

export interface OfferRights {
  /** A recruiter member (employer or agency) of the offer's organisation. */
  member: boolean;
  /** Author, named co-recruiter or administrator: acts on the offer. */
  canAct: boolean;
  /** Author or administrator: names the co-recruiters. */
  canNameCoRecruiters: boolean;
  isAuthor: boolean;
}

type Actor = Pick<SessionUser, 'id'>;
type OfferRef = Pick<OfferDoc, 'organisationId' | 'authorId' | 'coRecruiterIds'>;

/**
 * The user's rights on an offer. `membership` is the user's membership of the offer's
 * organisation (null when none). An offer without author is a draft created on this
 * workstation and not yet sent: the server will make its creator the author.
 */
export function offerRights(offer: OfferRef, user: Actor, membership: Membership | null): OfferRights {
  const member =
    !!membership &&
    membership.organisationId === offer.organisationId &&
    (membership.kind === 'employer' || membership.kind === 'agency');
  if (!member) return { member: false, canAct: false, canNameCoRecruiters: false, isAuthor: false };
  const isAuthor = offer.authorId === undefined || offer.authorId === user.id;
  const admin = membership.role === 'admin';
  const coRecruiter = (offer.coRecruiterIds ?? []).includes(user.id);
  return {
    member,
    canAct: isAuthor || admin || coRecruiter,
    canNameCoRecruiters: isAuthor || admin,
    isAuthor,
  };
}

/** Display order of the actions. */
const ORDER: readonly OfferActionId[] = [
  'modifier',
  'soumettre',
  'retirer',
  'republier',
  'modifier_republier',
  'pourvue',
  'archiver',
  'dupliquer',
  'supprimer',
];

/**
 * The actions a user may take on an offer, in display order. Any recruiter member of the
 * organisation may duplicate an offer (the copy is their own new draft); the other actions
 * need the right to act. « Republier telle quelle » needs a verified organisation (the server
 * refuses to put an unverified organisation's offer online).
 */
export function offerActions(
  offer: OfferRef & Pick<OfferDoc, 'status'>,
  user: Actor,
  membership: Membership | null,
): OfferActionId[] {
  const rights = offerRights(offer, user, membership);
  if (!rights.member) return [];
  const status = offer.status as OfferStatus;
  const allowed = new Set<OfferActionId>(['dupliquer']);
  if (rights.canAct) {
    if (OFFER_EDITABLE_STATUSES.includes(status)) allowed.add('modifier');
    if (status === 'expiree' && canRecruiterMoveOffer(status, 'en_attente'))
      allowed.add('modifier_republier');
    for (const a of DIRECT_ACTIONS) {
      if (a.from && !a.from.includes(status)) continue;
      if (status === a.to || !canRecruiterMoveOffer(status, a.to)) continue;
      if (a.id === 'republier' && membership?.verified === false) continue;
      allowed.add(a.id);
    }
  }
  return ORDER.filter((a) => allowed.has(a));
}

/** Characters of button labels that fit on the first line of a row's actions. */
const FIRST_LINE_CHARS = 26;

/**
 * The actions shown as buttons in a row, on its first line (« Dupliquer » and the « Plus »
 * menu holding the others make the second): the status's main actions, one or two, as many
 * as fit.
 */
export function primaryRowActions(actions: readonly OfferActionId[]): OfferActionId[] {
  const primary: OfferActionId[] = [];
  let chars = 0;
  for (const a of actions) {
    if (a === 'dupliquer' || a === 'supprimer') continue;
    const len = OFFER_ACTION_LABELS[a].length;
    if (primary.length >= 2 || (primary.length > 0 && chars + len > FIRST_LINE_CHARS)) break;
    primary.push(a);
    chars += len;
  }
  return primary;
}
