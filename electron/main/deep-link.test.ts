import { describe, expect, it } from 'vitest';
import { deepLinkFromArgv, parseDeepLink } from './deep-link';

describe('liens recrutement://', () => {
  it('ouvrent une offre par son numéro', () => {
    expect(parseDeepLink('recrutement://offre/100014A')).toEqual({ screen: 'offer', number: '100014A' });
    expect(parseDeepLink('recrutement://offre/100014a/')).toEqual({ screen: 'offer', number: '100014A' });
    expect(parseDeepLink('RECRUTEMENT://OFFRE/100014A')).toEqual({ screen: 'offer', number: '100014A' });
  });

  it('refusent tout le reste', () => {
    for (const link of [
      'https://offre/100014A',
      'recrutement://offre/',
      'recrutement://offre/100014A/extra',
      'recrutement://offre/../../etc',
      'recrutement://offre/%2e%2e',
      'recrutement://offre/12',
      'recrutement://offre/100014A?x=<script>',
      'recrutement://candidat/100014A',
      'recrutement://user:pw@offre/100014A',
      'recrutement://offre:99/100014A',
      `recrutement://offre/${'1'.repeat(300)}A`,
      'pas une adresse',
      42,
      null,
    ]) {
      expect(parseDeepLink(link), String(link)).toBeNull();
    }
  });

  it('se trouvent parmi les arguments d’une seconde instance', () => {
    expect(
      deepLinkFromArgv(['/opt/poste/poste-recruteur', '--no-sandbox', 'recrutement://offre/100020B']),
    ).toEqual({
      screen: 'offer',
      number: '100020B',
    });
    expect(deepLinkFromArgv(['/opt/poste/poste-recruteur', 'recrutement://inconnu'])).toBeNull();
    expect(deepLinkFromArgv([])).toBeNull();
  });
});
