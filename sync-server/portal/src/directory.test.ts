import { describe, expect, it } from 'vitest';
import {
  apiQuery,
  companiesHref,
  companyHref,
  criteriaQuery,
  directoryBack,
  EMPTY_CRITERIA,
  formatCount,
  formatDistance,
  initials,
  matchDirectoryRoute,
  readCriteria,
  telHref,
  videoHostOf,
} from './directory';
import { matchRoute } from './router';

const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('directory URLs', () => {
  it('reads criteria and ignores what it cannot use', () => {
    expect(readCriteria('?q=%20boulangerie%20&secteur=c&commune=11069&rayon=50&page=2')).toEqual({
      q: 'boulangerie',
      sector: 'C',
      commune: '11069',
      radius: 50,
      page: 2,
    });
    expect(readCriteria('?secteur=ZZ&commune=abc&rayon=7&page=-1')).toEqual(EMPTY_CRITERIA);
    expect(readCriteria('?commune=2a004').commune).toBe('2A004');
  });

  it('writes criteria back without defaults, and round-trips', () => {
    expect(criteriaQuery(EMPTY_CRITERIA)).toBe('');
    const c = { q: 'hôtel cité', sector: 'I', commune: '11069', radius: 20, page: 3 };
    expect(readCriteria(criteriaQuery(c))).toEqual(c);
    // The radius only means something with a commune.
    expect(criteriaQuery({ ...EMPTY_CRITERIA, radius: 50 })).toBe('');
    expect(companiesHref({ ...EMPTY_CRITERIA, q: 'a&b' })).toBe('/entreprises?q=a%26b');
  });

  it('builds the public API query', () => {
    expect(apiQuery({ q: 'x', sector: 'A', commune: '11069', radius: 30, page: 1 }, 20, true)).toBe(
      '?q=x&sector=A&commune=11069&radius=30&page=1&pageSize=20',
    );
    expect(apiQuery({ ...EMPTY_CRITERIA, sector: 'A' }, 20, false)).toBe('?page=1&pageSize=20');
  });

  it('matches the directory routes through the portal router', () => {
    expect(matchRoute('/entreprises?q=abc')).toEqual({
      name: 'companies',
      criteria: { ...EMPTY_CRITERIA, q: 'abc' },
    });
    expect(matchRoute('/entreprises/')).toMatchObject({ name: 'companies' });
    expect(matchRoute(companyHref('0c0c-1'))).toEqual({ name: 'company', id: '0c0c-1' });
    expect(matchRoute('/prescripteurs?commune=11069')).toMatchObject({
      name: 'prescribers',
      criteria: { commune: '11069' },
    });
    expect(matchDirectoryRoute('/entreprises/%E0%A4%A', '')).toBeNull();
    expect(matchRoute('/entreprises/a/b')).toEqual({ name: 'not-found' });
  });

  it('only goes back to a directory page', () => {
    expect(directoryBack('/entreprises?q=a')).toBe('/entreprises?q=a');
    expect(directoryBack('/entreprises')).toBe('/entreprises');
    expect(directoryBack('https://evil.test/entreprises')).toBeNull();
    expect(directoryBack('//evil.test')).toBeNull();
    expect(directoryBack(undefined)).toBeNull();
  });
});

describe('directory formatting', () => {
  it('counts in French', () => {
    expect(formatCount(0, 'entreprise', 'entreprises')).toBe('0 entreprise');
    expect(formatCount(1, 'entreprise', 'entreprises')).toBe('1 entreprise');
    expect(plain(formatCount(1234, 'entreprise', 'entreprises'))).toBe('1 234 entreprises');
  });

  it('formats distances', () => {
    expect(formatDistance(0)).toBe('à moins d’1 km');
    expect(formatDistance(0.84)).toBe('à moins d’1 km');
    expect(formatDistance(2.34)).toBe('à 2,3 km');
    expect(formatDistance(34.6)).toBe('à 35 km');
  });

  it('makes initials for companies without a logo', () => {
    expect(initials('Boulangeries Martin')).toBe('BM');
    expect(initials('Hôtel de la Cité')).toBe('HC');
    expect(initials('l’Atelier')).toBe('A');
    expect(initials('3D Print')).toBe('P');
    expect(initials('')).toBe('?');
  });

  it('dials French numbers', () => {
    expect(telHref('04 68 11 22 33')).toBe('tel:0468112233');
    expect(telHref('+33 (0)4 68 11 22 33')).toBe('tel:+33468112233');
  });

  it('recognises video links', () => {
    expect(videoHostOf('https://www.youtube.com/watch?v=abc')).toBe('YouTube');
    expect(videoHostOf('https://youtu.be/abc')).toBe('YouTube');
    expect(videoHostOf('https://vimeo.com/123')).toBe('Vimeo');
    expect(videoHostOf('https://www.dailymotion.com/video/x1')).toBe('Dailymotion');
    expect(videoHostOf('https://youtube.com.evil.test/x')).toBeNull();
    expect(videoHostOf('javascript:alert(1)')).toBeNull();
  });
});
