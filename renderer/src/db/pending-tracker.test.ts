import { describe, expect, it } from 'vitest';
import { fingerprint, isFromMaster, PendingTracker, revisionHeight } from './pending-tracker';

describe('fingerprint', () => {
  it('ignores key order and RxDB bookkeeping', () => {
    expect(fingerprint({ a: 1, b: [1, 2], _rev: '1-x', _meta: { lwt: 3 } })).toBe(
      fingerprint({ b: [1, 2], a: 1 }),
    );
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: 2 }));
  });
});

describe('isFromMaster', () => {
  it('reads the replication origin mark against the revision height', () => {
    expect(revisionHeight('12-abc')).toBe(12);
    expect(isFromMaster({ _rev: '3-a', _meta: { o: { _rev: 3, hash: 'h' } } }, 'h')).toBe(true);
    expect(isFromMaster({ _rev: '3-a', _meta: { o: { _rev: 3, hash: 'h' } } })).toBe(true);
    expect(isFromMaster({ _rev: '3-a', _meta: { o: { _rev: 3, hash: 'other' } } }, 'h')).toBe(false);
    expect(isFromMaster({ _rev: '4-a', _meta: { o: { _rev: 3, hash: 'h' } } }, 'h')).toBe(false);
    expect(isFromMaster({ _rev: '1-a', _meta: { lwt: 1 } })).toBe(false);
  });
});

describe('PendingTracker', () => {
  it('counts local writes until the same state is acknowledged', () => {
    const t = new PendingTracker();
    const counts: number[] = [];
    t.subscribe((c) => counts.push(c));
    t.onLocalWrite('offers', 'a', { id: 'a', title: 'x' }, false);
    t.onLocalWrite('offers', 'b', { id: 'b', title: 'y' }, false);
    expect(t.count).toBe(2);
    t.onSent('offers', 'a', { title: 'x', id: 'a' });
    expect(t.count).toBe(1);
    expect(counts).toEqual([1, 2, 1]);
  });

  it('keeps an edit made while an older state was being pushed', () => {
    const t = new PendingTracker();
    t.onLocalWrite('offers', 'a', { id: 'a', title: 'v1' }, false);
    t.onLocalWrite('offers', 'a', { id: 'a', title: 'v2' }, false);
    t.onSent('offers', 'a', { id: 'a', title: 'v1' });
    expect(t.count).toBe(1);
    t.onSent('offers', 'a', { id: 'a', title: 'v2' });
    expect(t.count).toBe(0);
  });

  it('clears a document when the master state is written over it', () => {
    const t = new PendingTracker();
    t.onLocalWrite('notices', 'n', { id: 'n', readAt: 'x' }, false);
    t.onLocalWrite('notices', 'n', { id: 'n' }, true);
    expect(t.count).toBe(0);
  });

  it('does not count a write that changed nothing replicated (a new revision of the same content)', () => {
    const t = new PendingTracker();
    const list = { id: 'l', entries: [{ cvId: 'c1', addedAt: '2026-12-01T10:00:00.000Z' }] };
    // Removing from the list a CV that is not in it: same content, new revision.
    t.onLocalWrite('cvLists', 'l', { ...list, _rev: '3-b' }, false, { ...list, _rev: '2-a' });
    expect(t.count).toBe(0);
    // A real change still counts, and an unchanged write after it leaves it pending.
    const changed = { ...list, name: 'Salon' };
    t.onLocalWrite('cvLists', 'l', changed, false, list);
    t.onLocalWrite('cvLists', 'l', { ...changed, _rev: '5-c' }, false, { ...changed, _rev: '4-b' });
    expect(t.count).toBe(1);
    t.onSent('cvLists', 'l', changed);
    expect(t.count).toBe(0);
  });

  it('survives a reload through its snapshot, per collection', () => {
    const t = new PendingTracker();
    t.onLocalWrite('offers', 'a', { id: 'a' }, false);
    t.onLocalWrite('notices', 'a', { id: 'a' }, false);
    const restored = new PendingTracker(JSON.parse(JSON.stringify(t.snapshot())));
    expect(restored.count).toBe(2);
    expect(restored.has('offers', 'a')).toBe(true);
    expect(restored.idsOf('offers')).toEqual(['a']);
    restored.onSent('offers', 'a', { id: 'a' });
    expect(restored.count).toBe(1);
  });
});
