import { describe, expect, it } from 'vitest';
import type { CompanyDoc } from '../../../../shared/schemas/company.schema';
import {
  applyForm,
  COMPANY_TYPES,
  type CompanyFormValues,
  canEditCompany,
  checkLink,
  companyFieldLabel,
  companyTypeLabel,
  countOffersByCompany,
  creatorName,
  docToForm,
  EMPTY_COMPANY_FORM,
  fieldControl,
  newCompanyDoc,
  newJob,
  readOnlyExplanation,
  removeJob,
  replaceJob,
  setJobPublished,
  todayIso,
  validateCompanyForm,
  validateJob,
} from './company-model';

const NOW = '2025-05-01T10:00:00.000Z';
const TODAY = '2025-05-01';

const valid: CompanyFormValues = {
  ...EMPTY_COMPANY_FORM,
  name: 'Garage des Alpes',
  sector: 'G',
  city: 'Grenoble',
  postalCode: '38000',
  communeCode: '38185',
  latitude: 45.18,
  longitude: 5.72,
};

const fields = (v: CompanyFormValues) => validateCompanyForm(v, TODAY).map((e) => e.field);

describe('company types', () => {
  it('lists the four sizes of seed 001 with their wording', () => {
    expect(COMPANY_TYPES.map((t) => t.label)).toEqual([
      'Microentreprise : moins de 10 salariés',
      'PME : moins de 250 salariés',
      'ETI : moins de 5 000 salariés',
      'Grande entreprise : 5 000 salariés et plus',
    ]);
    expect(companyTypeLabel('pme')).toBe('PME : moins de 250 salariés');
    expect(companyTypeLabel('inconnu')).toBe('');
    for (const t of COMPANY_TYPES) {
      expect(t.value.length).toBeLessThanOrEqual(20); // schema maxLength
      // Every choice is one the server accepts.
      expect(fields({ ...valid, companyType: t.value })).toEqual([]);
    }
  });
});

describe('validateCompanyForm', () => {
  it('a complete profile has no error', () => {
    expect(validateCompanyForm(valid, TODAY)).toEqual([]);
  });

  it('name, sector and city are required, in the order of the form', () => {
    const errors = validateCompanyForm({ ...EMPTY_COMPANY_FORM, name: '   ' }, TODAY);
    expect(errors.map((e) => e.field)).toEqual(['name', 'sector', 'address.city']);
    expect(errors[0]!.message).toBe('Le nom de l’entreprise est obligatoire.');
    expect(errors[1]!.message).toBe('Le secteur d’activité est obligatoire.');
  });

  it('a city without its postal code (not picked from the communes) is refused', () => {
    expect(fields({ ...valid, postalCode: '' })).toEqual(['address.city']);
  });

  it('several errors come in the order of the form', () => {
    expect(
      fields({
        ...EMPTY_COMPANY_FORM,
        youtube: 'x',
        employeeCount: 'x',
        foundedOn: '2999-01-01',
        phone: '1',
      }),
    ).toEqual(['name', 'phone', 'sector', 'employeeCount', 'foundedOn', 'address.city', 'links.youtube']);
  });

  it('checks phone and e-mail formats', () => {
    expect(fields({ ...valid, phone: '04 76 00 00 00', email: 'rh@garage.fr' })).toEqual([]);
    expect(fields({ ...valid, phone: '+33 4 76 00 00 00' })).toEqual([]);
    expect(fields({ ...valid, phone: '12 34' })).toEqual(['phone']);
    expect(fields({ ...valid, phone: '04 76 AB 00 00' })).toEqual(['phone']);
    expect(fields({ ...valid, email: 'rh@garage' })).toEqual(['email']);
    expect(fields({ ...valid, email: 'rh garage@x.fr' })).toEqual(['email']);
  });

  it('the creation date is a real date and not in the future', () => {
    expect(fields({ ...valid, foundedOn: '1987-03-14' })).toEqual([]);
    expect(fields({ ...valid, foundedOn: TODAY })).toEqual([]);
    const future = validateCompanyForm({ ...valid, foundedOn: '2025-05-02' }, TODAY);
    expect(future).toEqual([
      { field: 'foundedOn', message: 'La date de création ne peut pas être dans le futur.' },
    ]);
    expect(fields({ ...valid, foundedOn: '2023-02-30' })).toEqual(['foundedOn']);
    expect(fields({ ...valid, foundedOn: '14/03/1987' })).toEqual(['foundedOn']);
  });

  it('the number of employees is a whole number', () => {
    expect(fields({ ...valid, employeeCount: '1 200' })).toEqual([]);
    expect(fields({ ...valid, employeeCount: '12,5' })).toEqual(['employeeCount']);
    expect(fields({ ...valid, employeeCount: '-3' })).toEqual(['employeeCount']);
  });

  it('the company type is one of the list', () => {
    expect(fields({ ...valid, companyType: 'eti' })).toEqual([]);
    expect(fields({ ...valid, companyType: 'multinationale' })).toEqual(['companyType']);
  });

  it('a fiche de poste needs its job title', () => {
    const job = newJob(
      'j1',
      { appellationCode: '', jobTitle: '', romeCode: '', description: '', published: true },
      NOW,
    );
    expect(fields({ ...valid, jobs: [job] })).toEqual(['jobs.0.jobTitle']);
  });
});

describe('links per network', () => {
  it('accepts the network’s own addresses, sub-domains included', () => {
    expect(checkLink('website', 'https://www.garage-des-alpes.fr')).toBeNull();
    expect(checkLink('website', 'http://garage.fr/contact?x=1')).toBeNull();
    expect(checkLink('twitter', 'https://x.com/garage')).toBeNull();
    expect(checkLink('twitter', 'https://twitter.com/garage')).toBeNull();
    expect(checkLink('facebook', 'https://www.facebook.com/garage')).toBeNull();
    expect(checkLink('facebook', 'https://m.facebook.com/garage')).toBeNull();
    expect(checkLink('instagram', 'https://www.instagram.com/garage/')).toBeNull();
    expect(checkLink('linkedin', 'https://fr.linkedin.com/company/garage')).toBeNull();
    expect(checkLink('youtube', 'https://www.youtube.com/@garage')).toBeNull();
    expect(checkLink('youtube', 'https://youtu.be/dQw4w9WgXcQ')).toBeNull();
    expect(checkLink('linkedin', '')).toBeNull();
  });

  it('refuses another host, look-alike hosts and other schemes, with a French message naming the network', () => {
    expect(checkLink('facebook', 'https://www.instagram.com/garage')).toBe(
      'Le lien Facebook doit être une adresse facebook.com ou fb.com, ex. : https://www.facebook.com/votre-entreprise.',
    );
    expect(checkLink('twitter', 'https://notx.com/garage')).toMatch(/^Le lien Twitter \/ X/);
    expect(checkLink('linkedin', 'https://linkedin.com.evil.test/x')).not.toBeNull();
    expect(checkLink('youtube', 'javascript:alert(1)//youtube.com')).not.toBeNull();
    expect(checkLink('instagram', 'instagram.com/garage')).not.toBeNull();
    expect(checkLink('facebook', 'https://user:pw@facebook.com/x')).not.toBeNull();
  });

  it('the website needs a public host name and an http(s) scheme', () => {
    expect(checkLink('website', 'garage.fr')).toMatch(/^L’adresse du site web n’est pas valide/);
    expect(checkLink('website', 'ftp://garage.fr')).not.toBeNull();
    expect(checkLink('website', 'https://localhost/')).not.toBeNull();
    expect(checkLink('website', 'https://192.168.0.1/')).not.toBeNull();
    expect(checkLink('website', 'https://garage .fr')).not.toBeNull();
    expect(checkLink('website', `https://garage.fr/${'a'.repeat(500)}`)).toMatch(/500 caractères/);
  });

  it('link errors are reported on the link’s own field', () => {
    expect(fields({ ...valid, twitter: 'https://facebook.com/x', youtube: 'https://vimeo.com/1' })).toEqual([
      'links.twitter',
      'links.youtube',
    ]);
  });
});

describe('form ⇄ document', () => {
  const full: CompanyFormValues = {
    ...valid,
    phone: ' 04 76 00 00 00 ',
    email: 'rh@garage.fr',
    companyType: 'pme',
    employeeCount: '42',
    foundedOn: '1987-03-14',
    street: '12 rue des Lilas',
    description: '<p>Garage <strong>familial</strong></p>',
    website: 'https://garage.fr',
    linkedin: 'https://www.linkedin.com/company/garage',
    logo: 'b'.repeat(64),
    banner: 'c'.repeat(64),
    groupId: 'g1',
    published: true,
    jobs: [
      newJob(
        'j1',
        {
          appellationCode: '12345',
          jobTitle: ' Mécanicien automobile ',
          romeCode: 'I1604',
          description: '',
          published: true,
        },
        NOW,
      ),
    ],
  };

  it('a new profile carries the organisation, its creator and every filled field', () => {
    const doc = newCompanyDoc('c1', 'org1', 'u1', full, NOW);
    expect(doc).toEqual({
      id: 'c1',
      organisationId: 'org1',
      createdBy: 'u1',
      createdAt: NOW,
      updatedAt: NOW,
      name: 'Garage des Alpes',
      phone: '04 76 00 00 00',
      email: 'rh@garage.fr',
      sector: 'G',
      companyType: 'pme',
      employeeCount: 42,
      foundedOn: '1987-03-14',
      address: {
        street: '12 rue des Lilas',
        postalCode: '38000',
        city: 'Grenoble',
        communeCode: '38185',
        latitude: 45.18,
        longitude: 5.72,
      },
      description: '<p>Garage <strong>familial</strong></p>',
      links: { website: 'https://garage.fr', linkedin: 'https://www.linkedin.com/company/garage' },
      logo: 'b'.repeat(64),
      banner: 'c'.repeat(64),
      groupId: 'g1',
      published: true,
      jobs: [
        {
          id: 'j1',
          appellationCode: '12345',
          jobTitle: 'Mécanicien automobile',
          romeCode: 'I1604',
          published: true,
          createdAt: NOW,
        },
      ],
    });
    expect(docToForm(doc)).toEqual({
      ...full,
      phone: '04 76 00 00 00',
      jobs: [{ ...full.jobs[0]!, jobTitle: 'Mécanicien automobile' }],
    });
  });

  it('emptied optional fields are removed, other keys of the document kept', () => {
    const doc = newCompanyDoc('c1', 'org1', 'u1', full, NOW);
    const later = '2025-06-01T00:00:00.000Z';
    const out = applyForm(
      { ...doc, siret: '12345678901234' } as CompanyDoc,
      { ...docToForm(doc), phone: '', website: '', linkedin: '', groupId: '', logo: '', employeeCount: '' },
      later,
    );
    expect(out.phone).toBeUndefined();
    expect(out.links).toBeUndefined();
    expect(out.groupId).toBeUndefined();
    expect(out.logo).toBeUndefined();
    expect(out.employeeCount).toBeUndefined();
    expect(out.siret).toBe('12345678901234');
    expect(out.createdBy).toBe('u1');
    expect(out.createdAt).toBe(NOW);
    expect(out.updatedAt).toBe(later);
    expect('phone' in out).toBe(false);
  });
});

describe('rights and creator', () => {
  const company = { organisationId: 'org1', createdBy: 'u1' };
  it('the creator and the organisation’s admins edit; other members and admins elsewhere do not', () => {
    expect(
      canEditCompany({ id: 'u1', memberships: [{ organisationId: 'org1', role: 'member' }] }, company),
    ).toBe(true);
    expect(
      canEditCompany({ id: 'u2', memberships: [{ organisationId: 'org1', role: 'admin' }] }, company),
    ).toBe(true);
    expect(
      canEditCompany({ id: 'u2', memberships: [{ organisationId: 'org1', role: 'member' }] }, company),
    ).toBe(false);
    expect(
      canEditCompany({ id: 'u3', memberships: [{ organisationId: 'org2', role: 'admin' }] }, company),
    ).toBe(false);
    expect(
      canEditCompany(
        { id: 'u2', memberships: [{ organisationId: 'org1', role: 'member' }] },
        { organisationId: 'org1' },
      ),
    ).toBe(false);
  });

  it('names the creator from the members, or gives the id', () => {
    const members = [{ accountId: 'u1', firstName: 'Claire', lastName: 'Martin' }];
    expect(creatorName('u1', members)).toBe('Claire Martin');
    expect(creatorName('u9', members)).toBe('u9');
    expect(creatorName('u1', undefined)).toBe('u1');
    expect(readOnlyExplanation('Claire Martin')).toBe(
      'Seul le recruteur qui a créé la fiche (Claire Martin) et les administrateurs de l’organisation peuvent la modifier.',
    );
  });
});

describe('fiches de poste', () => {
  const a = newJob(
    'a',
    { appellationCode: '1', jobTitle: 'Vendeur', romeCode: 'D1214', description: 'x', published: true },
    NOW,
  );
  const b = newJob(
    'b',
    { appellationCode: '2', jobTitle: 'Caissier', romeCode: 'D1505', description: '', published: true },
    NOW,
  );

  it('deactivate, reactivate, edit and delete one job without touching the others', () => {
    const off = setJobPublished([a, b], 'a', false);
    expect(off.map((j) => j.published)).toEqual([false, true]);
    expect(setJobPublished(off, 'a', true).map((j) => j.published)).toEqual([true, true]);
    expect(replaceJob([a, b], { ...b, description: 'Temps partiel' })[1]!.description).toBe('Temps partiel');
    expect(removeJob([a, b], 'a')).toEqual([b]);
  });

  it('a job needs an appellation picked from the ROME list', () => {
    expect(
      validateJob({ jobTitle: 'Vendeur', appellationCode: '', description: '' }).map((e) => e.field),
    ).toEqual(['jobTitle']);
    expect(validateJob({ jobTitle: 'Vendeur', appellationCode: '1', description: '' })).toEqual([]);
    expect(
      validateJob({ jobTitle: 'Vendeur', appellationCode: '1', description: 'x'.repeat(5001) }),
    ).toHaveLength(1);
  });
});

describe('helpers', () => {
  it('counts the offers of each company, deleted ones left out', () => {
    const m = countOffersByCompany([
      { companyId: 'c1', status: 'publiee' },
      { companyId: 'c1', status: 'brouillon' },
      { companyId: 'c1', status: 'supprimee' },
      { companyId: 'c2' },
      {},
    ]);
    expect(m.get('c1')).toBe(2);
    expect(m.get('c2')).toBe(1);
    expect(m.size).toBe(2);
  });

  it('labels the fields the server names', () => {
    expect(companyFieldLabel('links.twitter')).toBe('Lien Twitter / X');
    expect(companyFieldLabel('address.city')).toBe('Ville');
    expect(companyFieldLabel('jobs.3.jobTitle')).toBe('Fiches de poste');
    expect(fieldControl('address.postalCode')).toBe('address.city');
    expect(fieldControl('address.street')).toBe('address.street');
    expect(fieldControl('jobs.3.romeCode')).toBe('jobs.3');
    expect(fieldControl('links.twitter')).toBe('links.twitter');
    expect(companyFieldLabel('foo')).toBe('foo');
  });

  it('today in Paris time, as the server judges a date in the future', () => {
    expect(todayIso(new Date('2025-01-09T23:30:00Z'))).toBe('2025-01-10');
    expect(todayIso(new Date('2025-07-09T21:59:00Z'))).toBe('2025-07-09');
  });
});
