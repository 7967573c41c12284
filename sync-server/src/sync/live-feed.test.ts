import { describe, expect, it } from 'vitest';
import type { SyncCheckpoint } from '../../../shared/sync/protocol';
import type { ChangeHub } from './change-hub';
import type { FeedRow, SyncEngine } from './engine';
import { audienceEvents, type FeedEntry, LiveFeed, laterPosition } from './live-feed';
import type { CollectionDef } from './types';

const collection = { tombstone: (id: string) => ({ id, title: '' }) } as unknown as CollectionDef;
const at = (seq: number) => ({ txid: '7', seq });

function doc(id: string, seq: number, keys: string[], title = id): FeedEntry {
  return { id, doc: JSON.stringify({ id, title }), deleted: false, position: at(seq), keys, exitKeys: null };
}

function exitEntry(id: string, seq: number, left: string[], now: string[]): FeedEntry {
  return { id, doc: null, deleted: true, position: at(seq), keys: now, exitKeys: left };
}

const parse = (events: string[]) => events.map((e) => JSON.parse(e));

describe('audienceEvents: what an audience may see of the live feed', () => {
  it('gives the documents whose keys meet the audience, and the position of the last change read', () => {
    const { events, position } = audienceEvents(
      [doc('a', 1, ['org:1']), doc('b', 2, ['org:2']), doc('c', 3, ['org:1', 'published'])],
      new Set(['org:1']),
      collection,
      null,
    );
    expect(parse(events)).toEqual([
      {
        documents: [
          { _deleted: false, id: 'a', title: 'a' },
          { _deleted: false, id: 'c', title: 'c' },
        ],
        checkpoint: at(3),
      },
    ]);
    expect(position).toEqual(at(3));
  });

  it('sends nothing when nothing is for the audience, but still moves past the changes read', () => {
    const { events, position } = audienceEvents(
      [doc('b', 4, ['org:2'])],
      new Set(['org:1']),
      collection,
      null,
    );
    expect(events).toEqual([]);
    expect(position).toEqual(at(4));
  });

  it('an exit is a tombstone for those who lost the document, not for those who still see it', () => {
    const entries = [exitEntry('x', 5, ['user:u1'], ['org:1'])];
    const lost = audienceEvents(entries, new Set(['user:u1', 'org:9']), collection, null);
    expect(parse(lost.events)[0].documents).toEqual([{ id: 'x', title: '', _deleted: true }]);
    const still = audienceEvents(entries, new Set(['user:u1', 'org:1']), collection, null);
    expect(still.events).toEqual([]);
  });

  it('a deleted document comes as its tombstone, never its content', () => {
    const gone: FeedEntry = { ...doc('d', 6, ['org:1'], 'secret'), deleted: true };
    const { events } = audienceEvents([gone], new Set(['org:1']), collection, null);
    expect(events[0]).not.toContain('secret');
    expect(parse(events)[0].documents).toEqual([{ id: 'd', title: '', _deleted: true }]);
  });

  it('a later change of the same document replaces the earlier one; events hold at most `max` documents', () => {
    const entries = [
      doc('a', 1, ['k'], 'v1'),
      doc('b', 2, ['k']),
      doc('a', 3, ['k'], 'v2'),
      doc('c', 4, ['k']),
    ];
    const one = audienceEvents(entries.slice(0, 3), new Set(['k']), collection, 'offers');
    expect(parse(one.events)).toEqual([
      {
        collection: 'offers',
        documents: [
          { _deleted: false, id: 'b', title: 'b' },
          { _deleted: false, id: 'a', title: 'v2' },
        ],
        checkpoint: at(3),
      },
    ]);
    const split = audienceEvents(entries, new Set(['k']), collection, 'offers', 2);
    const titles = parse(split.events).map((e) => [
      e.documents.map((d: { title: string }) => d.title),
      e.checkpoint,
    ]);
    expect(titles).toEqual([
      [['v1', 'b'], at(2)],
      [['v2', 'c'], at(4)],
    ]);
  });

  it('laterPosition: null is the beginning', () => {
    expect(laterPosition(null, at(2))).toEqual(at(2));
    expect(laterPosition(at(3), null)).toEqual(at(3));
    expect(laterPosition(at(3), at(2))).toEqual(at(3));
    expect(laterPosition({ txid: '6', seq: 99 }, at(1))).toEqual(at(1));
  });
});

/**
 * A feed over a scripted engine: `committed` rows are what a read finds, `held` whether a change
 * is committed behind a transaction still running; `gate` lets a test hold the held-back question.
 */
function scriptedFeed() {
  const state = {
    committed: [] as FeedRow[],
    held: false,
    gate: null as Promise<void> | null,
    heldAsked: 0,
  };
  let notify: () => void = () => undefined;
  const engine = {
    feedHead: async () => null,
    feedRows: async (_c: CollectionDef, after: SyncCheckpoint | null) =>
      state.committed.filter((r) => after === null || r.position.seq > after.seq),
    feedHeldBack: async () => {
      state.heldAsked++;
      if (state.gate) await state.gate;
      return state.held;
    },
  } as unknown as SyncEngine;
  const hub = {
    subscribe: (_name: string, listener: () => void) => {
      notify = listener;
      return () => undefined;
    },
  } as unknown as ChangeHub;
  const feed = new LiveFeed(engine, collection, hub);
  const signals: string[] = [];
  feed.subscribe((s) => signals.push(s));
  return { feed, state, signals, notify: () => notify() };
}

const row = (id: string, seq: number): FeedRow => ({
  id,
  doc: JSON.stringify({ id }),
  deleted: false,
  position: at(seq),
  keys: ['k'],
  exitKeys: null,
});

const settle = (ms = 0) => new Promise((r) => setTimeout(r, ms));

/** Waits until `done()` holds (the feed's looks again are timers: 25, 50, 100 ms…). */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !done(); waited += 5) {
    if (waited > 5000) throw new Error(`toujours pas : ${what}`);
    await settle(5);
  }
}

describe('LiveFeed: when the streams wake', () => {
  it('a notification wakes them even with nothing new; looking again for held-back changes does not', async () => {
    const { feed, state, signals, notify } = scriptedFeed();
    await feed.whenReady();
    await settle();
    expect(signals).toEqual([]);
    // A notification of a change another transaction still hides: one wake, then looks again.
    state.held = true;
    notify();
    await until(() => state.heldAsked >= 3, 'deux nouveaux regards');
    expect(signals).toEqual(['rows']);
    // The change becomes visible: the look that finds it wakes them, once.
    state.held = false;
    state.committed.push(row('a', 1));
    await until(() => feed.since(null)?.length === 1, 'le changement lu');
    await settle(10);
    expect(signals).toEqual(['rows', 'rows']);
    expect(feed.since(null)?.map((e) => e.id)).toEqual(['a']);
    feed.stop();
  });

  it('a notification that comes while the feed asks about held-back changes is not lost', async () => {
    const { feed, state, signals, notify } = scriptedFeed();
    await feed.whenReady();
    await settle();
    let open!: () => void;
    state.gate = new Promise((r) => {
      open = r;
    });
    notify();
    await settle();
    expect(signals).toEqual(['rows']);
    // The feed waits on the held-back question; a change commits and is notified meanwhile.
    state.committed.push(row('b', 2));
    notify();
    state.gate = null;
    open();
    await until(() => feed.since(null)?.length === 1, 'le changement notifié pendant la question');
    expect(feed.since(null)?.map((e) => e.id)).toEqual(['b']);
    expect(signals).toEqual(['rows', 'rows']);
    feed.stop();
  });
});
