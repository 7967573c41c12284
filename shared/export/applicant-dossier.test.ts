import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { APPLICATION_STATUS_RECRUITER_LABELS, type ApplicationStatus } from '../domain/application';
import { evaluationIdFor } from '../domain/evaluation';
import type { ApplicationDoc } from '../schemas/application.schema';
import type { EvaluationDoc } from '../schemas/evaluation.schema';
import { applicantDossierBlocks, applicantDossierPdf, DOSSIER_FOOTER } from './applicant-dossier';

async function pdfText(bytes: Uint8Array): Promise<{ numPages: number; pages: string[]; title: unknown }> {
  const task = getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  const pdf = await task.promise;
  const pages: string[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent();
    pages.push(content.items.map((i) => ('str' in i ? i.str + (i.hasEOL ? '\n' : '') : '')).join(''));
  }
  const { info } = (await pdf.getMetadata()) as { info: Record<string, unknown> };
  await task.destroy();
  return { numPages: pdf.numPages, pages, title: info.Title };
}

const ORG = '0b0e0000-0000-4000-8000-0000000000aa';
const APP = '0b0e0000-0000-4000-8000-00000000a001';
const statusLabel = (s: string) => APPLICATION_STATUS_RECRUITER_LABELS[s as ApplicationStatus] ?? s;

function baseApplication(over: Partial<ApplicationDoc> = {}): ApplicationDoc {
  return {
    id: APP,
    organisationId: ORG,
    offerId: '0b0e0000-0000-4000-8000-00000000f001',
    offer: {
      number: '2026-00042',
      title: 'Boulanger',
      companyName: 'Fournil du Rhône',
      city: 'Lyon',
      postalCode: '69003',
    },
    applicant: { firstName: 'Hélène', lastName: 'Lefèvre' },
    status: 'nouvelle',
    source: 'portail',
    history: [{ at: '2026-03-02T08:00:00.000Z', to: 'nouvelle' }],
    createdAt: '2026-03-02T08:00:00.000Z',
    updatedAt: '2026-03-02T08:00:00.000Z',
    ...over,
  };
}

function longApplication(): ApplicationDoc {
  return baseApplication({
    applicant: {
      civility: 'madame',
      firstName: 'Hélène',
      lastName: 'Lefèvre',
      email: 'helene.lefevre@example.test',
      phone: '06 12 34 56 78',
      jobSought: 'Boulangère',
      consent: {
        at: '2026-03-01T17:30:00.000Z',
        text: 'J’accepte que mes données soient transmises au recruteur.',
      },
    },
    status: 'refusee',
    refusalReason: 'Expérience insuffisante sur le poste',
    refusalVisible: true,
    message:
      'Bonjour,\nJe suis très motivée par ce poste « en boulangerie artisanale ». Cordialement, Hélène.',
    cv: {
      title: 'Boulangère pâtissière – 8 ans d’expérience',
      summary: 'Spécialiste des pains au levain, des viennoiseries et de la pâtisserie française. '.repeat(8),
      appellationLabel: 'Boulanger / Boulangère',
      romeCode: 'D1102',
      experiences: Array.from({ length: 8 }, (_, i) => ({
        company: `Boulangerie n° ${i + 1}`,
        jobTitle: 'Boulangère',
        start: `20${10 + i}-01`,
        end: i === 7 ? null : `20${11 + i}-06`,
        description:
          'Fabrication du pain, des viennoiseries et des gâteaux ; gestion des commandes et du fournil. '.repeat(
            3,
          ),
      })),
      diplomas: [{ title: 'CAP Boulanger', date: '2009-06', description: 'Mention bien' }],
      skills: [
        { label: 'Pétrissage', level: 5 },
        { label: 'Façonnage', level: 4 },
      ],
      languages: [{ language: 'Anglais', level: 'courant' }],
      licences: ['B'],
    },
    history: [
      { at: '2026-03-02T08:00:00.000Z', to: 'nouvelle' },
      { at: '2026-03-05T09:30:00.000Z', from: 'nouvelle', to: 'a_l_etude', by: 'u1', byName: 'Paul Durand' },
      { at: '2026-03-06T10:00:00.000Z', from: 'a_l_etude', to: 'entretien', by: 'u1', byName: 'Paul Durand' },
      { at: '2026-03-10T15:45:00.000Z', from: 'entretien', to: 'refusee', by: 'u2', byName: 'Zoé Martin' },
    ],
    updatedAt: '2026-03-10T15:45:00.000Z',
  });
}

function evaluation(author: string, name: string, over: Partial<EvaluationDoc> = {}): EvaluationDoc {
  return {
    id: evaluationIdFor(author, APP),
    organisationId: ORG,
    authorId: author,
    authorName: name,
    subjectKind: 'application',
    subjectId: APP,
    notes: [],
    tags: [],
    createdAt: '2026-03-03T08:00:00.000Z',
    updatedAt: '2026-03-03T08:00:00.000Z',
    ...over,
  };
}

const EVALUATIONS: EvaluationDoc[] = [
  evaluation('u1', 'Paul Durand', {
    rating: 4,
    ratedAt: '2026-03-06T11:00:00.000Z',
    tags: ['Motivée', 'Permis B'],
    notes: [
      { id: 'n2', at: '2026-03-06T11:05:00.000Z', text: 'Très à l’aise à l’oral, bonne présentation.' },
      { id: 'n1', at: '2026-03-05T09:35:00.000Z', text: 'CV solide, à recevoir en entretien.' },
    ],
  }),
  evaluation('u2', 'Zoé Martin', { rating: 2, ratedAt: '2026-03-10T15:40:00.000Z', tags: ['Horaires'] }),
  // Another application's evaluation: not in this dossier.
  {
    ...evaluation('u3', 'Intrus', {
      rating: 1,
      notes: [{ id: 'x', at: '2026-03-03T08:00:00.000Z', text: 'Hors sujet' }],
    }),
    subjectId: '0b0e0000-0000-4000-8000-00000000a999',
  },
];

/** The long dossier of the first test, for the PDF and for its print blocks. */
const longDossier = () => ({
  application: longApplication(),
  evaluations: EVALUATIONS,
  offerTitle: 'Boulanger / Boulangère (CDI)',
  organisationName: 'Fournil du Rhône',
  statusLabel,
  generatedAt: new Date('2026-03-11T09:00:00Z'),
  generatedBy: 'Paul Durand',
});

describe('applicantDossierPdf', () => {
  it('renders a long dossier on several pages with the person, CV, evaluations and history', async () => {
    const bytes = applicantDossierPdf(longDossier());
    const { numPages, pages, title } = await pdfText(bytes);
    expect(numPages).toBeGreaterThan(1);
    expect(title).toBe('Dossier de candidature – Hélène LEFÈVRE');
    const text = pages.join('\n');
    for (const expected of [
      'Dossier de candidature',
      'Hélène',
      'Madame',
      'helene.lefevre@example.test',
      '06 12 34 56 78',
      'Boulangère',
      '01/03/2026 18:30', // consent, Paris time
      'Boulanger / Boulangère (CDI)',
      'Candidature en ligne',
      'Refusée',
      'Expérience insuffisante sur le poste',
      'Boulangère pâtissière – 8 ans d’expérience',
      'Boulangère – Boulangerie n° 8 (depuis janvier 2017)',
      'Boulangère – Boulangerie n° 1 (de janvier 2010 à juin 2011)',
      'CAP Boulanger (juin 2009)',
      'Pétrissage : Expert (5/5)',
      'Anglais : Courant',
      'B (voiture)',
      'en boulangerie artisanale',
      'Évaluations',
      'Paul Durand',
      '4/5 (le 06/03/2026 12:00)',
      'Motivée, Permis B',
      'l’oral',
      '05/03/2026 10:35 – CV solide, à recevoir en entretien.',
      'Zoé Martin',
      '2/5',
      'Historique',
      '02/03/2026 09:00 – Création : Nouvelle',
      '05/03/2026 10:30 – Nouvelle → À l’étude – par Paul Durand',
      '06/03/2026 11:00 – À l’étude → Entretien – par Paul Durand',
      '10/03/2026 16:45 – Entretien → Refusée – par Zoé Martin',
    ])
      expect(text, expected).toContain(expected);
    expect(text).not.toContain('Hors sujet');
    expect(text).not.toContain('Intrus');
    // Notes in time order.
    expect(text.indexOf('CV solide')).toBeLessThan(text.indexOf('Très à l’aise'));
    pages.forEach((p, i) => {
      expect(p).toContain(DOSSIER_FOOTER);
      expect(p).toContain(`Page ${i + 1} / ${numPages}`);
    });
  });

  it('renders a dossier with no CV, no message and no evaluation', async () => {
    const bytes = applicantDossierPdf({
      application: baseApplication({
        applicant: { firstName: 'Jean', lastName: 'Dupont', phone: '0600000000' },
      }),
      evaluations: [],
      organisationName: 'Fournil du Rhône',
      statusLabel,
      generatedAt: new Date('2026-03-11T09:00:00Z'),
      generatedBy: 'Paul Durand',
    });
    const { numPages, pages } = await pdfText(bytes);
    expect(numPages).toBe(1);
    const text = pages[0] ?? '';
    expect(text).toContain('Jean');
    expect(text).toContain('Boulanger'); // the title saved with the application
    expect(text).toContain('Aucun CV saisi avec la candidature.');
    expect(text).toContain('Aucun message.');
    expect(text).toContain('Aucune évaluation.');
    expect(text).toContain('02/03/2026 09:00 – Création : Nouvelle');
    expect(text).toContain('Page 1 / 1');
    expect(text).toContain(DOSSIER_FOOTER);
  });

  it('renders a capture made at a fair without applicant details beyond the name', async () => {
    const bytes = applicantDossierPdf({
      application: baseApplication({
        offerId: undefined,
        offer: undefined,
        source: 'salon',
        capturedByName: 'Zoé Martin',
        duplicateOf: '0b0e0000-0000-4000-8000-00000000a002',
        history: [],
      }),
      evaluations: [evaluation('u1', 'Paul Durand', { tags: ['Salon'] })],
      organisationName: 'Fournil du Rhône',
      statusLabel,
      generatedAt: new Date('2026-03-11T09:00:00Z'),
      generatedBy: 'Paul Durand',
    });
    const text = (await pdfText(bytes)).pages.join('\n');
    expect(text).toContain('Candidature spontanée');
    expect(text).toContain('Saisie sur un salon');
    expect(text).toContain('Zoé Martin');
    expect(text).toContain('Doublon possible');
    expect(text).toContain('Aucun changement enregistré.');
    expect(text).toContain('Salon');
  });
});

describe('applicantDossierBlocks (« Imprimer le dossier »)', () => {
  it('holds the same text as the PDF, block by block', async () => {
    const input = longDossier();
    const blocks = applicantDossierBlocks(input);
    const pdf = (await pdfText(applicantDossierPdf(input))).pages.join('\n').replace(/\s+/g, ' ');
    const texts = blocks.flatMap((b) =>
      b.kind === 'field' ? [b.key, b.value] : b.kind === 'rule' ? [] : [b.text],
    );
    expect(texts.length).toBeGreaterThan(40);
    // Every word of each block is in the PDF (the PDF wraps lines, hence word by word).
    for (const text of texts.filter((t) => t.trim() !== ''))
      for (const word of text.split(/\s+/).filter(Boolean)) expect(pdf, text).toContain(word);
    expect(blocks[0]).toEqual({ kind: 'heading', text: 'Dossier de candidature', level: 1 });
    expect(blocks).toContainEqual({ kind: 'field', key: 'Téléphone', value: '06 12 34 56 78' });
    expect(blocks).toContainEqual({ kind: 'heading', text: 'Historique', level: 2 });
    expect(texts.join('\n')).not.toContain('Hors sujet');
  });
});
