import { describe, expect, it } from 'vitest';
import {
  buildCommuneIndex,
  buildNafIndex,
  COORDINATE_SOURCES,
  type CommuneIndex,
  distanceKm,
  searchCommunes,
  searchNaf,
} from '../shared/domain/reference';
import {
  buildCommunes,
  buildNaf,
  type CogCommune,
  type GeoPlace,
  loadSources,
  nafSection,
  type ReferenceSources,
} from './build-reference';

const place = (name: string, lat: number, lon: number, extra: Partial<GeoPlace> = {}): GeoPlace => ({
  name,
  country: 'FR',
  featureCode: 'PPL',
  population: 1000,
  loc: { coordinates: [lon, lat] },
  ...extra,
});
const commune = (code: string, nom: string, extra: Partial<CogCommune> = {}): CogCommune => ({
  code,
  nom,
  type: 'commune-actuelle',
  departement: code.slice(0, 2),
  arrondissement: `${code.slice(0, 2)}1`,
  codesPostaux: [],
  population: 100,
  ...extra,
});

/** A small, made-up département to check each matching rule and each fallback. */
function fixture(): Pick<
  ReferenceSources,
  'communes' | 'epci' | 'departements' | 'regions' | 'places' | 'versions'
> {
  return {
    communes: [
      commune('10001', 'Alpha', { codesPostaux: ['10100'] }),
      commune('10002', 'Beta', { codesPostaux: ['10100'] }), // shares Alpha's postal code
      commune('10003', 'Gamma', { codesPostaux: ['10300'] }), // EPCI with Delta
      commune('10004', 'Delta', { codesPostaux: ['10400'] }),
      commune('10005', 'Epsilon', { codesPostaux: ['10500'], arrondissement: '102' }), // arrondissement only
      commune('10006', 'Zeta', { codesPostaux: ['10600'], arrondissement: '102' }),
      commune('10007', 'Eta', { codesPostaux: ['10700'], arrondissement: '103' }), // département only
      commune('10008', 'Theta Nouvelle', { codesPostaux: ['10800'] }),
      commune('10008', 'Theta', { type: 'commune-deleguee', chefLieu: '10008' }),
      commune('10009', 'Iota', { type: 'commune-deleguee', chefLieu: '10008' }),
      commune('10010', 'Kappa', { codesPostaux: ['10900'], arrondissement: '102' }),
      commune('10056', 'Ville', { codesPostaux: ['10001', '10002'], arrondissement: '102' }),
      commune('10101', 'Ville 1er Arrondissement', {
        type: 'arrondissement-municipal',
        commune: '10056',
        codesPostaux: ['10001'],
      }),
      commune('10102', 'Ville 2e Arrondissement', {
        type: 'arrondissement-municipal',
        commune: '10056',
        codesPostaux: ['10002'],
      }),
      commune('98401', 'Terre lointaine', { departement: '984', codesPostaux: [] }),
    ],
    epci: [{ code: '200000001', nom: 'CC Test', membres: [{ code: '10003' }, { code: '10004' }] }],
    departements: [{ code: '10', nom: 'Test', region: '99' }],
    regions: [{ code: '99', nom: 'Région test' }],
    places: [
      place('Alpha', 48, 4, { muniSub: '10001' }),
      place('Hameau d’Alpha', 48.5, 4.5, { muniSub: '10001', population: 50000 }), // not Alpha's own name
      place('Delta', 47, 3, { muniSub: '10004' }),
      place('Zeta', 46, 2, { muniSub: '10006' }),
      place('Kappa', 45, 1, { muniSub: '10004' }), // wrongly coded: named after Kappa
      place('Iota', 44, 0, { muniSub: '10009' }), // an old commune inside Theta Nouvelle
      place('Theta', 44.5, 0.5, { muniSub: '10008' }), // its chef-lieu, same code
      place('Ville', 43, 5, { featureCode: 'PPLA' }), // no code: unique name
      place('Ville 02', 43.1, 5.1, { muniSub: '10056', featureCode: 'PPLA5' }),
      place('Elsewhere', 10, 10, { country: 'US', muniSub: '10007' }),
    ],
    versions: ['test@1'],
  };
}

describe('buildCommunes (made-up data)', () => {
  const { file, coverage } = buildCommunes(fixture(), 'now');
  const index = buildCommuneIndex(file);
  const at = (code: string) => {
    const c = index.byCode.get(code)!;
    return [c.latitude, c.longitude, c.coordinateSource];
  };

  it('uses the place named after the commune, before another place coded in it', () => {
    expect(at('10001')).toEqual([48, 4, 'commune']);
  });
  it('gives a wrongly coded place to the commune it is named after', () => {
    expect(at('10010')).toEqual([45, 1, 'commune']);
    expect(at('10004')).toEqual([47, 3, 'commune']);
  });
  it('prefers the chef-lieu of a commune nouvelle to its other old communes', () => {
    expect(at('10008')).toEqual([44.5, 0.5, 'commune']);
  });
  it('matches a place without code by its unique name, and numbered places to arrondissements', () => {
    expect(at('10056')).toEqual([43, 5, 'commune']);
    expect(at('10102')).toEqual([43.1, 5.1, 'commune']);
    expect(index.byCode.get('10102')!.parentCode).toBe('10056');
  });
  it('falls back to the postal code, then the EPCI, the arrondissement, the département', () => {
    expect(at('10002')).toEqual([48, 4, 'code-postal']);
    expect(at('10101')).toEqual([43, 5, 'code-postal']);
    expect(at('10003')).toEqual([47, 3, 'epci']);
    // Arrondissement 102: Zeta (46, 2), Kappa (45, 1), Ville (43, 5).
    expect(at('10005')).toEqual([44.6667, 2.6667, 'arrondissement']);
    expect(at('10007')[2]).toBe('departement');
  });
  it('leaves out what cannot be placed, ignores foreign places, and counts every source', () => {
    expect(index.byCode.has('98401')).toBe(false);
    expect(coverage.excluded).toEqual([{ code: '98401', name: 'Terre lointaine' }]);
    expect(coverage.bySource).toEqual({
      commune: 7,
      'code-postal': 2,
      epci: 1,
      arrondissement: 1,
      departement: 1,
    });
    expect(coverage.total).toBe(file.rows.length);
  });
  it('versions the content, not the generation date', () => {
    expect(buildCommunes(fixture(), 'later').file.version).toBe(file.version);
    const changed = fixture();
    changed.communes[0]!.population = 101;
    expect(buildCommunes(changed, 'now').file.version).not.toBe(file.version);
  });
});

describe('bundled reference data (npm packages)', () => {
  const sources = loadSources();
  const { file, coverage } = buildCommunes(sources);
  const index: CommuneIndex = buildCommuneIndex(file);
  const naf = buildNaf(sources);

  it('holds every current commune and the 45 arrondissements municipaux, placed', () => {
    const current = sources.communes.filter((c) => c.type === 'commune-actuelle').length;
    expect(file.rows.length).toBe(current + 45 - coverage.excluded.length);
    expect(coverage.excluded.length).toBeLessThan(10);
    expect(file.rows.filter((r) => r.length === 9)).toHaveLength(45);
    for (const c of index.communes) {
      expect(Number.isFinite(c.latitude) && Math.abs(c.latitude) <= 90, c.code).toBe(true);
      expect(Number.isFinite(c.longitude) && Math.abs(c.longitude) <= 180, c.code).toBe(true);
    }
    const total = COORDINATE_SOURCES.reduce((n, s) => n + coverage.bySource[s], 0);
    expect(total).toBe(file.rows.length);
    expect(coverage.bySource.commune).toBeGreaterThan(8000);
  });

  it('places well-known communes where they are', () => {
    const near = (code: string, lat: number, lon: number, km: number) => {
      const c = index.byCode.get(code)!;
      expect(distanceKm(c.latitude, c.longitude, lat, lon), c.name).toBeLessThan(km);
    };
    near('75056', 48.8566, 2.3522, 2); // Paris
    near('69123', 45.764, 4.8357, 3); // Lyon
    near('13055', 43.2965, 5.3698, 3); // Marseille
    near('31555', 43.6047, 1.4442, 3); // Toulouse
    near('2A004', 41.9192, 8.7386, 3); // Ajaccio
    near('97411', -20.8823, 55.4504, 5); // Saint-Denis (La Réunion)
    near('97611', -12.7806, 45.2279, 5); // Mamoudzou
    expect(index.byCode.get('75056')!.coordinateSource).toBe('commune');
    expect(index.byCode.get('75115')!.parentCode).toBe('75056');
  });

  it('keeps every own position inside its département (no wrongly matched place)', () => {
    const byDept = new Map<string, [number, number][]>();
    for (const c of index.communes) {
      const list = byDept.get(c.departement) ?? [];
      list.push([c.latitude, c.longitude]);
      byDept.set(c.departement, list);
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1]!;
    const middle = new Map(
      [...byDept].map(([dept, points]) => [
        dept,
        [median(points.map((p) => p[0])), median(points.map((p) => p[1]))],
      ]),
    );
    const far = index.communes.filter((c) => {
      if (c.departement.length === 3) return false; // overseas collectivities span oceans
      const [lat, lon] = middle.get(c.departement)!;
      return distanceKm(c.latitude, c.longitude, lat!, lon!) > 120;
    });
    expect(far.map((c) => `${c.code} ${c.name}`)).toEqual([]);
  });

  it('searches 35,000 communes quickly and in the expected order', () => {
    expect(searchCommunes(index, 'lyon', 3)[0]!.code).toBe('69123');
    expect(searchCommunes(index, 'st etienne', 3)[0]!.code).toBe('42218');
    expect(searchCommunes(index, 'Saint-Étienne', 3)[0]!.code).toBe('42218');
    expect(searchCommunes(index, 'marseille 13008', 5).map((c) => c.code)).toEqual(['13055', '13208']);
    expect(searchCommunes(index, '75015', 5).map((c) => c.code)).toEqual(['75056', '75115']);
    const queries = [
      'lyon',
      'st',
      'sai',
      'saint etienne',
      'bo',
      'mont',
      'sur',
      '69',
      '7501',
      'ville',
      'x',
      'zz',
    ];
    const started = performance.now();
    let runs = 0;
    for (let i = 0; i < 20; i++)
      for (const q of queries) {
        searchCommunes(index, q, 10);
        runs++;
      }
    const perQuery = (performance.now() - started) / runs;
    console.log(
      `searchCommunes : ${perQuery.toFixed(2)} ms par recherche (${index.communes.length} communes)`,
    );
    expect(runs).toBe(240);
  });

  it('lists the 732 NAF sous-classes with their 21 sections', () => {
    expect(naf.rows).toHaveLength(732);
    expect(naf.sections).toHaveLength(21);
    expect(
      naf.rows.every(([code, label, section]) => /^\d{2}\.\d{2}[A-Z]$/.test(code) && label && section),
    ).toBe(true);
    expect(naf.rows.find((r) => r[0] === '62.01Z')).toEqual(['62.01Z', 'Programmation informatique', 'J']);
    expect(nafSection('01.11Z')).toBe('A');
    expect(nafSection('99.00Z')).toBe('U');
    expect(nafSection('04.00Z')).toBeNull();
    const nafIndex = buildNafIndex(naf);
    expect(searchNaf(nafIndex, 'boulangerie').map((a) => a.code)).toContain('10.71C');
    expect(searchNaf(nafIndex, '10.71').map((a) => a.code)).toEqual(['10.71A', '10.71B', '10.71C', '10.71D']);
  });
});
