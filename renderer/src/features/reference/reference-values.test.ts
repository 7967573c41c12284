import { describe, expect, it } from 'vitest';
import type { CommuneSuggestion } from '../../../../shared/domain/reference';
import {
  appellationText,
  communeNote,
  communeQuery,
  communeText,
  nafQuery,
  nafText,
  toSelectedCommune,
} from './reference-values';
import { suggestionSource } from './use-reference-suggestions';

const lyon3: CommuneSuggestion = {
  code: '69383',
  name: 'Lyon 3e Arrondissement',
  postalCodes: ['69003'],
  postalCode: '69003',
  departement: '69',
  departementName: 'Rhône',
  region: '84',
  population: 103000,
  latitude: 45.7485,
  longitude: 4.8467,
  coordinateSource: 'code-postal',
  parentCode: '69123',
};

describe('reference values', () => {
  it('gives forms the commune chosen, with the postal code picked and its position', () => {
    expect(toSelectedCommune(lyon3)).toEqual({
      code: '69383',
      name: 'Lyon 3e Arrondissement',
      postalCode: '69003',
      departement: '69',
      lat: 45.7485,
      lon: 4.8467,
      source: 'code-postal',
    });
  });

  it('shows values as text, and searches a shown value by its key', () => {
    expect(communeText({ name: 'Lyon', postalCode: '69003' })).toBe('Lyon (69003)');
    expect(communeText({ name: 'Lyon', postalCode: '' })).toBe('Lyon');
    expect(communeText(null)).toBe('');
    expect(communeQuery({ name: 'Lyon', postalCode: '69003' })).toBe('Lyon 69003');
    expect(appellationText({ codeOgr: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' })).toBe(
      'Boulanger / Boulangère',
    );
    expect(nafText({ code: '62.01Z', label: 'Programmation informatique' })).toBe(
      '62.01Z — Programmation informatique',
    );
    expect(nafQuery({ code: '62.01Z', label: 'Programmation informatique' })).toBe('62.01Z');
    expect(nafText(null)).toBe('');
  });

  it('notes an approximate position, and only then', () => {
    expect(communeNote({ source: 'code-postal' })).toBe('Position approchée (code postal)');
    expect(communeNote({ source: 'epci' })).toBe('Position approchée (intercommunalité)');
    expect(communeNote({ source: 'commune' })).toBeNull();
    expect(communeNote({})).toBeNull();
    expect(communeNote(null)).toBeNull();
  });
});

describe('suggestionSource', () => {
  const base = { hasIndex: false, online: true, query: 'lyon', minLength: 1 };
  it('uses the cache when loaded, else the server when online, else nothing', () => {
    expect(suggestionSource({ ...base, hasIndex: true })).toBe('local');
    expect(suggestionSource({ ...base, hasIndex: true, online: false })).toBe('local');
    expect(suggestionSource(base)).toBe('server');
    expect(suggestionSource({ ...base, online: false })).toBe('none');
  });
  it('waits for enough characters (two for the server)', () => {
    expect(suggestionSource({ ...base, query: ' ' })).toBe('none');
    expect(suggestionSource({ ...base, query: 'l', hasIndex: true })).toBe('local');
    expect(suggestionSource({ ...base, query: 'l' })).toBe('none');
    expect(suggestionSource({ ...base, query: 'bo', minLength: 3, hasIndex: true })).toBe('none');
  });
});
