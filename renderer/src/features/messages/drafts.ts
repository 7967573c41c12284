import type { MessageDoc } from '../../../../shared/schemas/message.schema';
import { loadUserRecord, saveUserRecord } from '../../lib/local-store';

/**
 * Drafts of the workstation's messages (issue 7, review finding): what is typed in a reply box, or
 * in the first message of a new conversation, is kept on this workstation per conversation (a new
 * conversation: per organisation and « about », the application or the CV it is about), restored
 * when the user comes back, and cleared once the message is written to the outbox. A draft nobody
 * comes back to goes after `DRAFT_KEEP_DAYS` days (its text is personal data).
 */

export interface MessageDraft {
  body: string;
  /** A new conversation's subject. */
  subject?: string;
  attachments: MessageDoc['attachments'];
  /** When it was last changed (this workstation's clock). */
  savedAt: string;
}

export type Drafts = Readonly<Record<string, MessageDraft>>;

export const DRAFT_KEEP_DAYS = 30;
const KEEP_MS = DRAFT_KEEP_DAYS * 24 * 60 * 60 * 1000;
const RECORD = 'message-drafts';

/** The draft's key: the conversation, or for a new one its organisation and what it is about. */
export function draftKey(
  conversation: { id: string } | null,
  about?: { organisationId: string; aboutKind: string; aboutId: string },
): string {
  if (conversation) return `conversation:${conversation.id}`;
  if (about) return `about:${about.organisationId}:${about.aboutKind}:${about.aboutId}`;
  return 'none';
}

/** Whether there is anything worth keeping (`defaultSubject`: the subject proposed for a new one). */
export function isEmptyDraft(
  d: Pick<MessageDraft, 'body' | 'subject' | 'attachments'>,
  defaultSubject?: string,
): boolean {
  return (
    d.body.trim() === '' &&
    d.attachments.length === 0 &&
    (d.subject === undefined || d.subject.trim() === '' || d.subject === defaultSubject)
  );
}

/** The drafts without the ones older than `DRAFT_KEEP_DAYS` (the same object when none goes). */
export function withoutOldDrafts(drafts: Drafts, now: number): Drafts {
  let changed = false;
  const out: Record<string, MessageDraft> = {};
  for (const [key, d] of Object.entries(drafts)) {
    const at = Date.parse(d.savedAt);
    if (Number.isFinite(at) && now - at <= KEEP_MS) out[key] = d;
    else changed = true;
  }
  return changed ? out : drafts;
}

/** The drafts with this one set (`null` or an empty one: removed), old ones dropped. */
export function withDraft(
  drafts: Drafts,
  key: string,
  draft: Omit<MessageDraft, 'savedAt'> | null,
  now: number,
  defaultSubject?: string,
): Drafts {
  const next: Record<string, MessageDraft> = { ...withoutOldDrafts(drafts, now) };
  if (!draft || isEmptyDraft(draft, defaultSubject)) delete next[key];
  else
    next[key] = {
      body: draft.body,
      ...(draft.subject !== undefined ? { subject: draft.subject } : {}),
      attachments: draft.attachments,
      savedAt: new Date(now).toISOString(),
    };
  return next;
}

function load(userId: string): Drafts {
  const v = loadUserRecord<Drafts>(userId, RECORD);
  return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
}

/** This user's draft under `key` on this workstation, if any (and not too old). */
export function loadDraft(userId: string, key: string, now = Date.now()): MessageDraft | null {
  const d = withoutOldDrafts(load(userId), now)[key];
  return d && typeof d.body === 'string' && Array.isArray(d.attachments) ? d : null;
}

/** Keeps (or, when empty, removes) this user's draft under `key`. */
export function saveDraft(
  userId: string,
  key: string,
  draft: Omit<MessageDraft, 'savedAt'> | null,
  defaultSubject?: string,
  now = Date.now(),
): void {
  const current = load(userId);
  if (!draft && !(key in current)) return;
  const next = withDraft(current, key, draft, now, defaultSubject);
  saveUserRecord(userId, RECORD, Object.keys(next).length > 0 ? next : null);
}

/** Removes the draft once its message is written. */
export function clearDraft(userId: string, key: string): void {
  saveDraft(userId, key, null);
}
