import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  APPLICATION_SOURCE_LABELS,
  APPLICATION_STATUS_RECRUITER_LABELS,
  type ApplicationSource,
  type ApplicationStatus,
} from '../domain/application';
import { evaluationIdFor } from '../domain/evaluation';
import type { ApplicationDoc } from '../schemas/application.schema';
import type { EvaluationDoc } from '../schemas/evaluation.schema';
import { APPLICANT_EXPORT_HEADER, applicantExportRows, unitedTags } from './applicants-table';
import { toCsv } from './csv';
import { toXlsx } from './xlsx';

const ORG = '0b0e0000-0000-4000-8000-0000000000aa';
const OFFER = '0b0e0000-0000-4000-8000-00000000f001';

function application(id: string, over: Partial<ApplicationDoc> = {}): ApplicationDoc {
  return {
    id,
    organisationId: ORG,
    offerId: OFFER,
    offer: { title: 'Boulanger (titre à la candidature)', companyName: 'Fournil du Rhône' },
    applicant: {
      firstName: 'Hélène',
      lastName: 'Martin',
      email: 'helene@example.test',
      phone: '06 12 34 56 78',
    },
    status: 'nouvelle',
    source: 'portail',
    history: [{ at: '2026-03-02T08:00:00.000Z', to: 'nouvelle' }],
    createdAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T08:00:00.000Z',
    ...over,
  };
}

function evaluation(author: string, subjectId: string, over: Partial<EvaluationDoc> = {}): EvaluationDoc {
  return {
    id: evaluationIdFor(author, subjectId),
    organisationId: ORG,
    authorId: author,
    authorName: `Recruteur ${author}`,
    subjectKind: 'application',
    subjectId,
    notes: [],
    tags: [],
    createdAt: '2026-03-03T08:00:00.000Z',
    updatedAt: '2026-03-03T08:00:00.000Z',
    ...over,
  };
}

const statusLabel = (s: string) => APPLICATION_STATUS_RECRUITER_LABELS[s as ApplicationStatus] ?? s;
const sourceLabel = (s: string) => APPLICATION_SOURCE_LABELS[s as ApplicationSource] ?? s;

describe('applicantExportRows', () => {
  const refused = application('a1', {
    status: 'refusee',
    refusalReason: 'Candidature ne correspondant pas au profil recherché',
    history: [
      { at: '2026-03-02T08:00:00.000Z', to: 'nouvelle' },
      { at: '2026-03-05T09:30:00.000Z', from: 'nouvelle', to: 'a_l_etude', byName: 'Paul' },
      { at: '2026-03-10T15:45:00.000Z', from: 'a_l_etude', to: 'refusee', byName: 'Paul' },
    ],
    updatedAt: '2026-03-11T10:00:00.000Z',
  });
  const captured = application('a2', {
    offerId: '0b0e0000-0000-4000-8000-00000000f002',
    offer: { title: 'Vendeur', companyName: 'Fournil du Rhône' },
    applicant: { firstName: 'Jean', lastName: '=Dupont', phone: '+33 6 00 00 00 00' },
    source: 'salon',
    eventId: '0b0e0000-0000-4000-8000-0000000e0001',
    duplicateOf: 'a1',
    duplicateReasons: ['name'],
  });
  const merged = application('a3', { duplicateOf: 'a1', mergedInto: 'a1', status: 'archivee' });
  const evaluations = [
    evaluation('u1', 'a1', { rating: 4, tags: ['Motivé', 'Permis B'] }),
    evaluation('u2', 'a1', { rating: 5, tags: ['motive', 'À rappeler'] }),
    evaluation('u3', 'a1', { notes: [{ id: 'n1', at: '2026-03-04T10:00:00.000Z', text: 'Bon contact' }] }),
    evaluation('u4', 'a1'), // empty: not counted
    evaluation('u1', 'cv1', { subjectKind: 'cv', rating: 1 }), // a CV's evaluation: ignored
    evaluation('u1', 'a2', { rating: 3 }),
  ];
  const rows = applicantExportRows({
    applications: [refused, captured, merged],
    evaluations,
    offerTitles: new Map([[OFFER, 'Boulanger / Boulangère']]),
    statusLabel,
    sourceLabel,
  });
  const col = (name: string) => APPLICANT_EXPORT_HEADER.indexOf(name);

  it('has the 15 columns of the brief, one row per application, in order', () => {
    expect(APPLICANT_EXPORT_HEADER).toEqual([
      'Nom',
      'Prénom',
      'E-mail',
      'Téléphone',
      'Offre',
      'Statut',
      'Source',
      'Reçue le',
      'Dernier changement',
      'Note moyenne',
      'Nombre d’évaluations',
      'Étiquettes',
      'Motif de refus',
      'Salon',
      'Doublon possible',
    ]);
    expect(rows).toHaveLength(3);
    for (const r of rows) expect(r).toHaveLength(15);
  });

  it('fills identity, offer (current title first), labels, dates and refusal reason', () => {
    const [r1, r2] = rows;
    expect(r1?.slice(0, 7)).toEqual([
      'Martin',
      'Hélène',
      'helene@example.test',
      '06 12 34 56 78',
      'Boulanger / Boulangère',
      'Refusée',
      'Candidature en ligne',
    ]);
    expect(r1?.[col('Reçue le')]).toEqual(new Date('2026-03-02T08:00:00.000Z'));
    expect(r1?.[col('Dernier changement')]).toEqual(new Date('2026-03-10T15:45:00.000Z'));
    expect(r1?.[col('Motif de refus')]).toBe('Candidature ne correspondant pas au profil recherché');
    // No current title known: the title saved with the application.
    expect(r2?.[col('Offre')]).toBe('Vendeur');
    expect(r2?.[col('Source')]).toBe('Saisie sur un salon');
    expect(r2?.[col('E-mail')]).toBe('');
  });

  it('sums up everyone’s evaluations: average, count, tags united without case or accent doubles', () => {
    const [r1, r2, r3] = rows;
    expect(r1?.[col('Note moyenne')]).toBe(4.5);
    expect(r1?.[col('Nombre d’évaluations')]).toBe(3);
    expect(r1?.[col('Étiquettes')]).toBe('À rappeler ; Motivé ; Permis B');
    expect(r2?.[col('Note moyenne')]).toBe(3);
    expect(r2?.[col('Nombre d’évaluations')]).toBe(1);
    expect(r3?.[col('Note moyenne')]).toBeNull();
    expect(r3?.[col('Nombre d’évaluations')]).toBe(0);
    expect(r3?.[col('Étiquettes')]).toBe('');
  });

  it('gives the fair and flags a possible duplicate unless already merged', () => {
    const [r1, r2, r3] = rows;
    expect(r2?.[col('Salon')]).toBe('0b0e0000-0000-4000-8000-0000000e0001');
    expect(r1?.[col('Salon')]).toBe('');
    expect(r1?.[col('Doublon possible')]).toBe(false);
    expect(r2?.[col('Doublon possible')]).toBe(true);
    expect(r3?.[col('Doublon possible')]).toBe(false);
  });

  it('feeds the CSV (formula neutralised, Oui/Non, decimal comma, Paris dates)', () => {
    const csv = toCsv(APPLICANT_EXPORT_HEADER, rows);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(APPLICANT_EXPORT_HEADER.join(';'));
    expect(lines[1]).toContain(';4,5;3;');
    expect(lines[1]).toContain('02/03/2026 09:00;10/03/2026 16:45');
    expect(lines[1]).toContain('"À rappeler ; Motivé ; Permis B"');
    expect(lines[2]?.startsWith("'=Dupont;Jean;;'+33 6 00 00 00 00;")).toBe(true);
    expect(lines[2]?.endsWith(';Oui')).toBe(true);
    expect(lines[3]?.endsWith(';Non')).toBe(true);
  });

  it('feeds the XLSX (no formula for a name starting with =)', () => {
    const files = unzipSync(toXlsx({ name: 'Candidats', header: APPLICANT_EXPORT_HEADER, rows }));
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml'] ?? new Uint8Array());
    expect(sheet).toContain('<t xml:space="preserve">=Dupont</t>');
    expect(sheet).not.toMatch(/<f[\s>/]/);
    expect(sheet).toContain('<c r="J2"><v>4.5</v></c>');
  });
});

describe('unitedTags', () => {
  it('unites tags ignoring case and accents, sorted the French way', () => {
    expect(unitedTags([{ tags: ['Été', 'b'] }, { tags: ['ete', 'A', ' '] }])).toEqual(['A', 'b', 'Été']);
  });
});
