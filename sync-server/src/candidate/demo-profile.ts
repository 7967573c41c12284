import { type CandidateProfile, emptyProfile } from '../../../shared/domain/candidate-profile';
import type { Queryable } from '../db/database';
import type { DemoCandidateIds } from '../db/seed-demo-candidate';
import type { SyncEngine } from '../sync/engine';
import { communeAddress } from './profile';

/** Carcassonne, where most demo offers are, when the communes referential is not built. */
const CARCASSONNE = {
  communeCode: '11069',
  communeName: 'Carcassonne',
  postalCode: '11000',
  lat: 43.213,
  lon: 2.3491,
};

/** Thomas Garcia's profile (candidat@demo.test): confirmed e-mail, Carcassonne, a bakery job search. */
export async function seedDemoProfile(
  tx: Queryable,
  _engine: SyncEngine,
  ids: DemoCandidateIds,
): Promise<void> {
  let address: CandidateProfile['address'];
  try {
    address = communeAddress(CARCASSONNE.communeCode, '5 rue de Verdun', '11000')?.address ?? null;
  } catch {
    address = null;
  }
  address ??= { street: '5 rue de Verdun', ...CARCASSONNE };
  const profile: CandidateProfile = {
    ...emptyProfile('Thomas', 'Garcia'),
    civility: 'monsieur',
    phone: '06 12 34 56 78',
    showPhone: false,
    rqth: 'non',
    address,
    qualification: 'ouvrier_qualifie_p3p4',
    domains: ['D'],
    jobTitle: 'Boulanger',
    situation: 'demandeur_emploi',
    availability: 'immediate',
    availableFrom: null,
    photo: null,
    strengths:
      'Huit ans en boulangerie artisanale : pains au levain, viennoiseries, travail de nuit. Permis B.',
    search: {
      contractTypes: ['CDI', 'CDD'],
      qualifications: ['ouvrier_qualifie_p3p4', 'employe_qualifie'],
      domains: ['D'],
      appellations: [{ code: '11573', label: 'Boulanger / Boulangère', romeCode: 'D1102' }],
      maxDistanceKm: 40,
      adjustments: false,
      freeText:
        'Je cherche un poste de boulanger dans l’Aude, de préférence en CDI, horaires de nuit acceptés.',
    },
  };
  const { firstName: _f, lastName: _l, ...doc } = profile;
  await tx.query(
    `update accounts set email_confirmed_at = created_at, first_name = 'Thomas', last_name = 'Garcia' where id = $1`,
    [ids.candidate],
  );
  await tx.query(
    `insert into candidate_profiles (account_id, doc, commune_code, lat, lon, terms_accepted_at, updated_at)
     values ($1, $2::jsonb, $3, $4, $5, now(), now())
     on conflict (account_id) do nothing`,
    [ids.candidate, JSON.stringify(doc), address.communeCode, address.lat, address.lon],
  );
}
