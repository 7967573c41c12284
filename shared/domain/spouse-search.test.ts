import { describe, expect, it } from 'vitest';
import { SPOUSE_CONSENT_TEXT, spouseSearchLabel, validateSpouseSearch } from './spouse-search';

const valid = {
  applicationId: '0a0b0000-0000-4000-8000-000000000001',
  firstName: '  Élodie ',
  lastName: 'Fabre',
  email: 'elodie.fabre@exemple.fr',
  job: { appellationCode: '11573', appellationLabel: 'Boulanger / Boulangère', romeCode: 'd1102' },
  communes: [{ code: '11069', name: 'Carcassonne' }],
  radiusKm: 30,
  contractTypes: ['CDI', 'CDI', 'CDD'],
  availability: 'immediate',
  presentation: 'Boulangère depuis huit ans.',
  consent: true,
  consentText: SPOUSE_CONSENT_TEXT,
};

const fields = (raw: unknown) => validateSpouseSearch(raw).errors.map((e) => e.field);

describe('validateSpouseSearch', () => {
  it('normalises a valid search', () => {
    const { value, errors } = validateSpouseSearch(valid);
    expect(errors).toEqual([]);
    expect(value).toMatchObject({
      firstName: 'Élodie',
      job: { romeCode: 'D1102' },
      contractTypes: ['CDI', 'CDD'],
      radiusKm: 30,
      consent: true,
    });
  });

  it('requires the consent, with a French message on the field', () => {
    const { value, errors } = validateSpouseSearch({ ...valid, consent: 'oui' });
    expect(value).toBeNull();
    expect(errors).toEqual([{ field: 'consent', message: expect.stringContaining('consentement') }]);
    expect(fields({ ...valid, consentText: '' })).toEqual(['consentText']);
  });

  it('requires an e-mail or a phone, and checks both', () => {
    expect(fields({ ...valid, email: '' })).toEqual(['email', 'phone']);
    expect(fields({ ...valid, email: '', phone: '06 12 34 56 78' })).toEqual([]);
    expect(fields({ ...valid, email: 'elodie@' })).toEqual(['email']);
    expect(fields({ ...valid, phone: '12' })).toEqual(['phone']);
  });

  it('checks the job, communes, radius, contracts, availability and lengths', () => {
    expect(
      fields({ ...valid, job: { appellationCode: '11573', appellationLabel: 'X', romeCode: '' } }),
    ).toEqual(['job']);
    expect(fields({ ...valid, communes: [] })).toEqual(['communes']);
    expect(fields({ ...valid, communes: [{ code: '123', name: 'X' }] })).toEqual(['communes.0']);
    expect(fields({ ...valid, radiusKm: 500 })).toEqual(['radiusKm']);
    expect(fields({ ...valid, contractTypes: ['CDI', 'FREELANCE'] })).toEqual(['contractTypes']);
    expect(fields({ ...valid, availability: 'demain' })).toEqual(['availability']);
    expect(fields({ ...valid, availability: 'a_partir_du' })).toEqual(['availableFrom']);
    expect(fields({ ...valid, availability: 'a_partir_du', availableFrom: '2027-02-01' })).toEqual([]);
    expect(fields({ ...valid, presentation: 'x'.repeat(2001) })).toEqual(['presentation']);
    expect(fields({ ...valid, firstName: '' })).toEqual(['firstName']);
    expect(fields(null)).toEqual(['body']);
  });

  it('labels only spouse-search CVs', () => {
    expect(spouseSearchLabel(undefined)).toBeNull();
    expect(spouseSearchLabel({ kind: 'conjoint', byOrganisationName: 'Boulangeries Martin' })).toBe(
      'Rapprochement de conjoints (Boulangeries Martin)',
    );
  });
});
