import type { Subscription } from 'rxjs';
import type { WorkstationDatabase } from '../../db/collections';
import type { SyncController } from '../../db/replication';
import { loadUserRecord, saveUserRecord } from '../../lib/local-store';
import { entriesToKeep, markRefused, type OutboxEntry, withoutExpired } from './outbox';

/**
 * This workstation's copies of the messages written here (`OutboxEntry`), kept in the user's local
 * record until the server accepted them; a refused one stays until the user dismisses it, or 30
 * days after the refusal (`OUTBOX_REFUSED_KEEP_DAYS`), whichever comes first.
 */
export class OutboxStore {
  private entries: readonly OutboxEntry[];
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly userId: string,
    private readonly now: () => number = Date.now,
  ) {
    const saved = loadUserRecord<OutboxEntry[]>(userId, 'message-outbox') ?? [];
    this.entries = withoutExpired(saved, this.now());
    if (this.entries !== saved) saveUserRecord(userId, 'message-outbox', this.entries);
  }

  /** Drops the refused copies kept beyond their time (run at start and as the replication goes). */
  expire(): void {
    this.set(withoutExpired(this.entries, this.now()));
  }

  getSnapshot = (): readonly OutboxEntry[] => this.entries;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(next: readonly OutboxEntry[]): void {
    if (next === this.entries) return;
    this.entries = next;
    saveUserRecord(this.userId, 'message-outbox', next);
    for (const l of this.listeners) l();
  }

  add(entry: OutboxEntry): void {
    this.set([...this.entries.filter((e) => e.id !== entry.id), entry]);
  }

  dismiss(id: string): void {
    this.set(this.entries.filter((e) => e.id !== id));
  }
}

let current: { userId: string; store: OutboxStore } | null = null;

export function outboxFor(userId: string): OutboxStore {
  if (current?.userId !== userId) current = { userId, store: new OutboxStore(userId) };
  return current.store;
}

/**
 * Follows the outbox: a message the replication deleted (the server's tombstone) becomes refused;
 * a message the server accepted (no longer pending) leaves the outbox. Returns the stop function.
 */
export function watchOutbox(db: WorkstationDatabase, sync: SyncController, store: OutboxStore): () => void {
  const subs: Subscription[] = [];
  subs.push(
    db.messages.remove$.subscribe((ev) => {
      const entries = store.getSnapshot();
      if (!entries.some((e) => e.id === ev.documentId)) return;
      store.set(markRefused(entries, new Set([ev.documentId]), new Date().toISOString()));
    }),
  );
  let running = false;
  const prune = async () => {
    if (running) return;
    running = true;
    try {
      store.expire();
      const entries = store.getSnapshot();
      const open = entries.filter((e) => e.refusedAt === undefined);
      if (open.length === 0) return;
      const docs = await db.messages.findByIds(open.map((e) => e.id)).exec();
      // Deleted while the app was closed, or in another window: refused.
      const missing = new Set(open.filter((e) => !docs.has(e.id)).map((e) => e.id));
      let next = markRefused(store.getSnapshot(), missing, new Date().toISOString());
      next = entriesToKeep(next, docs, (id) => sync.isPending('messages', id));
      if (next.length !== store.getSnapshot().length || next !== store.getSnapshot()) store.set(next);
    } catch {
      // Closed database (sign-out): nothing to do.
    } finally {
      running = false;
    }
  };
  void prune();
  const offSync = sync.subscribe(() => void prune());
  return () => {
    offSync();
    for (const s of subs) s.unsubscribe();
  };
}
