import nafCodes from '@socialgouv/codes-naf';
import { describe, expect, it } from 'vitest';
import { ORGANISATION_KINDS, type OrganisationKind } from './account';
import {
  COMPANY_CATEGORIES,
  companyCategoryOf,
  initialVerificationState,
  isNafCode,
  isSubtypeOf,
  mayPublishOffers,
  membershipConflict,
  normaliseNafCode,
  ORGANISATION_SUBTYPES,
  SECTORS,
  SIAE_SUBTYPES,
  SIZE_BANDS,
  sameSiret,
  sectorOfNafCode,
  stateAfterDecision,
  subtypeLabel,
  VERIFICATION_REQUIRED_KINDS,
  VERIFICATION_STATE_LABELS,
  VERIFICATION_STATES,
  validateOrganisationInput,
  validateVerificationDecision,
} from './organisation';
import { SIRET_CHECKSUM_MESSAGE, SIRET_LENGTH_MESSAGE } from './siret';

const valid = {
  name: 'Boulangeries Martin',
  kind: 'employer' as const,
  subtype: 'entreprise',
  siret: '732 829 320 00074',
  nafCode: '10.71C',
  sizeBand: '12',
  sector: 'C',
  address: {
    street: '12 rue de la Gaffe',
    postalCode: '11000',
    city: 'Carcassonne',
    communeCode: '11069',
    latitude: 43.2122,
    longitude: 2.3537,
  },
};

const fields = (input: Parameters<typeof validateOrganisationInput>[0]) =>
  validateOrganisationInput(input).map((e) => e.field);

describe('subtypes', () => {
  it('has subtypes for every kind, with unique codes and French labels', () => {
    for (const kind of ORGANISATION_KINDS) {
      const list = ORGANISATION_SUBTYPES[kind];
      expect(list.length).toBeGreaterThan(0);
      expect(new Set(list.map((s) => s.code)).size).toBe(list.length);
      for (const s of list) {
        expect(s.code).toMatch(/^[a-z_]{2,40}$/);
        expect(s.label.length).toBeGreaterThan(2);
      }
    }
  });

  it('names the structures of seed 003', () => {
    expect(subtypeLabel('employer', 'geiq')).toContain('GEIQ');
    expect(subtypeLabel('employer', 'ea')).toContain('Entreprise adaptée');
    expect(subtypeLabel('prescriber', 'cap_emploi')).toBe('Cap emploi');
    expect(subtypeLabel('prescriber', 'mission_locale')).toBe('Mission locale');
    expect(subtypeLabel('training', 'cfa')).toContain('CFA');
    for (const siae of SIAE_SUBTYPES) expect(isSubtypeOf('employer', siae)).toBe(true);
    expect(subtypeLabel('employer', undefined)).toBeUndefined();
    expect(subtypeLabel('employer', 'inconnu')).toBeUndefined();
  });

  it('tells whether a subtype belongs to a kind', () => {
    expect(isSubtypeOf('employer', 'etti')).toBe(true);
    expect(isSubtypeOf('prescriber', 'etti')).toBe(false);
    expect(isSubtypeOf('agency', 'cabinet_recrutement')).toBe(true);
    expect(isSubtypeOf('employer', 'cabinet_recrutement')).toBe(false);
    expect(isSubtypeOf('platform', 'moderation')).toBe(true);
    expect(isSubtypeOf('training', 'Mission locale')).toBe(false);
  });
});

describe('size bands, categories and sectors', () => {
  it('lists the 15 INSEE size bands with French labels and unique codes fitting the schema', () => {
    expect(SIZE_BANDS).toHaveLength(15);
    expect(SIZE_BANDS[0]).toEqual({ code: '00', label: '0 salarié' });
    expect(SIZE_BANDS.at(-1)!.label).toBe('10 000 salariés et plus');
    expect(new Set(SIZE_BANDS.map((b) => b.code)).size).toBe(15);
    for (const b of SIZE_BANDS) expect(b.code.length).toBeLessThanOrEqual(4);
  });

  it('derives the company category shown in seed 001 from the size band', () => {
    expect(companyCategoryOf('03')).toBe('micro');
    expect(companyCategoryOf('11')).toBe('pme');
    expect(companyCategoryOf('31')).toBe('pme');
    expect(companyCategoryOf('32')).toBe('eti');
    expect(companyCategoryOf('53')).toBe('ge');
    expect(companyCategoryOf('99')).toBeUndefined();
    for (const b of SIZE_BANDS) expect(companyCategoryOf(b.code)).toBeDefined();
    expect(COMPANY_CATEGORIES.find((c) => c.code === 'pme')!.label).toBe('PME : 10 à 249 salariés');
  });

  it('uses the 21 NAF sections A to U as sectors', () => {
    expect(SECTORS.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRSTU');
    expect(SECTORS.find((s) => s.code === 'I')!.label).toBe('Hébergement et restauration');
  });

  it('maps every NAF code of the official list to its section', () => {
    const codes = nafCodes.filter((c) => /^\d{2}\.\d{2}[A-Z]$/.test(c.id));
    expect(codes.length).toBeGreaterThan(700);
    for (const c of codes) {
      expect(isNafCode(c.id)).toBe(true);
      expect(sectorOfNafCode(c.id)).toBeDefined();
    }
    expect(sectorOfNafCode('01.11Z')).toBe('A');
    expect(sectorOfNafCode('10.71C')).toBe('C');
    expect(sectorOfNafCode('33.20A')).toBe('C');
    expect(sectorOfNafCode('35.11Z')).toBe('D');
    expect(sectorOfNafCode('39.00Z')).toBe('E');
    expect(sectorOfNafCode('47.11F')).toBe('G');
    expect(sectorOfNafCode('56.10A')).toBe('I');
    expect(sectorOfNafCode('62.01Z')).toBe('J');
    expect(sectorOfNafCode('68.20A')).toBe('L');
    expect(sectorOfNafCode('78.20Z')).toBe('N');
    expect(sectorOfNafCode('84.11Z')).toBe('O');
    expect(sectorOfNafCode('88.10A')).toBe('Q');
    expect(sectorOfNafCode('97.00Z')).toBe('T');
    expect(sectorOfNafCode('99.00Z')).toBe('U');
    expect(sectorOfNafCode('abc')).toBeUndefined();
    expect(sectorOfNafCode('00.00Z')).toBeUndefined();
  });

  it('normalises NAF codes as people type them', () => {
    expect(normaliseNafCode('6201z')).toBe('62.01Z');
    expect(normaliseNafCode(' 62 01 Z ')).toBe('62.01Z');
    expect(normaliseNafCode('62.01Z')).toBe('62.01Z');
    expect(normaliseNafCode('informatique')).toBe('informatique');
  });
});

describe('verification', () => {
  it('has four states with labels, and reviews employers and agencies only', () => {
    expect(VERIFICATION_STATES).toEqual(['en_attente', 'informations_demandees', 'verifiee', 'refusee']);
    expect(VERIFICATION_STATE_LABELS.en_attente).toBe('À vérifier');
    expect(VERIFICATION_REQUIRED_KINDS).toEqual(['employer', 'agency']);
    expect(initialVerificationState('employer')).toBe('en_attente');
    expect(initialVerificationState('agency')).toBe('en_attente');
    expect(initialVerificationState('prescriber')).toBe('verifiee');
  });

  it('publishes offers only once an employer or agency is verified', () => {
    expect(mayPublishOffers('employer', 'en_attente')).toBe(false);
    expect(mayPublishOffers('employer', 'informations_demandees')).toBe(false);
    expect(mayPublishOffers('agency', 'refusee')).toBe(false);
    expect(mayPublishOffers('agency', 'verifiee')).toBe(true);
    expect(mayPublishOffers('training', 'en_attente')).toBe(true);
  });

  it('requires a reason to refuse or ask for information', () => {
    expect(stateAfterDecision('accepter')).toBe('verifiee');
    expect(stateAfterDecision('refuser')).toBe('refusee');
    expect(stateAfterDecision('demander_informations')).toBe('informations_demandees');
    expect(validateVerificationDecision({ decision: 'accepter' })).toEqual([]);
    expect(validateVerificationDecision({ decision: 'refuser', reason: '  ' })[0]!.field).toBe('reason');
    expect(validateVerificationDecision({ decision: 'demander_informations' })[0]!.field).toBe('reason');
    expect(validateVerificationDecision({ decision: 'refuser', reason: 'SIRET fermé.' })).toEqual([]);
    expect(validateVerificationDecision({ decision: 'supprimer' })[0]!.field).toBe('decision');
    expect(validateVerificationDecision({ decision: 'refuser', reason: 'x'.repeat(1001) })).toHaveLength(1);
  });
});

describe('validateOrganisationInput', () => {
  it('accepts a complete, correct organisation', () => {
    expect(validateOrganisationInput(valid)).toEqual([]);
  });

  it('accepts the minimum: name, kind, SIRET, postal code and city', () => {
    expect(
      validateOrganisationInput({
        name: 'Mission locale de Carcassonne',
        kind: 'prescriber',
        siret: '13000548100010',
        address: { postalCode: '11000', city: 'Carcassonne' },
      }),
    ).toEqual([]);
  });

  it('checks the name', () => {
    expect(validateOrganisationInput({ ...valid, name: '   ' })).toEqual([
      { field: 'name', message: 'Le nom de l’organisation est obligatoire.' },
    ]);
    expect(fields({ ...valid, name: 'x'.repeat(151) })).toEqual(['name']);
    expect(fields({ ...valid, name: 'x'.repeat(150) })).toEqual([]);
    expect(fields({ ...valid, name: 42 })).toEqual(['name']);
  });

  it('checks the kind and that the subtype matches it', () => {
    expect(fields({ ...valid, kind: 'entreprise' })).toEqual(['kind']);
    const e = validateOrganisationInput({ ...valid, subtype: 'mission_locale' });
    expect(e).toHaveLength(1);
    expect(e[0]!.field).toBe('subtype');
    expect(e[0]!.message).toContain('Employeur');
    expect(fields({ ...valid, kind: 'prescriber', subtype: 'mission_locale' })).toEqual([]);
    expect(fields({ ...valid, subtype: undefined })).toEqual([]);
    expect(fields({ ...valid, subtype: '' })).toEqual([]);
  });

  it('checks the SIRET, required except for the platform', () => {
    expect(validateOrganisationInput({ ...valid, siret: '73282932000075' })).toEqual([
      { field: 'siret', message: SIRET_CHECKSUM_MESSAGE },
    ]);
    expect(validateOrganisationInput({ ...valid, siret: '1234' })).toEqual([
      { field: 'siret', message: SIRET_LENGTH_MESSAGE },
    ]);
    for (const kind of ['employer', 'agency', 'prescriber', 'training'] as OrganisationKind[]) {
      expect(fields({ ...valid, kind, subtype: undefined, siret: undefined }), kind).toEqual(['siret']);
      expect(fields({ ...valid, kind, subtype: undefined, siret: ' ' }), kind).toEqual(['siret']);
    }
    expect(fields({ ...valid, kind: 'platform', subtype: 'moderation', siret: undefined })).toEqual([]);
    expect(fields({ ...valid, kind: 'platform', subtype: 'moderation', siret: '123' })).toEqual(['siret']);
  });

  it('checks the NAF code, size band and sector when given', () => {
    expect(fields({ ...valid, nafCode: '6201Z' })).toEqual(['nafCode']);
    expect(fields({ ...valid, nafCode: '62.01' })).toEqual(['nafCode']);
    expect(fields({ ...valid, nafCode: '62.01z' })).toEqual(['nafCode']);
    expect(fields({ ...valid, nafCode: undefined, sizeBand: undefined, sector: undefined })).toEqual([]);
    expect(fields({ ...valid, sizeBand: '10' })).toEqual(['sizeBand']);
    expect(fields({ ...valid, sizeBand: '53' })).toEqual([]);
    expect(fields({ ...valid, sector: 'Z' })).toEqual(['sector']);
    expect(fields({ ...valid, sector: 'commerce' })).toEqual(['sector']);
  });

  it('checks the address', () => {
    expect(fields({ ...valid, address: undefined })).toEqual(['address.postalCode', 'address.city']);
    expect(fields({ ...valid, address: { postalCode: '', city: '' } })).toEqual([
      'address.postalCode',
      'address.city',
    ]);
    expect(fields({ ...valid, address: { ...valid.address, postalCode: '1100' } })).toEqual([
      'address.postalCode',
    ]);
    expect(fields({ ...valid, address: { ...valid.address, postalCode: '11 000' } })).toEqual([
      'address.postalCode',
    ]);
    expect(fields({ ...valid, address: { ...valid.address, communeCode: '2A004' } })).toEqual([]);
    expect(fields({ ...valid, address: { ...valid.address, communeCode: '2C004' } })).toEqual([
      'address.communeCode',
    ]);
    expect(fields({ ...valid, address: { ...valid.address, communeCode: '1106' } })).toEqual([
      'address.communeCode',
    ]);
    expect(fields({ ...valid, address: { ...valid.address, latitude: 91 } })).toEqual(['address.latitude']);
    expect(fields({ ...valid, address: { ...valid.address, longitude: -181 } })).toEqual([
      'address.longitude',
    ]);
    const { latitude: _lat, ...noLatitude } = valid.address;
    expect(fields({ ...valid, address: noLatitude })).toEqual(['address.latitude']);
    expect(fields({ ...valid, address: { ...valid.address, street: 'x'.repeat(201) } })).toEqual([
      'address.street',
    ]);
  });

  it('checks the parent of an antenna', () => {
    expect(fields({ ...valid, parentId: '0b0e0000-0000-4000-8000-000000000001' })).toEqual([]);
    expect(fields({ ...valid, id: 'a', parentId: 'a' })).toEqual(['parentId']);
    expect(fields({ ...valid, parentId: 'x'.repeat(37) })).toEqual(['parentId']);
  });

  it('reports every problem at once', () => {
    expect(
      fields({ name: '', kind: 'employer', siret: 'abc', address: { postalCode: 'x', city: '' } }),
    ).toEqual(['name', 'siret', 'address.postalCode', 'address.city']);
  });
});

describe('antennas and memberships', () => {
  it('recognises a shared SIRET whatever the spacing', () => {
    expect(sameSiret('732 829 320 00074', '73282932000074')).toBe(true);
    expect(sameSiret('73282932000074', '44306184100047')).toBe(false);
    expect(sameSiret(undefined, '73282932000074')).toBe(false);
  });

  it('refuses to be prescriber and employer (or agency) with one account', () => {
    expect(membershipConflict(['employer'], 'prescriber')).toContain('autre compte');
    expect(membershipConflict(['agency'], 'prescriber')).not.toBeNull();
    expect(membershipConflict(['prescriber'], 'employer')).toContain('à la fois prescripteur et employeur');
    expect(membershipConflict(['prescriber', 'training'], 'agency')).not.toBeNull();
  });

  it('allows several organisations of compatible kinds', () => {
    expect(membershipConflict([], 'prescriber')).toBeNull();
    expect(membershipConflict(['employer'], 'employer')).toBeNull();
    expect(membershipConflict(['employer'], 'agency')).toBeNull();
    expect(membershipConflict(['prescriber'], 'prescriber')).toBeNull();
    expect(membershipConflict(['prescriber'], 'training')).toBeNull();
    expect(membershipConflict(['employer', 'training'], 'platform')).toBeNull();
  });
});
