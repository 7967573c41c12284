import { createRxDatabase, type RxDatabase } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it } from 'vitest';
import { type MessageDoc, messageSchema } from '../../../../shared/schemas/message.schema';
import { visibleInbox } from './inbox-model';
import { MessageTextIndex, messageTextIndexOf, TEXT_INDEX_SLICE } from './message-text-index';

const message = (i: number, conversationId: string, body: string): MessageDoc => ({
  id: `m${String(i).padStart(6, '0')}`,
  conversationId,
  organisationId: 'o1',
  candidateId: 'k1',
  authorKind: i % 2 === 0 ? 'candidate' : 'organisation',
  authorId: 'a1',
  authorName: 'Thomas Garcia',
  body,
  attachments: [],
  via: 'workstation',
  createdAt: '2026-12-05T09:00:00.000Z',
  sentAt: new Date(Date.UTC(2026, 11, 5, 9, 0, i)).toISOString(),
});

async function settled(index: MessageTextIndex): Promise<void> {
  for (let i = 0; i < 200 && !index.getState().ready; i++) await new Promise((r) => setTimeout(r, 5));
  expect(index.getState().ready).toBe(true);
}

describe('the index of the messages’ text', () => {
  let db: RxDatabase | null = null;
  afterEach(async () => {
    await db?.remove();
    db = null;
  });

  it('reads every message in slices, then follows new ones and erasures', async () => {
    db = await createRxDatabase({ name: `text_${Date.now()}`, storage: getRxStorageMemory() });
    await db.addCollections({ messages: { schema: messageSchema } });
    const count = TEXT_INDEX_SLICE * 2 + 7;
    await db.messages.bulkInsert(
      Array.from({ length: count }, (_, i) =>
        message(i, `c${i % 50}`, i === 1234 ? 'Le fournil ouvre à 5 h, êtes-vous matinal ?' : 'Bonjour'),
      ),
    );
    const index = messageTextIndexOf(db as unknown as Parameters<typeof messageTextIndexOf>[0]);
    expect(messageTextIndexOf(db as unknown as Parameters<typeof messageTextIndexOf>[0])).toBe(index);
    const seen: number[] = [];
    index.subscribe(() => seen.push(index.getState().loaded));
    index.start();
    await settled(index);
    expect(index.getState().loaded).toBe(count);
    // Read in three slices, each announced (the page says how far it got).
    expect(seen.slice(0, 3)).toEqual([TEXT_INDEX_SLICE, TEXT_INDEX_SLICE * 2, count]);
    // Accents and case ignored, by conversation.
    expect(index.get('c34')?.some((t) => t.includes('etes-vous matinal'))).toBe(true);
    expect(index.get('c22')?.some((t) => t.includes('fournil'))).toBe(false);

    // A message arriving later is found at once; an erased one no longer is.
    await db.messages.insert(message(count + 1, 'c99', 'Pétrin neuf livré jeudi'));
    expect(index.get('c99')).toEqual(['petrin neuf livre jeudi']);
    await db.messages
      .findOne('m001234')
      .exec()
      .then((d) => d?.remove());
    expect(index.get('c34')?.some((t) => t.includes('fournil'))).toBe(false);
    index.stop();
  });

  it('reads the live messages only, whatever the order they were stored in', async () => {
    db = await createRxDatabase({ name: `text_order_${Date.now()}`, storage: getRxStorageMemory() });
    await db.addCollections({ messages: { schema: messageSchema } });
    const count = TEXT_INDEX_SLICE + 10;
    // Stored newest id first, in conversations that do not follow the ids.
    const docs = Array.from({ length: count }, (_, i) =>
      message(count - i, `c${(i * 7) % 13}`, `Texte ${count - i}`),
    );
    await db.messages.bulkInsert(docs);
    await db.messages
      .findOne('m000005')
      .exec()
      .then((d) => d?.remove());
    const index = messageTextIndexOf(db as unknown as Parameters<typeof messageTextIndexOf>[0]);
    index.start();
    await settled(index);
    // Every live message once (slices by id: none read twice, none skipped), the erased one not.
    expect(index.getState().loaded).toBe(count - 1);
    const texts = Array.from({ length: 13 }, (_, c) => index.get(`c${c}`) ?? []).flat();
    expect(texts).toHaveLength(count - 1);
    expect(new Set(texts).size).toBe(count - 1);
    expect(texts).not.toContain('texte 5');
    expect(texts).toContain('texte 6');
    index.stop();
  });

  it('serves the inbox’s search: subject or candidate at once, the text once read', () => {
    const rows = [
      { id: 'm1', conversationId: 'c1', body: 'Rendez-vous au fournil' },
      { id: 'm2', conversationId: 'c2', body: 'Merci' },
    ];
    let feed: ((c: { operation: string; doc: undefined; id: string }) => void) | null = null;
    const index = new MessageTextIndex(
      {
        slice: async (after) => rows.filter((r) => r.id > after),
        changes: (l) => {
          feed = l;
          return () => {
            feed = null;
          };
        },
      },
      async () => undefined,
    );
    const conversation = (id: string, subject: string) =>
      ({
        id,
        subject,
        candidateName: 'Inès Benali',
        hiddenBy: [],
        lastMessageAt: '2026-12-05T09:00:00.000Z',
      }) as unknown as Parameters<typeof visibleInbox>[0][number];
    const inbox = [conversation('c1', 'Entretien'), conversation('c2', 'Fournil du centre')];
    // Before the index is read: only the subject matches.
    expect(visibleInbox(inbox, 'u1', ['fournil'], index).map((c) => c.id)).toEqual(['c2']);
    index.start();
    return new Promise<void>((done) => {
      const off = index.subscribe(() => {
        if (!index.getState().ready) return;
        off();
        expect(visibleInbox(inbox, 'u1', ['fournil'], index).map((c) => c.id)).toEqual(['c1', 'c2']);
        feed?.({ operation: 'DELETE', doc: undefined, id: 'm1' });
        expect(visibleInbox(inbox, 'u1', ['fournil'], index).map((c) => c.id)).toEqual(['c2']);
        index.stop();
        expect(feed).toBeNull();
        done();
      });
    });
  });
});
