import { addRxPlugin, createRxDatabase, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NoticeDoc } from '../../../../shared/schemas';
import { conversationSchema } from '../../../../shared/schemas/conversation.schema';
import { messageSchema } from '../../../../shared/schemas/message.schema';
import type { WorkstationDatabase } from '../../db/collections';
import type { SyncController } from '../../db/replication';
import { draftDocuments, writeMessage } from './messages-db';
import {
  entriesToKeep,
  markRefused,
  noticeFor,
  OUTBOX_REFUSED_KEEP_DAYS,
  type OutboxEntry,
  outboxState,
  REFUSED_FALLBACK_REASON,
  refusedElsewhere,
  refusedIn,
  withoutExpired,
} from './outbox';
import { OutboxStore, watchOutbox } from './outbox-store';

addRxPlugin(RxDBMigrationSchemaPlugin);

const T = (m: number) => new Date(Date.UTC(2026, 11, 1, 9, m)).toISOString();
const entry = (id: string, patch: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id,
  conversationId: 'c1',
  organisationId: 'o1',
  body: `Texte ${id}`,
  attachments: [],
  writtenAt: T(1),
  ...patch,
});
const notice = (patch: Partial<NoticeDoc>): NoticeDoc => ({
  id: 'n1',
  userId: 'u1',
  kind: 'refus',
  title: 'Message refusé',
  message: 'Ce candidat ne souhaite plus recevoir de messages de votre organisation.',
  createdAt: T(3),
  ...patch,
});

describe('outbox states', () => {
  it('pending until the replication sent it, then sent; refused once its document is gone', () => {
    expect(outboxState({ id: 'm1' }, true, null)).toEqual({ kind: 'pending' });
    expect(outboxState({ id: 'm1' }, false, null)).toEqual({ kind: 'sent' });
    expect(outboxState(null, false, null)).toEqual({ kind: 'refused', reason: REFUSED_FALLBACK_REASON });
    const n = notice({
      documentCollection: 'messages',
      documentId: 'm1',
      fields: [{ field: 'body', message: 'Trop long.' }],
    });
    expect(outboxState(null, false, n)).toEqual({
      kind: 'refused',
      reason: 'Ce candidat ne souhaite plus recevoir de messages de votre organisation. Trop long.',
      noticeId: 'n1',
    });
    // The same sentence in the notice and its field is said once.
    const twice = notice({ documentId: 'm1', fields: [{ field: 'body', message: n.message }] });
    expect(outboxState(null, false, twice)).toMatchObject({ reason: n.message });
  });

  it('finds the newest notice about the message, never one about another collection', () => {
    const a = notice({ id: 'a', documentCollection: 'messages', documentId: 'm1', createdAt: T(2) });
    const b = notice({ id: 'b', documentCollection: 'messages', documentId: 'm1', createdAt: T(4) });
    const c = notice({ id: 'c', documentCollection: 'offers', documentId: 'm1', createdAt: T(9) });
    expect(noticeFor('m1', [a, c, b])?.id).toBe('b');
    expect(noticeFor('m2', [a, b, c])).toBeNull();
  });

  it('keeps pending and refused copies, drops the ones the server accepted', () => {
    const entries = [entry('sent'), entry('pending'), entry('refused', { refusedAt: T(5) }), entry('gone')];
    const docs = new Map([
      ['sent', { id: 'sent' }],
      ['pending', { id: 'pending' }],
    ]);
    expect(entriesToKeep(entries, docs, (id) => id === 'pending').map((e) => e.id)).toEqual([
      'pending',
      'refused',
      'gone',
    ]);
  });

  it('marks refused once, and lists a conversation’s refused messages oldest first with their reason', () => {
    const entries = [
      entry('m2', { writtenAt: T(2) }),
      entry('m1', { writtenAt: T(1) }),
      entry('m3', { conversationId: 'c2' }),
    ];
    const once = markRefused(entries, new Set(['m1', 'm2', 'm3']), T(6));
    expect(markRefused(once, new Set(['m1']), T(9))).toBe(once);
    expect(markRefused(entries, new Set(['x']), T(9))).toBe(entries);
    const n = notice({ documentCollection: 'messages', documentId: 'm2' });
    const list = refusedIn('c1', once, [n]);
    expect(list.map((r) => r.entry.id)).toEqual(['m1', 'm2']);
    expect(list[0]!.reason).toBe(REFUSED_FALLBACK_REASON);
    expect(list[1]!.reason).toBe(n.message);
    expect(list[1]!.entry.body).toBe('Texte m2');
  });
});

describe('refused messages of a conversation the server refused too', () => {
  it('are listed apart, never lost', () => {
    const entries = [
      entry('m1', { conversationId: 'gone', refusedAt: T(5), subject: 'Votre candidature : Boulanger' }),
      entry('m2', { conversationId: 'c1', refusedAt: T(5) }),
      entry('m3', { conversationId: 'gone' }),
    ];
    const list = refusedElsewhere(entries, new Set(['c1']), []);
    expect(list.map((r) => r.entry.id)).toEqual(['m1']);
    expect(list[0]!.entry.subject).toBe('Votre candidature : Boulanger');
  });
});

describe('writing offline, then the server’s answer (RxDB memory storage)', () => {
  let db: RxDatabase | null = null;
  afterEach(async () => {
    await db?.remove();
    db = null;
  });

  const user = { id: 'u1', firstName: 'Julie', lastName: 'Martin' };
  const organisation = { organisationId: 'o1', organisationName: 'Boulangeries Martin' };

  it('a new conversation and its first message carry the header; a refused one keeps its text', async () => {
    db = await createRxDatabase({ name: `outbox_${Date.now()}`, storage: getRxStorageMemory() });
    await db.addCollections({
      conversations: { schema: conversationSchema },
      messages: { schema: messageSchema },
    });
    const ws = db as unknown as WorkstationDatabase;
    const pending = new Set<string>();
    const listeners = new Set<() => void>();
    const sync = {
      isPending: (_c: string, id: string) => pending.has(id),
      subscribe: (l: () => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    } as unknown as SyncController;
    const store = new OutboxStore(`test-${Date.now()}`);
    const stop = watchOutbox(ws, sync, store);
    try {
      const first = await writeMessage(ws, store, {
        user,
        organisation,
        conversation: null,
        newConversation: {
          id: 'c1',
          aboutKind: 'application',
          aboutId: 'app1',
          aboutLabel: 'Boulanger',
          candidateId: 'k1',
          candidateName: 'Thomas Garcia',
          subject: 'Votre candidature : Boulanger',
        },
        body: 'Bonjour Thomas, êtes-vous disponible jeudi ?',
        attachments: [],
        messageId: 'm1',
        now: new Date(T(1)),
      });
      pending.add('m1');
      expect(first.conversation).toEqual({
        subject: 'Votre candidature : Boulanger',
        aboutKind: 'application',
        aboutId: 'app1',
        candidateId: 'k1',
      });
      const conv = await ws.conversations.findOne('c1').exec();
      expect(conv?.readBy).toEqual([{ accountId: 'u1', at: T(1) }]);
      expect(conv?.startedBy).toBe('organisation');
      // Writing the same draft again (a retry) makes no second message.
      const again = draftDocuments({
        user,
        organisation,
        conversation: conv!.toJSON() as never,
        body: 'Bonjour Thomas, êtes-vous disponible jeudi ?',
        attachments: [],
        messageId: 'm1',
      });
      expect(again.conversation).toBeUndefined();
      expect(again.message.conversation).toBeUndefined();
      await writeMessage(ws, store, {
        user,
        organisation,
        conversation: conv!.toJSON() as never,
        body: 'Bonjour Thomas, êtes-vous disponible jeudi ?',
        attachments: [],
        messageId: 'm1',
      });
      expect(await ws.messages.count().exec()).toBe(1);
      expect(store.getSnapshot().map((e) => e.id)).toEqual(['m1']);

      // The server refuses it: the replication removes the local document (its tombstone).
      await (await ws.messages.findOne('m1').exec())!.remove();
      pending.delete('m1');
      await new Promise((r) => setTimeout(r, 20));
      const [refused] = store.getSnapshot();
      expect(refused?.refusedAt).toBeTruthy();
      expect(refused?.body).toBe('Bonjour Thomas, êtes-vous disponible jeudi ?');

      // A second message, accepted: once no longer pending, its copy leaves the outbox.
      await writeMessage(ws, store, {
        user,
        organisation,
        conversation: conv!.toJSON() as never,
        body: 'Autre message',
        attachments: [],
        messageId: 'm2',
      });
      pending.add('m2');
      for (const l of listeners) l();
      await new Promise((r) => setTimeout(r, 20));
      expect(store.getSnapshot().map((e) => e.id)).toEqual(['m1', 'm2']);
      pending.delete('m2');
      for (const l of listeners) l();
      await new Promise((r) => setTimeout(r, 20));
      expect(store.getSnapshot().map((e) => e.id)).toEqual(['m1']);
    } finally {
      stop();
    }
  });
});

describe('refused copies do not keep their text for ever', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const at = (days: number) => new Date(Date.UTC(2026, 10, 1) + days * DAY).toISOString();

  it('drops refused copies 30 days after the refusal, keeps pending ones', () => {
    expect(OUTBOX_REFUSED_KEEP_DAYS).toBe(30);
    const now = Date.parse(at(40));
    const entries = [
      entry('old-refused', { writtenAt: at(0), refusedAt: at(9) }),
      entry('recent-refused', { writtenAt: at(0), refusedAt: at(11) }),
      entry('old-pending', { writtenAt: at(0) }),
      entry('bad-date', { writtenAt: 'x', refusedAt: 'y' }),
    ];
    expect(withoutExpired(entries, now).map((e) => e.id)).toEqual(['recent-refused', 'old-pending']);
    const kept = [entries[1]!, entries[2]!];
    expect(withoutExpired(kept, now)).toBe(kept);
  });

  it('the store forgets expired copies when loaded and as time goes, and a dismissed one at once', () => {
    const saved = new Map<string, string>();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    });
    try {
      let now = Date.parse(at(20));
      const first = new OutboxStore('u-exp', () => now);
      first.set([
        entry('a', { refusedAt: at(0) }),
        entry('b', { refusedAt: at(15) }),
        entry('c', { refusedAt: at(18) }),
      ]);
      now = Date.parse(at(31));
      // Reopened 31 days after « a » was refused: its copy is gone from the record too.
      const reopened = new OutboxStore('u-exp', () => now);
      expect(reopened.getSnapshot().map((e) => e.id)).toEqual(['b', 'c']);
      expect(saved.get('ws:u-exp:message-outbox')).not.toContain('Texte a');
      now = Date.parse(at(46));
      reopened.expire();
      expect(reopened.getSnapshot().map((e) => e.id)).toEqual(['c']);
      // « J’ai copié mon texte : retirer ce message »: the text leaves this workstation.
      reopened.dismiss('c');
      expect(reopened.getSnapshot()).toEqual([]);
      expect(saved.get('ws:u-exp:message-outbox')).not.toContain('Texte c');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
