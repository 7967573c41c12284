import type { SessionUser } from '../../../shared/domain/account';
import type { PullResponse, SyncCheckpoint } from '../../../shared/sync/protocol';
import { usersForTokens } from '../auth/sessions';
import type { Queryable } from '../db/database';
import type { SyncEngine } from './engine';
import { type CollectionDef, type Doc, userKeys } from './types';

/**
 * The reads of the live streams, shared between the streams that need the same thing at the same
 * moment. A change wakes every stream of its collection at once (live-feed.ts); each checks its
 * session before sending. With 500 streams that was 500 session queries per change.
 *
 * Nothing is kept once answered: a session is checked each time (in one query for all the streams
 * that check at that moment), so a revoked session or a removed member is seen exactly as before,
 * at the next change. A stream catching up by itself (just opened, or fallen behind the live feed)
 * reads pages; those of the same audience at the same checkpoint are read once while the read runs.
 */
export class StreamReads {
  private queued = new Map<
    string,
    { resolve: (u: SessionUser | null) => void; reject: (e: unknown) => void }[]
  >();
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly texts = new WeakMap<object, Map<string, string>>();
  /** Session checks and shared reads made (for tests and measurements). */
  readonly stats = { sessionQueries: 0, sessionChecks: 0, pageReads: 0, pageRequests: 0 };

  constructor(
    private readonly db: Queryable,
    private readonly engine: SyncEngine,
  ) {}

  /** The user of a session token now, checked together with the other streams checking now. */
  user(token: string): Promise<SessionUser | null> {
    this.stats.sessionChecks++;
    return new Promise((resolve, reject) => {
      const waiting = this.queued.get(token);
      if (waiting) waiting.push({ resolve, reject });
      else this.queued.set(token, [{ resolve, reject }]);
      // The streams woken by one change all ask in the same turn: one query after it.
      if (this.queued.size === 1 && waiting === undefined) queueMicrotask(() => void this.flush());
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queued;
    this.queued = new Map();
    if (batch.size === 0) return;
    this.stats.sessionQueries++;
    try {
      const users = await usersForTokens(this.db, [...batch.keys()]);
      for (const [token, waiting] of batch) for (const w of waiting) w.resolve(users.get(token) ?? null);
    } catch (error) {
      for (const waiting of batch.values()) for (const w of waiting) w.reject(error);
    }
  }

  private shared<T>(key: string, read: () => Promise<T>): Promise<T> {
    const current = this.running.get(key);
    if (current) return current as Promise<T>;
    const promise = read().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return promise;
  }

  /** The page after `checkpoint` for this user's audience (`SyncEngine.pull`). */
  page(
    user: SessionUser,
    collection: CollectionDef,
    checkpoint: SyncCheckpoint | null,
    limit: number,
  ): Promise<PullResponse<Doc>> {
    this.stats.pageRequests++;
    return this.shared(
      `page|${collection.name}|${audienceOf(user)}|${positionKey(checkpoint)}|${limit}`,
      () => {
        this.stats.pageReads++;
        return this.engine.pull(user, collection, checkpoint, limit);
      },
    );
  }

  /** The event text of a page, written once for all the streams sending it (`tag`: the collection). */
  eventText(page: PullResponse<Doc>, tag: string | null): string {
    let texts = this.texts.get(page);
    if (!texts) {
      texts = new Map();
      this.texts.set(page, texts);
    }
    const key = tag ?? '';
    let text = texts.get(key);
    if (text === undefined) {
      text = JSON.stringify(tag === null ? page : { collection: tag, ...page });
      texts.set(key, text);
    }
    return text;
  }
}

function audienceOf(user: SessionUser): string {
  return [...userKeys(user)].sort().join('|');
}

function positionKey(checkpoint: SyncCheckpoint | null): string {
  return checkpoint ? `${checkpoint.txid}:${checkpoint.seq}` : '-';
}
