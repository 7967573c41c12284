import { describe, expect, it } from 'vitest';
import {
  describeCriteria,
  hasCriteria,
  normaliseCriteria,
  parisDay,
  subscriptionEnd,
  validateSearchName,
} from './saved-search';

describe('subscriptionEnd (3 months, seed 002)', () => {
  it('adds three calendar months, keeping the time of day', () => {
    expect(subscriptionEnd(new Date('2026-01-15T08:30:00Z')).toISOString()).toBe('2026-04-15T08:30:00.000Z');
    expect(subscriptionEnd(new Date('2026-10-20T00:00:00Z')).toISOString()).toBe('2027-01-20T00:00:00.000Z');
  });
  it('clamps to the last day of a shorter month', () => {
    expect(subscriptionEnd(new Date('2026-11-30T12:00:00Z')).toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect(subscriptionEnd(new Date('2027-11-30T12:00:00Z')).toISOString()).toBe('2028-02-29T12:00:00.000Z');
    expect(subscriptionEnd(new Date('2026-05-31T12:00:00Z')).toISOString()).toBe('2026-08-31T12:00:00.000Z');
  });
});

describe('parisDay', () => {
  it('is the calendar day in Paris, not in UTC', () => {
    expect(parisDay(new Date('2026-06-30T21:59:00Z'))).toBe('2026-06-30');
    expect(parisDay(new Date('2026-06-30T22:01:00Z'))).toBe('2026-07-01');
    expect(parisDay(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
});

describe('validateSearchName', () => {
  it('trims and collapses spaces', () => {
    expect(validateSearchName('  Boulanger   à Nantes ')).toEqual({ name: 'Boulanger à Nantes' });
  });
  it('refuses an empty, too long or non-text name with a French message naming the field', () => {
    for (const bad of ['', '   ', 42, null, 'x'.repeat(101), 'a\u0007b']) {
      const result = validateSearchName(bad);
      expect(result).toHaveProperty('field', 'name');
      expect((result as { message: string }).message).toMatch(/nom|caractères/);
    }
  });
});

describe('normaliseCriteria', () => {
  it('keeps the meaningful criteria and drops empty values and unknown keys', () => {
    expect(
      normaliseCriteria({
        keywords: ' boulanger ',
        strict: false,
        contractTypes: ['CDI', 'CDI'],
        place: { kind: 'commune', code: '44109' },
        radiusKm: 20,
        qualifications: [],
        page: 3,
      }),
    ).toEqual({
      criteria: {
        keywords: 'boulanger',
        contractTypes: ['CDI'],
        place: { kind: 'commune', code: '44109' },
        radiusKm: 20,
      },
      problems: [],
    });
  });
  it('names each field at fault', () => {
    const result = normaliseCriteria({
      keywords: 'un deux trois quatre cinq six',
      contractTypes: ['CDX'],
      radiusKm: 'loin',
      place: { kind: 'planete', code: 'x' },
      seasonal: 'oui',
    });
    expect(result.criteria).toBeNull();
    expect(result.problems.map((p) => p.field).sort()).toEqual([
      'criteria.contractTypes',
      'criteria.keywords',
      'criteria.place',
      'criteria.radiusKm',
      'criteria.seasonal',
    ]);
  });
  it('refuses what is not an object', () => {
    for (const bad of [null, 'x', [], 3]) expect(normaliseCriteria(bad).problems[0]?.field).toBe('criteria');
  });
});

describe('describeCriteria and hasCriteria', () => {
  it('says the criteria in French words', () => {
    expect(
      describeCriteria({
        keywords: 'boulanger',
        strict: true,
        contractTypes: ['CDI', 'INTERIM'],
        place: { kind: 'commune', code: '44109' },
        radiusKm: 20,
        domain: 'D',
        seasonal: true,
      }),
    ).toBe(
      'Mots-clés : boulanger (strictement) · À 20 km de commune 44109 · Contrat : CDI, Intérim · Domaine : Commerce, vente et grande distribution · Emplois saisonniers',
    );
    expect(
      describeCriteria({ place: { kind: 'departement', code: '44' } }, { place: 'Loire-Atlantique (44)' }),
    ).toBe('Lieu : Loire-Atlantique (44)');
    expect(
      describeCriteria(
        { appellation: '10868', romeCode: 'D1102' },
        { appellation: 'Boulanger', romeCode: 'Boulangerie' },
      ),
    ).toBe('Métier : Boulanger · Code ROME D1102 (Boulangerie)');
    expect(describeCriteria({})).toBe('Toutes les offres');
  });
  it('hasCriteria is false for an empty search', () => {
    expect(hasCriteria({})).toBe(false);
    expect(hasCriteria({ keywords: '  ' })).toBe(false);
    expect(hasCriteria({ contractTypes: [] })).toBe(false);
    expect(hasCriteria({ romeCode: 'D1102' })).toBe(true);
  });
});
