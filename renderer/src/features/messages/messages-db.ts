import { useMemo, useSyncExternalStore } from 'react';
import { map } from 'rxjs';
import type { Membership, SessionUser } from '../../../../shared/domain/account';
import { type ConversationDoc, inboxKeyFor } from '../../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';
import type { WorkstationDatabase } from '../../db/collections';
import type { SyncController } from '../../db/replication';
import { useObservableValue } from '../../hooks/use-rx-query';
import { hidePatch, readPatch, totalUnread, unreadByOrganisation } from './inbox-model';
import type { OutboxEntry } from './outbox';
import type { OutboxStore as Store } from './outbox-store';

/**
 * A document's plain copy, made once per stored revision: the database hands back the same
 * document object until it changes, so an inbox of 20,000 conversations no longer copies every one
 * of them each time one changes (a message arriving, a conversation read), twice (inbox and counts).
 */
const plainConversations = new WeakMap<object, ConversationDoc>();
const toConversation = (d: { toJSON(): unknown }) => {
  let plain = plainConversations.get(d);
  if (!plain) {
    plain = d.toJSON() as ConversationDoc;
    plainConversations.set(d, plain);
  }
  return plain;
};
const toMessage = (d: { toJSON(): unknown }) => d.toJSON() as MessageDoc;

/** The organisation's conversations, newest first (index `[organisationId, inboxKey]`). */
export function useInbox(db: WorkstationDatabase, organisationId: string | null) {
  const obs = useMemo(
    () =>
      organisationId
        ? db.conversations
            .find({ selector: { organisationId }, sort: [{ organisationId: 'asc' }, { inboxKey: 'asc' }] })
            .$.pipe(map((docs) => docs.map(toConversation)))
        : null,
    [db, organisationId],
  );
  return useObservableValue(obs);
}

/**
 * The counts of the query's last result, computed once: the nav badge and « Mes messages » both
 * follow the same query, and each gets its own copy of the same list of documents (the same
 * document objects while unchanged), also when « Mes messages » opens again.
 */
let lastUnread: { docs: readonly object[]; accountId: string; counts: Map<string, number> } | null = null;
function unreadOf(docs: readonly { toJSON(): unknown }[], accountId: string): Map<string, number> {
  const last = lastUnread;
  if (
    last?.accountId === accountId &&
    last.docs.length === docs.length &&
    last.docs.every((d, i) => d === docs[i])
  )
    return last.counts;
  const counts = unreadByOrganisation(docs.map(toConversation), accountId);
  lastUnread = { docs, accountId, counts };
  return counts;
}

/** Unread conversations for me, per organisation (every organisation of the replica). */
export function useUnreadByOrganisation(db: WorkstationDatabase, accountId: string) {
  const obs = useMemo(
    () => db.conversations.find().$.pipe(map((docs) => unreadOf(docs, accountId))),
    [db, accountId],
  );
  return useObservableValue(obs) ?? new Map<string, number>();
}

/** The nav badge: unread conversations of my recruiter organisations. */
export function useUnreadMessageCount(
  db: WorkstationDatabase,
  accountId: string,
  organisationIds: readonly string[],
) {
  const counts = useUnreadByOrganisation(db, accountId);
  return totalUnread(counts, organisationIds);
}

export function useConversation(db: WorkstationDatabase, id: string | null) {
  const obs = useMemo(
    () => (id ? db.conversations.findOne(id).$.pipe(map((d) => (d ? toConversation(d) : null))) : null),
    [db, id],
  );
  return useObservableValue(obs);
}

/** A conversation's messages, oldest first (index `[conversationId, sentAt]`). */
export function useConversationMessages(db: WorkstationDatabase, conversationId: string | null) {
  const obs = useMemo(
    () =>
      conversationId
        ? db.messages
            .find({ selector: { conversationId }, sort: [{ conversationId: 'asc' }, { sentAt: 'asc' }] })
            .$.pipe(map((docs) => docs.map(toMessage)))
        : null,
    [db, conversationId],
  );
  return useObservableValue(obs);
}

/** Re-renders when the replication's state changes (pending count, reconnections). */
export function useSyncVersion(sync: SyncController) {
  return useSyncExternalStore(sync.subscribe, sync.getState, sync.getState);
}

export function useOutbox(store: Store): readonly OutboxEntry[] {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}

/** Marks a conversation read for me (my own `readBy` entry), when unread. */
export async function markConversationRead(db: WorkstationDatabase, id: string, accountId: string) {
  const doc = await db.conversations.findOne(id).exec();
  if (!doc) return;
  const patch = readPatch(toConversation(doc), accountId, new Date().toISOString());
  if (patch) await doc.incrementalPatch(patch);
}

/** « Supprimer »: hides conversations for me until a newer message arrives. */
export async function hideConversations(db: WorkstationDatabase, ids: readonly string[], accountId: string) {
  const docs = await db.conversations.findByIds([...ids]).exec();
  const now = new Date().toISOString();
  for (const doc of docs.values()) await doc.incrementalPatch(hidePatch(toConversation(doc), accountId, now));
  return docs.size;
}

export interface NewConversation {
  id: string;
  aboutKind: 'application' | 'cv';
  aboutId: string;
  aboutLabel?: string;
  candidateId: string;
  candidateName: string;
  subject: string;
}

export interface SendInput {
  user: Pick<SessionUser, 'id' | 'firstName' | 'lastName'>;
  organisation: Pick<Membership, 'organisationId' | 'organisationName'>;
  /** The existing conversation, or the one to open with this first message. */
  conversation: ConversationDoc | null;
  newConversation?: NewConversation;
  body: string;
  attachments: MessageDoc['attachments'];
  /** The message's id (made once per draft: a retry sends the same message). */
  messageId: string;
  now?: Date;
}

const preview = (body: string) => {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
};

/**
 * The local documents a message written here makes: the message (id made now, `sentAt` the local
 * time, pushed by the replication when the server is reachable) and, for a new conversation, the
 * conversation itself; the message then carries the conversation's header (the two collections
 * replicate independently). Pure: the caller writes them.
 */
export function draftDocuments(input: SendInput): { conversation?: ConversationDoc; message: MessageDoc } {
  const at = (input.now ?? new Date()).toISOString();
  const authorName = `${input.user.firstName} ${input.user.lastName}`.trim().slice(0, 120);
  const created = !input.conversation && input.newConversation ? input.newConversation : null;
  const conversationId = input.conversation?.id ?? created?.id;
  if (!conversationId) throw new Error('Conversation manquante.');
  const candidateId = input.conversation?.candidateId ?? created?.candidateId ?? '';
  const message: MessageDoc = {
    id: input.messageId,
    conversationId,
    // A reply belongs to its conversation's organisation, whatever organisation is selected.
    organisationId: input.conversation?.organisationId ?? input.organisation.organisationId,
    candidateId,
    authorKind: 'organisation',
    authorId: input.user.id,
    authorName,
    body: input.body,
    attachments: input.attachments,
    via: 'workstation',
    createdAt: at,
    sentAt: at,
    ...(created
      ? {
          conversation: {
            subject: created.subject,
            aboutKind: created.aboutKind,
            aboutId: created.aboutId,
            ...(created.candidateId ? { candidateId: created.candidateId } : {}),
          },
        }
      : {}),
  };
  if (!created) return { message };
  const conversation: ConversationDoc = {
    id: created.id,
    organisationId: input.organisation.organisationId,
    organisationName: input.organisation.organisationName.slice(0, 150),
    candidateId: created.candidateId,
    candidateName: created.candidateName.slice(0, 120),
    aboutKind: created.aboutKind,
    aboutId: created.aboutId,
    ...(created.aboutLabel ? { aboutLabel: created.aboutLabel.slice(0, 200) } : {}),
    subject: created.subject,
    startedBy: 'organisation',
    createdAt: at,
    lastMessageAt: at,
    inboxKey: inboxKeyFor(at, created.id),
    lastMessagePreview: preview(input.body),
    lastMessageFrom: 'organisation',
    messageCount: 1,
    readBy: [{ accountId: input.user.id, at }],
    hiddenBy: [],
    updatedAt: at,
  };
  return { conversation, message };
}

/** Writes a message (and its new conversation) in the replica, and keeps its copy in the outbox. */
export async function writeMessage(
  db: WorkstationDatabase,
  outbox: Store,
  input: SendInput,
): Promise<MessageDoc> {
  const docs = draftDocuments(input);
  if (docs.conversation) {
    const existing = await db.conversations.findOne(docs.conversation.id).exec();
    if (!existing) await db.conversations.insert(docs.conversation);
  }
  const existing = await db.messages.findOne(docs.message.id).exec();
  if (!existing) await db.messages.insert(docs.message);
  outbox.add({
    id: docs.message.id,
    conversationId: docs.message.conversationId,
    organisationId: docs.message.organisationId,
    ...(docs.message.conversation ? { subject: docs.message.conversation.subject } : {}),
    body: docs.message.body,
    attachments: docs.message.attachments,
    writtenAt: docs.message.createdAt,
  });
  return docs.message;
}
