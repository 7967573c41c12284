import { describe, expect, it } from 'vitest';
import type { OfferStatus } from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import { blankOffer } from '../../../../shared/schemas/offer.schema';
import { createOfferIndex, createRowCache, queryOffers, sortKey, toOfferRow } from './offer-list';

function offer(id: string, over: Partial<OfferDoc> = {}): OfferDoc {
  return { ...blankOffer(id, 'org1', 'brouillon', `2025-01-0${id.length}T00:00:00.000Z`), ...over };
}

const docs: OfferDoc[] = [
  offer('a', {
    title: 'Vendeur n° 10 H/F',
    status: 'publiee',
    companyId: 'c1',
    number: '000010A',
    updatedAt: '2025-03-01',
  }),
  offer('b', { title: 'Électricien H/F', status: 'brouillon', companyId: 'c2', updatedAt: '2025-03-03' }),
  offer('c', {
    title: 'vendeur n° 9 H/F',
    status: 'refusee',
    companyId: 'c1',
    number: '000009B',
    updatedAt: '2025-03-02',
  }),
  offer('d', {
    title: 'Caissier H/F',
    status: 'supprimee',
    previousStatus: 'brouillon',
    companyId: 'c2',
    updatedAt: '2025-03-04',
  }),
];

const index = () => createOfferIndex(docs.map(toOfferRow));
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
const all = { query: '', status: '' as const, companyId: '' };

describe('offers list model', () => {
  it('sorts text without case or accents, and numbers by value', () => {
    expect(sortKey('Électricien') < sortKey('vendeur')).toBe(true);
    expect(sortKey('n° 9') < sortKey('n° 10')).toBe(true);
    const r = queryOffers(index(), all, { column: 'title', desc: false });
    expect(ids(r.rows)).toEqual(['d', 'b', 'c', 'a']);
    expect(ids(queryOffers(index(), all, { column: 'title', desc: true }).rows)).toEqual([
      'a',
      'c',
      'b',
      'd',
    ]);
  });

  it('filters by title without accents or case, and by number', () => {
    expect(
      ids(queryOffers(index(), { ...all, query: 'ELECTRI' }, { column: 'title', desc: false }).rows),
    ).toEqual(['b']);
    expect(
      ids(queryOffers(index(), { ...all, query: '000009b' }, { column: 'title', desc: false }).rows),
    ).toEqual(['c']);
  });

  it('filters by status and counts every status among the offers matching the other filters', () => {
    const r = queryOffers(index(), { ...all, status: 'publiee' }, { column: 'updatedAt', desc: true });
    expect(ids(r.rows)).toEqual(['a']);
    expect(r.total).toBe(4);
    expect(r.counts.publiee).toBe(1);
    expect(r.counts.brouillon).toBe(1);
    expect(r.counts.supprimee).toBe(1);
    const vendeur = queryOffers(index(), { ...all, query: 'vendeur' }, { column: 'updatedAt', desc: true });
    expect(vendeur.total).toBe(2);
    expect(vendeur.counts.brouillon).toBe(0);
  });

  it("filters by company profile (an agency's client company)", () => {
    const r = queryOffers(index(), { ...all, companyId: 'c2' }, { column: 'updatedAt', desc: true });
    expect(ids(r.rows)).toEqual(['d', 'b']);
    expect(r.total).toBe(2);
  });

  it('matches offers written without a profile by their company name', () => {
    const legacy = [
      ...docs,
      offer('e', { title: 'Ancienne offre H/F', companyName: 'Hôtel de la Cité' }),
      offer('f', { title: 'Autre H/F', companyName: 'Autre entreprise' }),
    ];
    const idx = createOfferIndex(legacy.map(toOfferRow));
    const r = queryOffers(
      idx,
      { ...all, companyId: 'c9', companyName: 'hotel de la cite' },
      { column: 'title', desc: false },
    );
    expect(ids(r.rows)).toEqual(['e']);
  });

  it('labels a deleted offer with its former status (« Supprimée (Brouillon) »)', () => {
    expect(toOfferRow(docs[3]!).statusLabel).toBe('Supprimée (Brouillon)');
  });

  it('reuses the row of an unchanged document and recomputes a changed one', () => {
    const rowFor = createRowCache();
    const first = rowFor(docs[0]!);
    expect(rowFor(docs[0]!)).toBe(first);
    const changed = { ...docs[0]!, title: 'Autre' };
    expect(rowFor(changed)).not.toBe(first);
    expect(rowFor(changed).keys.title).toBe('autre');
  });

  it('computes each column order once per data version', () => {
    const idx = index();
    expect(idx.orderBy('title')).toBe(idx.orderBy('title'));
  });

  it('stays fast on 50,000 offers (filter well under 100 ms)', () => {
    const statuses: OfferStatus[] = ['brouillon', 'en_attente', 'publiee', 'refusee', 'expiree'];
    const many = Array.from({ length: 50_000 }, (_, i) =>
      toOfferRow(
        offer(`o${i}`, {
          title: `Offre ${i} Vendeur H/F`,
          status: statuses[i % statuses.length]!,
          companyId: `c${i % 200}`,
          updatedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
        }),
      ),
    );
    const idx = createOfferIndex(many);
    idx.orderBy('updatedAt');
    const t0 = performance.now();
    const r = queryOffers(
      idx,
      { query: 'offre 4999', status: '', companyId: '' },
      { column: 'updatedAt', desc: true },
    );
    const ms = performance.now() - t0;
    expect(r.rows.length).toBe(11);
    expect(ms).toBeLessThan(100);
  });
});
