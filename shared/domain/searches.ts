/**
 * The search history (DESIGN §4 `searches`; seed 001 « Historique de recherche »): pure functions
 * shared by the workstation (recording a run, starring a favourite, conflicts) and the server
 * (push decision, alerts).
 *
 * The id of a search derives from its owner and its canonical criteria (`searchIdFor`), so one
 * search run on two devices is one document; the copies merge field by field (`mergeSearches`).
 */

import type { SearchDoc } from '../schemas/search.schema';
import { AVAILABILITY_LABELS, type Availability } from './candidate-profile';
import { type CvSearchCriteria, canonicalCvCriteria, cvCriteriaKey } from './cv-search';
import {
  CONTRACT_TYPE_LABELS,
  type ContractType,
  QUALIFICATION_LABELS,
  type QualificationLevel,
} from './offer';
import { romeDomainLabel } from './rome-domains';

export const SEARCH_LABEL_MAX_LENGTH = 300;

// ─── Id ────────────────────────────────────────────────────────────────────────────────────

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** SHA-256 of a text's UTF-8 bytes, as hex (pure JS: the same in the browser and in Node). */
export function sha256Hex(text: string): string {
  const bytes = new TextEncoder().encode(text);
  const bitLength = bytes.length * 8;
  const padded = new Uint8Array((((bytes.length + 9 + 63) >> 6) << 6) >>> 0);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 2 ** 32));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = new Uint32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(off + i * 4);
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15]!;
      const w2 = w[i - 2]!;
      const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!];
    for (let i = 0; i < 64; i++) {
      const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + s1 + ch + K[i]! + w[i]!) >>> 0;
      const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (s0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
    h[5] = (h[5]! + f) >>> 0;
    h[6] = (h[6]! + g) >>> 0;
    h[7] = (h[7]! + hh) >>> 0;
  }
  return [...h].map((x) => x.toString(16).padStart(8, '0')).join('');
}

/**
 * The id of a user's search: a UUID (version 5 layout) derived from the owner and the criteria's
 * key, so running the same search again, on any device, finds the same history entry.
 */
export function searchIdFor(ownerId: string, criteria: CvSearchCriteria): string {
  const hex = sha256Hex(`cv-search|${ownerId}|${cvCriteriaKey(criteria)}`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

// ─── Label ─────────────────────────────────────────────────────────────────────────────────

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * A French summary of the criteria for the history (« serveur, Narbonne 20 km, RQTH »). The
 * appellation's name is not in the criteria: pass it when known.
 */
export function cvCriteriaLabel(criteria: CvSearchCriteria, appellationLabel?: string): string {
  const c = canonicalCvCriteria(criteria);
  const parts: string[] = [];
  if (c.keywords) parts.push(c.keywords);
  const extraCodes = Math.max(0, (c.romeCodes?.length ?? 0) - 1);
  const nearby = extraCodes
    ? ` + ${extraCodes} métier${extraCodes > 1 ? 's' : ''} proche${extraCodes > 1 ? 's' : ''}`
    : '';
  if (appellationLabel?.trim()) parts.push(`${appellationLabel.trim()}${nearby}`);
  else if (c.romeCodes?.length) parts.push(`ROME ${c.romeCodes.join(', ')}`);
  else if (c.appellationCode) parts.push(`métier ${c.appellationCode}`);
  if (c.place) parts.push(c.radiusKm ? `${c.place.label} ${c.radiusKm} km` : c.place.label);
  if (c.rqthOnly) parts.push('RQTH');
  for (const q of c.qualifications ?? []) parts.push(QUALIFICATION_LABELS[q as QualificationLevel] ?? q);
  // More than two domains (the organisation's, pre-filled) read better as a count.
  const domains = c.domains ?? [];
  if (domains.length > 2) parts.push(`${domains.length} domaines`);
  else for (const d of domains) parts.push(romeDomainLabel(d));
  for (const t of c.contractTypes ?? []) parts.push(CONTRACT_TYPE_LABELS[t as ContractType] ?? t);
  for (const a of c.availability ?? [])
    parts.push(`disponibilité : ${(AVAILABILITY_LABELS[a as Availability] ?? a).toLowerCase()}`);
  for (const l of c.languages ?? []) parts.push(l);
  for (const l of c.licences ?? []) parts.push(`permis ${l}`);
  if (parts.length === 0) return 'Tous les CV';
  return truncate(parts.join(', '), SEARCH_LABEL_MAX_LENGTH);
}

// ─── Recording and merging ─────────────────────────────────────────────────────────────────

export interface SearchRun {
  ownerId: string;
  organisationId: string;
  criteria: CvSearchCriteria;
  /** Matching CVs (the total, not only those shown). */
  resultCount: number;
  source: 'local' | 'serveur';
  /** The appellation's name, for the label. */
  appellationLabel?: string;
}

function isoOf(now: Date | string): string {
  return typeof now === 'string' ? now : now.toISOString();
}

function time(iso: string | undefined): number {
  if (!iso) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
}

/** Whether `a` is strictly later than `b` (absent is the earliest; ties by the text). */
function isLater(a: string | undefined, b: string | undefined): boolean {
  const ta = time(a);
  const tb = time(b);
  if (ta !== tb) return ta > tb;
  return (a ?? '') > (b ?? '');
}

function clampCount(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(100_000_000, Math.floor(n))) : 0;
}

/**
 * The history entry after one more run of the search: a new entry (`existing` null) or the
 * existing one with its run counted. The favourite flag and the alert fields are kept.
 */
export function recordSearch(existing: SearchDoc | null, run: SearchRun, now: Date | string): SearchDoc {
  const at = isoOf(now);
  const criteria = canonicalCvCriteria(run.criteria);
  const base: SearchDoc = existing ?? {
    id: searchIdFor(run.ownerId, criteria),
    ownerId: run.ownerId,
    organisationId: run.organisationId,
    kind: 'cv',
    criteria: {},
    label: '',
    lastRunAt: at,
    runCount: 0,
    resultCount: 0,
    favourite: false,
    createdAt: at,
    updatedAt: at,
  };
  const lastRunAt =
    existing && !isLater(at, existing.lastRunAt) ? new Date(time(existing.lastRunAt) + 1).toISOString() : at;
  return {
    ...base,
    organisationId: run.organisationId,
    criteria: criteria as Record<string, unknown>,
    label: cvCriteriaLabel(criteria, run.appellationLabel),
    lastRunAt,
    runCount: Math.min(1_000_000_000, base.runCount + 1),
    resultCount: clampCount(run.resultCount),
    resultSource: run.source,
    updatedAt: isLater(lastRunAt, base.updatedAt) ? lastRunAt : base.updatedAt,
  };
}

/** The search starred (alerts on) or not; `favouriteAt` records when, for merges and alerts. */
export function setFavourite(doc: SearchDoc, favourite: boolean, now: Date | string): SearchDoc {
  let at = isoOf(now);
  if (doc.favouriteAt && !isLater(at, doc.favouriteAt))
    at = new Date(time(doc.favouriteAt) + 1).toISOString();
  return { ...doc, favourite, favouriteAt: at, updatedAt: isLater(at, doc.updatedAt) ? at : doc.updatedAt };
}

/** Fields a run writes (the later `lastRunAt` wins them). */
const RUN_FIELDS = [
  'organisationId',
  'criteria',
  'label',
  'lastRunAt',
  'resultCount',
  'resultSource',
] as const;

/**
 * Two copies of one search merged, latest wins per field: the run fields from the later
 * `lastRunAt` (the run count is the larger), the favourite flag from the later `favouriteAt`, the
 * alert fields from the later `lastAlertAt`. Identity (`id`, `ownerId`, `kind`) comes from `a`.
 */
export function mergeSearches(a: SearchDoc, b: SearchDoc): SearchDoc {
  const out = { ...a } as Record<string, unknown>;
  const runs = isLater(b.lastRunAt, a.lastRunAt) ? b : a;
  for (const f of RUN_FIELDS) {
    const v = (runs as Record<string, unknown>)[f];
    if (v === undefined) delete out[f];
    else out[f] = v;
  }
  out.runCount = Math.max(a.runCount, b.runCount);
  const fav = isLater(b.favouriteAt, a.favouriteAt) ? b : a;
  out.favourite = fav.favourite;
  if (fav.favouriteAt === undefined) delete out.favouriteAt;
  else out.favouriteAt = fav.favouriteAt;
  const alert = isLater(b.lastAlertAt, a.lastAlertAt) ? b : a;
  if (alert.lastAlertAt === undefined) {
    delete out.lastAlertAt;
    delete out.lastAlertCount;
  } else {
    out.lastAlertAt = alert.lastAlertAt;
    if (alert.lastAlertCount === undefined) delete out.lastAlertCount;
    else out.lastAlertCount = alert.lastAlertCount;
  }
  out.createdAt = isLater(b.createdAt, a.createdAt) ? a.createdAt : b.createdAt;
  out.updatedAt = isLater(b.updatedAt, a.updatedAt) ? b.updatedAt : a.updatedAt;
  return out as SearchDoc;
}

/** The criteria of a history entry, typed. */
export function searchCriteria(doc: SearchDoc): CvSearchCriteria {
  return doc.criteria as CvSearchCriteria;
}
