import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  clearDraft,
  DRAFT_KEEP_DAYS,
  draftKey,
  isEmptyDraft,
  loadDraft,
  saveDraft,
  withDraft,
  withoutOldDrafts,
} from './drafts';

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 11, 1, 9);

describe('message drafts (pure)', () => {
  it('one key per conversation, and per organisation and « about » for a new one', () => {
    expect(draftKey({ id: 'c1' })).toBe('conversation:c1');
    expect(draftKey(null, { organisationId: 'o1', aboutKind: 'cv', aboutId: 'cv1' })).toBe('about:o1:cv:cv1');
    expect(draftKey(null, { organisationId: 'o2', aboutKind: 'cv', aboutId: 'cv1' })).not.toBe(
      draftKey(null, { organisationId: 'o1', aboutKind: 'cv', aboutId: 'cv1' }),
    );
  });

  it('an empty draft (nothing typed, the proposed subject) is not kept', () => {
    expect(isEmptyDraft({ body: '  ', attachments: [] })).toBe(true);
    expect(isEmptyDraft({ body: '', subject: 'Votre CV', attachments: [] }, 'Votre CV')).toBe(true);
    expect(isEmptyDraft({ body: '', subject: 'Entretien', attachments: [] }, 'Votre CV')).toBe(false);
    expect(isEmptyDraft({ body: 'Bonjour', attachments: [] })).toBe(false);
    const file = { sha256: 'a'.repeat(64), name: 'fiche.pdf', size: 10 };
    expect(isEmptyDraft({ body: '', attachments: [file] })).toBe(false);
    const kept = withDraft({}, 'k', { body: 'Bonjour', attachments: [] }, T0);
    expect(kept.k).toEqual({ body: 'Bonjour', attachments: [], savedAt: new Date(T0).toISOString() });
    expect(withDraft(kept, 'k', { body: '', attachments: [] }, T0)).toEqual({});
    expect(withDraft(kept, 'k', null, T0)).toEqual({});
  });

  it(`drafts older than ${DRAFT_KEEP_DAYS} days go`, () => {
    const drafts = {
      old: { body: 'Ancien', attachments: [], savedAt: new Date(T0).toISOString() },
      recent: { body: 'Récent', attachments: [], savedAt: new Date(T0 + 5 * DAY).toISOString() },
    };
    expect(Object.keys(withoutOldDrafts(drafts, T0 + 31 * DAY))).toEqual(['recent']);
    expect(withoutOldDrafts(drafts, T0 + 10 * DAY)).toBe(drafts);
  });
});

describe('message drafts kept on this workstation (localStorage)', () => {
  const saved = new Map<string, string>();
  beforeEach(() => {
    saved.clear();
    vi.stubGlobal('localStorage', {
      getItem: (k: string) => saved.get(k) ?? null,
      setItem: (k: string, v: string) => void saved.set(k, v),
      removeItem: (k: string) => void saved.delete(k),
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('restored on return, per user and per conversation, cleared when sent', () => {
    saveDraft('u1', 'conversation:c1', { body: 'Bonjour Thomas,', attachments: [] });
    saveDraft('u1', 'about:o1:cv:cv1', { body: '', subject: 'Entretien', attachments: [] }, 'Votre CV');
    expect(loadDraft('u1', 'conversation:c1')?.body).toBe('Bonjour Thomas,');
    expect(loadDraft('u1', 'about:o1:cv:cv1')?.subject).toBe('Entretien');
    expect(loadDraft('u1', 'conversation:c2')).toBeNull();
    expect(loadDraft('u2', 'conversation:c1')).toBeNull();
    clearDraft('u1', 'conversation:c1');
    expect(loadDraft('u1', 'conversation:c1')).toBeNull();
    expect(loadDraft('u1', 'about:o1:cv:cv1')).not.toBeNull();
    clearDraft('u1', 'about:o1:cv:cv1');
    // Nothing left: the record itself goes.
    expect(saved.has('ws:u1:message-drafts')).toBe(false);
  });

  it('an old draft is not restored', () => {
    saveDraft('u1', 'conversation:c1', { body: 'Vieux brouillon', attachments: [] }, undefined, T0);
    expect(loadDraft('u1', 'conversation:c1', T0 + 2 * DAY)?.body).toBe('Vieux brouillon');
    expect(loadDraft('u1', 'conversation:c1', T0 + 31 * DAY)).toBeNull();
  });
});
