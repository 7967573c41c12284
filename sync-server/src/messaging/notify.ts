/**
 * E-mail notification of a new message to the candidate (issue 7). STUB: the mail helper implements
 * it (reply address, digest); the signature is the contract. Called by the messaging service inside
 * the transaction that stored a message written by the organisation.
 */
import type { ConversationDoc } from '../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import type { Queryable } from '../db/database';

export async function notifyCandidateOfMessage(
  _tx: Queryable,
  _input: { conversation: ConversationDoc; message: MessageDoc; base: string | undefined },
): Promise<void> {}
