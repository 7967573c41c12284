import { describe, expect, it } from 'vitest';
import { type CandidateCv, DEFAULT_PUBLICATION } from '../../../shared/domain/cv';
import { cvSchema } from '../../../shared/schemas/cv.schema';
import { compileSchema, validationErrors } from '../sync/validation';
import { type CvOwnerFacts, cvProjection, cvSearchText, cvTombstone, isInCvtheque } from './cvs';

const cv: CandidateCv = {
  id: '0c500000-0000-4000-8000-00000000000a',
  express: false,
  status: 'publie',
  title: 'Boulangère',
  target: {
    appellationCode: '11573',
    appellationLabel: 'Boulanger / Boulangère',
    romeCode: 'D1102',
    workplaces: [{ communeCode: '2A004', communeName: 'Ajaccio' }],
    contractTypes: ['CDI'],
    workingTimes: ['temps_partiel'],
  },
  summary: 'Accroche',
  experiences: [
    { id: 'e1', company: 'Fournil', jobTitle: 'Boulangère', start: '2020-01', end: null, description: '' },
  ],
  diplomas: [{ id: 'd1', title: 'CAP', date: '2019', description: '' }],
  skills: [{ id: 's1', label: 'Levain', level: 5 }],
  languages: [{ id: 'l1', language: 'Corse', level: 'maternelle' }],
  licences: ['B'],
  file: { sha256: 'a'.repeat(64), name: 'cv.pdf', mime: 'application/pdf', size: 1234 },
  publication: { ...DEFAULT_PUBLICATION, showContact: true },
  completeness: 90,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  publishedAt: '2026-01-02T00:00:00.000Z',
};
const owner: CvOwnerFacts = {
  firstName: 'Maria',
  lastName: 'Santoni',
  email: 'maria@exemple.fr',
  phone: '06 12 34 56 78',
  showPhone: true,
  rqth: 'reconnue',
  availability: 'a_partir_du',
  availableFrom: '2026-03-01',
  commune: { code: '2A004', name: 'Ajaccio', lat: 41.92, lon: 8.74 },
};
const validate = compileSchema(cvSchema);

describe('the CVthèque projection (DESIGN §4 cvs, §6)', () => {
  it('is valid for the replicated schema, tombstones too', () => {
    expect(validationErrors(validate, cvProjection(cv, owner) as never)).toEqual([]);
    expect(validationErrors(validate, cvTombstone(cv.id) as never)).toEqual([]);
    const long = cvProjection(
      { ...cv, title: '', target: { ...cv.target!, appellationLabel: 'x'.repeat(200) } },
      { ...owner, firstName: 'y'.repeat(150) },
    );
    expect(validationErrors(validate, long as never)).toEqual([]);
  });

  it('shows name and contact only as the candidate chose', () => {
    const open = cvProjection(cv, owner);
    expect(open).toMatchObject({
      firstName: 'Maria',
      lastName: 'Santoni',
      email: 'maria@exemple.fr',
      phone: '06 12 34 56 78',
    });
    expect(open.experiences[0]!.end).toBeUndefined(); // « aujourd'hui »
    const noPhone = cvProjection(cv, { ...owner, showPhone: false });
    expect(noPhone.phone).toBeUndefined();
    const noContact = cvProjection({ ...cv, publication: { ...cv.publication, showContact: false } }, owner);
    expect(noContact.email).toBeUndefined();
    expect(noContact.firstName).toBe('Maria');
    const anonymous = cvProjection({ ...cv, publication: { ...cv.publication, anonymous: true } }, owner);
    expect(JSON.stringify(anonymous)).not.toMatch(/Maria|Santoni|maria@|06 12/);
    expect(anonymous.anonymous).toBe(true);
  });

  it('only online CVs visible in the CVthèque belong there', () => {
    expect(isInCvtheque(cv)).toBe(true);
    expect(isInCvtheque({ ...cv, status: 'suspendu' })).toBe(false);
    expect(isInCvtheque({ ...cv, status: 'brouillon' })).toBe(false);
    expect(isInCvtheque({ ...cv, publication: { ...cv.publication, cvtheque: false } })).toBe(false);
  });

  it('search text holds the CV and its file, never the name', () => {
    const text = cvSearchText(cvProjection(cv, owner), 'pâte feuilletée');
    expect(text).toContain('Levain');
    expect(text).toContain('pâte feuilletée');
    expect(text).not.toContain('Santoni');
  });
});
