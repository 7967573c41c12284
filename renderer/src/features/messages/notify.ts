import { bufferTime, filter, type Observable } from 'rxjs';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';

/**
 * Desktop notifications of new candidate messages (issue 7): when a message from a candidate
 * reaches the replica while the window is hidden, the system shows it (Electron maps web
 * notifications to native ones). Pure decision first, the watcher after.
 *
 * Notified: messages written by a candidate (never a member's, never mine), sent after the watch
 * started (minus a margin for clock skew): the first sync of a replica replays no past message;
 * each message once. When the window is visible nothing is shown (the inbox's badge says it), but
 * the messages count as seen.
 */

export const MESSAGE_NOTIFY_MARGIN_MS = 2 * 60_000;
/** Beyond this many new messages at once, one summary notification. */
export const MESSAGE_NOTIFY_GROUP = 3;

export interface MessageNotification {
  tag: string;
  title: string;
  body: string;
  /** The conversation to open on click (the inbox for a summary). */
  conversationId?: string;
}

export interface NotifyInput {
  arrived: readonly MessageDoc[];
  accountId: string;
  /** When the watch started (ms). */
  since: number;
  /** Ids already notified or seen. */
  seen: ReadonlySet<string>;
  windowHidden: boolean;
}

/** The messages worth a notification among those that just arrived. */
export function newCandidateMessages(input: Omit<NotifyInput, 'windowHidden'>): MessageDoc[] {
  const out: MessageDoc[] = [];
  const ids = new Set<string>();
  for (const m of input.arrived) {
    if (input.seen.has(m.id) || ids.has(m.id)) continue;
    if (m.authorKind !== 'candidate' || m.authorId === input.accountId) continue;
    const at = Date.parse(m.sentAt);
    if (!Number.isFinite(at) || at < input.since - MESSAGE_NOTIFY_MARGIN_MS) continue;
    ids.add(m.id);
    out.push(m);
  }
  return out;
}

function preview(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

/** What to show for them: one notification each, or one summary beyond `MESSAGE_NOTIFY_GROUP`. */
export function notificationsFor(messages: readonly MessageDoc[]): MessageNotification[] {
  if (messages.length === 0) return [];
  if (messages.length > MESSAGE_NOTIFY_GROUP) {
    const people = [...new Set(messages.map((m) => m.authorName))];
    return [
      {
        tag: 'messages-resume',
        title: `${messages.length} nouveaux messages de candidats`,
        body: `De ${people.slice(0, 3).join(', ')}${people.length > 3 ? ` et ${people.length - 3} autres` : ''}.`,
      },
    ];
  }
  return messages.map((m) => ({
    tag: `message-${m.id}`,
    title: `Nouveau message de ${m.authorName}`,
    body: preview(m.body),
    conversationId: m.conversationId,
  }));
}

/** The whole decision: the notifications to show now, and the ids now seen. */
export function decideNotifications(input: NotifyInput): { show: MessageNotification[]; seen: string[] } {
  const fresh = newCandidateMessages(input);
  return { show: input.windowHidden ? notificationsFor(fresh) : [], seen: fresh.map((m) => m.id) };
}

export interface MessageNotifier {
  allowed(): boolean;
  show(n: MessageNotification, onClick: () => void): void;
}

/** The system's notifications (web Notification API). */
export function systemMessageNotifier(): MessageNotifier {
  const N = typeof window !== 'undefined' ? window.Notification : undefined;
  return {
    allowed: () => !!N && N.permission === 'granted',
    show: (n, onClick) => {
      if (N?.permission !== 'granted') return;
      const shown = new N(n.title, { body: n.body, tag: n.tag });
      shown.onclick = () => {
        window.focus();
        onClick();
        shown.close();
      };
    },
  };
}

/** Asks once for the permission to notify (from a user gesture: opening « Mes messages »). */
export async function askMessagePermission(): Promise<void> {
  const N = typeof window !== 'undefined' ? window.Notification : undefined;
  if (N?.permission !== 'default') return;
  try {
    await N.requestPermission();
  } catch {
    // Refused or unsupported: the badge still counts unread conversations.
  }
}

/**
 * Watches the messages that reach the replica (`inserts$`: RxDB's `insert$`), grouped over half a
 * second, and shows the notifications. Returns the function that stops watching.
 */
export function watchNewMessages(
  inserts$: Observable<{ documentData: MessageDoc }>,
  accountId: string,
  notifier: MessageNotifier,
  open: (conversationId?: string) => void,
  options: { now?: () => number; windowHidden?: () => boolean; windowMs?: number } = {},
): () => void {
  const now = options.now ?? Date.now;
  const hidden = options.windowHidden ?? (() => typeof document !== 'undefined' && document.hidden);
  const since = now();
  const seen = new Set<string>();
  const sub = inserts$
    .pipe(
      bufferTime(options.windowMs ?? 500),
      filter((batch) => batch.length > 0),
    )
    .subscribe((batch) => {
      const decision = decideNotifications({
        arrived: batch.map((e) => e.documentData),
        accountId,
        since,
        seen,
        windowHidden: hidden() && notifier.allowed(),
      });
      for (const id of decision.seen) seen.add(id);
      for (const n of decision.show) notifier.show(n, () => open(n.conversationId));
    });
  return () => sub.unsubscribe();
}
