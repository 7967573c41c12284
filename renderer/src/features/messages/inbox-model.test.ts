import { describe, expect, it } from 'vitest';
import { type ConversationDoc, inboxKeyFor } from '../../../../shared/schemas/conversation.schema';
import {
  bodiesByConversation,
  byInboxKey,
  conversationAbout,
  hidePatch,
  isHiddenFor,
  isUnreadFor,
  readPatch,
  searchTerms,
  totalUnread,
  unreadByOrganisation,
  visibleInbox,
  withMark,
} from './inbox-model';

const ME = 'u-me';
const OTHER = 'u-other';
const T = (m: number) => new Date(Date.UTC(2026, 11, 1, 9, m)).toISOString();

function conv(id: string, patch: Partial<ConversationDoc> = {}): ConversationDoc {
  const lastMessageAt = patch.lastMessageAt ?? T(10);
  return {
    id,
    organisationId: 'o1',
    candidateId: `k-${id}`,
    candidateName: 'Thomas Garcia',
    aboutKind: 'application',
    aboutId: `a-${id}`,
    subject: 'Votre candidature : Boulanger',
    startedBy: 'organisation',
    createdAt: T(0),
    lastMessageAt,
    inboxKey: inboxKeyFor(lastMessageAt, id),
    messageCount: 1,
    readBy: [],
    hiddenBy: [],
    updatedAt: lastMessageAt,
    ...patch,
  };
}

describe('unread for me', () => {
  it('is unread when the candidate wrote after my read mark, whatever my colleagues read', () => {
    const c = conv('c1', { candidateLastAt: T(5), readBy: [{ accountId: OTHER, at: T(9) }] });
    expect(isUnreadFor(c, ME)).toBe(true);
    expect(isUnreadFor(c, OTHER)).toBe(false);
    expect(isUnreadFor({ ...c, readBy: [{ accountId: ME, at: T(5) }] }, ME)).toBe(false);
    expect(isUnreadFor({ ...c, readBy: [{ accountId: ME, at: T(4) }] }, ME)).toBe(true);
  });

  it('a conversation the candidate never wrote in is never unread', () => {
    expect(isUnreadFor(conv('c1'), ME)).toBe(false);
  });

  it('counts per organisation, hidden conversations left out', () => {
    const list = [
      conv('c1', { candidateLastAt: T(5) }),
      conv('c2', { candidateLastAt: T(6) }),
      conv('c3', { organisationId: 'o2', candidateLastAt: T(6) }),
      conv('c4', { candidateLastAt: T(6), readBy: [{ accountId: ME, at: T(7) }] }),
      conv('c5', { candidateLastAt: T(6), hiddenBy: [{ accountId: ME, at: T(11) }] }),
    ];
    const counts = unreadByOrganisation(list, ME);
    expect(Object.fromEntries(counts)).toEqual({ o1: 2, o2: 1 });
    expect(totalUnread(counts)).toBe(3);
    expect(totalUnread(counts, ['o2'])).toBe(1);
  });
});

describe('hidden for me (« Supprimer »)', () => {
  it('is hidden until a newer message arrives, for me only', () => {
    const c = conv('c1', { lastMessageAt: T(10), hiddenBy: [{ accountId: ME, at: T(12) }] });
    expect(isHiddenFor(c, ME)).toBe(true);
    expect(isHiddenFor(c, OTHER)).toBe(false);
    expect(isHiddenFor({ ...c, lastMessageAt: T(13) }, ME)).toBe(false);
  });

  it('the hide patch sets my own entry only, never before the last message', () => {
    const c = conv('c1', { lastMessageAt: T(10), hiddenBy: [{ accountId: OTHER, at: T(1) }] });
    expect(hidePatch(c, ME, T(20)).hiddenBy).toEqual([
      { accountId: OTHER, at: T(1) },
      { accountId: ME, at: T(20) },
    ]);
    // A clock behind the server's still hides the conversation.
    expect(isHiddenFor({ ...c, ...hidePatch(c, ME, T(2)) }, ME)).toBe(true);
  });
});

describe('marks', () => {
  it('withMark keeps the later of two marks', () => {
    expect(withMark([{ accountId: ME, at: T(5) }], ME, T(3))).toEqual([{ accountId: ME, at: T(5) }]);
    expect(withMark([{ accountId: ME, at: T(5) }], ME, T(8))).toEqual([{ accountId: ME, at: T(8) }]);
  });

  it('readPatch: only when unread or never read by me', () => {
    const unread = conv('c1', { candidateLastAt: T(5), lastMessageAt: T(5) });
    expect(readPatch(unread, ME, T(9))).toEqual({ readBy: [{ accountId: ME, at: T(9) }] });
    expect(readPatch({ ...unread, readBy: [{ accountId: ME, at: T(6) }] }, ME, T(9))).toBeNull();
  });

  it('readPatch: a late local clock still marks the conversation read (mark at its last message)', () => {
    // The candidate wrote at 9:20 (server time); this workstation's clock says 9:12.
    const unread = conv('c1', { candidateLastAt: T(20), lastMessageAt: T(20) });
    const patch = readPatch(unread, ME, T(12));
    expect(patch).toEqual({ readBy: [{ accountId: ME, at: T(20) }] });
    expect(isUnreadFor({ ...unread, ...patch }, ME)).toBe(false);
    // The later of the two: my organisation answered after the candidate.
    const answered = conv('c2', { candidateLastAt: T(20), lastMessageAt: T(25) });
    expect(readPatch(answered, ME, T(12))?.readBy).toEqual([{ accountId: ME, at: T(25) }]);
    // A candidate message newer than the last message field (replicated first) counts too.
    const ahead = conv('c3', { candidateLastAt: T(30), lastMessageAt: T(25) });
    expect(readPatch(ahead, ME, T(12))?.readBy).toEqual([{ accountId: ME, at: T(30) }]);
    // A correct clock keeps `now`.
    expect(readPatch(unread, ME, T(40))?.readBy).toEqual([{ accountId: ME, at: T(40) }]);
  });
});

describe('inbox and search', () => {
  it('newest first by inbox key; hidden left out; search in subject, candidate and bodies', () => {
    const older = conv('c1', { lastMessageAt: T(1), subject: 'Entretien lundi' });
    const newer = conv('c2', { lastMessageAt: T(9), candidateName: 'Élodie Durand' });
    const hidden = conv('c3', { lastMessageAt: T(5), hiddenBy: [{ accountId: ME, at: T(6) }] });
    const sorted = [older, newer, hidden].sort(byInboxKey);
    expect(sorted.map((c) => c.id)).toEqual(['c2', 'c3', 'c1']);
    expect(visibleInbox(sorted, ME).map((c) => c.id)).toEqual(['c2', 'c1']);
    expect(visibleInbox(sorted, ME, searchTerms('elodie')).map((c) => c.id)).toEqual(['c2']);
    expect(visibleInbox(sorted, ME, searchTerms('ENTRETIEN')).map((c) => c.id)).toEqual(['c1']);
    const bodies = bodiesByConversation([{ conversationId: 'c2', body: 'Pouvez-vous venir à 14 h ?' }]);
    expect(visibleInbox(sorted, ME, searchTerms('venir 14'), bodies).map((c) => c.id)).toEqual(['c2']);
    expect(visibleInbox(sorted, ME, searchTerms('venir lundi'), bodies)).toEqual([]);
  });

  it('finds the conversation about an application or a CV of this organisation', () => {
    const a = conv('c1', { aboutKind: 'application', aboutId: 'app-1' });
    const b = conv('c2', { aboutKind: 'cv', aboutId: 'cv-1', organisationId: 'o2' });
    expect(conversationAbout([a, b], 'o1', { aboutKind: 'application', aboutId: 'app-1' })?.id).toBe('c1');
    expect(conversationAbout([a, b], 'o1', { aboutKind: 'cv', aboutId: 'cv-1' })).toBeNull();
    expect(conversationAbout([a, b], 'o2', { aboutKind: 'cv', aboutId: 'cv-1' })?.id).toBe('c2');
  });
});
