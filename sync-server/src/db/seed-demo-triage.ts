/**
 * Demo applicants for the triage (issue 6): a dozen people who applied to two of Claire Martin's
 * published offers (recruteur1@demo.test, Boulangeries Martin) without an account, at every stage
 * of the pipeline, some already rated; and one person met at a fair who had also applied online
 * (flagged as a possible duplicate, to merge). Stable ids: a demo never duplicates them.
 */

import { evaluationIdFor } from '../../../shared/domain/evaluation';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { EvaluationDoc } from '../../../shared/schemas/evaluation.schema';
import { writeApplication } from '../domain/applications';
import { evaluationsCollection } from '../domain/evaluations';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import type { Queryable } from './database';

const DAY = 24 * 3600 * 1000;
const id = (n: number) => `0a0b0000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const PEOPLE: {
  first: string;
  last: string;
  civility: 'madame' | 'monsieur';
  phone: string;
  offer: 0 | 1;
  days: number;
  path: ApplicationDoc['status'][];
  rating?: number;
  note?: string;
  tags?: string[];
  reason?: string;
}[] = [
  { first: 'Inès', last: 'Benali', civility: 'madame', phone: '06 11 22 33 44', offer: 0, days: 1, path: [] },
  {
    first: 'Julien',
    last: 'Roux',
    civility: 'monsieur',
    phone: '07 61 02 03 04',
    offer: 0,
    days: 2,
    path: [],
  },
  {
    first: 'Marie-Hélène',
    last: 'Dupont',
    civility: 'madame',
    phone: '06 45 67 89 01',
    offer: 0,
    days: 3,
    path: ['a_l_etude'],
    rating: 4,
    note: 'Dix ans de fournil artisanal, disponible tout de suite.',
    tags: ['Expérimentée'],
  },
  {
    first: 'Karim',
    last: 'Haddad',
    civility: 'monsieur',
    phone: '06 98 76 54 32',
    offer: 0,
    days: 5,
    path: ['a_l_etude', 'entretien'],
    rating: 5,
    note: 'Très bon contact, à revoir pour un essai au fournil.',
    tags: ['Permis B', 'Nuit OK'],
  },
  {
    first: 'Camille',
    last: 'Lefèvre',
    civility: 'madame',
    phone: '07 12 34 56 78',
    offer: 0,
    days: 6,
    path: ['preselectionnee'],
    rating: 4,
    tags: ['CAP boulanger'],
  },
  {
    first: 'Théo',
    last: 'Garnier',
    civility: 'monsieur',
    phone: '06 22 33 44 55',
    offer: 0,
    days: 9,
    path: ['a_l_etude', 'refusee'],
    rating: 2,
    reason: 'Expérience insuffisante',
  },
  {
    first: 'Sofia',
    last: 'Marques',
    civility: 'madame',
    phone: '06 33 44 55 66',
    offer: 1,
    days: 1,
    path: [],
  },
  {
    first: 'Lucas',
    last: 'Petit',
    civility: 'monsieur',
    phone: '06 44 55 66 77',
    offer: 1,
    days: 2,
    path: [],
  },
  {
    first: 'Aïcha',
    last: 'Diallo',
    civility: 'madame',
    phone: '07 55 66 77 88',
    offer: 1,
    days: 4,
    path: ['entretien'],
    rating: 4,
    note: 'Expérience en vente à la boulangerie Paul, souriante.',
    tags: ['Vente'],
  },
  {
    first: 'Nathan',
    last: 'Morel',
    civility: 'monsieur',
    phone: '06 66 77 88 99',
    offer: 1,
    days: 7,
    path: ['a_l_etude'],
  },
  {
    first: 'Chloé',
    last: 'Fournier',
    civility: 'madame',
    phone: '06 77 88 99 00',
    offer: 1,
    days: 8,
    path: [],
  },
];

export async function seedDemoTriage(
  tx: Queryable,
  engine: SyncEngine,
  ids: { organisationId: string; recruiterId: string; recruiterName: string },
): Promise<void> {
  const { rows: offers } = await tx.query<{ id: string; doc: Record<string, unknown> }>(
    `select id, doc from offers
      where doc->>'organisationId' = $1 and doc->>'status' = 'publiee' and not deleted
        and coalesce(doc->>'applicationMode', 'portail') = 'portail'
      order by doc->>'number' limit 2`,
    [ids.organisationId],
  );
  if (offers.length === 0) return;
  const now = Date.now();
  const at = (days: number, hours = 0) => new Date(now - days * DAY + hours * 3600_000).toISOString();
  const snapshot = (o: { doc: Record<string, unknown> }) => ({
    title: String(o.doc.title).slice(0, 150),
    companyName: String(o.doc.companyName ?? '').slice(0, 150),
    ...(typeof o.doc.number === 'string' ? { number: o.doc.number } : {}),
    ...(typeof o.doc.city === 'string' ? { city: o.doc.city } : {}),
    ...(typeof o.doc.postalCode === 'string' ? { postalCode: o.doc.postalCode } : {}),
  });
  const by = { by: ids.recruiterId, byName: ids.recruiterName };
  let n = 1;
  for (const p of PEOPLE) {
    const offer = offers[p.offer] ?? offers[0]!;
    const history: ApplicationDoc['history'] = [{ at: at(p.days), to: 'nouvelle' }];
    let status: ApplicationDoc['status'] = 'nouvelle';
    p.path.forEach((to, i) => {
      history.push({ at: at(p.days, 4 + i * 20), from: status, to, ...by });
      status = to;
    });
    const email = `${p.first}.${p.last}`
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z.]/g, '')
      .concat('@exemple.fr');
    const doc: ApplicationDoc = {
      id: id(n),
      organisationId: ids.organisationId,
      offerId: offer.id,
      offer: snapshot(offer),
      applicant: {
        civility: p.civility,
        firstName: p.first,
        lastName: p.last,
        email,
        phone: p.phone,
        consent: {
          at: at(p.days),
          text: 'Consentement recueilli sur le formulaire de candidature du portail.',
        },
      },
      message: `Bonjour, je souhaite rejoindre votre équipe pour le poste de ${snapshot(offer).title}. Je suis disponible rapidement. Cordialement, ${p.first} ${p.last}`,
      status,
      ...(p.reason ? { refusalReason: p.reason, refusalVisible: true } : {}),
      history,
      source: 'portail',
      createdAt: at(p.days),
      updatedAt: history.at(-1)!.at,
    };
    await writeApplication(tx, engine, doc);
    if (p.rating || p.note || p.tags) {
      const e: EvaluationDoc = {
        id: evaluationIdFor(ids.recruiterId, doc.id),
        organisationId: ids.organisationId,
        authorId: ids.recruiterId,
        authorName: ids.recruiterName,
        subjectKind: 'application',
        subjectId: doc.id,
        offerId: offer.id,
        ...(p.rating ? { rating: p.rating, ratedAt: at(p.days, 5) } : {}),
        notes: p.note ? [{ id: id(100 + n), at: at(p.days, 5), text: p.note }] : [],
        tags: p.tags ?? [],
        createdAt: at(p.days, 5),
        updatedAt: at(p.days, 5),
      };
      await engine.write(tx, evaluationsCollection, e as unknown as Doc, false);
    }
    n++;
  }
  // Met at a fair last week, after applying online: the same person, her phone written another way.
  const first = offers[0]!;
  await writeApplication(tx, engine, {
    id: id(50),
    organisationId: ids.organisationId,
    offerId: first.id,
    offer: snapshot(first),
    applicant: {
      firstName: 'Hélène',
      lastName: 'Dupont Marie',
      phone: '+33 6 45 67 89 01',
      jobSought: 'Boulangère',
      consent: { at: at(2), text: 'Consentement recueilli sur le salon (texte du formulaire de saisie).' },
    },
    status: 'nouvelle',
    history: [{ at: at(2), to: 'nouvelle', ...by }],
    source: 'salon',
    captureId: id(51),
    capturedBy: ids.recruiterId,
    capturedByName: ids.recruiterName,
    duplicateOf: id(3),
    duplicateReasons: ['phone', 'name'],
    createdAt: at(2),
    updatedAt: at(2),
  });
}
