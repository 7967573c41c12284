import { describe, expect, it } from 'vitest';
import {
  canRecruiterMoveOffer,
  type OfferContent,
  offerStatusLabel,
  RECRUITER_OFFER_TRANSITIONS,
  validateOfferContent,
} from './offer';

const complete: OfferContent = {
  title: 'Boulanger / Boulangère H/F',
  jobTitle: 'Boulanger / Boulangère',
  romeCode: 'D1102',
  city: 'Carcassonne',
  postalCode: '11000',
  companyName: 'Boulangeries Martin',
  contactPhone: '04 68 11 22 33',
  contactEmail: 'rh@example.fr',
  seasonal: false,
  contractTypes: ['CDI'],
  description: 'Préparation des pains et viennoiseries, travail de nuit en équipe.',
  salaryMin: 1900,
  salaryMax: 2200,
  salaryPeriod: 'mensuel',
  startDate: '2027-01-04',
};

const fields = (errors: { field: string }[]) => errors.map((e) => e.field).sort();

describe('validateOfferContent', () => {
  it('accepts a complete offer for submission', () => {
    expect(validateOfferContent(complete, true)).toEqual([]);
  });

  it('only needs a title for a draft', () => {
    expect(validateOfferContent({ title: 'Brouillon' }, false)).toEqual([]);
    expect(fields(validateOfferContent({ title: '  ' }, false))).toEqual(['title']);
  });

  it('names every missing starred field of the recruiter guide on submission', () => {
    const errors = validateOfferContent({ title: 'X', contractTypes: [] }, true);
    expect(fields(errors)).toEqual([
      'city',
      'companyName',
      'contactPhone',
      'contractTypes',
      'description',
      'jobTitle',
    ]);
    for (const e of errors) expect(e.message).toMatch(/[a-zé]/);
  });

  it('rejects malformed values with French messages', () => {
    const errors = validateOfferContent(
      {
        ...complete,
        romeCode: 'D11',
        postalCode: '1100',
        contactPhone: 'abc',
        contactEmail: 'pas-un-mail',
        contractTypes: ['CDI', 'PIGISTE'],
        salaryMin: 3000,
        salaryMax: 2000,
        startDate: '2027-02-30',
      },
      true,
    );
    expect(fields(errors)).toEqual([
      'contactEmail',
      'contactPhone',
      'contractTypes',
      'postalCode',
      'romeCode',
      'salaryMax',
      'startDate',
    ]);
    expect(errors.find((e) => e.field === 'salaryMax')!.message).toContain('supérieur');
  });

  it('asks for the salary period when a salary is given', () => {
    const { salaryPeriod: _p, ...rest } = complete;
    expect(fields(validateOfferContent(rest, true))).toEqual(['salaryPeriod']);
  });

  it('accepts Corsican postal codes', () => {
    expect(validateOfferContent({ ...complete, postalCode: '2A004' }, true)).toEqual([]);
  });
});

describe('offer statuses', () => {
  it('labels a soft-deleted offer with its previous status, as the recruiter guide does', () => {
    expect(offerStatusLabel('supprimee', 'brouillon')).toBe('Supprimée (Brouillon)');
    expect(offerStatusLabel('supprimee', 'en_attente')).toBe('Supprimée (En attente de modération)');
    expect(offerStatusLabel('publiee')).toBe('Publiée');
  });

  it('never lets a recruiter publish or un-delete', () => {
    for (const from of Object.keys(
      RECRUITER_OFFER_TRANSITIONS,
    ) as (keyof typeof RECRUITER_OFFER_TRANSITIONS)[]) {
      if (from !== 'publiee') expect(canRecruiterMoveOffer(from, 'publiee')).toBe(false);
      if (from !== 'supprimee') expect(canRecruiterMoveOffer(from, 'supprimee')).toBe(true);
    }
    expect(canRecruiterMoveOffer('supprimee', 'brouillon')).toBe(false);
    expect(canRecruiterMoveOffer('brouillon', 'en_attente')).toBe(true);
    expect(canRecruiterMoveOffer('en_attente', 'brouillon')).toBe(true);
  });
});
