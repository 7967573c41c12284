/**
 * Demo CVs of Thomas Garcia (candidat@demo.test, DESIGN §5): « Boulanger / Boulangère », complete,
 * online and visible in the CVthèque; « Commis de cuisine », a draft being written (its
 * experiences and diplomas copied from the first, as seed 002 allows).
 */
import type { CandidateCv } from '../../../shared/domain/cv';
import { cvCompleteness, DEFAULT_PUBLICATION } from '../../../shared/domain/cv';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import type { DemoCandidateIds } from '../db/seed-demo-candidate';
import type { SyncEngine } from '../sync/engine';
import { saveCv } from './cv-store';

export const DEMO_CV_IDS = {
  published: '0c500000-0000-4000-8000-000000000001',
  draft: '0c500000-0000-4000-8000-000000000002',
} as const;

export async function seedDemoCvs(tx: Queryable, engine: SyncEngine, ids: DemoCandidateIds): Promise<void> {
  const now = clock.now().toISOString();
  const experiences: CandidateCv['experiences'] = [
    {
      id: 'exp-1',
      company: 'Boulangerie du Marché',
      jobTitle: 'Boulanger',
      start: '2021-09',
      end: null,
      description:
        'Fabrication des pains de tradition et des viennoiseries, pétrissage, façonnage et cuisson au four à sole ; gestion des levains.',
    },
    {
      id: 'exp-2',
      company: 'Maison Perrin',
      jobTitle: 'Apprenti boulanger',
      start: '2019-09',
      end: '2021-08',
      description:
        'Apprentissage en alternance : préparation des pâtes, mise en four, vente en boutique le week-end.',
    },
  ];
  const diplomas: CandidateCv['diplomas'] = [
    {
      id: 'dip-1',
      title: 'CAP Boulanger',
      date: '2021-06',
      description: 'Obtenu en apprentissage au CFA de Carcassonne.',
    },
  ];
  const base = {
    express: false,
    languages: [{ id: 'lang-1', language: 'Anglais', level: 'intermediaire' as const }],
    licences: ['B'],
    file: null,
    createdAt: now,
    updatedAt: now,
  };
  const published: CandidateCv = {
    ...base,
    id: DEMO_CV_IDS.published,
    status: 'publie',
    title: 'Boulanger confirmé, pain de tradition',
    target: {
      appellationCode: '11573',
      appellationLabel: 'Boulanger / Boulangère',
      romeCode: 'D1102',
      workplaces: [
        { communeCode: '11069', communeName: 'Carcassonne' },
        { communeCode: '11262', communeName: 'Narbonne' },
      ],
      contractTypes: ['CDI', 'CDD'],
      workingTimes: ['temps_plein'],
    },
    summary:
      'Boulanger passionné, cinq ans d’expérience en fournil artisanal : pains au levain, viennoiseries et travail de nuit ne me font pas peur.',
    experiences,
    diplomas,
    skills: [
      { id: 'sk-1', label: 'Pain au levain', level: 5 },
      { id: 'sk-2', label: 'Viennoiserie', level: 4 },
      { id: 'sk-3', label: 'Hygiène HACCP', level: 4 },
    ],
    publication: { ...DEFAULT_PUBLICATION, cvtheque: true, anonymous: false, showContact: true },
    completeness: 0,
    publishedAt: now,
  };
  published.completeness = cvCompleteness(published);
  const draft: CandidateCv = {
    ...base,
    id: DEMO_CV_IDS.draft,
    status: 'brouillon',
    title: 'Commis de cuisine',
    target: {
      appellationCode: '12756',
      appellationLabel: 'Commis / Commise de cuisine',
      romeCode: 'G1602',
      workplaces: [{ communeCode: '11069', communeName: 'Carcassonne' }],
      contractTypes: ['CDD'],
      workingTimes: [],
    },
    summary: '',
    experiences: experiences.map((e) => ({ ...e, id: `${e.id}-copie` })),
    diplomas: diplomas.map((d) => ({ ...d, id: `${d.id}-copie` })),
    skills: [],
    publication: { ...DEFAULT_PUBLICATION },
    completeness: 0,
    publishedAt: null,
  };
  draft.completeness = cvCompleteness(draft);
  await saveCv(tx, engine, ids.candidate, published, true);
  await saveCv(tx, engine, ids.candidate, draft, true);
}
