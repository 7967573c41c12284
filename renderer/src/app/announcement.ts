/**
 * The shell's announcement (a toast read by screen readers): how long it shows, and whether it
 * survives a change of screen. An announcement belongs to the screen it was made on, except one made
 * by the navigation itself (« … enregistrée » then back to the list, in the same tick or right after
 * the save): that one is about the new screen too, and stays.
 */

/** How long an announcement shows. */
export const ANNOUNCEMENT_MS = 8000;

/** An announcement made at most this long before a navigation is the navigation's own. */
export const NAVIGATION_GRACE_MS = 1000;

export interface Announcement {
  message: string;
  /** When `announce()` was called (ms since the epoch). */
  at: number;
}

export type AnnouncementEvent =
  | { type: 'announce'; message: string; at: number }
  | { type: 'navigate'; at: number }
  | { type: 'dismiss' }
  /** The timer of the announcement made at `at` ran out. */
  | { type: 'expire'; at: number };

export function nextAnnouncement(
  current: Announcement | null,
  event: AnnouncementEvent,
): Announcement | null {
  switch (event.type) {
    case 'announce':
      return event.message.trim() ? { message: event.message, at: event.at } : null;
    case 'navigate':
      return current && event.at - current.at <= NAVIGATION_GRACE_MS ? current : null;
    case 'dismiss':
      return null;
    case 'expire':
      return current && current.at === event.at ? null : current;
  }
}

/** Milliseconds before the announcement goes (0 when it is due). */
export function announcementTimeLeft(current: Announcement, now: number): number {
  return Math.max(0, current.at + ANNOUNCEMENT_MS - now);
}

/** Whether a key press dismisses the announcement: Escape, unless a dialog or a field already used it. */
export function dismissesAnnouncement(event: {
  key: string;
  defaultPrevented: boolean;
  insideDialog: boolean;
}): boolean {
  return event.key === 'Escape' && !event.defaultPrevented && !event.insideDialog;
}
