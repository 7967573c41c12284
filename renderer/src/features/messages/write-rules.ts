import type { Membership, SessionUser } from '../../../../shared/domain/account';
import { type CvListing, type MayWriteResult, mayWrite } from '../../../../shared/domain/messaging';
import type { ApplicationDoc, CvListDoc } from '../../../../shared/schemas';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';

/**
 * The messaging rules as the workstation can check them before anyone types (issue 7): `mayWrite`
 * with the facts the replica holds for one candidate and the current organisation (the server
 * checks again with its own facts when the message is pushed).
 */

export const NO_CANDIDATE_ACCOUNT_MESSAGE =
  'Cette personne n’a pas de compte candidat (candidature saisie ou reçue par e-mail) : la messagerie n’est pas possible. Contactez-la par e-mail ou par téléphone.';

export interface ReplicaFacts {
  user: Pick<SessionUser, 'id' | 'memberships'>;
  organisation: Pick<Membership, 'organisationId' | 'kind' | 'verified'>;
  /** The candidate's account ('' when the replica does not know it: a CV of the CVthèque). */
  candidateId: string;
  /** The organisation's applications of this candidate (in the replica). */
  applications: readonly (Pick<ApplicationDoc, 'status' | 'source'> &
    Partial<Pick<ApplicationDoc, 'history'>>)[];
  cvListing: CvListing;
  /** The conversations of this organisation with the candidate. */
  conversations: readonly Pick<
    ConversationDoc,
    'messageCount' | 'blockedByCandidate' | 'blockedByOrganisation'
  >[];
}

/** Where the candidate's CVs stand in the organisation's lists (`visibleCvIds`: CVs in the replica). */
export function cvListingOf(
  cvIds: readonly string[],
  lists: readonly Pick<CvListDoc, 'organisationId' | 'entries'>[],
  organisationId: string,
  isVisible: (cvId: string) => boolean,
): CvListing {
  const listed = cvIds.filter((id) =>
    lists.some(
      (l) => l.organisationId === organisationId && l.entries.some((e) => e.cvId === id && !e.removedAt),
    ),
  );
  if (listed.length === 0) return 'none';
  return listed.some(isVisible) ? 'visible' : 'hidden';
}

/** Whether this member may write to this candidate for the organisation, and why not. */
export function writeDecision(f: ReplicaFacts): MayWriteResult {
  const priorExchange = f.conversations.some((c) => c.messageCount > 0);
  return mayWrite({
    direction: 'organisation-to-candidate',
    sender: {
      accountKind: 'recruiter',
      accountId: f.user.id,
      memberships: f.user.memberships.map((m) => ({
        organisationId: m.organisationId,
        kind: m.kind,
        role: m.role,
      })),
    },
    candidate: { accountId: f.candidateId, status: 'active', emailConfirmed: true },
    organisation: {
      id: f.organisation.organisationId,
      kind: f.organisation.kind,
      verified: f.organisation.verified,
    },
    priorExchange,
    applications: f.applications,
    cvListing: f.cvListing,
    companyProfilePublished: false,
    // An advisor's structure sees the proposals it made in its replica.
    proposedByOrganisation:
      f.organisation.kind === 'prescriber' && f.applications.some((a) => a.source === 'proposition'),
    blockedByCandidate: f.conversations.some((c) => c.blockedByCandidate === true),
    blockedByOrganisation: f.conversations.some((c) => c.blockedByOrganisation === true),
  });
}
