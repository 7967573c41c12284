/**
 * Desktop notifications for the alerts of favourite CV searches (issue 5: « a workstation notice
 * (and a desktop notification in Electron) »). The server writes the alert as a notice about the
 * search (`documentCollection: 'searches'`); when such a notice reaches the replica while the
 * workstation is open, the system shows it. Electron's renderer shows web notifications as native
 * ones; a browser asks the user's permission first (when a search is starred).
 *
 * Only notices created after the watch started (minus a margin) are shown: the first sync of a
 * replica must not replay every past alert.
 */
import type { Observable } from 'rxjs';
import type { NoticeDoc } from '../../../../shared/schemas';

export interface AlertNotifier {
  /** Whether notifications may be shown now (permission granted). */
  allowed(): boolean;
  show(notice: { id: string; title: string; body: string }, onClick: () => void): void;
}

/** How far back a notice may date and still be shown when it arrives (clock skew, slow sync). */
export const ALERT_NOTIFY_MARGIN_MS = 10 * 60_000;

/** The system's notifications (web Notification API), or none when the platform has none. */
export function systemNotifier(): AlertNotifier {
  const N = typeof window !== 'undefined' ? window.Notification : undefined;
  return {
    allowed: () => !!N && N.permission === 'granted',
    show: (notice, onClick) => {
      if (N?.permission !== 'granted') return;
      const n = new N(notice.title, { body: notice.body, tag: `alerte-${notice.id}` });
      n.onclick = () => {
        window.focus();
        onClick();
        n.close();
      };
    },
  };
}

/** Asks for the permission to notify, once, when the user stars a search (a user gesture). */
export async function askAlertPermission(): Promise<void> {
  const N = typeof window !== 'undefined' ? window.Notification : undefined;
  if (N?.permission !== 'default') return;
  try {
    await N.requestPermission();
  } catch {
    // Refused or unsupported: the notices screen still shows the alert.
  }
}

/** Whether a notice is the alert of a favourite search, new enough to be shown. */
export function isFreshSearchAlert(notice: NoticeDoc, since: number): boolean {
  if (notice.documentCollection !== 'searches' || notice.readAt) return false;
  const at = Date.parse(notice.createdAt);
  return Number.isFinite(at) && at >= since - ALERT_NOTIFY_MARGIN_MS;
}

/**
 * Shows each fresh alert notice once. `inserts$`: the notices collection's inserts (RxDB
 * `collection.insert$`, each event's `documentData`). Returns the function that stops watching.
 */
export function watchSearchAlerts(
  inserts$: Observable<{ documentData: NoticeDoc }>,
  notifier: AlertNotifier,
  openNotices: () => void,
  now: () => number = Date.now,
): () => void {
  const since = now();
  const shown = new Set<string>();
  const sub = inserts$.subscribe(({ documentData: notice }) => {
    if (shown.has(notice.id) || !isFreshSearchAlert(notice, since) || !notifier.allowed()) return;
    shown.add(notice.id);
    notifier.show({ id: notice.id, title: notice.title, body: notice.message }, openNotices);
  });
  return () => sub.unsubscribe();
}
