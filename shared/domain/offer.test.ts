import { describe, expect, it } from 'vitest';
import {
  canMoveOffer,
  canRecruiterMoveOffer,
  historyActionFor,
  OFFER_STATUSES,
  OFFER_TRANSITIONS,
  type OfferContent,
  offerStatusLabel,
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

  it('lets a recruiter publish only by republishing an expired offer, and never un-delete', () => {
    for (const from of OFFER_STATUSES) {
      if (from !== 'publiee' && from !== 'expiree')
        expect(canRecruiterMoveOffer(from, 'publiee')).toBe(false);
      if (from !== 'supprimee') expect(canRecruiterMoveOffer(from, 'supprimee')).toBe(true);
      if (from !== 'supprimee') expect(canRecruiterMoveOffer('supprimee', from)).toBe(false);
    }
    expect(canRecruiterMoveOffer('expiree', 'publiee')).toBe(true);
    expect(canRecruiterMoveOffer('brouillon', 'en_attente')).toBe(true);
    expect(canRecruiterMoveOffer('en_attente', 'brouillon')).toBe(true);
    expect(canRecruiterMoveOffer('en_attente', 'refusee')).toBe(false);
    expect(canRecruiterMoveOffer('publiee', 'expiree')).toBe(false);
  });

  it('gives each change exactly one actor, and moderation and expiry to the right ones', () => {
    const seen = new Set<string>();
    for (const t of OFFER_TRANSITIONS) {
      const key = `${t.from}>${t.to}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      expect(t.from).not.toBe(t.to);
    }
    expect(canMoveOffer('en_attente', 'publiee', 'moderateur')).toBe(true);
    expect(canMoveOffer('en_attente', 'refusee', 'moderateur')).toBe(true);
    expect(canMoveOffer('publiee', 'refusee', 'moderateur')).toBe(false);
    expect(canMoveOffer('publiee', 'expiree', 'systeme')).toBe(true);
    expect(canMoveOffer('brouillon', 'expiree', 'systeme')).toBe(false);
  });

  it('names every status change for the history', () => {
    expect(historyActionFor(null, 'brouillon')).toBe('creation');
    expect(historyActionFor('brouillon', 'brouillon')).toBeNull();
    for (const t of OFFER_TRANSITIONS)
      expect(historyActionFor(t.from, t.to), `${t.from}>${t.to}`).not.toBeNull();
    expect(historyActionFor('expiree', 'publiee')).toBe('republication');
    expect(historyActionFor('en_attente', 'publiee')).toBe('publication');
    expect(historyActionFor('publiee', 'en_attente')).toBe('modification_publiee');
  });
});

describe('lifecycle fields', () => {
  it('checks posts, working time, commune and the public application contact', () => {
    const fields = (o: Partial<OfferContent>, submit = true) =>
      validateOfferContent({ ...complete, ...o }, submit).map((e) => e.field);
    expect(fields({ posts: 0 })).toContain('posts');
    expect(fields({ posts: 2.5 })).toContain('posts');
    expect(fields({ posts: 3 })).toEqual([]);
    expect(fields({ workingTime: 'temps_plein', weeklyHours: 10 })).toContain('weeklyHours');
    expect(fields({ workingTime: 'temps_partiel', weeklyHours: 10 })).toEqual([]);
    expect(fields({ communeCode: '7505' })).toContain('communeCode');
    expect(fields({ communeCode: '2A004', latitude: 41.9, longitude: 8.7 })).toEqual([]);
    expect(fields({ communeCode: '75056', latitude: 48.8 })).toContain('communeCode');
    expect(fields({ applicationMode: 'contact' })).toContain('applicationContact');
    expect(fields({ applicationMode: 'contact' }, false)).toEqual([]);
    expect(fields({ applicationMode: 'contact', applicationContact: { email: 'rh@exemple.fr' } })).toEqual(
      [],
    );
    expect(fields({ applicationContact: { url: 'javascript:alert(1)' } })).toContain(
      'applicationContact.url',
    );
    expect(fields({ appellationCode: 'abc' })).toContain('appellationCode');
    expect(fields({ startDate: '2027-03-01', requestedEndDate: '2027-02-01' })).toContain('requestedEndDate');
  });
});
