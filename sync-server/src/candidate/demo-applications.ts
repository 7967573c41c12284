/**
 * Thomas Garcia's demo applications (DESIGN §5: « two applications »): one just sent
 * (« Envoyée »), one the recruiter moved to an interview (« Entretien »), both to published demo
 * offers that take applications on the portal. Stable ids, so a demo never duplicates them.
 */
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { Queryable } from '../db/database';
import type { DemoCandidateIds } from '../db/seed-demo-candidate';
import { writeApplication } from '../domain/applications';
import type { SyncEngine } from '../sync/engine';
import { offerTarget } from './application-service';

export const DEMO_APPLICATION_IDS = [
  '0a0a0000-0000-4000-8000-000000000001',
  '0a0a0000-0000-4000-8000-000000000002',
] as const;

const DAY = 24 * 3600 * 1000;

export async function seedDemoApplications(
  tx: Queryable,
  engine: SyncEngine,
  ids: DemoCandidateIds,
): Promise<void> {
  const { rows } = await tx.query<{ id: string; author: string | null; author_name: string | null }>(
    `select o.id, o.doc->>'authorId' as author, a.first_name || ' ' || a.last_name as author_name
       from offers o left join accounts a on a.id::text = o.doc->>'authorId'
      where o.id = any($1::text[]) and not o.deleted and o.doc->>'status' = 'publiee'
        and coalesce(o.doc->>'applicationMode', 'portail') = 'portail'
      order by o.doc->>'number'`,
    [ids.offerIds],
  );
  const { rows: people } = await tx.query<{ first_name: string; last_name: string; email: string }>(
    'select first_name, last_name, email from accounts where id = $1',
    [ids.candidate],
  );
  const person = people[0];
  if (!person) return;
  const name = `${person.first_name} ${person.last_name}`;
  const now = Date.now();
  const plans = [
    { daysAgo: 3, status: 'nouvelle' as const },
    { daysAgo: 12, status: 'entretien' as const },
  ];
  for (let i = 0; i < plans.length && i < rows.length; i++) {
    // Different organisations when the demo has them: the second from the end of the list.
    const row = i === 0 ? rows[0]! : rows[rows.length - 1]!;
    const plan = plans[i]!;
    const target = await offerTarget(tx, row.id);
    const at = (days: number) => new Date(now - days * DAY).toISOString();
    const recruiter = {
      ...(row.author ? { by: row.author } : {}),
      ...(row.author_name ? { byName: row.author_name } : {}),
    };
    const history: ApplicationDoc['history'] = [
      { at: at(plan.daysAgo), to: 'nouvelle', by: ids.candidate, byName: name },
    ];
    if (plan.status === 'entretien') {
      history.push({ at: at(plan.daysAgo - 2), from: 'nouvelle', to: 'a_l_etude', ...recruiter });
      history.push({ at: at(plan.daysAgo - 5), from: 'a_l_etude', to: 'entretien', ...recruiter });
    }
    const doc: ApplicationDoc = {
      id: DEMO_APPLICATION_IDS[i]!,
      organisationId: target.organisationId,
      offerId: row.id,
      offer: target.snapshot,
      candidateId: ids.candidate,
      applicant: {
        civility: 'monsieur',
        firstName: person.first_name,
        lastName: person.last_name,
        email: person.email,
        phone: '06 12 34 56 78',
      },
      cv: {
        title: 'Chauffeur livreur polyvalent',
        summary: 'Six ans de livraison en région toulousaine, permis C, ponctuel et soigneux.',
        experiences: [
          {
            company: 'Transports Occitans',
            jobTitle: 'Chauffeur livreur',
            start: '2019-03',
            end: null,
            description: 'Tournées de livraison, chargement, relation client.',
          },
        ],
        diplomas: [{ title: 'CAP Conducteur livreur de marchandises', date: '2018', description: '' }],
        skills: [
          { label: 'Conduite poids lourd', level: 4 },
          { label: 'Gestion de tournée', level: 3 },
        ],
        languages: [{ language: 'Espagnol', level: 'courant' }],
        licences: ['B', 'C'],
      },
      message:
        i === 0
          ? 'Bonjour, votre offre correspond à mon expérience et je suis disponible rapidement. Je serais heureux d’en parler avec vous.'
          : 'Bonjour, je suis très intéressé par ce poste près de chez moi. Cordialement, Thomas Garcia.',
      status: plan.status,
      history,
      source: 'portail',
      createdAt: at(plan.daysAgo),
      updatedAt: history[history.length - 1]!.at,
    };
    await writeApplication(tx, engine, doc);
  }
}
