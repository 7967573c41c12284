import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SearchDoc } from '../schemas/search.schema';
import type { CvSearchCriteria } from './cv-search';
import { cvCriteriaLabel, mergeSearches, recordSearch, searchIdFor, setFavourite } from './searches';
import { sha256HexOfText as sha256Hex } from './sha256';

const T0 = '2026-03-01T10:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const NARBONNE = { code: '11262', label: 'Narbonne', lat: 43.18, lon: 3.0 };
const run = (criteria: CvSearchCriteria, resultCount = 3, source: 'local' | 'serveur' = 'local') => ({
  ownerId: 'u1',
  organisationId: 'o1',
  criteria,
  resultCount,
  source,
});

describe('search ids', () => {
  it('pure JS SHA-256 equals node:crypto (ASCII, accents, long texts)', () => {
    for (const text of ['', 'abc', 'serveuse à Narbonne', 'x'.repeat(1000), '€😀']) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
      }),
      { numRuns: 200 },
    );
  });

  it('one id per owner and search: same criteria written differently give the same id', () => {
    const a = searchIdFor('u1', { keywords: 'Serveuses', contractTypes: ['CDI', 'CDD'] });
    const b = searchIdFor('u1', { keywords: '  serveuse ', contractTypes: ['CDD', 'CDI', 'CDD'] });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(searchIdFor('u2', { keywords: 'serveuse' })).not.toBe(a);
    expect(searchIdFor('u1', { keywords: 'cuisinier' })).not.toBe(searchIdFor('u1', { keywords: 'serveur' }));
  });
});

describe('search labels', () => {
  it('summarises the criteria in French', () => {
    expect(cvCriteriaLabel({ keywords: 'serveur', place: NARBONNE, radiusKm: 20, rqthOnly: true })).toBe(
      'serveur, Narbonne 20 km, RQTH',
    );
    expect(cvCriteriaLabel({ place: NARBONNE })).toBe('Narbonne');
    expect(cvCriteriaLabel({})).toBe('Tous les CV');
    expect(
      cvCriteriaLabel({
        contractTypes: ['INTERIM'],
        licences: ['B'],
        availability: ['immediate'],
        domains: ['J'],
      }),
    ).toBe('Santé, Intérim, disponibilité : immédiate, permis B');
    expect(
      cvCriteriaLabel({ appellationCode: '11573', romeCodes: ['D1102', 'D1104'] }, 'Boulanger / Boulangère'),
    ).toBe('Boulanger / Boulangère + 1 métier proche');
    expect(cvCriteriaLabel({ keywords: 'boulanger', domains: ['D', 'G', 'I', 'M', 'N'] })).toBe(
      'boulanger, 5 domaines',
    );
    expect(cvCriteriaLabel({ appellationCode: '12345', romeCodes: ['G1603'] }, 'Serveur / Serveuse')).toBe(
      'Serveur / Serveuse',
    );
    expect(
      cvCriteriaLabel({ keywords: 'a'.repeat(200), languages: ['b'.repeat(60), 'c'.repeat(60)] }).length,
    ).toBe(300);
  });
});

describe('recording runs', () => {
  it('creates the entry, then counts each run; favourite kept', () => {
    const first = recordSearch(null, run({ keywords: 'Serveuses', place: NARBONNE, radiusKm: 20 }, 4), at(1));
    expect(first).toMatchObject({
      id: searchIdFor('u1', { keywords: 'serveuse', place: NARBONNE, radiusKm: 20 }),
      ownerId: 'u1',
      organisationId: 'o1',
      kind: 'cv',
      criteria: { keywords: 'Serveuses', place: NARBONNE, radiusKm: 20 },
      label: 'Serveuses, Narbonne 20 km',
      lastRunAt: at(1),
      runCount: 1,
      resultCount: 4,
      resultSource: 'local',
      favourite: false,
      createdAt: at(1),
      updatedAt: at(1),
    });
    const starred = setFavourite(first, true, at(2));
    expect(starred).toMatchObject({ favourite: true, favouriteAt: at(2) });
    const second = recordSearch(
      starred,
      run({ keywords: 'Serveuses', place: NARBONNE, radiusKm: 20 }, 7, 'serveur'),
      at(3),
    );
    expect(second).toMatchObject({
      runCount: 2,
      resultCount: 7,
      resultSource: 'serveur',
      lastRunAt: at(3),
      favourite: true,
      createdAt: at(1),
    });
  });
});

describe('merging two copies of a search', () => {
  const base = recordSearch(null, run({ keywords: 'serveur' }, 2), at(1));

  it('run fields from the later run, favourite from the later star, alerts from the later alert', () => {
    const left = setFavourite(
      recordSearch(base, run({ keywords: 'serveur' }, 5, 'serveur'), at(5)),
      true,
      at(2),
    );
    const right: SearchDoc = {
      ...setFavourite(recordSearch(base, run({ keywords: 'serveur' }, 9), at(3)), false, at(6)),
      lastAlertAt: at(7),
      lastAlertCount: 2,
    };
    for (const m of [mergeSearches(left, right), mergeSearches(right, left)]) {
      expect(m).toMatchObject({
        lastRunAt: at(5),
        resultCount: 5,
        resultSource: 'serveur',
        runCount: 2,
        favourite: false,
        favouriteAt: at(6),
        lastAlertAt: at(7),
        lastAlertCount: 2,
        createdAt: at(1),
      });
    }
  });

  it('keeps the larger run count and stays idempotent', () => {
    const many = recordSearch(
      recordSearch(base, run({ keywords: 'serveur' }), at(2)),
      run({ keywords: 'serveur' }),
      at(3),
    );
    expect(mergeSearches(base, many).runCount).toBe(3);
    expect(mergeSearches(many, many)).toEqual(many);
  });
});
