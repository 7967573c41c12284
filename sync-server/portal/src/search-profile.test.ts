import { describe, expect, it } from 'vitest';
import { emptyProfile } from '../../../shared/domain/candidate-profile';
import { criteriaFromProfile } from './search-profile';

describe('formulaire de recherche pré-rempli depuis le profil', () => {
  it('reprend contrats, qualifications, domaine, métier et la commune avec le rayon proposé au-dessus', () => {
    const profile = emptyProfile('Thomas', 'Garcia');
    profile.address = {
      street: '1 rue X',
      postalCode: '31000',
      communeCode: '31555',
      communeName: 'Toulouse',
      lat: 43.6,
      lon: 1.44,
    };
    profile.search.contractTypes = ['CDI', 'CDD'];
    profile.search.qualifications = ['technicien'];
    profile.search.domains = ['N'];
    profile.search.appellations = [{ code: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' }];
    profile.search.maxDistanceKm = 25;
    expect(criteriaFromProfile(profile)).toEqual({
      criteria: {
        contractTypes: ['CDI', 'CDD'],
        qualifications: ['technicien'],
        domain: 'N',
        appellation: '11573',
        place: { kind: 'commune', code: '31555' },
        radiusKm: 30,
      },
      labels: { appellation: 'Boulanger / Boulangère', place: 'Toulouse (31000)' },
    });
  });

  it('un profil vide ne propose rien', () => {
    expect(criteriaFromProfile(emptyProfile())).toEqual({ criteria: {}, labels: {} });
  });
});
