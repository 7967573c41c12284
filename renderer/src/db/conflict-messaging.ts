import type { ConversationDoc } from '../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import { type ConflictInput, deepEqual, type WithDeleted } from './conflict';
import { stripLocal } from './local-keys';

/**
 * Conflicts of the messaging collections (issue 7; DESIGN §4 `conversations`, `messages`).
 *
 * - Messages are immutable once sent and never in conflict: a second push of the same id is the
 *   same message, sent once. The server's state always wins (a refused message comes back as a
 *   tombstone, with a notice saying why).
 * - Conversations: the server owns every field except each member's own entries of `readBy` (read
 *   up to `at`) and `hiddenBy` (hidden until a message newer than `at` arrives). Those are merged
 *   per account, latest `at` wins; only the local user's entries are taken from the local state
 *   (they are the only ones this workstation writes), so a mark the server dropped (a member who
 *   left) is never brought back.
 */

type Mark = { accountId: string; at: string };

const strip = stripLocal;

/** Messages: the master, always. */
export function resolveMessageConflict(input: ConflictInput<MessageDoc>): WithDeleted<MessageDoc> {
  return strip(input.realMasterState);
}

/**
 * The master's marks, with the local user's own entry replaced by theirs when it is newer (one
 * entry per account, in the master's order; the local entry appended when the master has none).
 */
export function mergeMarks(
  master: readonly Mark[],
  local: readonly Mark[],
  accountId: string | null,
): Mark[] {
  const out = master.map((m) => ({ ...m }));
  const candidates = local.filter((m) => accountId === null || m.accountId === accountId);
  for (const mine of candidates) {
    const i = out.findIndex((m) => m.accountId === mine.accountId);
    if (i < 0) {
      // Only the local user's own entry may be added (another account's entry the master lacks was removed there).
      if (accountId !== null) out.push({ ...mine });
    } else if (Date.parse(mine.at) > Date.parse(out[i]!.at)) out[i] = { ...mine };
  }
  return out;
}

/**
 * Conversations: the master for every field but `readBy` and `hiddenBy`, where the local user's
 * entry is kept when it is newer than the master's. `accountId`: the signed-in user (null: any
 * local entry newer than the master's entry of the same account counts; none is added).
 */
export function resolveConversationConflict(
  input: ConflictInput<ConversationDoc>,
  accountId: string | null,
): WithDeleted<ConversationDoc> {
  const master = strip(input.realMasterState);
  if (master._deleted) return master;
  const mine = strip(input.newDocumentState);
  if (mine._deleted) return master;
  const readBy = mergeMarks(master.readBy ?? [], mine.readBy ?? [], accountId);
  const hiddenBy = mergeMarks(master.hiddenBy ?? [], mine.hiddenBy ?? [], accountId);
  if (deepEqual(readBy, master.readBy) && deepEqual(hiddenBy, master.hiddenBy)) return master;
  return { ...master, readBy, hiddenBy };
}
