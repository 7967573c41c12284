/**
 * The search in the text of messages (issue 7), on this workstation, even offline. The replica may
 * hold 200,000 messages: reading them all at each search took seconds (one query that no index
 * serves, every document made an RxDB document at once). Instead, one index per database, in
 * memory: the normalised text of each message by conversation, built once (one read, then
 * normalised in slices: the page stays responsive and says how far it got), then kept up to date
 * from the collection's changes (messages are immutable: new ones, and the erasures of RGPD).
 */
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import { normalizeForSearch } from '../../lib/format';

/** Messages normalised per slice while the index is built. */
export const TEXT_INDEX_SLICE = 2_000;

interface MessageRow {
  id: string;
  conversationId: string;
  body: string;
}

/** What the index needs of the `messages` collection (RxDB's, or a stand-in in tests). */
export interface MessageSource {
  /** The messages after `afterId` in id order, at most `limit` (plain documents). */
  slice(afterId: string, limit: number): Promise<MessageRow[]>;
  /** Calls back on each change of the collection; returns the unsubscription. */
  changes(
    listener: (change: { operation: string; doc: MessageRow | undefined; id: string }) => void,
  ): () => void;
}

export interface TextIndexState {
  /** Every stored message is in the index (later ones come with the changes). */
  ready: boolean;
  /** Messages read so far. */
  loaded: number;
}

export class MessageTextIndex {
  private readonly byConversation = new Map<string, Map<string, string>>();
  private readonly conversationOf = new Map<string, string>();
  private readonly arrays = new Map<string, string[]>();
  private readonly listeners = new Set<() => void>();
  private state: TextIndexState = { ready: false, loaded: 0 };
  private started = false;
  private stopped = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly source: MessageSource,
    private readonly pause: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0)),
  ) {}

  /** Starts building (once); the changes are followed from now on. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.unsubscribe = this.source.changes((change) => {
      if (change.operation === 'DELETE' || !change.doc) this.remove(change.id);
      else this.add(change.doc);
      this.emit();
    });
    void this.build();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.listeners.clear();
  }

  getState(): TextIndexState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The normalised texts of a conversation's messages (the same array while it does not change). */
  get(conversationId: string): string[] | undefined {
    let list = this.arrays.get(conversationId);
    if (!list) {
      const texts = this.byConversation.get(conversationId);
      if (!texts) return undefined;
      list = [...texts.values()];
      this.arrays.set(conversationId, list);
    }
    return list;
  }

  private add(m: MessageRow): void {
    let texts = this.byConversation.get(m.conversationId);
    if (!texts) {
      texts = new Map();
      this.byConversation.set(m.conversationId, texts);
    }
    texts.set(m.id, normalizeForSearch(m.body));
    this.conversationOf.set(m.id, m.conversationId);
    this.arrays.delete(m.conversationId);
  }

  private remove(id: string): void {
    const conversationId = this.conversationOf.get(id);
    if (!conversationId) return;
    this.conversationOf.delete(id);
    this.byConversation.get(conversationId)?.delete(id);
    this.arrays.delete(conversationId);
  }

  private emit(): void {
    this.state = { ...this.state };
    for (const l of this.listeners) l();
  }

  private async build(): Promise<void> {
    let after = '';
    let loaded = 0;
    for (;;) {
      if (this.stopped) return;
      let rows: MessageRow[];
      try {
        rows = await this.source.slice(after, TEXT_INDEX_SLICE);
      } catch {
        // The database closed (sign-out): nothing more to do.
        return;
      }
      // A change seen meanwhile may be newer than the slice's copy: the slice never overwrites it.
      for (const m of rows) if (!this.conversationOf.has(m.id)) this.add(m);
      loaded += rows.length;
      this.state = { ready: rows.length < TEXT_INDEX_SLICE, loaded };
      this.emit();
      if (rows.length < TEXT_INDEX_SLICE) return;
      after = rows[rows.length - 1]!.id;
      await this.pause();
    }
  }
}

type RxLikeCollection = {
  schema: { jsonSchema: unknown };
  storageInstance: { query(prepared: never): Promise<{ documents: unknown[] }> };
  $: { subscribe(next: (event: unknown) => void): { unsubscribe(): void } };
};

/**
 * Every live message of the collection, read straight from its storage: no RxDB document is made
 * for each, and no sort is asked for (the only index that serves `_deleted: false` is
 * `[_deleted, conversationId, sentAt, id]`; sorting by id made the storage sort 200,000 documents
 * after reading them). The rows are sorted by id here.
 */
async function readAllMessages(collection: RxLikeCollection): Promise<MessageRow[]> {
  const schema = collection.schema.jsonSchema as never;
  const query = normalizeMangoQuery(schema, { selector: { _deleted: false } } as never);
  const { documents } = await collection.storageInstance.query(prepareQuery(schema, query as never) as never);
  const rows = documents.map((d) => {
    const m = d as MessageRow;
    return { id: m.id, conversationId: m.conversationId, body: m.body };
  });
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return rows;
}

/**
 * The source over RxDB's `messages` collection. The messages are read in ONE query, then handed
 * out in slices: a query per slice (`id > last`, sorted, limited) scanned the whole store each time
 * with the Dexie storage (measured: 20,000 messages, 6.7 s). Only the three fields the index needs
 * are kept.
 */
export function rxMessageSource(collection: RxLikeCollection): MessageSource {
  let all: Promise<MessageRow[]> | null = null;
  let finished = false;
  return {
    async slice(afterId, limit) {
      if (finished) return [];
      all ??= readAllMessages(collection);
      const rows = await all;
      let start = 0;
      if (afterId) {
        // Binary search: the rows are in id order.
        let lo = 0;
        let hi = rows.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (rows[mid]!.id <= afterId) lo = mid + 1;
          else hi = mid;
        }
        start = lo;
      }
      const out = rows.slice(start, start + limit);
      // Read to the end: the copy is no longer needed (later messages come with the changes).
      if (start + limit >= rows.length) {
        all = null;
        finished = true;
      }
      return out;
    },
    changes(listener) {
      const sub = collection.$.subscribe((event) => {
        const e = event as {
          operation?: string;
          documentId?: string;
          documentData?: (MessageRow & { _deleted?: boolean }) | undefined;
        };
        if (!e.documentId) return;
        const doc = e.documentData && !e.documentData._deleted ? e.documentData : undefined;
        listener({ operation: doc ? (e.operation ?? 'INSERT') : 'DELETE', doc, id: e.documentId });
      });
      return () => sub.unsubscribe();
    },
  };
}

const indexes = new WeakMap<object, MessageTextIndex>();

/** The index of this database's messages (made on first use, built from `start()`). */
export function messageTextIndexOf(db: { messages: RxLikeCollection }): MessageTextIndex {
  let index = indexes.get(db);
  if (!index) {
    index = new MessageTextIndex(rxMessageSource(db.messages));
    indexes.set(db, index);
  }
  return index;
}
