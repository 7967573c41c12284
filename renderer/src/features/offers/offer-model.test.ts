import { describe, expect, it } from 'vitest';
import type { OfferDoc } from '../../../../shared/schemas';
import {
  applyContent,
  canDelete,
  canSubmit,
  docToForm,
  duplicateOffer,
  EMPTY_OFFER_FORM,
  formToContent,
  newOfferDoc,
  softDeleteOffer,
  validateForm,
} from './offer-model';

const NOW = '2025-05-01T10:00:00.000Z';

describe('offer form model', () => {
  it('a draft needs only a title; a submission needs every starred field', () => {
    const values = { ...EMPTY_OFFER_FORM, title: 'Vendeur H/F' };
    expect(validateForm(values, false)).toEqual([]);
    const fields = validateForm(values, true).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'jobTitle',
        'city',
        'companyName',
        'contactPhone',
        'contractTypes',
        'description',
      ]),
    );
  });

  it('parses French amounts and flags bad ones', () => {
    const c = formToContent({ ...EMPTY_OFFER_FORM, title: 'x', salaryMin: '1 800,50', salaryMax: 'abc' });
    expect(c.salaryMin).toBe(1800.5);
    expect(Number.isNaN(c.salaryMax)).toBe(true);
    expect(
      validateForm({ ...EMPTY_OFFER_FORM, title: 'x', salaryMin: '-3' }, false).map((e) => e.field),
    ).toContain('salaryMin');
  });

  it('new drafts store empty strings for required keys and omit empty optional ones', () => {
    const doc = newOfferDoc(
      'id1',
      'org1',
      formToContent({ ...EMPTY_OFFER_FORM, title: ' Titre ' }),
      'brouillon',
      NOW,
    );
    expect(doc).toEqual({
      id: 'id1',
      organisationId: 'org1',
      title: 'Titre',
      jobTitle: '',
      city: '',
      companyName: '',
      contactPhone: '',
      seasonal: false,
      contractTypes: [],
      description: '',
      status: 'brouillon',
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('round-trips a document through the form and clears removed optional fields', () => {
    const doc = newOfferDoc(
      'id1',
      'org1',
      formToContent({
        ...EMPTY_OFFER_FORM,
        title: 'Titre',
        contactName: 'Mme Martin',
        salaryMin: '1800',
        salaryPeriod: 'mensuel',
        contractTypes: ['CDI'],
      }),
      'brouillon',
      NOW,
    );
    const form = docToForm(doc);
    expect(form.salaryMin).toBe('1800');
    const updated = applyContent(doc, formToContent({ ...form, contactName: '' }), 'en_attente', NOW);
    expect('contactName' in updated).toBe(false);
    expect(updated.salaryMin).toBe(1800);
    expect(updated.status).toBe('en_attente');
  });

  it('soft-deletes keeping the previous status, and duplicates as a new draft', () => {
    const doc: OfferDoc = {
      ...newOfferDoc('id1', 'org1', formToContent({ ...EMPTY_OFFER_FORM, title: 'T' }), 'en_attente', NOW),
      number: 'OF-1',
      authorId: 'u1',
    };
    const deleted = softDeleteOffer(doc, NOW);
    expect(deleted.status).toBe('supprimee');
    expect(deleted.previousStatus).toBe('en_attente');
    expect(softDeleteOffer(deleted, NOW)).toBe(deleted);
    const copy = duplicateOffer(deleted, 'id2', NOW);
    expect(copy.id).toBe('id2');
    expect(copy.status).toBe('brouillon');
    expect(copy.title).toBe('T');
    expect(copy.number).toBeUndefined();
    expect(copy.authorId).toBeUndefined();
    expect(copy.previousStatus).toBeUndefined();
  });

  it('follows the recruiter transitions for actions', () => {
    expect(canSubmit('brouillon')).toBe(true);
    expect(canSubmit('en_attente')).toBe(false);
    expect(canSubmit('publiee')).toBe(false);
    expect(canDelete('publiee')).toBe(true);
    expect(canDelete('supprimee')).toBe(false);
  });
});
