import type { ConversationDoc } from '../../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';
import { normalizeForSearch } from '../../lib/format';

/**
 * The inbox of « Mes messages » on the workstation (issue 7; seed 000): pure rules over replicated
 * conversations, for the signed-in member.
 *
 * - Unread for me: the candidate wrote (`candidateLastAt`) after my own `readBy` mark.
 * - Hidden for me: my `hiddenBy` mark is at or after the conversation's last message (a newer
 *   message brings it back).
 * - Newest first: the ascending `inboxKey` (`inboxKeyFor`).
 */

export type Mark = { accountId: string; at: string };
type Marked = Pick<ConversationDoc, 'readBy' | 'hiddenBy'>;

export function markOf(marks: readonly Mark[] | undefined, accountId: string): string | null {
  return marks?.find((m) => m.accountId === accountId)?.at ?? null;
}

/**
 * Parsed times, kept: the inbox and the unread counts read the same few dates of every
 * conversation each time one changes (20,000 conversations: Date.parse was most of their cost).
 */
const parsedTimes = new Map<string, number>();

const time = (iso: string | null | undefined): number => {
  if (!iso) return Number.NEGATIVE_INFINITY;
  let t = parsedTimes.get(iso);
  if (t === undefined) {
    const parsed = Date.parse(iso);
    t = Number.isFinite(parsed) ? parsed : Number.NEGATIVE_INFINITY;
    if (parsedTimes.size >= 200_000) parsedTimes.clear();
    parsedTimes.set(iso, t);
  }
  return t;
};

export function isUnreadFor(
  c: Pick<ConversationDoc, 'candidateLastAt' | 'readBy'>,
  accountId: string,
): boolean {
  if (!c.candidateLastAt) return false;
  return time(c.candidateLastAt) > time(markOf(c.readBy, accountId));
}

export function isHiddenFor(
  c: Pick<ConversationDoc, 'lastMessageAt' | 'hiddenBy'>,
  accountId: string,
): boolean {
  const hidden = markOf(c.hiddenBy, accountId);
  return hidden !== null && time(hidden) >= time(c.lastMessageAt);
}

/** My entry of a mark list set to `at` (kept when mine is already later): a new array. */
export function withMark(marks: readonly Mark[] | undefined, accountId: string, at: string): Mark[] {
  const list = (marks ?? []).map((m) => ({ ...m }));
  const i = list.findIndex((m) => m.accountId === accountId);
  if (i < 0) list.push({ accountId, at });
  else if (time(at) > time(list[i]!.at)) list[i] = { accountId, at };
  return list;
}

/**
 * The patch that marks a conversation read for me (null when nothing changes). The mark is at the
 * latest of `now`, the last message and the candidate's last message: a workstation whose clock is
 * late would otherwise mark it read before the message it just showed, and leave it unread.
 */
export function readPatch(
  c: Marked & Pick<ConversationDoc, 'candidateLastAt'> & Partial<Pick<ConversationDoc, 'lastMessageAt'>>,
  accountId: string,
  now: string,
) {
  if (!isUnreadFor(c, accountId) && markOf(c.readBy, accountId) !== null) return null;
  let at = now;
  for (const t of [c.lastMessageAt, c.candidateLastAt]) if (t && time(t) > time(at)) at = t;
  return { readBy: withMark(c.readBy, accountId, at) };
}

/** The patch that hides a conversation for me until a newer message arrives. */
export function hidePatch(
  c: Marked & Pick<ConversationDoc, 'lastMessageAt'>,
  accountId: string,
  now: string,
) {
  const at = time(now) >= time(c.lastMessageAt) ? now : c.lastMessageAt;
  return { hiddenBy: withMark(c.hiddenBy, accountId, at) };
}

/** Unread conversations for me, per organisation (hidden ones left out). */
export function unreadByOrganisation(
  conversations: readonly ConversationDoc[],
  accountId: string,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of conversations) {
    if (isHiddenFor(c, accountId) || !isUnreadFor(c, accountId)) continue;
    out.set(c.organisationId, (out.get(c.organisationId) ?? 0) + 1);
  }
  return out;
}

export function totalUnread(counts: Map<string, number>, organisationIds?: readonly string[]): number {
  let n = 0;
  for (const [org, count] of counts) if (!organisationIds || organisationIds.includes(org)) n += count;
  return n;
}

/** Search words, accent- and case-free. */
export function searchTerms(query: string): string[] {
  return normalizeForSearch(query).split(/\s+/).filter(Boolean);
}

/**
 * Whether a conversation matches every search word in its subject, candidate, organisation or
 * about label, or in the bodies of its messages (`bodies`: its messages' normalised text).
 */
export function matchesSearch(
  c: Pick<ConversationDoc, 'subject' | 'candidateName' | 'aboutLabel' | 'lastMessagePreview'>,
  terms: readonly string[],
  bodies: readonly string[] = [],
): boolean {
  if (terms.length === 0) return true;
  const head = normalizeForSearch(
    [c.subject, c.candidateName, c.aboutLabel ?? '', c.lastMessagePreview ?? ''].join(' '),
  );
  return terms.every((t) => head.includes(t) || bodies.some((b) => b.includes(t)));
}

/** Normalised bodies of messages by conversation (for `matchesSearch`). */
export function bodiesByConversation(messages: readonly Pick<MessageDoc, 'conversationId' | 'body'>[]) {
  const out = new Map<string, string[]>();
  for (const m of messages) {
    const list = out.get(m.conversationId);
    const text = normalizeForSearch(m.body);
    if (list) list.push(text);
    else out.set(m.conversationId, [text]);
  }
  return out;
}

/**
 * The inbox as shown: the organisation's conversations (already newest first, from the index),
 * hidden ones left out, then the search.
 */
export function visibleInbox(
  conversations: readonly ConversationDoc[],
  accountId: string,
  terms: readonly string[] = [],
  bodies: { get(conversationId: string): readonly string[] | undefined } = new Map<string, string[]>(),
): ConversationDoc[] {
  return conversations.filter(
    (c) => !isHiddenFor(c, accountId) && matchesSearch(c, terms, bodies.get(c.id) ?? []),
  );
}

/** Newest first by `inboxKey`, for lists not read through the index. */
export function byInboxKey(a: Pick<ConversationDoc, 'inboxKey'>, b: Pick<ConversationDoc, 'inboxKey'>) {
  return a.inboxKey < b.inboxKey ? -1 : a.inboxKey > b.inboxKey ? 1 : 0;
}

/** The existing conversation of this organisation about a document (an application, a CV), if any. */
export function conversationAbout(
  conversations: readonly ConversationDoc[],
  organisationId: string,
  about: { aboutKind: string; aboutId: string },
): ConversationDoc | null {
  return (
    conversations
      .filter(
        (c) =>
          c.organisationId === organisationId &&
          c.aboutKind === about.aboutKind &&
          c.aboutId === about.aboutId,
      )
      .sort(byInboxKey)[0] ?? null
  );
}
