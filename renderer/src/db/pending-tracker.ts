/**
 * Counts local changes the server has not acknowledged yet. RxDB 17 has no public pending count,
 * so we follow the documents ourselves:
 * - a local write (any write that is not the replication writing the master state) marks the
 *   document pending with a fingerprint of its new state;
 * - a push row the server accepted (`sent$`) clears it, only if it carries that same state (an edit
 *   made while the push was in flight stays pending);
 * - a master state written by the replication clears it (the local state is the master again).
 * The set survives reloads through a small persisted record (id → fingerprint).
 */

import { LOCAL_ONLY_KEYS } from './local-keys';

export type PendingSnapshot = Record<string, string>;

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([k, v]) => !LOCAL_ONLY_KEYS.has(k) && v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** FNV-1a 32-bit over the canonical JSON of a replicated state (RxDB bookkeeping left out). */
export function fingerprint(doc: unknown): string {
  const text = canonical(doc);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return `${(h >>> 0).toString(16)}:${text.length}`;
}

/** The height of an RxDB revision ("12-abc" → 12). */
export function revisionHeight(rev: string | undefined): number {
  if (!rev) return 0;
  const n = Number.parseInt(rev.split('-')[0] ?? '', 10);
  return Number.isFinite(n) ? n : 0;
}

/** What RxDB stores in `_meta.o` when the replication writes a master state into the local database. */
interface OriginMeta {
  _rev?: number;
  hash?: string;
}

/**
 * True when the stored document is exactly the master state written by the replication: RxDB's
 * downstream sets `_meta.o = { _rev: <height of that write>, hash: <hash of the replication id> }`
 * (the same test RxDB itself uses); any later local write raises the revision height above it.
 */
export function isFromMaster(
  doc: { _rev?: string; _meta?: Record<string, unknown> },
  identifierHash?: string,
): boolean {
  const origin = doc._meta?.o as OriginMeta | undefined;
  if (!origin || typeof origin._rev !== 'number') return false;
  if (identifierHash && origin.hash !== identifierHash) return false;
  return origin._rev === revisionHeight(doc._rev);
}

export class PendingTracker {
  private readonly pending = new Map<string, string>();
  private readonly listeners = new Set<(count: number) => void>();

  constructor(initial: PendingSnapshot = {}) {
    for (const [k, v] of Object.entries(initial)) this.pending.set(k, v);
  }

  private key(collection: string, id: string): string {
    return `${collection}/${id}`;
  }

  get count(): number {
    return this.pending.size;
  }

  has(collection: string, id: string): boolean {
    return this.pending.has(this.key(collection, id));
  }

  snapshot(): PendingSnapshot {
    return Object.fromEntries(this.pending);
  }

  subscribe(listener: (count: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l(this.pending.size);
  }

  /**
   * A document was written in the local database. `previous` is the state it replaced, if any: a
   * write that changed nothing replicated (a new revision of the same content, e.g. removing from a
   * list a CV that is not in it) is not a change to send, and the replication never sends it, so it
   * must not count as pending (it stayed « 1 modification en attente » for ever).
   */
  onLocalWrite(collection: string, id: string, doc: unknown, fromMaster: boolean, previous?: unknown): void {
    const key = this.key(collection, id);
    if (fromMaster) {
      if (this.pending.delete(key)) this.changed();
      return;
    }
    const fp = fingerprint(doc);
    if (previous !== undefined && previous !== null && fingerprint(previous) === fp) return;
    if (this.pending.get(key) === fp) return;
    this.pending.set(key, fp);
    this.changed();
  }

  /** The server accepted this state of the document. */
  onSent(collection: string, id: string, doc: unknown): void {
    const key = this.key(collection, id);
    const current = this.pending.get(key);
    if (current !== undefined && current === fingerprint(doc)) {
      this.pending.delete(key);
      this.changed();
    }
  }

  /** Ids of one collection currently pending. */
  idsOf(collection: string): string[] {
    const prefix = `${collection}/`;
    return [...this.pending.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  }

  /** Forget a document (e.g. purged locally). */
  forget(collection: string, id: string): void {
    if (this.pending.delete(this.key(collection, id))) this.changed();
  }
}
