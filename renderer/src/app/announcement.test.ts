import { describe, expect, it } from 'vitest';
import {
  ANNOUNCEMENT_MS,
  type Announcement,
  type AnnouncementEvent,
  announcementTimeLeft,
  dismissesAnnouncement,
  NAVIGATION_GRACE_MS,
  nextAnnouncement,
} from './announcement';

function run(events: AnnouncementEvent[], start: Announcement | null = null): Announcement | null {
  return events.reduce<Announcement | null>(nextAnnouncement, start);
}

describe('nextAnnouncement', () => {
  it('shows an announcement until the user goes to another screen', () => {
    const shown = run([{ type: 'announce', message: 'Liste renommée « Vivier ».', at: 1000 }]);
    expect(shown).toEqual({ message: 'Liste renommée « Vivier ».', at: 1000 });
    // Three seconds later the user opens another screen: the message was about the former one.
    expect(nextAnnouncement(shown, { type: 'navigate', at: 4000 })).toBeNull();
  });

  it('keeps the announcement made by the navigation itself (announce, then navigate in the same tick)', () => {
    const after = run([
      { type: 'announce', message: 'Fiche entreprise « Fournil » enregistrée.', at: 5000 },
      { type: 'navigate', at: 5000 },
    ]);
    expect(after?.message).toBe('Fiche entreprise « Fournil » enregistrée.');
    // Right after an awaited save, still the navigation's own.
    expect(
      run([
        { type: 'announce', message: 'x', at: 5000 },
        { type: 'navigate', at: 5000 + NAVIGATION_GRACE_MS },
      ]),
    ).not.toBeNull();
    expect(
      run([
        { type: 'announce', message: 'x', at: 5000 },
        { type: 'navigate', at: 5001 + NAVIGATION_GRACE_MS },
      ]),
    ).toBeNull();
  });

  it('keeps an announcement made after the navigation (navigate, then announce)', () => {
    const old = { message: 'Ancien message', at: 0 };
    const after = run(
      [
        { type: 'navigate', at: 9000 },
        { type: 'announce', message: 'Organisation courante : Agence Sud.', at: 9000 },
      ],
      old,
    );
    expect(after).toEqual({ message: 'Organisation courante : Agence Sud.', at: 9000 });
  });

  it('goes when dismissed, and when its own timer runs out (not a former one’s)', () => {
    const shown = { message: 'Note enregistrée.', at: 2000 };
    expect(nextAnnouncement(shown, { type: 'dismiss' })).toBeNull();
    expect(nextAnnouncement(shown, { type: 'expire', at: 2000 })).toBeNull();
    // The timer of an earlier announcement does not take the newer one away.
    expect(nextAnnouncement(shown, { type: 'expire', at: 1000 })).toBe(shown);
    expect(nextAnnouncement(null, { type: 'expire', at: 1000 })).toBeNull();
  });

  it('shows nothing for an empty message', () => {
    expect(run([{ type: 'announce', message: '  ', at: 1 }])).toBeNull();
  });
});

describe('announcementTimeLeft', () => {
  it('counts the 8 seconds from the announce call', () => {
    const a = { message: 'x', at: 10_000 };
    expect(ANNOUNCEMENT_MS).toBe(8000);
    expect(announcementTimeLeft(a, 10_000)).toBe(8000);
    expect(announcementTimeLeft(a, 15_000)).toBe(3000);
    expect(announcementTimeLeft(a, 18_000)).toBe(0);
    expect(announcementTimeLeft(a, 30_000)).toBe(0);
  });
});

describe('dismissesAnnouncement', () => {
  it('is Escape, unless a dialog or a field already used the key', () => {
    expect(dismissesAnnouncement({ key: 'Escape', defaultPrevented: false, insideDialog: false })).toBe(true);
    expect(dismissesAnnouncement({ key: 'Escape', defaultPrevented: true, insideDialog: false })).toBe(false);
    expect(dismissesAnnouncement({ key: 'Escape', defaultPrevented: false, insideDialog: true })).toBe(false);
    expect(dismissesAnnouncement({ key: 'Enter', defaultPrevented: false, insideDialog: false })).toBe(false);
  });
});
