import { describe, expect, it } from 'vitest';
import type { Membership } from '../../../../shared/domain/account';
import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import { membershipOf, NOT_A_MEMBER, organisationToOpen } from './conversation-organisation';
import { draftDocuments } from './messages-db';

const member = (organisationId: string, patch: Partial<Membership> = {}): Membership => ({
  organisationId,
  organisationName: `Organisation ${organisationId}`,
  kind: 'employer',
  role: 'member',
  verified: true,
  ...patch,
});
const user = {
  id: 'u1',
  firstName: 'Claire',
  lastName: 'Martin',
  memberships: [member('A'), member('B'), member('P', { kind: 'platform' })],
};

describe('the organisation of a conversation', () => {
  it('finds the user’s membership of a recruiting organisation only', () => {
    expect(membershipOf(user, 'B')?.organisationName).toBe('Organisation B');
    expect(membershipOf(user, 'P')).toBeNull();
    expect(membershipOf(user, 'Z')).toBeNull();
  });

  it('switches to the conversation’s organisation when it is another of the user’s', () => {
    // A notification of organisation A clicked while B is selected.
    expect(organisationToOpen({ organisationId: 'A' }, user, 'B')?.organisationId).toBe('A');
    expect(organisationToOpen({ organisationId: 'A' }, user, null)?.organisationId).toBe('A');
    expect(organisationToOpen({ organisationId: 'A' }, user, 'A')).toBeNull();
    expect(organisationToOpen({ organisationId: 'Z' }, user, 'A')).toBeNull();
    expect(NOT_A_MEMBER).toMatchObject({ allowed: false, code: 'not-a-member' });
  });

  it('a reply is written in the conversation’s organisation, not the selected one', () => {
    const conversation = {
      id: 'c1',
      organisationId: 'A',
      organisationName: 'Organisation A',
      candidateId: 'k1',
    } as ConversationDoc;
    const { message, conversation: created } = draftDocuments({
      user,
      organisation: member('B'),
      conversation,
      body: 'Bonjour',
      attachments: [],
      messageId: 'm1',
    });
    expect(message.organisationId).toBe('A');
    expect(message.candidateId).toBe('k1');
    expect(created).toBeUndefined();
  });
});
