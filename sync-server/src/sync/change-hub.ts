import type { Database } from '../db/database';
import { CHANGES_CHANNEL } from './engine';

/**
 * Fans out "collection X changed" to the live streams of this instance. Writes from any
 * instance arrive through PostgreSQL's LISTEN/NOTIFY, so several instances can share one
 * database. Bursts are coalesced per collection.
 */
export class ChangeHub {
  private readonly listeners = new Map<string, Set<() => void>>();
  private readonly streams = new Set<() => void>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Database,
    private readonly coalesceMs = 5,
  ) {}

  async start(): Promise<void> {
    this.unlisten = await this.db.listen(CHANGES_CHANNEL, (collection) => this.signal(collection));
  }

  /** Registers a live stream to end when the server stops; returns its unregister function. */
  trackStream(end: () => void): () => void {
    this.streams.add(end);
    return () => this.streams.delete(end);
  }

  /** Ends every live stream (clients reconnect to another instance or after the restart). */
  endStreams(): void {
    for (const end of [...this.streams]) end();
    this.streams.clear();
  }

  async stop(): Promise<void> {
    this.endStreams();
    if (this.timer) clearTimeout(this.timer);
    await this.unlisten?.();
    this.listeners.clear();
  }

  signal(collection: string): void {
    this.pending.add(collection);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      const collections = [...this.pending];
      this.pending.clear();
      for (const c of collections) for (const l of this.listeners.get(c) ?? []) l();
    }, this.coalesceMs);
  }

  subscribe(collection: string, listener: () => void): () => void {
    let set = this.listeners.get(collection);
    if (!set) {
      set = new Set();
      this.listeners.set(collection, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  get size(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
