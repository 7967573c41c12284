import type { NoticeDoc } from '../../../../shared/schemas';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';

/**
 * The outbox of the workstation's messaging (issue 7): a message written here is a local document
 * (id made now, `sentAt` the local time) that the replication pushes on reconnect, in order and
 * exactly once (same id). Until the server accepted it, it is « En attente d’envoi ». A copy of
 * each message written here is also kept on this workstation (`OutboxEntry`) until the server
 * accepted it, so that a refused one (the server answers with a tombstone and a notice) is never
 * lost: the conversation shows it with the notice's reason and its text to copy.
 */

export interface OutboxEntry {
  id: string;
  conversationId: string;
  organisationId: string;
  subject?: string;
  body: string;
  attachments: MessageDoc['attachments'];
  /** When it was written (this workstation's clock). */
  writtenAt: string;
  /** When the replication removed the local document (the server's tombstone: refused). */
  refusedAt?: string;
}

export type OutboxState =
  | { kind: 'pending' }
  | { kind: 'sent' }
  | { kind: 'refused'; reason: string; noticeId?: string };

export const OUTBOX_PENDING_LABEL = 'En attente d’envoi';
export const REFUSED_FALLBACK_REASON =
  'Le serveur a refusé ce message. Consultez vos avis pour en connaître la raison ; son texte est conservé ci-dessous pour que vous puissiez le copier.';

/** The notice of the server about this message (a refused push names the message), newest first. */
export function noticeFor(messageId: string, notices: readonly NoticeDoc[]): NoticeDoc | null {
  let found: NoticeDoc | null = null;
  for (const n of notices) {
    if (n.documentId !== messageId) continue;
    if (n.documentCollection && n.documentCollection !== 'messages') continue;
    if (!found || n.createdAt > found.createdAt) found = n;
  }
  return found;
}

/**
 * Where a message written here stands: `doc` its local document (null once the replication
 * removed it: the server's tombstone), `pending` whether the replication still has to send it.
 */
export function outboxState(
  doc: Pick<MessageDoc, 'id'> | null,
  pending: boolean,
  notice: NoticeDoc | null,
): OutboxState {
  if (doc) return pending ? { kind: 'pending' } : { kind: 'sent' };
  const reason = notice
    ? [...new Set([notice.message, ...(notice.fields ?? []).map((f) => f.message)].filter(Boolean))].join(' ')
    : REFUSED_FALLBACK_REASON;
  return { kind: 'refused', reason, ...(notice ? { noticeId: notice.id } : {}) };
}

/**
 * The entries still to keep: a sent message's copy goes (the server has it, and it is no longer
 * pending); a pending or refused one stays (a refused one until the user dismisses it).
 */
export function entriesToKeep(
  entries: readonly OutboxEntry[],
  docs: ReadonlyMap<string, Pick<MessageDoc, 'id'>>,
  isPending: (id: string) => boolean,
): OutboxEntry[] {
  return entries.filter((e) => e.refusedAt !== undefined || !docs.has(e.id) || isPending(e.id));
}

/**
 * How long the copy of a refused message stays on this workstation (its text is personal data):
 * 30 days after the refusal, unless the user dismissed it before.
 */
export const OUTBOX_REFUSED_KEEP_DAYS = 30;
const KEEP_MS = OUTBOX_REFUSED_KEEP_DAYS * 24 * 60 * 60 * 1000;

/**
 * The entries without the refused copies older than `OUTBOX_REFUSED_KEEP_DAYS` (counted from the
 * refusal, or from the writing when the refusal's date is unreadable). A pending copy stays: its
 * message is still in the replica and may yet be refused. The same array when nothing goes.
 */
export function withoutExpired(entries: readonly OutboxEntry[], now: number): readonly OutboxEntry[] {
  const out = entries.filter((e) => {
    if (e.refusedAt === undefined) return true;
    const at = Date.parse(e.refusedAt);
    const since = Number.isFinite(at) ? at : Date.parse(e.writtenAt);
    return Number.isFinite(since) && now - since <= KEEP_MS;
  });
  return out.length === entries.length ? entries : out;
}

/** Entries whose local document the replication just deleted become refused (once). */
export function markRefused(entries: readonly OutboxEntry[], deletedIds: ReadonlySet<string>, at: string) {
  let changed = false;
  const out = entries.map((e) => {
    if (e.refusedAt !== undefined || !deletedIds.has(e.id)) return e;
    changed = true;
    return { ...e, refusedAt: at };
  });
  return changed ? out : entries;
}

/** The refused messages of one conversation, oldest first, with the reason the server gave. */
export function refusedIn(
  conversationId: string,
  entries: readonly OutboxEntry[],
  notices: readonly NoticeDoc[],
): { entry: OutboxEntry; reason: string; noticeId?: string }[] {
  return entries
    .filter((e) => e.conversationId === conversationId && e.refusedAt !== undefined)
    .sort((a, b) => (a.writtenAt < b.writtenAt ? -1 : a.writtenAt > b.writtenAt ? 1 : 0))
    .map((entry) => {
      const state = outboxState(null, false, noticeFor(entry.id, notices));
      return state.kind === 'refused'
        ? { entry, reason: state.reason, ...(state.noticeId ? { noticeId: state.noticeId } : {}) }
        : { entry, reason: REFUSED_FALLBACK_REASON };
    });
}

/**
 * Refused messages whose conversation is not on this workstation any more (a new conversation the
 * server refused goes with its first message): shown above the inbox, oldest first.
 */
export function refusedElsewhere(
  entries: readonly OutboxEntry[],
  conversationIds: ReadonlySet<string>,
  notices: readonly NoticeDoc[],
): { entry: OutboxEntry; reason: string }[] {
  const ids = new Set(
    entries
      .filter((e) => e.refusedAt !== undefined && !conversationIds.has(e.conversationId))
      .map((e) => e.conversationId),
  );
  return [...ids].flatMap((id) => refusedIn(id, entries, notices));
}
