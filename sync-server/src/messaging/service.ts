/**
 * Messaging service (issue 7): the one place where conversations are opened and messages appended,
 * whatever the door (workstation push, portal REST, reply by e-mail). STUB: the server helper
 * implements it; signatures are the contract.
 */
import type { MessageAttachment } from '../../../shared/domain/messaging';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import type { Database } from '../db/database';
import type { SyncEngine } from '../sync/engine';

/**
 * Appends a candidate's message to one of their conversations (portal or reply by e-mail), in one
 * transaction, after the rules (`mayWrite`, blocks, rate limit). Throws an `HttpError` (403
 * `messaging-refused` with the French reason, 404 unknown conversation, 429 rate limit) when refused.
 */
export async function appendCandidateMessage(
  _db: Database,
  _engine: SyncEngine,
  _input: {
    accountId: string;
    conversationId: string;
    body: string;
    attachments: MessageAttachment[];
    via: 'portal' | 'email';
  },
): Promise<MessageDoc> {
  throw new Error('appendCandidateMessage: not implemented yet');
}
