import { Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import type { MessageDoc } from '../../../../shared/schemas/message.schema';
import {
  decideNotifications,
  MESSAGE_NOTIFY_GROUP,
  MESSAGE_NOTIFY_MARGIN_MS,
  type MessageNotification,
  newCandidateMessages,
  notificationsFor,
  watchNewMessages,
} from './notify';

const START = Date.UTC(2026, 11, 1, 9, 0);
const at = (ms: number) => new Date(START + ms).toISOString();

function msg(id: string, patch: Partial<MessageDoc> = {}): MessageDoc {
  return {
    id,
    conversationId: `c-${id}`,
    organisationId: 'o1',
    candidateId: 'k1',
    authorKind: 'candidate',
    authorId: 'k1',
    authorName: 'Thomas Garcia',
    body: 'Bonjour, je suis disponible jeudi.',
    attachments: [],
    via: 'portal',
    createdAt: at(1000),
    sentAt: at(1000),
    ...patch,
  };
}

describe('what to notify', () => {
  const base = { accountId: 'me', since: START, seen: new Set<string>() };

  it('only candidates’ new messages, each once, not mine, not the past the first sync replays', () => {
    const arrived = [
      msg('a'),
      msg('mine', { authorKind: 'organisation', authorId: 'me' }),
      msg('colleague', { authorKind: 'organisation', authorId: 'other' }),
      msg('old', { sentAt: at(-MESSAGE_NOTIFY_MARGIN_MS - 1) }),
      msg('skew', { sentAt: at(-MESSAGE_NOTIFY_MARGIN_MS + 1) }),
      msg('a'),
      msg('seen'),
    ];
    const out = newCandidateMessages({ ...base, arrived, seen: new Set(['seen']) });
    expect(out.map((m) => m.id)).toEqual(['a', 'skew']);
  });

  it('nothing shown while the window is visible, but the messages count as seen', () => {
    const visible = decideNotifications({ ...base, arrived: [msg('a')], windowHidden: false });
    expect(visible).toEqual({ show: [], seen: ['a'] });
    const hidden = decideNotifications({ ...base, arrived: [msg('a')], windowHidden: true });
    expect(hidden.show).toEqual([
      {
        tag: 'message-a',
        title: 'Nouveau message de Thomas Garcia',
        body: 'Bonjour, je suis disponible jeudi.',
        conversationId: 'c-a',
      },
    ]);
  });

  it('many at once make one summary', () => {
    const many = Array.from({ length: MESSAGE_NOTIFY_GROUP + 2 }, (_, i) =>
      msg(`m${i}`, { authorName: `Personne ${i}` }),
    );
    const [summary, ...rest] = notificationsFor(many);
    expect(rest).toEqual([]);
    expect(summary!.title).toBe(`${many.length} nouveaux messages de candidats`);
    expect(summary!.body).toBe('De Personne 0, Personne 1, Personne 2 et 2 autres.');
    expect(summary!.conversationId).toBeUndefined();
  });
});

describe('the watcher', () => {
  it('notifies a candidate message arriving while hidden, once, and opens its conversation on click', async () => {
    vi.useFakeTimers();
    try {
      const inserts = new Subject<{ documentData: MessageDoc }>();
      const shown: MessageNotification[] = [];
      const clicks: (string | undefined)[] = [];
      let hidden = true;
      const stop = watchNewMessages(
        inserts,
        'me',
        {
          allowed: () => true,
          show: (n, click) => {
            shown.push(n);
            click();
          },
        },
        (id) => clicks.push(id),
        { now: () => START, windowHidden: () => hidden, windowMs: 100 },
      );
      inserts.next({ documentData: msg('a') });
      inserts.next({ documentData: msg('a') });
      await vi.advanceTimersByTimeAsync(150);
      expect(shown.map((n) => n.tag)).toEqual(['message-a']);
      expect(clicks).toEqual(['c-a']);
      hidden = false;
      inserts.next({ documentData: msg('b') });
      await vi.advanceTimersByTimeAsync(150);
      hidden = true;
      inserts.next({ documentData: msg('b') });
      await vi.advanceTimersByTimeAsync(150);
      expect(shown).toHaveLength(1);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
