import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTRACT_TYPES, QUALIFICATION_LEVELS, WORKING_TIMES } from './offer';
import {
  criteriaFromQuery,
  criteriaToQuery,
  hasSearchCriteria,
  keywordList,
  keywordRoot,
  type OfferSearchCriteria,
  searchOptionsFromQuery,
  validateCriteria,
} from './offer-search';

describe('mots-clés', () => {
  it('plie accents, casse et ligatures ; coupe sur la ponctuation ; retire les doublons et les lettres seules', () => {
    expect(keywordList('Éleveur  d’ŒUFS, l’hôtellerie ÉLEVEUR')).toEqual(['eleveur', 'oeufs', 'hotellerie']);
    expect(keywordList(undefined)).toEqual([]);
    expect(keywordList('  ')).toEqual([]);
  });

  it('racine française pour la recherche par préfixe', () => {
    for (const w of ['boulanger', 'boulangers', 'boulangerie', 'boulangere'])
      expect(keywordRoot(w)).toBe('boulang');
    expect(keywordRoot('vendeuse')).toBe('vend');
    expect(keywordRoot('developpeur')).toBe('developp');
    // Never below four letters.
    expect(keywordRoot('bus')).toBe('bus');
    expect(keywordRoot('aides')).toBe('aide');
  });
});

describe('validation des critères', () => {
  it('au plus 5 mots-clés, avec un message en français', () => {
    expect(validateCriteria({ keywords: 'un deux trois quatre cinq' })).toEqual([]);
    const errors = validateCriteria({ keywords: 'un deux trois quatre cinq six' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.field).toBe('keywords');
    expect(errors[0]!.message).toMatch(/au plus 5 mots-clés/);
  });

  it('nomme chaque champ en faute', () => {
    const fields = validateCriteria({
      strict: true,
      appellation: 'abc',
      romeCode: 'Z999',
      place: { kind: 'departement', code: '999' },
      radiusKm: 20,
      contractTypes: ['CDI', 'X' as never],
      domain: 'Q',
      qualifications: ['chef' as never],
      workingTimes: ['nuit' as never],
      publishedWithinDays: 0,
      salaryMin: -1,
      offerNumber: '12',
    }).map((e) => e.field);
    expect(fields.sort()).toEqual(
      [
        'keywords',
        'appellation',
        'romeCode',
        'place',
        'radiusKm',
        'contractTypes',
        'domain',
        'qualifications',
        'workingTimes',
        'publishedWithinDays',
        'salaryMin',
        'offerNumber',
      ].sort(),
    );
  });

  it('le rayon demande une commune', () => {
    expect(validateCriteria({ place: { kind: 'commune', code: '35238' }, radiusKm: 30 })).toEqual([]);
    expect(validateCriteria({ place: { kind: 'region', code: '53' }, radiusKm: 30 })[0]!.field).toBe(
      'radiusKm',
    );
    expect(validateCriteria({ place: { kind: 'commune', code: '2A004' } })).toEqual([]);
    expect(validateCriteria({ place: { kind: 'departement', code: '974' } })).toEqual([]);
  });
});

const criteriaArb: fc.Arbitrary<OfferSearchCriteria> = fc
  .record(
    {
      keywords: fc
        .array(fc.constantFrom('boulanger', 'Pâtissier', 'CDI', 'nuit', 'l’été', 'vendeuse'), {
          minLength: 1,
          maxLength: 5,
        })
        .map((w) => w.join(' ')),
      strict: fc.constant(true),
      appellation: fc.constantFrom('11573', '10868'),
      romeCode: fc.constantFrom('D1102', 'M1805'),
      place: fc.oneof(
        fc.record({
          kind: fc.constant('commune' as const),
          code: fc.constantFrom('35238', '2A004', '75056'),
        }),
        fc.record({ kind: fc.constant('departement' as const), code: fc.constantFrom('35', '2B', '974') }),
        fc.record({ kind: fc.constant('region' as const), code: fc.constantFrom('53', '11') }),
      ),
      contractTypes: fc.uniqueArray(fc.constantFrom(...CONTRACT_TYPES), { minLength: 1 }),
      domain: fc.constantFrom('A', 'D', 'N'),
      qualifications: fc.uniqueArray(fc.constantFrom(...QUALIFICATION_LEVELS), { minLength: 1 }),
      workingTimes: fc.uniqueArray(fc.constantFrom(...WORKING_TIMES), { minLength: 1 }),
      publishedWithinDays: fc.integer({ min: 1, max: 365 }),
      salaryMin: fc.integer({ min: 0, max: 100_000 }),
      seasonal: fc.constant(true),
    },
    { requiredKeys: [] },
  )
  .map((c) => {
    const out: OfferSearchCriteria = { ...c };
    if (out.place?.kind === 'commune') out.radiusKm = 30;
    if (!out.keywords) delete out.strict;
    return out;
  });

describe('codec d’adresse', () => {
  it('aller-retour : les critères valides reviennent à l’identique', () => {
    fc.assert(
      fc.property(criteriaArb, (c) => {
        const back = criteriaFromQuery(criteriaToQuery(c));
        expect(back.errors).toEqual([]);
        expect(back.criteria).toEqual(c);
      }),
    );
  });

  it('lit les paramètres en français, y compris depuis l’objet de requête de Fastify', () => {
    const { criteria, errors } = criteriaFromQuery({
      motsCles: 'boulanger',
      commune: '35238',
      rayon: '20',
      contrat: ['CDI', 'CDD'],
      numero: '123 456 a',
    });
    expect(errors).toEqual([]);
    expect(criteria).toEqual({
      keywords: 'boulanger',
      place: { kind: 'commune', code: '35238' },
      radiusKm: 20,
      contractTypes: ['CDI', 'CDD'],
      offerNumber: '123456A',
    });
    expect(criteriaFromQuery('?motsCles=&contrat=').criteria).toEqual({});
    expect(hasSearchCriteria({})).toBe(false);
    expect(hasSearchCriteria({ contractTypes: [] })).toBe(false);
    expect(hasSearchCriteria({ seasonal: true })).toBe(true);
  });

  it('signale les valeurs illisibles par critère', () => {
    const { errors } = criteriaFromQuery(
      'rayon=dix&commune=35238&departement=35&strict=peut-etre&salaire=1e5',
    );
    expect(errors.map((e) => e.field).sort()).toEqual(['place', 'radiusKm', 'salaryMin', 'strict']);
  });

  it('page, taille de page et tri', () => {
    expect(searchOptionsFromQuery('page=2&tri=date')).toEqual({
      page: 2,
      pageSize: 20,
      sort: 'date',
      errors: [],
    });
    expect(searchOptionsFromQuery('page=8').errors).toEqual([]);
    expect(searchOptionsFromQuery('page=9').errors[0]!.field).toBe('page');
    expect(searchOptionsFromQuery('parPage=50&page=3').errors).toEqual([]);
    expect(searchOptionsFromQuery('parPage=51').errors[0]!.field).toBe('pageSize');
    expect(searchOptionsFromQuery('tri=prix').errors[0]!.field).toBe('sort');
  });
});
