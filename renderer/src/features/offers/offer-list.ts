import {
  CONTRACT_TYPE_LABELS,
  type ContractType,
  OFFER_STATUSES,
  type OfferStatus,
  offerStatusLabel,
} from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import { formatDate, normalizeForSearch } from '../../lib/format';

/**
 * « Mes offres » as a list model, pure and fast enough for 50,000 offers: each offer's display
 * texts and search/sort keys are computed once per document version (cached by the document
 * object, which the replica keeps while the offer does not change), each column's sort order
 * once per data version, and filtering is one pass over that order.
 */

export type OfferSortColumn =
  | 'title'
  | 'number'
  | 'city'
  | 'companyName'
  | 'contracts'
  | 'status'
  | 'createdAt'
  | 'updatedAt';

export interface OfferRow {
  doc: OfferDoc;
  id: string;
  status: OfferStatus;
  statusLabel: string;
  place: string;
  contracts: string;
  /** « Dépôt le » and « Mis à jour », formatted once. */
  created: string;
  updated: string;
  /** Title (and number) as search compares them. */
  searchText: string;
  companyId: string;
  /** The company name as the company filter compares it (offers written without a profile). */
  companyKey: string;
  keys: Record<OfferSortColumn, string>;
}

/** Text as sorting compares it: no case or accents, numbers in numeric order (« n° 9 » before « n° 10 »). */
export function sortKey(text: string): string {
  return normalizeForSearch(text).replace(/\d+/g, (d) => d.replace(/^0+(?=\d)/, '').padStart(12, '0'));
}

export function contractsText(offer: Pick<OfferDoc, 'contractTypes'>): string {
  return (offer.contractTypes ?? []).map((c) => CONTRACT_TYPE_LABELS[c as ContractType] ?? c).join(', ');
}

export function placeText(offer: Pick<OfferDoc, 'city' | 'postalCode'>): string {
  return [offer.city, offer.postalCode ? `(${offer.postalCode})` : ''].filter(Boolean).join(' ');
}

export function toOfferRow(doc: OfferDoc): OfferRow {
  const status = doc.status as OfferStatus;
  const statusLabel = offerStatusLabel(status, doc.previousStatus as OfferStatus | undefined);
  const place = placeText(doc);
  const contracts = contractsText(doc);
  const title = doc.title ?? '';
  return {
    doc,
    id: doc.id,
    status,
    statusLabel,
    place,
    contracts,
    created: formatDate(doc.createdAt),
    updated: formatDate(doc.updatedAt),
    searchText: `${normalizeForSearch(title)}\n${(doc.number ?? '').toLowerCase()}`,
    companyId: doc.companyId ?? '',
    companyKey: normalizeForSearch(doc.companyName ?? ''),
    keys: {
      title: sortKey(title),
      number: doc.number ?? '',
      city: sortKey(place),
      companyName: sortKey(doc.companyName ?? ''),
      contracts: sortKey(contracts),
      status: sortKey(statusLabel),
      createdAt: doc.createdAt ?? '',
      updatedAt: doc.updatedAt ?? '',
    },
  };
}

/** Rows for documents, reusing the rows of documents seen before (same object, same row). */
export function createRowCache(cache = new WeakMap<OfferDoc, OfferRow>()): (doc: OfferDoc) => OfferRow {
  return (doc) => {
    let row = cache.get(doc);
    if (!row) {
      row = toOfferRow(doc);
      cache.set(doc, row);
    }
    return row;
  };
}

/**
 * One cache for the whole workstation: coming back to « Mes offres » reuses the rows of every
 * offer that did not change meanwhile (weak: rows go with their documents).
 */
export const sharedRowCache = createRowCache();

export interface OfferIndex {
  rows: readonly OfferRow[];
  /** Ascending order of the rows by a column (indexes into `rows`), computed on first use. */
  orderBy(column: OfferSortColumn): Int32Array;
}

export function createOfferIndex(rows: readonly OfferRow[]): OfferIndex {
  const orders = new Map<OfferSortColumn, Int32Array>();
  return {
    rows,
    orderBy(column) {
      let order = orders.get(column);
      if (!order) {
        const keys = rows.map((r) => r.keys[column]);
        const idx = Array.from({ length: rows.length }, (_, i) => i);
        // Ties keep the rows' order (the sort is stable): the result does not depend on chance.
        idx.sort((a, b) => {
          const ka = keys[a]!;
          const kb = keys[b]!;
          return ka < kb ? -1 : ka > kb ? 1 : 0;
        });
        order = Int32Array.from(idx);
        orders.set(column, order);
      }
      return order;
    },
  };
}

export interface OfferFilters {
  query: string;
  status: '' | OfferStatus;
  /** A company profile ('' for every company of the organisation). */
  companyId: string;
  /** That profile's name: offers written without a profile match it by their company name. */
  companyName?: string;
}

export interface OfferSort {
  column: OfferSortColumn;
  desc: boolean;
}

export interface OfferQueryResult {
  rows: OfferRow[];
  /** Offers matching the query and company, by status (for the status filter's counts). */
  counts: Record<OfferStatus, number>;
  /** Offers matching the query and company, whatever their status. */
  total: number;
}

export function emptyCounts(): Record<OfferStatus, number> {
  const counts = {} as Record<OfferStatus, number>;
  for (const s of OFFER_STATUSES) counts[s] = 0;
  return counts;
}

/** One pass over the sorted order: the rows to show, and the counts for the status filter. */
export function queryOffers(index: OfferIndex, filters: OfferFilters, sort: OfferSort): OfferQueryResult {
  const q = normalizeForSearch(filters.query);
  const { status, companyId } = filters;
  const companyKey = companyId && filters.companyName ? normalizeForSearch(filters.companyName) : '';
  const order = index.orderBy(sort.column);
  const rows: OfferRow[] = [];
  const counts = emptyCounts();
  let total = 0;
  const n = order.length;
  for (let k = 0; k < n; k++) {
    const row = index.rows[order[sort.desc ? n - 1 - k : k]!]!;
    if (
      companyId &&
      row.companyId !== companyId &&
      (row.companyId || !companyKey || row.companyKey !== companyKey)
    )
      continue;
    if (q && !row.searchText.includes(q)) continue;
    total++;
    counts[row.status]++;
    if (!status || row.status === status) rows.push(row);
  }
  return { rows, counts, total };
}
