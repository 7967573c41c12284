import { describe, expect, it } from 'vitest';
import { compareCvHits, validateCvCriteria } from '../../../../shared/domain/cv-search';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { OfferDoc } from '../../../../shared/schemas/offer.schema';
import { blankOffer } from '../../../../shared/schemas/offer.schema';
import {
  criteriaToForm,
  cvDisplayName,
  emptyForm,
  formFieldOf,
  formToCriteria,
  hitsToRows,
  parseLanguages,
  periodText,
  prefillFromOrganisation,
  skillStars,
  sortRows,
  sourceLabel,
} from './cvtheque-model';
import { scanCvs } from './search-runner';

function cv(id: string, over: Partial<CvDoc> = {}): CvDoc {
  return {
    id,
    title: 'Boulanger',
    express: false,
    experiences: [],
    diplomas: [],
    skills: [],
    languages: [],
    licences: [],
    completeness: 50,
    anonymous: false,
    updatedAt: '2026-11-01T00:00:00.000Z',
    ...over,
  };
}

const carcassonne = { code: '11069', name: 'Carcassonne', postalCode: '11000', lat: 43.21, lon: 2.35 };

describe('search form ↔ criteria', () => {
  it('turns every field into canonical criteria, and back', () => {
    const form = {
      ...emptyForm(),
      keywords: '  pain   levain ',
      appellation: { codeOgr: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' },
      place: carcassonne,
      radiusKm: 20,
      rqthOnly: true,
      qualifications: ['employe_qualifie' as const],
      domains: ['D', 'G'],
      contractTypes: ['CDI' as const, 'CDD' as const],
      availability: ['immediate' as const],
      languages: 'Anglais, espagnol; anglais',
      licences: ['B'],
    };
    const c = formToCriteria(form);
    expect(c).toEqual({
      keywords: 'pain levain',
      appellationCode: '11573',
      romeCodes: ['D1102'],
      place: { code: '11069', label: 'Carcassonne (11000)', lat: 43.21, lon: 2.35 },
      radiusKm: 20,
      rqthOnly: true,
      qualifications: ['employe_qualifie'],
      domains: ['D', 'G'],
      contractTypes: ['CDD', 'CDI'],
      availability: ['immediate'],
      languages: ['Anglais', 'espagnol'],
      licences: ['B'],
    });
    expect(validateCvCriteria(c)).toEqual([]);
    const back = criteriaToForm(c, (code) => (code === '11573' ? 'Boulanger / Boulangère' : undefined));
    expect(back.place).toEqual(carcassonne);
    expect(back.appellation?.label).toBe('Boulanger / Boulangère');
    expect(formToCriteria(back)).toEqual(c);
  });

  it('nearby ROME codes chosen with the métier are searched too, and come back in the form', () => {
    const form = {
      ...emptyForm(),
      appellation: { codeOgr: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' },
      nearbyCodes: ['D1104', 'D1102'],
    };
    const c = formToCriteria(form);
    expect(c.romeCodes).toEqual(['D1102', 'D1104']);
    // Sorted in the criteria: the appellation's own code comes from the referential.
    const z = formToCriteria({
      ...form,
      appellation: { codeOgr: '99', label: 'Pâtissier', romeCode: 'D1104' },
      nearbyCodes: ['A1101'],
    });
    expect(z.romeCodes).toEqual(['A1101', 'D1104']);
    const back = criteriaToForm(z, undefined, (code) => (code === '99' ? 'D1104' : undefined));
    expect(back.appellation?.romeCode).toBe('D1104');
    expect(back.nearbyCodes).toEqual(['A1101']);
  });

  it('drops empty fields and the radius without a commune', () => {
    expect(formToCriteria(emptyForm())).toEqual({});
    expect(formToCriteria({ ...emptyForm(), radiusKm: 50, keywords: '   ' })).toEqual({});
    expect(formToCriteria({ ...emptyForm(), place: carcassonne, radiusKm: 0 })).not.toHaveProperty(
      'radiusKm',
    );
  });

  it('maps criteria errors to form fields', () => {
    expect(formFieldOf('romeCodes')).toBe('appellation');
    expect(formFieldOf('appellationCode')).toBe('appellation');
    expect(formFieldOf('place')).toBe('place');
    expect(formFieldOf('criteria.radiusKm')).toBe('radiusKm');
    expect(formFieldOf('place.lat')).toBe('place');
  });

  it('parses languages without duplicates', () => {
    expect(parseLanguages(' anglais ,, Anglais ; occitan ')).toEqual(['anglais', 'occitan']);
  });
});

describe('pre-filled from the organisation (seed 000)', () => {
  const offer = (id: string, over: Partial<OfferDoc>): OfferDoc => ({
    ...blankOffer(id, 'org', 'publiee', '2026-10-01T00:00:00.000Z'),
    ...over,
  });
  it('takes the domains of live offers and their most frequent commune', () => {
    const offers = [
      offer('a', {
        romeCode: 'D1102',
        communeCode: '11262',
        city: 'Narbonne',
        postalCode: '11100',
        latitude: 43.18,
        longitude: 3,
      }),
      offer('b', {
        romeCode: 'G1602',
        communeCode: '11069',
        city: 'Carcassonne',
        postalCode: '11000',
        latitude: 43.21,
        longitude: 2.35,
      }),
      offer('c', {
        romeCode: 'D1106',
        communeCode: '11069',
        city: 'Carcassonne',
        postalCode: '11000',
        latitude: 43.21,
        longitude: 2.35,
      }),
      offer('d', {
        romeCode: 'N4101',
        status: 'archivee',
        communeCode: '31555',
        latitude: 43.6,
        longitude: 1.44,
      }),
    ];
    const form = prefillFromOrganisation(offers, null);
    expect(form.domains).toEqual(['D', 'G']);
    expect(form.place).toEqual(carcassonne);
    expect(form.radiusKm).toBe(30);
  });
  it('falls back to the organisation’s address', () => {
    const org = {
      address: { postalCode: '11100', city: 'Narbonne', communeCode: '11262', latitude: 43.18, longitude: 3 },
    } as never;
    expect(prefillFromOrganisation([], org).place).toEqual({
      code: '11262',
      name: 'Narbonne',
      postalCode: '11100',
      lat: 43.18,
      lon: 3,
    });
    expect(prefillFromOrganisation([], null)).toEqual(emptyForm());
  });
});

describe('result rows', () => {
  const docs = [
    cv('a', {
      title: 'Boulanger de nuit',
      completeness: 90,
      commune: { code: '11069', name: 'Carcassonne', lat: 43.21, lon: 2.35 },
    }),
    cv('b', {
      title: 'Apprenti boulanger',
      completeness: 40,
      commune: { code: '11262', name: 'Narbonne', lat: 43.18, lon: 3 },
    }),
    cv('c', {
      title: 'Pâtissier boulanger',
      completeness: 70,
      qualification: 'cadre',
      updatedAt: '2026-11-20T00:00:00.000Z',
    }),
  ];
  const response = scanCvs(docs, { keywords: 'boulanger' }, new Date('2026-12-01T00:00:00Z'));
  const rows = hitsToRows(response.hits);

  it('ranks with the shared ranking and keeps the rank whatever the sort', () => {
    expect(response.source).toBe('local');
    expect(response.total).toBe(3);
    const sorted = [...response.hits].sort(compareCvHits);
    expect(rows.map((r) => r.id)).toEqual(sorted.map((h) => h.doc.id));
    expect(rows.map((r) => r.rank)).toEqual([1, 2, 3]);
    expect(sortRows(rows, 'score', true).map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(sortRows(rows, 'score', false).map((r) => r.id)).toEqual([...rows].reverse().map((r) => r.id));
  });

  it('sorts by title, completeness, date and distance', () => {
    expect(sortRows(rows, 'title', false).map((r) => r.title)).toEqual([
      'Apprenti boulanger',
      'Boulanger de nuit',
      'Pâtissier boulanger',
    ]);
    expect(sortRows(rows, 'completeness', true).map((r) => r.completeness)).toEqual([90, 70, 40]);
    expect(sortRows(rows, 'updatedAt', true)[0]!.id).toBe('c');
    const near = hitsToRows(
      scanCvs(docs, {
        place: { code: '11069', label: 'Carcassonne (11000)', lat: 43.21, lon: 2.35 },
        radiusKm: 100,
      }).hits,
    );
    expect(near.map((r) => r.id).sort()).toEqual(['a', 'b']);
    expect(sortRows(near, 'place', false).map((r) => r.place)).toEqual([
      'Carcassonne · 0 km',
      expect.stringMatching(/^Narbonne · \d+(,\d)? km$/),
    ]);
  });
});

describe('a CV in French', () => {
  it('never names an anonymous candidate', () => {
    expect(cvDisplayName(cv('a', { anonymous: true, firstName: 'Thomas', lastName: 'Garcia' }))).toBe(
      'Candidat anonyme',
    );
    expect(cvDisplayName(cv('a', { firstName: 'Thomas', lastName: 'Garcia' }))).toBe('Thomas Garcia');
  });
  it('gives stars as text too', () => {
    expect(skillStars(4)).toEqual({ stars: '★★★★☆', text: '4 sur 5, Avancé' });
    expect(skillStars(9).stars).toBe('★★★★★');
  });
  it('writes periods in French', () => {
    expect(periodText('2021-09')).toBe('De septembre 2021 à aujourd’hui');
    expect(periodText('2019-09', '2021-08')).toBe('De septembre 2019 à août 2021');
  });
});

describe('which side answered', () => {
  it('says it in French', () => {
    expect(sourceLabel({ source: 'serveur' }, 3)).toBe('Résultats du serveur (toute la CVthèque)');
    expect(sourceLabel({ source: 'local' }, 1)).toBe(
      'Résultats de ce poste (hors ligne : 1 CV disponible localement)',
    );
    expect(sourceLabel({ source: 'local' }, 250)).toBe(
      'Résultats de ce poste (hors ligne : 250 CV disponibles localement)',
    );
  });
});
