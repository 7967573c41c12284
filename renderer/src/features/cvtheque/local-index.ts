/**
 * The workstation's in-memory index of its CVthèque replica (issue 5: search offline). Built
 * once from the `cvs` RxDB collection, then kept up to date from the collection's changes
 * (inserts, updates, deletions: replication writes and other windows alike).
 *
 * What it holds, per CV « slot » (a number; an updated CV takes a new slot, the old one dies):
 *   - postings: stem → the slots whose `cvStems` have it, with the weight of the best part (the
 *     weights are the CV's `cvStems` map, stored inverted so 100,000 CVs fit in memory);
 *   - facets: one bitset per value (RQTH, qualification, domains, contract types, availability,
 *     licences, languages folded, ROME code);
 *   - positions: a grid of 0.1° cells (≈ 11 km) and the commune codes, for the radius pre-selection;
 *   - the CV documents themselves (what the results show).
 * A search pre-selects slots with them, then runs `scoreCv` and `compareCvHits` from
 * shared/domain/cv-search.ts on every candidate: the same filters and ranking as the server.
 * React-free; the screens call `getLocalCvIndex(db)` and `searchLocal(...)` (local-search.ts).
 */

import { normalizeMangoQuery, prepareQuery, type RxCollection } from 'rxdb';
import type { Subscription } from 'rxjs';
import {
  CV_MAX_RESULTS,
  type CvHit,
  type CvSearchCriteria,
  type CvSearchResponse,
  compareCvHits,
  cvDomains,
  cvPositions,
  cvStems,
  fold,
  type PreparedCvSearch,
  prepareCvSearch,
  scoreCv,
} from '../../../../shared/domain/cv-search';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';

export type CvCollection = RxCollection<CvDoc>;
/** Any database with the CVthèque replica (the workstation's database once `cvs` is added). */
export interface DatabaseWithCvs {
  cvs: CvCollection;
}

export interface LocalCvIndexStats {
  /** CVs in the index. */
  cvs: number;
  /** Distinct stems (keys of the postings). */
  stems: number;
  /** Time the last full build took (ms), 0 before it. */
  buildMs: number;
  /** Of which reading the collection (ms). */
  readMs: number;
  /** Approximate memory of the index and its documents, in bytes. */
  approxBytes: number;
}

export interface LocalSearchOptions {
  now: Date;
  /** At most this many hits (default `CV_MAX_RESULTS`). */
  limit?: number;
}

// ─── Small growable structures ─────────────────────────────────────────────────────────────

/** A growable list of slots (and, for postings, one weight byte per slot: weight × 2). */
class SlotList {
  slots = new Int32Array(4);
  weights: Uint8Array | null;
  length = 0;
  constructor(withWeights: boolean) {
    this.weights = withWeights ? new Uint8Array(4) : null;
  }
  push(slot: number, weight = 0): void {
    if (this.length === this.slots.length) {
      const n = this.slots.length * 2;
      const s = new Int32Array(n);
      s.set(this.slots);
      this.slots = s;
      if (this.weights) {
        const w = new Uint8Array(n);
        w.set(this.weights);
        this.weights = w;
      }
    }
    this.slots[this.length] = slot;
    if (this.weights) this.weights[this.length] = weight;
    this.length++;
  }
  /** Drops the dead slots (after many updates and deletions). */
  compact(alive: Uint32Array): void {
    let j = 0;
    for (let i = 0; i < this.length; i++) {
      const s = this.slots[i]!;
      if (!hasBit(alive, s)) continue;
      this.slots[j] = s;
      if (this.weights) this.weights[j] = this.weights[i]!;
      j++;
    }
    this.length = j;
  }
  bytes(): number {
    return this.slots.byteLength + (this.weights?.byteLength ?? 0) + 64;
  }
}

const hasBit = (bits: Uint32Array, i: number) => ((bits[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
const setBit = (bits: Uint32Array, i: number) => {
  bits[i >>> 5]! |= 1 << (i & 31);
};
const clearBit = (bits: Uint32Array, i: number) => {
  bits[i >>> 5]! &= ~(1 << (i & 31));
};

/** Grid of 0.1° cells: a numeric key per cell. */
const CELL_DEG = 0.1;
const cellOf = (lat: number, lon: number) =>
  (Math.floor(lat / CELL_DEG) + 1000) * 10_000 + (Math.floor(lon / CELL_DEG) + 2000);

/** The facet keys of a CV (one bitset each). */
function facetKeys(doc: CvDoc): string[] {
  const keys: string[] = [];
  if (doc.rqth) keys.push(`rqth:${doc.rqth}`);
  if (doc.qualification) keys.push(`q:${doc.qualification}`);
  for (const d of cvDomains(doc)) keys.push(`d:${d}`);
  for (const c of doc.contractTypes ?? []) keys.push(`c:${c}`);
  if (doc.availability) keys.push(`a:${doc.availability}`);
  for (const l of doc.licences) keys.push(`p:${l}`);
  for (const l of doc.languages) keys.push(`l:${fold(l.language.trim())}`);
  if (doc.romeCode) keys.push(`r:${doc.romeCode}`);
  return keys;
}

/** Drops RxDB's own fields (`_meta`, `_rev`, `_deleted`, `_attachments`). */
function plainDoc(data: Record<string, unknown>): CvDoc {
  const out: Record<string, unknown> = {};
  for (const k in data) if (k.charCodeAt(0) !== 95 /* _ */) out[k] = data[k];
  return out as unknown as CvDoc;
}

/**
 * Every live document of the collection. On Dexie, one IndexedDB getAll() of the table (RxDB's
 * query walks a cursor and converts each document deeply: several times slower for 100,000 CVs);
 * the table holds the documents as stored, `_deleted` as '0'/'1'. Elsewhere, RxDB's query.
 */
async function readAll(collection: CvCollection): Promise<Record<string, unknown>[]> {
  const instance = collection.storageInstance;
  const internals = (await (instance as unknown as { internals: unknown }).internals) as {
    dexieTable?: { toArray(): Promise<Record<string, unknown>[]> };
  } | null;
  if (internals?.dexieTable && typeof internals.dexieTable.toArray === 'function') {
    const rows = await internals.dexieTable.toArray();
    return rows.filter((r) => r._deleted !== '1' && r._deleted !== true);
  }
  const query = normalizeMangoQuery(instance.schema, {
    selector: { _deleted: { $eq: false } },
    sort: [{ id: 'asc' }],
  } as never);
  const { documents } = await instance.query(prepareQuery(instance.schema, query as never));
  return documents as unknown as Record<string, unknown>[];
}

const NO_STEMS = new Map<string, number>();

/** Documents indexed between two turns given to the screen during a build. */
const BUILD_SLICE = 5000;
const yieldToScreen = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Keeps the best `limit` hits of a stream, in order (O(n log k), no full sort of big results). */
class TopHits {
  readonly hits: CvHit[] = [];
  constructor(private readonly limit: number) {}
  add(hit: CvHit): void {
    const h = this.hits;
    if (h.length >= this.limit && compareCvHits(hit, h[h.length - 1]!) >= 0) return;
    let lo = 0;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareCvHits(h[mid]!, hit) <= 0) lo = mid + 1;
      else hi = mid;
    }
    h.splice(lo, 0, hit);
    if (h.length > this.limit) h.pop();
  }
}

// ─── The index ─────────────────────────────────────────────────────────────────────────────

export class LocalCvIndex {
  private docs: (CvDoc | null)[] = [];
  private readonly slotOf = new Map<string, number>();
  private alive = new Uint32Array(64);
  private dead = 0;
  private readonly postings = new Map<string, SlotList>();
  private readonly facets = new Map<string, Uint32Array>();
  private readonly grid = new Map<number, SlotList>();
  private readonly communes = new Map<string, SlotList>();
  /** Sum of the sampled documents' JSON sizes and how many were sampled (memory estimate). */
  private sampledChars = 0;
  private sampled = 0;
  private buildMs = 0;
  private readMs = 0;
  private subscription: Subscription | null = null;
  private building: Promise<number> | null = null;
  private readonly listeners = new Set<() => void>();
  private notifying = false;

  constructor(private readonly collection?: CvCollection) {}

  // ── Building and following the collection ──

  /**
   * Reads the whole collection and indexes it, then follows its changes. Resolves with the time
   * the build took (ms). Calling it again while it runs returns the same promise.
   */
  build(): Promise<number> {
    if (!this.building) this.building = this.runBuild();
    return this.building;
  }

  /** Resolves once the first build is done. */
  ready(): Promise<number> {
    return this.build();
  }

  private async runBuild(): Promise<number> {
    const collection = this.collection;
    if (!collection) throw new Error('Index sans collection : utilisez add() et remove().');
    const t0 = performance.now();
    // Changes made while the collection is read are applied after it (upserts: idempotent).
    const pending: { id: string; doc: CvDoc | null }[] = [];
    let loaded = false;
    this.subscription = collection.$.subscribe((event) => {
      const change = {
        id: event.documentId,
        doc: event.operation === 'DELETE' ? null : plainDoc(event.documentData as Record<string, unknown>),
      };
      if (!loaded) pending.push(change);
      else this.apply([change]);
    });
    const rows = await readAll(collection);
    this.readMs = performance.now() - t0;
    // By slices, giving the screen a turn between them (100,000 CVs take seconds to index).
    for (let i = 0; i < rows.length; i += BUILD_SLICE) {
      if (i > 0) await yieldToScreen();
      const end = Math.min(rows.length, i + BUILD_SLICE);
      for (let k = i; k < end; k++) this.add(plainDoc(rows[k]!));
    }
    loaded = true;
    this.apply(pending);
    this.buildMs = performance.now() - t0;
    this.notify();
    return this.buildMs;
  }

  private apply(changes: { id: string; doc: CvDoc | null }[]): void {
    if (!changes.length) return;
    for (const c of changes) {
      if (c.doc) this.add(c.doc);
      else this.remove(c.id);
    }
    this.notify();
  }

  /** Called after every change of the index (the screens refresh their local results). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Once per burst of changes (a replicated batch arrives as many events in one go). */
  private notify(): void {
    if (this.notifying) return;
    this.notifying = true;
    queueMicrotask(() => {
      this.notifying = false;
      for (const l of this.listeners) l();
    });
  }

  /** Stops following the collection. */
  dispose(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.listeners.clear();
  }

  // ── Adding and removing documents ──

  /** Indexes a CV (replacing the previous version of the same id). */
  add(doc: CvDoc): void {
    this.remove(doc.id);
    const slot = this.docs.length;
    this.docs.push(doc);
    this.slotOf.set(doc.id, slot);
    this.ensureCapacity(slot + 1);
    setBit(this.alive, slot);
    for (const [stem, weight] of cvStems(doc)) {
      let list = this.postings.get(stem);
      if (!list) {
        list = new SlotList(true);
        this.postings.set(stem, list);
      }
      list.push(slot, Math.round(weight * 2));
    }
    for (const key of facetKeys(doc)) {
      let bits = this.facets.get(key);
      if (!bits) {
        bits = new Uint32Array(this.alive.length);
        this.facets.set(key, bits);
      }
      setBit(bits, slot);
    }
    const cells = new Set<number>();
    const codes = new Set<string>();
    for (const p of cvPositions(doc)) {
      codes.add(p.code);
      if (typeof p.lat === 'number' && typeof p.lon === 'number') cells.add(cellOf(p.lat, p.lon));
    }
    for (const cell of cells) {
      let list = this.grid.get(cell);
      if (!list) {
        list = new SlotList(false);
        this.grid.set(cell, list);
      }
      list.push(slot);
    }
    for (const code of codes) {
      let list = this.communes.get(code);
      if (!list) {
        list = new SlotList(false);
        this.communes.set(code, list);
      }
      list.push(slot);
    }
    if ((slot & 63) === 0) {
      this.sampledChars += JSON.stringify(doc).length;
      this.sampled++;
    }
  }

  /** Forgets a CV (deleted, or no longer visible). */
  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    this.docs[slot] = null;
    clearBit(this.alive, slot);
    for (const bits of this.facets.values()) clearBit(bits, slot);
    this.dead++;
    if (this.dead > 1000 && this.dead > this.slotOf.size / 4) this.compact();
  }

  private ensureCapacity(slots: number): void {
    const words = (slots + 31) >>> 5;
    if (words <= this.alive.length) return;
    let n = this.alive.length;
    while (n < words) n *= 2;
    const grow = (bits: Uint32Array) => {
      const b = new Uint32Array(n);
      b.set(bits);
      return b;
    };
    this.alive = grow(this.alive);
    for (const [key, bits] of this.facets) this.facets.set(key, grow(bits));
  }

  /** Drops dead slots from the lists (slots keep their numbers: documents are not moved). */
  private compact(): void {
    for (const [stem, list] of this.postings) {
      list.compact(this.alive);
      if (!list.length) this.postings.delete(stem);
    }
    for (const [cell, list] of this.grid) {
      list.compact(this.alive);
      if (!list.length) this.grid.delete(cell);
    }
    for (const [code, list] of this.communes) {
      list.compact(this.alive);
      if (!list.length) this.communes.delete(code);
    }
    this.dead = 0;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  get size(): number {
    return this.slotOf.size;
  }

  // ── Searching ──

  /**
   * The CVs of the replica that answer the criteria, best first (`scoreCv` + `compareCvHits`),
   * at most `CV_MAX_RESULTS`, with the total of matching CVs. The criteria must be valid
   * (`validateCvCriteria`).
   */
  search(criteria: CvSearchCriteria, options: LocalSearchOptions): CvSearchResponse {
    const t0 = performance.now();
    const search = prepareCvSearch(criteria, options.now);
    const top = new TopHits(options.limit ?? CV_MAX_RESULTS);
    let total = 0;
    const consider = (slot: number, stems: Map<string, number>) => {
      const doc = this.docs[slot];
      if (!doc) return;
      const hit = scoreCv(search, doc, stems);
      if (!hit) return;
      total++;
      top.add(hit);
    };

    const mask = this.facetMask(search);
    if (mask !== 'none') {
      let allowed = mask ?? this.alive;
      if (criteria.place) {
        // Near the place (a superset: scoreCv checks the distance), within the facet filters.
        const near = this.placeBits(criteria);
        for (let w = 0; w < near.length; w++) near[w]! &= allowed[w] ?? 0;
        allowed = near;
      }
      if (search.stems.length) {
        // Keywords: the union of the stems' postings; each candidate's weights for scoreCv.
        const found = new Map<number, Map<string, number>>();
        for (const stem of search.stems) {
          const list = this.postings.get(stem);
          if (!list) continue;
          const { slots, weights } = list;
          for (let i = 0; i < list.length; i++) {
            const slot = slots[i]!;
            if (!hasBit(allowed, slot)) continue;
            let m = found.get(slot);
            if (!m) {
              m = new Map();
              found.set(slot, m);
            }
            m.set(stem, weights![i]! / 2);
          }
        }
        for (const [slot, stems] of found) consider(slot, stems);
      } else {
        for (let w = 0; w < allowed.length; w++) {
          let word = allowed[w]!;
          while (word) {
            const bit = word & -word;
            consider((w << 5) + 31 - Math.clz32(bit), NO_STEMS);
            word ^= bit;
          }
        }
      }
    }
    return { hits: top.hits, total, source: 'local', tookMs: performance.now() - t0 };
  }

  /**
   * The slots allowed by the facet filters (AND of the filters, OR within one), null when no
   * facet filter applies, 'none' when nothing can match.
   */
  private facetMask(search: PreparedCvSearch): Uint32Array | null | 'none' {
    const c = search.criteria;
    const groups: string[][] = [];
    if (c.rqthOnly) groups.push(['rqth:reconnue']);
    if (c.qualifications?.length) groups.push(c.qualifications.map((q) => `q:${q}`));
    if (c.domains?.length) groups.push(c.domains.map((d) => `d:${d}`));
    if (c.contractTypes?.length) groups.push(c.contractTypes.map((t) => `c:${t}`));
    if (c.availability?.length) groups.push(c.availability.map((a) => `a:${a}`));
    for (const l of c.licences ?? []) groups.push([`p:${l}`]);
    for (const l of search.languages) groups.push([`l:${l}`]);
    if (search.romeCodes) groups.push([...search.romeCodes].map((r) => `r:${r}`));
    if (!groups.length) return null;
    const mask = this.alive.slice();
    for (const group of groups) {
      const sets = group.map((k) => this.facets.get(k)).filter((b): b is Uint32Array => Boolean(b));
      if (!sets.length) return 'none';
      for (let w = 0; w < mask.length; w++) {
        if (!mask[w]) continue;
        let any = 0;
        for (const s of sets) any |= s[w] ?? 0;
        mask[w]! &= any;
      }
    }
    return mask;
  }

  /** The slots with a position in the box around the place (a superset of the radius), as bits. */
  private placeBits(criteria: CvSearchCriteria): Uint32Array {
    const place = criteria.place!;
    const out = new Uint32Array(this.alive.length);
    const code = this.communes.get(place.code);
    if (code) for (let i = 0; i < code.length; i++) setBit(out, code.slots[i]!);
    // Radius 0 still takes what lies within 0.05 km (a distance rounded to 0).
    const km = Math.max(criteria.radiusKm ?? 0, 0.1) + 0.5;
    const dLat = km / 110.5;
    const maxLat = Math.min(89.9, Math.abs(place.lat) + dLat);
    const dLon = Math.min(180, km / (111.32 * Math.cos((maxLat * Math.PI) / 180)));
    const lat0 = Math.floor((place.lat - dLat) / CELL_DEG);
    const lat1 = Math.floor((place.lat + dLat) / CELL_DEG);
    const lon0 = Math.floor((place.lon - dLon) / CELL_DEG);
    const lon1 = Math.floor((place.lon + dLon) / CELL_DEG);
    for (let a = lat0; a <= lat1; a++) {
      for (let b = lon0; b <= lon1; b++) {
        const list = this.grid.get((a + 1000) * 10_000 + (b + 2000));
        if (!list) continue;
        for (let i = 0; i < list.length; i++) setBit(out, list.slots[i]!);
      }
    }
    return out;
  }

  // ── Figures ──

  stats(): LocalCvIndexStats {
    let bytes = this.alive.byteLength;
    for (const [stem, list] of this.postings) bytes += stem.length * 2 + 48 + list.bytes();
    for (const bits of this.facets.values()) bytes += bits.byteLength + 48;
    for (const list of this.grid.values()) bytes += list.bytes() + 32;
    for (const [code, list] of this.communes) bytes += code.length * 2 + 48 + list.bytes();
    bytes += this.docs.length * 8 + this.slotOf.size * 80;
    // The documents: their sampled JSON size and a third for the objects (measured in Chromium).
    const avgDoc = this.sampled ? this.sampledChars / this.sampled : 0;
    bytes += Math.round(avgDoc * 1.3 * this.slotOf.size);
    return {
      cvs: this.slotOf.size,
      stems: this.postings.size,
      buildMs: this.buildMs,
      readMs: this.readMs,
      approxBytes: bytes,
    };
  }
}

// ─── One index per database ────────────────────────────────────────────────────────────────

/** Keyed by the collection: callers may pass `{ cvs }` objects made on the fly. */
const indexes = new WeakMap<CvCollection, LocalCvIndex>();

/**
 * The index of this database's `cvs` collection (one per collection, built on first use and
 * forgotten when the collection closes). Await `ready()` before the first search.
 */
export function getLocalCvIndex(db: DatabaseWithCvs): LocalCvIndex {
  const collection = db.cvs;
  let index = indexes.get(collection);
  if (!index) {
    const created = new LocalCvIndex(collection);
    index = created;
    indexes.set(collection, created);
    collection.onClose?.push(() => {
      created.dispose();
      indexes.delete(collection);
    });
    void created.build().catch(() => {
      // A collection closed while it was read: the next getLocalCvIndex builds again.
      indexes.delete(collection);
    });
  }
  return index;
}
