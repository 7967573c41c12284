import { describe, expect, it } from 'vitest';
import { OFFER_CONTENT_FIELDS } from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import {
  applyContent,
  contentOf,
  docToForm,
  duplicateOffer,
  EMPTY_OFFER_FORM,
  formToContent,
  moveOffer,
  NEVER_DUPLICATED,
  newOfferDoc,
  offerFieldControlId,
  sameContent,
  softDeleteOffer,
  validateForm,
} from './offer-model';

const NOW = '2025-05-01T10:00:00.000Z';

/** A complete offer of version 1, as the server would send it back. */
function fullOffer(over: Partial<OfferDoc> = {}): OfferDoc {
  return {
    id: 'src',
    organisationId: 'org1',
    number: '688418K',
    title: 'Boulanger / Boulangère H/F',
    jobTitle: 'Boulanger / Boulangère',
    appellationCode: '11573',
    romeCode: 'D1102',
    city: 'Carcassonne',
    postalCode: '11000',
    communeCode: '11069',
    latitude: 43.21,
    longitude: 2.35,
    companyId: 'co1',
    companyName: 'Boulangeries Martin',
    salaryMin: 1900,
    salaryMax: 2200,
    salaryPeriod: 'mensuel',
    contactName: 'Claire Martin',
    contactPhone: '04 68 11 22 33',
    contactEmail: 'claire@example.test',
    startDate: '2025-06-01',
    seasonal: false,
    contractTypes: ['CDI', 'CDD'],
    qualification: 'employe_qualifie',
    posts: 2,
    workingTime: 'temps_partiel',
    weeklyHours: 28,
    description: 'Fabrication du pain et des viennoiseries, cuisson, mise en rayon et nettoyage du fournil.',
    requestedEndDate: '2025-07-31',
    applicationMode: 'contact',
    applicationContact: { name: 'Service RH', email: 'rh@example.test', phone: '04 68 00 00 00' },
    coRecruiterIds: ['u2', 'u3'],
    history: [{ at: NOW, action: 'creation', by: 'u1', byName: 'Paul Durand', to: 'brouillon' }],
    moderationFlags: [{ code: 'hf-absent', message: 'Mention H/F absente du titre' }],
    moderationReason: 'Motif',
    expiryWarnedAt: NOW,
    status: 'refusee',
    authorId: 'u1',
    createdAt: NOW,
    updatedAt: NOW,
    submittedAt: NOW,
    publishedAt: NOW,
    expiresAt: NOW,
    ...over,
  };
}

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

  it('a new form defaults to one post and applications on the portal', () => {
    const c = formToContent({ ...EMPTY_OFFER_FORM, title: 'T' });
    expect(c.posts).toBe(1);
    expect(c.applicationMode).toBe('portail');
    expect(c.applicationContact).toBeUndefined();
  });

  it('new drafts store empty strings for required keys and omit empty optional ones', () => {
    const doc = newOfferDoc(
      'id1',
      'org1',
      formToContent({ ...EMPTY_OFFER_FORM, title: ' Titre ', posts: '', applicationMode: '' }),
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

  it('round-trips every content field of a full offer through the form', () => {
    const doc = fullOffer();
    const form = docToForm(doc);
    expect(form.posts).toBe('2');
    expect(form.weeklyHours).toBe('28');
    expect(form.latitude).toBe(43.21);
    expect(form.applicationContact).toEqual({
      name: 'Service RH',
      email: 'rh@example.test',
      phone: '04 68 00 00 00',
      url: '',
    });
    expect(formToContent(form)).toEqual(contentOf(doc));
    expect(sameContent(formToContent(form), contentOf(doc))).toBe(true);
  });

  it('an offer written before version 1 gets no new field by being opened and saved', () => {
    const old = newOfferDoc(
      'old',
      'org1',
      formToContent({ ...EMPTY_OFFER_FORM, title: 'T' }),
      'publiee',
      NOW,
    );
    delete (old as Record<string, unknown>).posts;
    delete (old as Record<string, unknown>).applicationMode;
    const content = formToContent(docToForm(old));
    expect(content.posts).toBeUndefined();
    expect(content.applicationMode).toBeUndefined();
    expect(sameContent(content, contentOf(old))).toBe(true);
    expect(sameContent({ ...content, title: 'Autre' }, contentOf(old))).toBe(false);
  });

  it('keeps the public application contact only in « contact » mode, trimmed and without empty parts', () => {
    const values = {
      ...EMPTY_OFFER_FORM,
      title: 'T',
      applicationMode: 'contact' as const,
      applicationContact: { name: '  ', email: ' rh@example.test ', phone: '', url: '' },
    };
    expect(formToContent(values).applicationContact).toEqual({ email: 'rh@example.test' });
    expect(formToContent({ ...values, applicationMode: 'portail' }).applicationContact).toBeUndefined();
    expect(
      formToContent({ ...values, applicationContact: { name: '', email: '', phone: '', url: '' } })
        .applicationContact,
    ).toBeUndefined();
  });

  it('reports nested errors on the nested field, and points each error to a control', () => {
    const values = {
      ...EMPTY_OFFER_FORM,
      title: 'T',
      applicationMode: 'contact' as const,
      applicationContact: { name: '', email: 'pas-un-email', phone: '', url: '' },
    };
    const errors = validateForm(values, false);
    expect(errors.map((e) => e.field)).toContain('applicationContact.email');
    expect(offerFieldControlId('applicationContact.email')).toBe('offer-applicationContact-email');
    expect(offerFieldControlId('applicationContact')).toBe('offer-applicationContact-email');
    expect(offerFieldControlId('appellationCode')).toBe('offer-jobTitle');
    expect(offerFieldControlId('communeCode')).toBe('offer-city');
    expect(offerFieldControlId('companyName')).toBe('offer-company');
    expect(offerFieldControlId('title')).toBe('offer-title');
  });

  it('a position is kept only whole, and posts must be a whole number', () => {
    const half = formToContent({ ...EMPTY_OFFER_FORM, title: 'T', latitude: 43.2, longitude: null });
    expect(half.latitude).toBeUndefined();
    expect(half.longitude).toBeUndefined();
    expect(
      validateForm({ ...EMPTY_OFFER_FORM, title: 'T', posts: '1,5' }, false).map((e) => e.field),
    ).toContain('posts');
    expect(
      validateForm({ ...EMPTY_OFFER_FORM, title: 'T', posts: '0' }, false).map((e) => e.field),
    ).toContain('posts');
  });

  it('clears removed optional fields when content is applied', () => {
    const doc = fullOffer({ status: 'brouillon' });
    const form = docToForm(doc);
    const updated = applyContent(
      doc,
      formToContent({ ...form, contactName: '', coRecruiterIds: [], qualification: '' }),
      'en_attente',
      NOW,
    );
    expect('contactName' in updated).toBe(false);
    expect('coRecruiterIds' in updated).toBe(false);
    expect('qualification' in updated).toBe(false);
    expect(updated.salaryMin).toBe(1900);
    expect(updated.status).toBe('en_attente');
    expect(updated.number).toBe('688418K');
  });
});

describe('duplication (« DUPLIQUER »)', () => {
  it('copies every content field into a new draft pointing to its source', () => {
    const source = fullOffer();
    const copy = duplicateOffer(source, 'copy', '2025-05-02T08:00:00.000Z', 'u1');
    expect(copy.id).toBe('copy');
    expect(copy.organisationId).toBe('org1');
    expect(copy.status).toBe('brouillon');
    expect(copy.duplicatedFrom).toBe('src');
    expect(copy.createdAt).toBe('2025-05-02T08:00:00.000Z');
    for (const f of OFFER_CONTENT_FIELDS) {
      if (f === 'duplicatedFrom' || f === 'coRecruiterIds') continue;
      expect(copy[f], f).toEqual(source[f]);
    }
    // The author duplicating their own offer keeps its co-recruiters.
    expect(copy.coRecruiterIds).toEqual(['u2', 'u3']);
  });

  it('never copies identity, status, moderation, history, dates or other server fields', () => {
    const source = fullOffer();
    const copy = duplicateOffer(source, 'copy', '2025-05-02T08:00:00.000Z', 'u1') as Record<string, unknown>;
    for (const f of NEVER_DUPLICATED) {
      if (f === 'id' || f === 'status' || f === 'createdAt' || f === 'updatedAt') continue;
      expect(copy[f], f).toBeUndefined();
    }
    expect(copy.id).not.toBe(source.id);
  });

  it('shares no array or object with its source', () => {
    const source = fullOffer();
    const copy = duplicateOffer(source, 'copy', NOW, 'u1');
    expect(copy.contractTypes).not.toBe(source.contractTypes);
    expect(copy.applicationContact).not.toBe(source.applicationContact);
    expect(copy.coRecruiterIds).not.toBe(source.coRecruiterIds);
  });

  it('drops dates already past, and co-recruiters when someone else duplicates', () => {
    const source = fullOffer();
    const later = duplicateOffer(source, 'copy', '2025-06-15T08:00:00.000Z', 'u2');
    expect(later.startDate).toBeUndefined();
    expect(later.requestedEndDate).toBe('2025-07-31');
    expect(later.coRecruiterIds).toBeUndefined();
    const mine = duplicateOffer(fullOffer({ coRecruiterIds: ['u1'] }), 'c2', NOW, 'u1');
    expect(mine.coRecruiterIds).toBeUndefined();
  });

  it('duplicates a deleted offer like any other', () => {
    const deleted = softDeleteOffer(fullOffer({ status: 'brouillon' }), NOW);
    expect(deleted.status).toBe('supprimee');
    expect(deleted.previousStatus).toBe('brouillon');
    expect(softDeleteOffer(deleted, NOW)).toBe(deleted);
    const copy = duplicateOffer(deleted, 'id2', NOW, 'u1');
    expect(copy.status).toBe('brouillon');
    expect(copy.previousStatus).toBeUndefined();
    expect(copy.title).toBe(deleted.title);
  });
});

describe('status changes from the list', () => {
  it('moves an offer, keeping the former status of a deleted one', () => {
    const doc = fullOffer({ status: 'expiree' });
    expect(moveOffer(doc, 'publiee', NOW).status).toBe('publiee');
    const deleted = moveOffer(doc, 'supprimee', NOW);
    expect(deleted.previousStatus).toBe('expiree');
  });
});
