import { describe, expect, it } from 'vitest';
import { type ConversationDoc, inboxKeyFor } from '../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import type { WithDeleted } from './conflict';
import { mergeMarks, resolveConversationConflict, resolveMessageConflict } from './conflict-messaging';

const ME = 'a0000000-0000-4000-8000-000000000001';
const COLLEAGUE = 'a0000000-0000-4000-8000-000000000002';
const T = (m: number) => new Date(Date.UTC(2026, 11, 1, 9, m)).toISOString();

function conversation(patch: Partial<ConversationDoc> = {}): WithDeleted<ConversationDoc> {
  const id = 'c0000000-0000-4000-8000-000000000001';
  return {
    id,
    organisationId: 'o1',
    candidateId: 'k1',
    candidateName: 'Thomas Garcia',
    aboutKind: 'application',
    aboutId: 'ap1',
    subject: 'Votre candidature : Boulanger',
    startedBy: 'organisation',
    createdAt: T(0),
    lastMessageAt: T(10),
    inboxKey: inboxKeyFor(T(10), id),
    messageCount: 2,
    readBy: [],
    hiddenBy: [],
    updatedAt: T(10),
    ...patch,
    _deleted: false,
  };
}

function message(patch: Partial<MessageDoc> = {}): WithDeleted<MessageDoc> {
  return {
    id: 'm1',
    conversationId: 'c1',
    organisationId: 'o1',
    candidateId: 'k1',
    authorKind: 'organisation',
    authorId: ME,
    authorName: 'Julie Martin',
    body: 'Bonjour',
    attachments: [],
    via: 'workstation',
    createdAt: T(1),
    sentAt: T(1),
    ...patch,
    _deleted: false,
  };
}

describe('messages: the master always wins', () => {
  it('takes the server’s sentAt and author, and its tombstone for a refused message', () => {
    const mine = message({ sentAt: T(1), authorName: 'moi' });
    const master = message({ sentAt: T(3), authorName: 'Julie Martin' });
    expect(resolveMessageConflict({ realMasterState: master, newDocumentState: mine })).toEqual(master);
    const refused = { ...message(), _deleted: true };
    expect(
      resolveMessageConflict({
        realMasterState: refused,
        newDocumentState: mine,
        assumedMasterState: undefined,
      })._deleted,
    ).toBe(true);
  });

  it('leaves RxDB’s local bookkeeping out', () => {
    const master = { ...message(), _meta: { lwt: 1 }, _rev: '2-x' } as WithDeleted<MessageDoc>;
    const out = resolveMessageConflict({ realMasterState: master, newDocumentState: message() });
    expect('_meta' in out || '_rev' in out).toBe(false);
  });
});

describe('conversations: master but for each member’s read and hidden marks', () => {
  it('keeps the local user’s newer read mark, the master’s other fields', () => {
    const master = conversation({
      subject: 'Sujet du serveur',
      messageCount: 3,
      readBy: [
        { accountId: COLLEAGUE, at: T(5) },
        { accountId: ME, at: T(2) },
      ],
    });
    const mine = conversation({
      subject: 'Sujet local',
      messageCount: 2,
      readBy: [{ accountId: ME, at: T(8) }],
    });
    const out = resolveConversationConflict({ realMasterState: master, newDocumentState: mine }, ME);
    expect(out.subject).toBe('Sujet du serveur');
    expect(out.messageCount).toBe(3);
    expect(out.readBy).toEqual([
      { accountId: COLLEAGUE, at: T(5) },
      { accountId: ME, at: T(8) },
    ]);
  });

  it('an older local mark gives way to the master’s; a colleague’s local entry is never taken', () => {
    const master = conversation({ readBy: [{ accountId: ME, at: T(9) }], hiddenBy: [] });
    const mine = conversation({
      readBy: [
        { accountId: ME, at: T(4) },
        { accountId: COLLEAGUE, at: T(20) },
      ],
      hiddenBy: [{ accountId: COLLEAGUE, at: T(20) }],
    });
    const out = resolveConversationConflict({ realMasterState: master, newDocumentState: mine }, ME);
    expect(out).toEqual(master);
  });

  it('adds the local user’s hidden mark when the master has none', () => {
    const master = conversation({ hiddenBy: [{ accountId: COLLEAGUE, at: T(1) }] });
    const mine = conversation({ hiddenBy: [{ accountId: ME, at: T(11) }] });
    const out = resolveConversationConflict({ realMasterState: master, newDocumentState: mine }, ME);
    expect(out.hiddenBy).toEqual([
      { accountId: COLLEAGUE, at: T(1) },
      { accountId: ME, at: T(11) },
    ]);
  });

  it('a deletion on the server wins, and a local deletion is not the user’s to make', () => {
    const gone = { ...conversation(), _deleted: true };
    const mine = conversation({ readBy: [{ accountId: ME, at: T(30) }] });
    expect(resolveConversationConflict({ realMasterState: gone, newDocumentState: mine }, ME)._deleted).toBe(
      true,
    );
    const master = conversation();
    const deletedHere = { ...conversation(), _deleted: true };
    expect(
      resolveConversationConflict({ realMasterState: master, newDocumentState: deletedHere }, ME),
    ).toEqual(master);
  });

  it('without a known user, updates existing entries only', () => {
    const master = [{ accountId: COLLEAGUE, at: T(1) }];
    expect(mergeMarks(master, [{ accountId: COLLEAGUE, at: T(2) }], null)).toEqual([
      { accountId: COLLEAGUE, at: T(2) },
    ]);
    expect(mergeMarks(master, [{ accountId: ME, at: T(2) }], null)).toEqual(master);
  });
});
