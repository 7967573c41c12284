import type { Membership, SessionUser } from '../../../../shared/domain/account';
import { type MayWriteResult, MESSAGING_REFUSAL_MESSAGES } from '../../../../shared/domain/messaging';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';

/**
 * A conversation belongs to one organisation (`conversation.organisationId`): a reply is written in
 * its name and judged by its rules, whatever organisation is selected in the switcher; opening a
 * conversation of another of the user's organisations switches to it (issue 7, review finding).
 */

/** The user's membership of a recruiting organisation (never a platform one), or null. */
export function membershipOf(
  user: Pick<SessionUser, 'memberships'>,
  organisationId: string,
): Membership | null {
  return user.memberships.find((m) => m.organisationId === organisationId && m.kind !== 'platform') ?? null;
}

/**
 * The organisation to switch to when opening this conversation: its own, when it is another of
 * the user's organisations than the current one; null to stay (same organisation, or not a member).
 */
export function organisationToOpen(
  conversation: Pick<ConversationDoc, 'organisationId'>,
  user: Pick<SessionUser, 'memberships'>,
  currentOrganisationId: string | null,
): Membership | null {
  if (conversation.organisationId === currentOrganisationId) return null;
  return membershipOf(user, conversation.organisationId);
}

/** Why no reply may be written here when the user is not (or no longer) a member of its organisation. */
export const NOT_A_MEMBER: MayWriteResult = {
  allowed: false,
  code: 'not-a-member',
  message: MESSAGING_REFUSAL_MESSAGES['not-a-member'].organisation,
};
