import { describe, expect, it } from 'vitest';
import type { View } from './session-context';
import { viewAfterSwitch } from './view-after-switch';

describe('viewAfterSwitch', () => {
  it('leaves a screen about one document of the former organisation for its list', () => {
    const cases: [View, View][] = [
      [{ name: 'offer-form', offerId: 'o1' }, { name: 'offers' }],
      [{ name: 'offer-form' }, { name: 'offers' }],
      [{ name: 'company-form', companyId: 'c1' }, { name: 'companies' }],
      [{ name: 'cv', cvId: 'cv1', from: 'cvtheque' }, { name: 'cvtheque' }],
      [{ name: 'cv', cvId: 'cv1', from: 'cv-lists', listId: 'l1' }, { name: 'cv-lists' }],
      [{ name: 'cv-lists', listId: 'l1' }, { name: 'cv-lists' }],
      [{ name: 'applicants', offerId: 'o1', applicationId: 'a1' }, { name: 'applicants' }],
      [{ name: 'capture', eventId: 'e1' }, { name: 'capture' }],
      [{ name: 'event', eventId: 'e1' }, { name: 'events' }],
      [{ name: 'event-form', eventId: 'e1' }, { name: 'events' }],
      [{ name: 'spouse-search', applicationId: 'a1' }, { name: 'spouse-searches' }],
      [{ name: 'messages', conversationId: 'c1' }, { name: 'messages' }],
      [{ name: 'messages', write: { aboutKind: 'application', aboutId: 'a1' } }, { name: 'messages' }],
    ];
    for (const [from, to] of cases) expect(viewAfterSwitch(from)).toEqual(to);
  });

  it('keeps the lists and the screens that belong to no organisation', () => {
    const kept: View[] = [
      { name: 'offers' },
      { name: 'applicants' },
      { name: 'cvtheque' },
      { name: 'cv-lists' },
      { name: 'events' },
      { name: 'notices' },
      { name: 'account' },
      { name: 'moderation' },
      { name: 'reported-conversations' },
      { name: 'organisation' },
      { name: 'messages' },
    ];
    for (const view of kept) expect(viewAfterSwitch(view)).toBe(view);
  });
});
