/**
 * The replicated collections of the messaging (issue 7, DESIGN §4 `conversations`, `messages`):
 * the organisation's members replicate both (`org:<organisationId>`); the candidate reads them
 * through the portal's REST API (`candidate-routes.ts`).
 *
 * - conversations: a member opens one for their organisation (id made by the client); the rules
 *   and the candidate's resolution are `openConversation`'s (service.ts). Afterwards a member only
 *   changes their own entries of `readBy` and `hiddenBy`: every other field comes from the master.
 *   A conversation is never deleted by a member (hide it).
 * - messages: inserted only (immutable); a message whose conversation is not on the server yet
 *   opens it from its `conversation` header (same `openConversation`). Author, dates, candidate
 *   and organisation come from the server; the conversation's last message, count and inbox key
 *   follow in the same transaction; the candidate is told (`notifyCandidateOfMessage`).
 *
 * Refusals become notices (DESIGN §5) and write nothing: a refused conversation or message never
 * reaches the candidate.
 */
import { type ConversationDoc, conversationSchema } from '../../../shared/schemas/conversation.schema';
import { type MessageDoc, messageSchema } from '../../../shared/schemas/message.schema';
import { sameDocument } from '../sync/canonical';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc, PushDecision, Refusal } from '../sync/types';
import {
  acceptOrganisationMessage,
  conversationTombstone,
  MESSAGE_IMMUTABLE,
  mergeOwnMarks,
  messageTombstone,
  messagingKeys,
  openConversation,
} from './service';

const refuse = (refusal: Refusal): PushDecision => ({ kind: 'refuse', refusal });

const member = (user: { memberships: { organisationId: string }[] }, organisationId: unknown) =>
  typeof organisationId === 'string' && user.memberships.some((m) => m.organisationId === organisationId);

export function createConversationsCollection(_engine: () => SyncEngine): CollectionDef {
  return {
    name: 'conversations',
    table: 'conversations',
    version: conversationSchema.version,
    schema: conversationSchema,
    keysFor: (doc) => messagingKeys(doc),
    tombstone: conversationTombstone,
    async decide({ tx, user, now }, masterDoc, incomingDoc, incomingDeleted) {
      const master = masterDoc as unknown as ConversationDoc | null;
      const incoming = incomingDoc as unknown as ConversationDoc;
      if (incomingDeleted) {
        if (master)
          return refuse({
            title: 'Conversation conservée',
            message:
              'Une conversation ne se supprime pas : masquez-la pour vous (elle réapparaît si un nouveau message arrive).',
          });
        // Created and deleted before it reached the server: nothing to keep.
        if (!member(user, incoming.organisationId))
          return refuse({
            title: 'Conversation refusée',
            message: 'Vous n’êtes pas membre de cette organisation.',
          });
        return { kind: 'write', doc: incomingDoc, deleted: true };
      }
      if (!master) {
        const opened = await openConversation(tx, {
          user,
          id: incoming.id,
          organisationId: incoming.organisationId,
          aboutKind: incoming.aboutKind,
          aboutId: incoming.aboutId,
          candidateId: incoming.candidateId,
          subject: incoming.subject,
          now,
        });
        if (!opened.ok) return refuse(opened.refusal);
        const doc: ConversationDoc = {
          ...opened.conversation,
          readBy: mergeOwnMarks([], incoming.readBy, user.id, now),
          hiddenBy: mergeOwnMarks([], incoming.hiddenBy, user.id, now),
        };
        return { kind: 'write', doc: doc as unknown as Doc };
      }
      if (!member(user, master.organisationId))
        return refuse({
          title: 'Modification refusée',
          message: 'Ce document n’existe pas ou vous n’y avez pas accès.',
        });
      const merged: ConversationDoc = {
        ...master,
        readBy: mergeOwnMarks(master.readBy, incoming.readBy, user.id, now),
        hiddenBy: mergeOwnMarks(master.hiddenBy, incoming.hiddenBy, user.id, now),
      };
      if (sameDocument(merged, master)) return { kind: 'write', doc: masterDoc as Doc };
      return { kind: 'write', doc: merged as unknown as Doc };
    },
  };
}

export function createMessagesCollection(engine: () => SyncEngine): CollectionDef {
  return {
    name: 'messages',
    table: 'messages',
    version: messageSchema.version,
    schema: messageSchema,
    keysFor: (doc) => messagingKeys(doc),
    tombstone: messageTombstone,
    async decide({ tx, user, now }, master, incomingDoc, incomingDeleted) {
      const incoming = incomingDoc as unknown as MessageDoc;
      if (master) return refuse({ title: 'Message non modifiable', message: MESSAGE_IMMUTABLE });
      if (incomingDeleted) {
        // Written and deleted before it was ever sent: nothing to keep.
        if (!member(user, incoming.organisationId))
          return refuse({
            title: 'Message refusé',
            message: 'Vous n’êtes pas membre de cette organisation.',
          });
        return { kind: 'write', doc: incomingDoc, deleted: true };
      }
      const accepted = await acceptOrganisationMessage(tx, engine(), user, incoming, now);
      if (!accepted.ok) return refuse(accepted.refusal);
      return { kind: 'write', doc: accepted.message as unknown as Doc };
    },
  };
}
