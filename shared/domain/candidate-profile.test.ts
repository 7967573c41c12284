import { describe, expect, it } from 'vitest';
import {
  type CandidateProfile,
  emptyProfile,
  validateCandidateProfile,
  validateCandidateSignup,
} from './candidate-profile';

const fields = (errors: { field: string }[]) => errors.map((e) => e.field).sort();

const complete = (): CandidateProfile => ({
  ...emptyProfile('Thomas', 'Garcia'),
  civility: 'monsieur',
  phone: '06 12 34 56 78',
  showPhone: true,
  rqth: 'non',
  address: {
    street: '12 rue de la Gare',
    postalCode: '11000',
    communeCode: '11069',
    communeName: 'Carcassonne',
    lat: 43.2,
    lon: 2.35,
  },
  qualification: 'ouvrier_qualifie_p3p4',
  domains: ['D', 'N'],
  jobTitle: 'Boulanger',
  situation: 'demandeur_emploi',
  availability: 'a_partir_du',
  availableFrom: '2027-01-15',
  photo: 'a'.repeat(64),
  strengths: 'Ponctuel',
  search: {
    contractTypes: ['CDI', 'CDD'],
    qualifications: ['employe_qualifie'],
    domains: ['D'],
    appellations: [{ code: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' }],
    maxDistanceKm: 30,
    adjustments: false,
    freeText: 'Travail de jour',
  },
});

describe('validateCandidateProfile', () => {
  it('accepts a complete profile and keeps every field', () => {
    const { errors, profile } = validateCandidateProfile(complete());
    expect(errors).toEqual([]);
    expect(profile.address).toEqual({
      street: '12 rue de la Gare',
      postalCode: '11000',
      communeCode: '11069',
    });
    expect(profile.search.appellations).toEqual([
      { code: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' },
    ]);
    expect(profile.availableFrom).toBe('2027-01-15');
    expect(profile.showPhone).toBe(true);
  });

  it('accepts the minimal profile (names only) with neutral defaults', () => {
    const { errors, profile } = validateCandidateProfile({ firstName: ' Léa ', lastName: 'Martin' });
    expect(errors).toEqual([]);
    expect(profile.firstName).toBe('Léa');
    expect(profile.rqth).toBe('non_precise');
    expect(profile.search).toEqual({
      contractTypes: [],
      qualifications: [],
      domains: [],
      appellations: [],
      maxDistanceKm: null,
      adjustments: null,
      freeText: '',
    });
  });

  it('names every field at fault, in French', () => {
    const { errors } = validateCandidateProfile({
      civility: 'docteur',
      firstName: '',
      lastName: 42,
      phone: '12',
      rqth: 'peut-être',
      address: { street: 'x', postalCode: '1100', communeCode: 'abc' },
      qualification: 'expert',
      domains: ['Z'],
      situation: 'retraite',
      availability: 'a_partir_du',
      photo: 'not-a-hash',
      strengths: 'x'.repeat(2001),
      search: {
        contractTypes: ['CDI', 'FREELANCE'],
        qualifications: 'cadre',
        domains: ['A', 'Q'],
        appellations: [{ code: 'abc' }],
        maxDistanceKm: 0,
        adjustments: 'oui',
        freeText: 7,
      },
    });
    expect(fields(errors)).toEqual(
      [
        'address.communeCode',
        'address.postalCode',
        'availableFrom',
        'civility',
        'domains',
        'firstName',
        'lastName',
        'phone',
        'photo',
        'qualification',
        'rqth',
        'search.adjustments',
        'search.appellations',
        'search.contractTypes',
        'search.domains',
        'search.freeText',
        'search.maxDistanceKm',
        'search.qualifications',
        'situation',
        'strengths',
      ].sort(),
    );
    for (const e of errors) expect(e.message).toMatch(/[a-zé]/);
  });

  it('refuses to show a phone number that was not given', () => {
    const { errors } = validateCandidateProfile({ firstName: 'A', lastName: 'B', showPhone: true });
    expect(fields(errors)).toEqual(['showPhone']);
  });

  it('drops the date of availability unless « à partir du » is chosen, and checks real dates', () => {
    const immediate = validateCandidateProfile({
      firstName: 'A',
      lastName: 'B',
      availability: 'immediate',
      availableFrom: '2027-02-01',
    });
    expect(immediate.errors).toEqual([]);
    expect(immediate.profile.availableFrom).toBeNull();
    const bad = validateCandidateProfile({
      firstName: 'A',
      lastName: 'B',
      availability: 'a_partir_du',
      availableFrom: '2027-02-30',
    });
    expect(fields(bad.errors)).toEqual(['availableFrom']);
  });

  it('deduplicates lists and refuses a non-object body', () => {
    const { profile } = validateCandidateProfile({
      firstName: 'A',
      lastName: 'B',
      domains: ['D', 'D'],
      search: { contractTypes: ['CDI', 'CDI'] },
    });
    expect(profile.domains).toEqual(['D']);
    expect(profile.search.contractTypes).toEqual(['CDI']);
    expect(fields(validateCandidateProfile([]).errors)).toContain('profile');
  });
});

describe('validateCandidateSignup', () => {
  const ok = {
    email: 'lea@exemple.fr',
    password: 'un-long-mot-de-passe',
    firstName: 'Léa',
    lastName: 'Martin',
    city: '11069',
    acceptTerms: true,
  };
  it('accepts a complete sign-up', () => {
    expect(validateCandidateSignup(ok, 10)).toEqual([]);
  });
  it('needs a password of at least 10 characters, a commune code and the consent', () => {
    const errors = validateCandidateSignup(
      { ...ok, password: '123456789', city: 'Carcassonne', acceptTerms: 'oui', email: 'x@' },
      10,
    );
    expect(fields(errors)).toEqual(['acceptTerms', 'city', 'email', 'password']);
    expect(errors.find((e) => e.field === 'password')?.message).toContain('10 caractères');
  });
});
