import { describe, expect, it } from 'vitest';
import {
  buildAppellationIndex,
  buildCommuneIndex,
  buildNafIndex,
  buildTextSearchIndex,
  COMMUNE_COLUMNS,
  COORDINATE_SOURCES,
  type CommuneRow,
  type CommunesFile,
  communesWithin,
  coordinateNote,
  distanceKm,
  formatCommune,
  NAF_COLUMNS,
  type NafFile,
  normaliseSearch,
  parseNafCode,
  type RomeFile,
  searchAppellations,
  searchCommunes,
  searchNaf,
  searchTextIndex,
} from './reference';

const rows: CommuneRow[] = [
  ['42218', 'Saint-Étienne', ['42000', '42100'], '42', 170000, 45.4347, 4.3903, 0],
  ['76575', 'Saint-Étienne-du-Rouvray', ['76800'], '76', 28000, 49.3779, 1.105, 0],
  ['42999', 'Étienne-la-Petite', ['42100'], '42', 300, 45.41, 4.4, 1],
  ['69123', 'Lyon', ['69001', '69002', '69003'], '69', 519127, 45.7485, 4.8467, 0],
  ['69383', 'Lyon 3e Arrondissement', ['69003'], '69', 103000, 45.7485, 4.8467, 1, '69123'],
  ['38999', 'Lyonnais-sur-Isère', ['38000'], '38', 500, 45.2, 5.7, 2],
  ['01999', 'Villeneuve-de-Lyon', ['01600'], '01', 20000, 46, 4.8, 3],
  ['13999', 'Salyon', ['13100'], '13', 900000, 43.5, 5.4, 4],
  ['75056', 'Paris', ['75001', '75015'], '75', 2100000, 48.8534, 2.3488, 0],
  ['75115', 'Paris 15e Arrondissement', ['75015'], '75', 230000, 48.8534, 2.3488, 1, '75056'],
  ['2A004', 'Ajaccio', ['20000', '20090'], '2A', 73000, 41.9189, 8.7381, 0],
  ['01050', 'Bâgé-Dommartin', ['01380'], '01', 4000, 46.33, 4.95, 0],
  ['95500', 'L’Isle-Adam', ['95290'], '95', 12000, 49.11, 2.22, 0],
];

const communesFile: CommunesFile = {
  version: 'test',
  generatedAt: '2026-01-01T00:00:00.000Z',
  sources: [],
  columns: COMMUNE_COLUMNS,
  coordinateSources: COORDINATE_SOURCES,
  departements: [
    ['42', 'Loire', '84'],
    ['69', 'Rhône', '84'],
    ['75', 'Paris', '11'],
  ],
  regions: [['84', 'Auvergne-Rhône-Alpes']],
  rows,
};
const communes = buildCommuneIndex(communesFile);
const codes = (list: { code: string }[]) => list.map((c) => c.code);

describe('normaliseSearch', () => {
  it('folds case, accents, ligatures, hyphens and apostrophes', () => {
    expect(normaliseSearch('  Bâgé-Dommartin ')).toBe('bage dommartin');
    expect(normaliseSearch('L’Isle-Adam')).toBe('l isle adam');
    expect(normaliseSearch("L'HAŸ-LES-ROSES")).toBe('l hay les roses');
    expect(normaliseSearch('Cœur / Œuvre')).toBe('coeur oeuvre');
    expect(normaliseSearch('')).toBe('');
  });
  it('reads st / ste as saint / sainte, as whole words only', () => {
    expect(normaliseSearch('St-Étienne')).toBe('saint etienne');
    expect(normaliseSearch('Ste Foy')).toBe('sainte foy');
    expect(normaliseSearch('Saint-Étienne')).toBe(normaliseSearch('st etienne'));
    expect(normaliseSearch('Stella-Plage')).toBe('stella plage');
    expect(normaliseSearch('Ouistreham')).toBe('ouistreham');
  });
});

describe('searchTextIndex', () => {
  const texts = ['Saint-Étienne', 'Saint-Étienne-du-Rouvray', 'Étienne', 'Bas-en-Basset', 'Boissettes'];
  const index = buildTextSearchIndex(texts);
  const search = (q: string, limit = 10) => searchTextIndex(index, q, limit).map((i) => texts[i]);
  it('orders prefix, later word, words in any order, inside a word, words anywhere', () => {
    expect(search('saint')).toEqual(['Saint-Étienne', 'Saint-Étienne-du-Rouvray']);
    expect(search('etie')).toEqual(['Étienne', 'Saint-Étienne', 'Saint-Étienne-du-Rouvray']);
    expect(search('rouvray saint')).toEqual(['Saint-Étienne-du-Rouvray']);
    expect(search('set')).toEqual(['Bas-en-Basset', 'Boissettes']);
    expect(search('sett oiss')).toEqual(['Boissettes']);
    expect(search('tienne')).toEqual(['Saint-Étienne', 'Saint-Étienne-du-Rouvray', 'Étienne']);
  });
  it('keeps the index order within a group, lists each entry once and respects filters', () => {
    expect(search('en')).toEqual(['Bas-en-Basset', 'Saint-Étienne', 'Saint-Étienne-du-Rouvray', 'Étienne']);
    expect(search('e', 2)).toEqual(['Étienne', 'Saint-Étienne']);
    expect(searchTextIndex(index, 'saint', 10, (i) => i !== 0)).toEqual([1]);
    expect(searchTextIndex(index, 'saint', 10, undefined, new Set([1]))).toEqual([0]);
    expect(search('lyon')).toEqual([]);
    expect(search('   ')).toEqual([]);
    expect(search('saint', 0)).toEqual([]);
  });
});

describe('distanceKm', () => {
  it('measures great-circle distances', () => {
    expect(distanceKm(48.8534, 2.3488, 48.8534, 2.3488)).toBe(0);
    // Paris – Lyon: about 392 km.
    expect(distanceKm(48.8534, 2.3488, 45.7485, 4.8467)).toBeGreaterThan(385);
    expect(distanceKm(48.8534, 2.3488, 45.7485, 4.8467)).toBeLessThan(400);
    // A quarter of a meridian: about 10,008 km.
    expect(Math.round(distanceKm(0, 0, 90, 0))).toBe(10008);
    expect(distanceKm(45, 4, 46, 5)).toBeCloseTo(distanceKm(46, 5, 45, 4), 9);
  });
});

describe('buildCommuneIndex', () => {
  it('expands rows with the département, the region, the source and the parent', () => {
    const lyon3 = communes.byCode.get('69383')!;
    expect(lyon3).toMatchObject({
      name: 'Lyon 3e Arrondissement',
      departement: '69',
      departementName: 'Rhône',
      region: '84',
      coordinateSource: 'code-postal',
      parentCode: '69123',
    });
    expect(communes.byCode.get('69123')!.parentCode).toBeUndefined();
    expect(communes.byCode.get('01999')!.coordinateSource).toBe('arrondissement');
  });
});

describe('searchCommunes', () => {
  it('puts name prefixes first by population, then word prefixes, then contained', () => {
    const found = searchCommunes(communes, 'lyon', 10);
    expect(codes(found)).toEqual(['69123', '69383', '38999', '01999', '13999']);
  });
  it('puts an exact name before bigger communes that only start with it', () => {
    expect(codes(searchCommunes(communes, 'Saint-Étienne', 3))[0]).toBe('42218');
    expect(codes(searchCommunes(communes, 'paris', 2))).toEqual(['75056', '75115']);
  });
  it('treats st and saint alike and ignores accents and hyphens', () => {
    expect(codes(searchCommunes(communes, 'st etienne', 5))).toEqual(['42218', '76575']);
    expect(codes(searchCommunes(communes, 'SAINT ETIENNE DU', 5))).toEqual(['76575']);
    expect(codes(searchCommunes(communes, 'bage dom', 5))).toEqual(['01050']);
    expect(codes(searchCommunes(communes, "l'isle", 5))).toEqual(['95500']);
  });
  it('finds words in another order', () => {
    expect(codes(searchCommunes(communes, 'rouvray saint', 5))).toEqual(['76575']);
  });
  it('matches postal code prefixes when the query is digits, sorted by postal code', () => {
    const found = searchCommunes(communes, '690', 10);
    expect(found.map((c) => `${c.postalCode} ${c.code}`)).toEqual([
      '69001 69123',
      '69002 69123',
      '69003 69123',
      '69003 69383',
    ]);
    expect(searchCommunes(communes, '42100', 5).map((c) => c.code)).toEqual(['42218', '42999']);
    expect(searchCommunes(communes, '99', 5)).toEqual([]);
  });
  it('finds a commune by its INSEE code, Corsica included', () => {
    expect(codes(searchCommunes(communes, '69123', 5))).toEqual(['69123']);
    expect(codes(searchCommunes(communes, '2a004', 5))).toEqual(['2A004']);
  });
  it('combines a name and a postal code, and reads « Paris 15 » as a name', () => {
    const lyon = searchCommunes(communes, 'lyon 69003', 5);
    expect(lyon.map((c) => `${c.code} ${c.postalCode}`)).toEqual(['69123 69003', '69383 69003']);
    expect(codes(searchCommunes(communes, '42100 etienne', 5))).toEqual(['42999', '42218']);
    expect(codes(searchCommunes(communes, 'paris 15', 5))).toEqual(['75115']);
  });
  it('gives the first postal code for a name match and respects the limit', () => {
    expect(searchCommunes(communes, 'lyon', 1)).toEqual([
      expect.objectContaining({ code: '69123', postalCode: '69001' }),
    ]);
    expect(searchCommunes(communes, 'lyon', 0)).toEqual([]);
    expect(searchCommunes(communes, '  ', 5)).toEqual([]);
    expect(searchCommunes(communes, '--', 5)).toEqual([]);
  });
});

describe('communesWithin', () => {
  it('returns the communes within the radius, nearest first, with their distance', () => {
    const near = communesWithin(communes, 45.7485, 4.8467, 60);
    expect(codes(near)).toEqual(['69123', '69383', '01999', '42218', '42999']);
    expect(near[0]!.distanceKm).toBe(0);
    expect(near.every((c) => c.distanceKm <= 60)).toBe(true);
    expect(communesWithin(communes, 45.7485, 4.8467, 0.5).map((c) => c.code)).toEqual(['69123', '69383']);
  });
});

describe('coordinateNote and formatCommune', () => {
  it('says when a position is approximate, and how', () => {
    expect(coordinateNote('commune')).toBeNull();
    expect(coordinateNote('code-postal')).toBe('position approchée (code postal)');
    expect(coordinateNote('departement')).toBe('position approchée (département)');
    expect(formatCommune({ name: 'Lyon', postalCode: '69003', departement: '69' })).toBe('Lyon (69003)');
    expect(formatCommune({ name: 'Kerguelen', postalCode: '', departement: '984' })).toBe('Kerguelen (984)');
  });
});

const nafFile: NafFile = {
  version: 'n1',
  generatedAt: '',
  sources: [],
  columns: NAF_COLUMNS,
  sections: [
    ['I', 'Hébergement et restauration'],
    ['J', 'Information et communication'],
  ],
  divisions: [],
  rows: [
    ['56.10A', 'Restauration traditionnelle', 'I'],
    ['56.10C', 'Restauration de type rapide', 'I'],
    ['62.01Z', 'Programmation informatique', 'J'],
    ['62.02A', 'Conseil en systèmes et logiciels informatiques', 'J'],
  ],
};
const naf = buildNafIndex(nafFile);

describe('searchNaf', () => {
  it('finds sous-classes by code however it is written', () => {
    expect(codes(searchNaf(naf, '62.01Z'))).toEqual(['62.01Z']);
    expect(codes(searchNaf(naf, '6201z'))).toEqual(['62.01Z']);
    expect(codes(searchNaf(naf, '62'))).toEqual(['62.01Z', '62.02A']);
    expect(codes(searchNaf(naf, '56.1'))).toEqual(['56.10A', '56.10C']);
  });
  it('finds them by label words, prefixes first, with their section', () => {
    expect(codes(searchNaf(naf, 'restauration'))).toEqual(['56.10A', '56.10C']);
    expect(codes(searchNaf(naf, 'informatique'))).toEqual(['62.01Z', '62.02A']);
    expect(codes(searchNaf(naf, 'logiciel conseil'))).toEqual(['62.02A']);
    expect(codes(searchNaf(naf, 'systemes'))).toEqual(['62.02A']);
    expect(searchNaf(naf, 'programmation')[0]).toEqual({
      code: '62.01Z',
      label: 'Programmation informatique',
      section: 'J',
      sectionLabel: 'Information et communication',
    });
    expect(searchNaf(naf, 'boulangerie')).toEqual([]);
    expect(searchNaf(naf, 'restauration', 1)).toHaveLength(1);
  });
  it('parses NAF codes written loosely', () => {
    expect(parseNafCode('6201z')).toBe('62.01Z');
    expect(parseNafCode(' 62.01 Z ')).toBe('62.01Z');
    expect(parseNafCode('62.01')).toBeNull();
    expect(parseNafCode('abc')).toBeNull();
  });
});

const romeFile: RomeFile = {
  version: '4.60',
  revision: 'r1',
  codes: [
    ['D1102', 'Boulangerie - viennoiserie'],
    ['D1104', 'Pâtisserie, confiserie, chocolaterie et glacerie'],
    ['M1805', 'Études et développement informatique'],
  ],
  appellations: [
    ['11573', 'Boulanger / Boulangère', 'D1102'],
    ['11574', 'Boulanger-pâtissier / Boulangère-pâtissière', 'D1102'],
    ['12345', 'Aide-boulanger / Aide-boulangère', 'D1102'],
    ['38584', 'Pâtissier / Pâtissière', 'D1104'],
    ['38999', 'Développeur / Développeuse informatique', 'M1805'],
  ],
};
const rome = buildAppellationIndex(romeFile);

describe('métiers proches (mobilité)', () => {
  it('lists each code’s nearby codes in order, with labels, without itself, unknown codes or repeats', () => {
    const index = buildAppellationIndex({
      ...romeFile,
      mobility: [
        ['D1102', 'D1104'],
        ['D1102', 'D1102'],
        ['D1102', 'Z9999'],
        ['D1102', 'M1805'],
        ['D1102', 'D1104'],
      ],
    });
    expect(index.nearby.get('D1102')).toEqual([
      { code: 'D1104', label: 'Pâtisserie, confiserie, chocolaterie et glacerie' },
      { code: 'M1805', label: 'Études et développement informatique' },
    ]);
    expect(index.nearby.get('M1805')).toBeUndefined();
    // A file without mobility (older server) has none.
    expect(rome.nearby.size).toBe(0);
  });
});

describe('searchAppellations', () => {
  it('puts titles starting with the text first, shorter first, then word prefixes', () => {
    expect(searchAppellations(rome, 'boulang').map((a) => a.codeOgr)).toEqual(['11573', '11574', '12345']);
  });
  it('ignores accents and gives the ROME code and its label', () => {
    expect(searchAppellations(rome, 'patissiere')).toEqual([
      { codeOgr: '38584', label: 'Pâtissier / Pâtissière', romeCode: 'D1104', romeLabel: expect.any(String) },
      expect.objectContaining({ codeOgr: '11574' }),
    ]);
    expect(searchAppellations(rome, 'informatique developpeur').map((a) => a.codeOgr)).toEqual(['38999']);
  });
  it('lists the titles of a ROME code, and needs two characters otherwise', () => {
    expect(searchAppellations(rome, 'd1102').map((a) => a.codeOgr)).toEqual(['11573', '12345', '11574']);
    expect(searchAppellations(rome, 'b')).toEqual([]);
    expect(rome.version).toBe('r1');
    expect(rome.byCodeOgr.get('38999')!.romeLabel).toBe('Études et développement informatique');
  });
});
