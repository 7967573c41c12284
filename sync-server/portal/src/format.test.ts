import { describe, expect, it } from 'vitest';
import { contractLabel, formatDate, formatOfferCount, formatPlace, formatSalary } from './format';
import { listHref, matchRoute, offerHref } from './router';

/** Intl separates thousands with a narrow no-break space and puts a no-break space before €. */
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('portal formatting', () => {
  it('formats dates as dd/mm/yyyy in Paris time', () => {
    expect(formatDate('2024-04-02')).toBe('02/04/2024');
    expect(formatDate('2024-03-05T09:00:00.000Z')).toBe('05/03/2024');
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(formatDate('2024-12-31T23:30:00.000Z')).toBe('01/01/2025');
    expect(formatDate(undefined)).toBe('');
    expect(formatDate('pas une date')).toBe('');
  });

  it('formats salaries with their period', () => {
    expect(plain(formatSalary({ salaryMin: 1800, salaryMax: 2100, salaryPeriod: 'mensuel' }))).toBe(
      '1 800 € à 2 100 € par mois',
    );
    expect(plain(formatSalary({ salaryMin: 11.65, salaryPeriod: 'horaire' }))).toBe(
      'À partir de 11,65 € de l’heure',
    );
    expect(plain(formatSalary({ salaryMax: 32000, salaryPeriod: 'annuel' }))).toBe('Jusqu’à 32 000 € par an');
    expect(plain(formatSalary({ salaryMin: 2000, salaryMax: 2000, salaryPeriod: 'mensuel' }))).toBe(
      '2 000 € par mois',
    );
    expect(formatSalary({})).toBe('');
  });

  it('labels contracts, places and counts', () => {
    expect(contractLabel('INTERIM')).toBe('Intérim');
    expect(contractLabel('ALTERNANCE')).toBe('Alternance (apprentissage, professionnalisation)');
    expect(formatPlace('Clermont-Ferrand', '63000')).toBe('Clermont-Ferrand (63000)');
    expect(formatPlace('Vichy')).toBe('Vichy');
    expect(formatOfferCount(0)).toBe('0 offre');
    expect(formatOfferCount(1)).toBe('1 offre');
    expect(plain(formatOfferCount(1234))).toBe('1 234 offres');
  });
});

describe('portal routes', () => {
  it('maps locations to pages', () => {
    expect(matchRoute('/')).toEqual({ name: 'list', page: 1, search: '' });
    expect(matchRoute('/?page=3')).toEqual({ name: 'list', page: 3, search: 'page=3' });
    expect(matchRoute('/?page=0')).toMatchObject({ name: 'list', page: 1 });
    expect(matchRoute('/?page=abc')).toMatchObject({ name: 'list', page: 1 });
    expect(matchRoute('/?page=99999')).toMatchObject({ name: 'list', page: 10000 });
    expect(matchRoute('/offres/')).toEqual({ name: 'list', page: 1, search: '' });
    expect(matchRoute('/offres/O-0002')).toEqual({ name: 'offer', id: 'O-0002' });
    expect(matchRoute('/offres/a%20b/')).toEqual({ name: 'offer', id: 'a b' });
    expect(matchRoute('/offres/%E0%A4%A')).toEqual({ name: 'not-found' });
    expect(matchRoute('/inconnu')).toEqual({ name: 'not-found' });
    expect(matchRoute('/offres/a/b')).toEqual({ name: 'not-found' });
  });

  it('maps the candidate pages', () => {
    expect(matchRoute('/connexion?retour=%2Fmes-cv')).toEqual({ name: 'login', search: 'retour=%2Fmes-cv' });
    expect(matchRoute('/mon-compte')).toEqual({ name: 'account', section: 'profil', search: '' });
    expect(matchRoute('/mon-compte/parametres/')).toEqual({
      name: 'account',
      section: 'parametres',
      search: '',
    });
    expect(matchRoute('/mon-compte/autre')).toEqual({ name: 'not-found' });
    expect(matchRoute('/mes-cv/nouveau')).toEqual({ name: 'cv', id: 'nouveau', search: '' });
    expect(matchRoute('/offres/100001A/postuler')).toEqual({ name: 'apply', offerId: '100001A', search: '' });
    expect(matchRoute('/entreprises/c-1/candidature-spontanee?poste=2')).toEqual({
      name: 'spontaneous',
      companyId: 'c-1',
      search: 'poste=2',
    });
    expect(matchRoute('/alertes/desinscription?jeton=x')).toEqual({ name: 'unsubscribe', search: 'jeton=x' });
  });

  it('builds hrefs', () => {
    expect(listHref(1)).toBe('/');
    expect(listHref(2)).toBe('/?page=2');
    expect(offerHref('a b')).toBe('/offres/a%20b');
  });
});
