import { describe, expect, it } from 'vitest';
import type { Recipient } from './messages-api';
import {
  aboutText,
  attachmentIndex,
  attachmentName,
  authorLabel,
  conversationHref,
  defaultSubject,
  findExistingConversation,
  findRecipient,
  formatListDate,
  formatMessageDate,
  isPdf,
  keepShown,
  messagesListHref,
  newMessageHref,
  pageCount,
  parseAbout,
  parseListSearch,
  parseNewMessageSearch,
  toggleSelection,
  unreadText,
} from './messages-format';

const ORG = '0b0a0000-0000-4000-8000-000000000001';
const APP = '0d0a0000-0000-4000-8000-000000000042';

describe('list address', () => {
  it('reads the search and the page, bounded', () => {
    expect(parseListSearch('')).toEqual({ q: '', page: 1 });
    expect(parseListSearch('q=%20boulanger%20&page=3')).toEqual({ q: 'boulanger', page: 3 });
    expect(parseListSearch('page=0')).toEqual({ q: '', page: 1 });
    expect(parseListSearch('page=-2').page).toBe(1);
    expect(parseListSearch('page=abc').page).toBe(1);
    expect(parseListSearch('page=99999').page).toBe(10_000);
    expect(parseListSearch(`q=${'a'.repeat(500)}`).q).toHaveLength(200);
  });

  it('writes it back, leaving out the defaults', () => {
    expect(messagesListHref({ q: '', page: 1 })).toBe('/mes-messages');
    expect(messagesListHref({ q: 'café crème', page: 2 })).toBe(
      '/mes-messages?q=caf%C3%A9+cr%C3%A8me&page=2',
    );
    expect(parseListSearch(messagesListHref({ q: 'café crème', page: 2 }).split('?')[1] ?? '')).toEqual({
      q: 'café crème',
      page: 2,
    });
    expect(conversationHref('a b')).toBe('/mes-messages/a%20b');
  });

  it('counts pages', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(20)).toBe(1);
    expect(pageCount(21)).toBe(2);
    expect(pageCount(45, 10)).toBe(5);
  });
});

describe('sujet parameter', () => {
  it('parses kind:id', () => {
    expect(parseAbout(`application:${APP}`)).toEqual({ kind: 'application', id: APP });
    expect(parseAbout('company:0c0a0000-0000-4000-8000-000000000001')).toEqual({
      kind: 'company',
      id: '0c0a0000-0000-4000-8000-000000000001',
    });
  });

  it('refuses what is not a known kind with a clean id', () => {
    expect(parseAbout(null)).toBeNull();
    expect(parseAbout('')).toBeNull();
    expect(parseAbout(APP)).toBeNull();
    expect(parseAbout(`none:${APP}`)).toBeNull();
    expect(parseAbout(`secret:${APP}`)).toBeNull();
    expect(parseAbout('application:')).toBeNull();
    expect(parseAbout('application:../../api')).toBeNull();
    expect(parseAbout(':abc')).toBeNull();
  });

  it('reads and writes the new-message address', () => {
    expect(parseNewMessageSearch(`organisation=${ORG}&sujet=application:${APP}`)).toEqual({
      organisationId: ORG,
      about: { kind: 'application', id: APP },
    });
    expect(parseNewMessageSearch('organisation=<script>')).toEqual({ organisationId: null, about: null });
    const href = newMessageHref({ organisationId: ORG, about: { kind: 'application', id: APP } });
    expect(href).toBe(`/mes-messages/nouveau?organisation=${ORG}&sujet=application%3A${APP}`);
    expect(parseNewMessageSearch(href.split('?')[1] ?? '')).toEqual({
      organisationId: ORG,
      about: { kind: 'application', id: APP },
    });
    expect(newMessageHref()).toBe('/mes-messages/nouveau');
  });
});

describe('labels', () => {
  it('names the author: « Vous » or the member and the organisation', () => {
    expect(authorLabel({ authorKind: 'candidate', authorName: 'Thomas Garcia' }, 'Boulangerie')).toBe('Vous');
    expect(authorLabel({ authorKind: 'organisation', authorName: 'Julie Martin' }, 'Boulangerie')).toBe(
      'Julie Martin (Boulangerie)',
    );
    expect(authorLabel({ authorKind: 'organisation', authorName: ' ' }, 'Boulangerie')).toBe('Boulangerie');
  });

  it('says what a conversation is about', () => {
    expect(aboutText({ aboutKind: 'application', aboutLabel: 'Boulanger (H/F)' })).toBe(
      'Candidature : Boulanger (H/F)',
    );
    expect(aboutText({ aboutKind: 'company', aboutLabel: 'Dupont' })).toBe('Entreprise : Dupont');
    expect(aboutText({ aboutKind: 'none', aboutLabel: 'x' })).toBe('');
    expect(aboutText({ aboutKind: 'offer' })).toBe('');
    expect(defaultSubject({ aboutKind: 'offer', aboutLabel: 'Vendeur' })).toBe('Offre : Vendeur');
    expect(defaultSubject(null)).toBe('');
    expect(defaultSubject({ aboutKind: 'offer', aboutLabel: 'x'.repeat(300) })).toHaveLength(150);
  });

  it('counts unread in French', () => {
    expect(unreadText(0)).toBe('0 non lu');
    expect(unreadText(1)).toBe('1 non lu');
    expect(unreadText(4)).toBe('4 non lus');
  });

  it('tells PDFs apart', () => {
    expect(isPdf({ name: 'cv.PDF' })).toBe(true);
    expect(isPdf({ name: 'cv.pdf', mime: 'image/png' })).toBe(false);
    expect(isPdf({ name: 'scan', mime: 'application/pdf' })).toBe(true);
    expect(isPdf({ name: 'lettre.docx' })).toBe(false);
  });

  it('cleans attachment names and reads attachment fields', () => {
    expect(attachmentName('../../etc/passwd')).toBe('.._.._etc_passwd');
    expect(attachmentName('   ')).toBe('document');
    expect([...attachmentName('é'.repeat(300))]).toHaveLength(200);
    expect(attachmentIndex('attachments.3')).toBe(3);
    expect(attachmentIndex('attachments')).toBeNull();
    expect(attachmentIndex('body')).toBeNull();
  });
});

describe('French dates, Paris time', () => {
  const now = new Date('2026-12-05T15:00:00Z');
  it('today, yesterday, or the full date', () => {
    expect(formatMessageDate('2026-12-05T13:03:00Z', now)).toBe('aujourd’hui à 14 h 03');
    expect(formatMessageDate('2026-12-04T08:10:00Z', now)).toBe('hier à 9 h 10');
    expect(formatMessageDate('2026-07-14T10:00:00Z', now)).toBe('14 juillet 2026 à 12 h 00');
    expect(formatMessageDate('pas une date', now)).toBe('');
  });
  it('in the list: the time today, else the date', () => {
    expect(formatListDate('2026-12-05T13:03:00Z', now)).toBe('14 h 03');
    expect(formatListDate('2026-12-04T23:30:00Z', now)).toBe('0 h 30'); // 00:30 in Paris: today
    expect(formatListDate('2026-12-04T22:30:00Z', now)).toBe('04/12/2026');
    expect(formatListDate('2026-11-30T10:00:00Z', now)).toBe('30/11/2026');
  });
});

const recipient = (organisationId: string, extra: Partial<Recipient> = {}): Recipient => ({
  organisationId,
  organisationName: `Org ${organisationId}`,
  basis: 'application',
  basisLabel: 'Vous avez postulé',
  ...extra,
});

describe('recipients and existing conversations', () => {
  const recipients = [
    recipient('a'),
    recipient('b', { aboutKind: 'application', aboutId: 'x1', aboutLabel: 'Vendeur' }),
    recipient('b', { aboutKind: 'application', aboutId: 'x2', aboutLabel: 'Caissier' }),
  ];
  it('finds the recipient a link asked for', () => {
    expect(
      findRecipient(recipients, { organisationId: 'b', about: { kind: 'application', id: 'x2' } })?.aboutId,
    ).toBe('x2');
    expect(findRecipient(recipients, { organisationId: 'b', about: null })?.aboutId).toBe('x1');
    expect(
      findRecipient(recipients, { organisationId: null, about: { kind: 'application', id: 'x2' } })
        ?.organisationId,
    ).toBe('b');
    expect(findRecipient(recipients, { organisationId: 'z', about: null })).toBeNull();
    expect(findRecipient(recipients, { organisationId: null, about: null })).toBeNull();
  });

  it('finds a conversation about the same thing', () => {
    const list = [
      { id: 'c1', organisationId: 'b', aboutKind: 'application' as const, aboutId: 'x1' },
      { id: 'c2', organisationId: 'b', aboutKind: 'none' as const },
    ];
    expect(findExistingConversation(list, { kind: 'application', id: 'x1' }, null)?.id).toBe('c1');
    expect(findExistingConversation(list, { kind: 'application', id: 'x1' }, 'other')).toBeNull();
    expect(findExistingConversation(list, { kind: 'application', id: 'x9' }, null)).toBeNull();
    expect(findExistingConversation(list, null, 'b')).toBeNull();
  });
});

describe('list selection', () => {
  it('toggles and keeps only what is still shown', () => {
    let s = toggleSelection(new Set(), 'a', true);
    s = toggleSelection(s, 'b', true);
    s = toggleSelection(s, 'a', false);
    expect([...s]).toEqual(['b']);
    expect([...keepShown(new Set(['a', 'b', 'c']), ['c', 'd', 'a'])]).toEqual(['c', 'a']);
  });
});
