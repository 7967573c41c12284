import { describe, expect, it } from 'vitest';
import {
  type CandidateCv,
  COMPLETENESS_THRESHOLD,
  COMPLETENESS_WEIGHTS,
  CV_LIMITS,
  cvCompleteness,
  formatCvMonth,
  missingCompleteness,
  needsCompletenessReminder,
  publicationErrors,
  validateCvInput,
} from './cv';

const target: CandidateCv['target'] = {
  appellationCode: '11573',
  appellationLabel: 'Boulanger / Boulangère',
  romeCode: 'D1102',
  workplaces: [{ communeCode: '69123', communeName: 'Lyon' }],
  contractTypes: ['CDI'],
  workingTimes: ['temps_plein'],
};
const longText =
  'Fabrication des pains et viennoiseries, cuisson au four à sole, gestion des commandes du matin.';

const empty = { target: null, summary: '', experiences: [], diplomas: [], skills: [] };
const full = {
  target,
  summary: longText,
  experiences: [
    {
      id: 'e',
      company: 'Fournil',
      jobTitle: 'Boulanger',
      start: '2020-01',
      end: null,
      description: longText,
    },
  ],
  diplomas: [{ id: 'd', title: 'CAP Boulanger', date: '2019', description: '' }],
  skills: [1, 2, 3].map((n) => ({ id: `s${n}`, label: `Compétence ${n}`, level: n })),
};

describe('cvCompleteness (seed 002 « jauge du taux de saisie »)', () => {
  it('weights add up to 100 and a complete CV reaches 100 %', () => {
    expect(Object.values(COMPLETENESS_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    expect(cvCompleteness(full)).toBe(100);
    expect(missingCompleteness(full)).toEqual([]);
  });

  it('an empty CV is at 0 % and lists everything missing', () => {
    expect(cvCompleteness(empty)).toBe(0);
    expect(missingCompleteness(empty)).toContain('l’accroche');
  });

  it('each zone of the seed makes the gauge progress', () => {
    const steps = [
      { ...empty, target },
      { ...empty, target, summary: longText },
      { ...empty, target, summary: longText, experiences: full.experiences },
      { ...empty, target, summary: longText, experiences: full.experiences, diplomas: full.diplomas },
      full,
    ];
    const values = steps.map(cvCompleteness);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]!);
    expect(values[0]).toBe(30);
  });

  it('descriptions of experiences, a long accroche and three skills count fully', () => {
    const noDescription = { ...full, experiences: [{ ...full.experiences[0]!, description: 'court' }] };
    expect(cvCompleteness(noDescription)).toBe(100 - COMPLETENESS_WEIGHTS.experienceDescriptions);
    expect(cvCompleteness({ ...full, summary: 'Boulanger' })).toBe(90);
    expect(cvCompleteness({ ...full, skills: full.skills.slice(0, 1) })).toBe(90);
  });

  it('the reminder shows under the threshold only', () => {
    expect(COMPLETENESS_THRESHOLD).toBe(60);
    expect(needsCompletenessReminder(59)).toBe(true);
    expect(needsCompletenessReminder(60)).toBe(false);
  });
});

describe('validateCvInput', () => {
  it('accepts a partial draft and normalises it', () => {
    const { value, errors } = validateCvInput({ title: '  Mon CV  ', licences: ['B', 'AM', 'B'] });
    expect(errors).toEqual([]);
    expect(value).toEqual({ title: 'Mon CV', licences: ['AM', 'B'] });
  });

  it('accepts a whole CV', () => {
    const { errors, value } = validateCvInput({
      ...full,
      languages: [{ language: 'Anglais', level: 'courant' }],
      publication: { cvtheque: true, anonymous: true },
    });
    expect(errors).toEqual([]);
    expect(value.experiences?.[0]).toMatchObject({ end: null, start: '2020-01' });
    expect(value.publication).toEqual({ cvtheque: true, anonymous: true });
  });

  it('names every field at fault, in French', () => {
    const { errors } = validateCvInput({
      title: 'x'.repeat(CV_LIMITS.title + 1),
      target: {
        ...target,
        contractTypes: ['CDI', 'PIGISTE'],
        workplaces: [{ communeCode: 'abc', communeName: 'X' }],
      },
      experiences: [
        { company: '', jobTitle: 'Boulanger', start: '2021-13', end: null, description: '' },
        { company: 'A', jobTitle: 'B', start: '2022-05', end: '2021-01', description: '' },
      ],
      diplomas: [{ title: 'CAP', date: 'hier', description: '' }],
      skills: [
        { label: 'Pétrissage', level: 6 },
        { label: 'Façonnage', level: 2.5 },
      ],
      languages: [{ language: 'Anglais', level: 'parfait' }],
      licences: ['Z'],
      publication: { cvtheque: 'oui' },
    });
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'title',
        'target.contractTypes',
        'target.workplaces.0',
        'experiences.0.company',
        'experiences.0.start',
        'experiences.1.end',
        'diplomas.0.date',
        'skills.0.level',
        'skills.1.level',
        'languages.0.level',
        'licences',
        'publication.cvtheque',
      ]),
    );
    expect(errors.find((e) => e.field === 'experiences.1.end')?.message).toBe(
      'La date de fin doit être postérieure ou égale à la date de début.',
    );
    expect(errors.find((e) => e.field === 'skills.0.level')?.message).toMatch(/entre 1 et 5 étoiles/);
  });

  it('refuses too many items and wrong types', () => {
    const many = Array.from({ length: CV_LIMITS.skills + 1 }, (_, i) => ({ label: `s${i}`, level: 3 }));
    expect(validateCvInput({ skills: many }).errors).toEqual([
      { field: 'skills', message: 'Compétences : 30 au plus.' },
    ]);
    expect(validateCvInput({ experiences: 'non' }).errors[0]?.field).toBe('experiences');
    expect(validateCvInput([]).errors[0]?.field).toBe('cv');
    expect(
      validateCvInput({ target: { appellationCode: '11573', appellationLabel: 'B', romeCode: 'x' } })
        .errors[0]?.field,
    ).toBe('target');
    expect(validateCvInput({ file: { sha256: 'abc' } }).errors[0]?.field).toBe('file');
  });
});

describe('publication rules and formats', () => {
  it('a target is required to go online; an express CV needs its file', () => {
    expect(publicationErrors({ target: null, express: false, file: null })[0]?.field).toBe('target');
    expect(publicationErrors({ target, express: true, file: null })[0]?.field).toBe('file');
    expect(publicationErrors({ target, express: false, file: null })).toEqual([]);
  });

  it('formats months in French', () => {
    expect(formatCvMonth('2021-03')).toBe('mars 2021');
    expect(formatCvMonth('2019')).toBe('2019');
  });
});
