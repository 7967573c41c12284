import { compareCheckpoints, type SyncCheckpoint } from '../../../shared/sync/protocol';
import type { ChangeHub } from './change-hub';
import type { FeedRow, SyncEngine } from './engine';
import type { CollectionDef } from './types';

/** What a live document's JSON text starts with in an event (as in a pull answer). */
const LIVE_PREFIX = '{"_deleted":false,';

/** A change kept by the feed, with its event text made once for every stream that sends it. */
export interface FeedEntry extends FeedRow {
  text?: string;
}

export type FeedSignal = 'rows' | 'error';

/**
 * The live changes of one collection, read once for every stream of this server.
 *
 * Each write used to wake every open stream, and each stream read the page after its own
 * checkpoint: 500 streams, 500 queries per write. The feed reads the changes once, in position
 * order and only those whose writer has finished (the same rule as a pull, so a later commit never
 * lands behind it), keeps the recent ones, and each stream takes from it what its audience may see.
 *
 * A stream joins the feed once it has caught up by itself (`LiveStreamCursor`); one that falls
 * behind what the feed keeps catches up by itself again.
 */
export class LiveFeed {
  /** The position read up to (every finished change up to here is in `entries` or before `start`). */
  private position: SyncCheckpoint | null = null;
  /** Entries cover the changes after `start` up to `position`. */
  private start: SyncCheckpoint | null = null;
  private entries: FeedEntry[] = [];
  private readonly listeners = new Set<(signal: FeedSignal) => void>();
  private ready: Promise<void> | null = null;
  private reading = false;
  private again = false;
  /** A notification came since the streams last woke (they wake for it even if nothing is new). */
  private notified = false;
  private retry: NodeJS.Timeout | null = null;
  private retryDelay = 25;
  private unsubscribe: (() => void) | null = null;
  /** Bumped when the feed goes idle: a read started before stops keeping what it reads. */
  private generation = 0;
  /** Changes read and reads made (tests and measurements). */
  readonly stats = { reads: 0, rows: 0 };

  constructor(
    private readonly engine: SyncEngine,
    readonly collection: CollectionDef,
    private readonly hub: ChangeHub,
    /** How many recent changes are kept for the streams. */
    private readonly keep = 2000,
    private readonly pageSize = 500,
  ) {}

  /** Reads where the collection is now (once); later changes are read as the hub signals them. */
  whenReady(): Promise<void> {
    this.ready ??= (async () => {
      const generation = this.generation;
      const head = await this.engine.feedHead(this.collection);
      if (generation !== this.generation) return;
      this.position = head;
      this.start = head;
      this.unsubscribe = this.hub.subscribe(this.collection.name, () => {
        this.notified = true;
        void this.read();
      });
      // Changes committed between the head and the subscription.
      void this.read();
    })().catch((error) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  /** The position the feed has read up to. */
  get readUpTo(): SyncCheckpoint | null {
    return this.position;
  }

  subscribe(listener: (signal: FeedSignal) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.idle();
    };
  }

  /** No stream left: forget what was kept and stop reading until a stream needs the feed again. */
  private idle(): void {
    this.generation++;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.ready = null;
    this.entries = [];
    this.reading = false;
    this.again = false;
    this.notified = false;
  }

  /** The kept changes after `after`, or null when the feed no longer keeps all of them. */
  since(after: SyncCheckpoint | null): FeedEntry[] | null {
    if (!covers(this.start, after)) return null;
    if (after === null) return this.entries.slice();
    // Entries are in position order: find the first one after `after`.
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareCheckpoints(this.entries[mid]!.position, after) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo);
  }

  private emit(signal: FeedSignal): void {
    for (const l of [...this.listeners]) l(signal);
  }

  private async read(): Promise<void> {
    if (!this.ready) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    const generation = this.generation;
    try {
      await this.ready;
      if (generation !== this.generation) return;
      let emitted = false;
      do {
        this.again = false;
        for (;;) {
          this.stats.reads++;
          const rows = await this.engine.feedRows(this.collection, this.position, this.pageSize);
          if (generation !== this.generation) return;
          if (rows.length === 0) break;
          this.stats.rows += rows.length;
          this.entries.push(...rows);
          this.position = rows[rows.length - 1]!.position;
          if (this.entries.length > this.keep) {
            const dropped = this.entries.splice(0, this.entries.length - this.keep);
            this.start = dropped[dropped.length - 1]!.position;
          }
          this.retryDelay = 25;
          this.emit('rows');
          emitted = true;
          if (rows.length < this.pageSize) break;
        }
      } while (this.again);
      // Nothing new after a notification (a change others cannot see yet, a notification alone):
      // the streams still wake, as every change woke them before, and check their session (one
      // query for all). A look again for held-back changes that finds none wakes nobody.
      if (!emitted && this.notified) this.emit('rows');
      this.notified = false;
      if (generation !== this.generation) return;
      // A change committed behind a transaction still running elsewhere is only visible once that
      // transaction ends, which sends no notification of its own: look again shortly.
      const held = await this.engine.feedHeldBack(this.collection, this.position);
      if (generation !== this.generation) return;
      if (!this.retry && held) {
        this.retry = setTimeout(() => {
          this.retry = null;
          void this.read();
        }, this.retryDelay);
        this.retry.unref?.();
        this.retryDelay = Math.min(this.retryDelay * 2, 2000);
      }
    } catch {
      // The streams catch up by themselves (and their clients pull): nothing is lost.
      if (generation === this.generation) {
        this.notified = false;
        this.emit('error');
      }
    } finally {
      if (generation === this.generation) {
        this.reading = false;
        // A notification that came after the last look (while asking about held-back changes).
        if (this.again) void this.read();
      }
    }
  }

  stop(): void {
    this.listeners.clear();
    this.idle();
  }
}

/** Whether the changes after `after` are all kept, given that the feed keeps those after `start`. */
function covers(start: SyncCheckpoint | null, after: SyncCheckpoint | null): boolean {
  if (start === null) return true;
  return after !== null && compareCheckpoints(after, start) >= 0;
}

/** The later of two positions (null: the beginning). */
export function laterPosition(a: SyncCheckpoint | null, b: SyncCheckpoint | null): SyncCheckpoint | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareCheckpoints(a, b) >= 0 ? a : b;
}

/**
 * The events of the feed's entries an audience may see (at most `max` documents each), as texts,
 * and the position they bring the stream to. A document is seen when its keys meet the audience's;
 * an exit when the keys it left do and the document's keys now do not (as a pull answers).
 */
export function audienceEvents(
  entries: readonly FeedEntry[],
  audience: ReadonlySet<string>,
  collection: CollectionDef,
  tag: string | null,
  max = 200,
): { events: string[]; position: SyncCheckpoint | null } {
  const events: string[] = [];
  let docs = new Map<string, string>();
  const meets = (keys: readonly string[]) => keys.some((k) => audience.has(k));
  const flush = (position: SyncCheckpoint) => {
    if (docs.size === 0) return;
    const head = tag === null ? '' : `"collection":${JSON.stringify(tag)},`;
    events.push(
      `{${head}"documents":[${[...docs.values()].join(',')}],"checkpoint":${JSON.stringify(position)}}`,
    );
    docs = new Map();
  };
  for (const entry of entries) {
    const seen = entry.exitKeys === null ? meets(entry.keys) : meets(entry.exitKeys) && !meets(entry.keys);
    if (seen) {
      entry.text ??=
        entry.doc !== null && !entry.deleted
          ? `${LIVE_PREFIX}${entry.doc.slice(1)}`
          : JSON.stringify({ ...collection.tombstone(entry.id), _deleted: true });
      // A later change of the same document replaces the earlier one and takes its place.
      docs.delete(entry.id);
      docs.set(entry.id, entry.text);
    }
    if (docs.size >= max) flush(entry.position);
  }
  const last = entries.length > 0 ? entries[entries.length - 1]!.position : null;
  if (last) flush(last);
  return { events, position: last };
}

/** The live feeds of a server, one per collection, made when a stream first needs one. */
export class LiveFeeds {
  private readonly feeds = new Map<string, LiveFeed>();

  constructor(
    private readonly engine: SyncEngine,
    private readonly hub: ChangeHub,
  ) {}

  of(collection: CollectionDef): LiveFeed {
    let feed = this.feeds.get(collection.name);
    if (!feed) {
      feed = new LiveFeed(this.engine, collection, this.hub);
      this.feeds.set(collection.name, feed);
    }
    return feed;
  }

  stop(): void {
    for (const f of this.feeds.values()) f.stop();
    this.feeds.clear();
  }
}
