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
import { sha256HexOfText } from './sha256';

export const SEARCH_LABEL_MAX_LENGTH = 300;

// ─── Id ────────────────────────────────────────────────────────────────────────────────────

/**
 * The id of a user's search: a UUID (version 5 layout) derived from the owner and the criteria's
 * key, so running the same search again, on any device, finds the same history entry.
 */
export function searchIdFor(ownerId: string, criteria: CvSearchCriteria): string {
  const hex = sha256HexOfText(`cv-search|${ownerId}|${cvCriteriaKey(criteria)}`);
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
