/**
 * « Rapprochement de conjoints » (seed 001 menu, issue 6): when a recruiter hires someone who
 * moves to the area, they may, with the spouse's consent, register the spouse's job search. The
 * server makes it a CV of the CVthèque on the spouse's behalf (DESIGN §4 `cvs`: « a recruiter or
 * advisor may create one on a person's behalf, with that person's recorded consent »), labelled
 * « Rapprochement de conjoints » for partner employers, with the spouse's contact shown (they
 * agreed to be contacted). The recruiter follows what becomes of it; the spouse can claim the CV
 * by creating an account with the same e-mail address.
 *
 * The validation below is shared by the workstation's form and the server (French messages, by
 * field).
 */

import { AVAILABILITIES, AVAILABILITY_LABELS, type Availability } from './candidate-profile';
import { normaliseEmail, normalisePhone } from './duplicates';
import { CONTRACT_TYPES, type ContractType } from './offer';

export const SPOUSE_SEARCH_LABEL = 'Rapprochement de conjoints';

/** The text read to (or by) the spouse before registering; its wording is recorded with the time. */
export const SPOUSE_CONSENT_TEXT =
  'J’accepte que mon employeur ou le recruteur de mon conjoint enregistre ma recherche d’emploi dans la CVthèque au titre du « Rapprochement de conjoints » : mes nom, prénom, coordonnées, le métier recherché, les communes souhaitées et ma présentation seront visibles des employeurs partenaires, qui pourront me contacter. Je peux à tout moment demander le retrait de ce CV ou le reprendre à mon compte en créant mon espace candidat.';

export const SPOUSE_SEARCH_LIMITS = {
  name: 100,
  email: 254,
  phone: 20,
  presentation: 2000,
  communes: 5,
  radiusKm: 200,
  consentText: 2000,
} as const;

export const SPOUSE_SEARCH_STATUSES = ['en_ligne', 'retiree', 'pourvue'] as const;
export type SpouseSearchStatus = (typeof SPOUSE_SEARCH_STATUSES)[number];
export const SPOUSE_SEARCH_STATUS_LABELS: Record<SpouseSearchStatus, string> = {
  en_ligne: 'En ligne',
  retiree: 'Retirée',
  pourvue: 'Reprise par la personne',
};

export interface SpouseSearchCommune {
  code: string;
  name: string;
}

export interface SpouseSearchInput {
  /** The hired application (status « embauchee ») of one of the user's organisations. */
  applicationId: string;
  firstName: string;
  lastName: string;
  email?: string;
  phone?: string;
  /** ROME appellation sought (code OGR, label, ROME code). */
  job: { appellationCode: string; appellationLabel: string; romeCode: string };
  communes: SpouseSearchCommune[];
  radiusKm: number;
  contractTypes: ContractType[];
  availability: Availability;
  /** `YYYY-MM-DD`, with availability « a_partir_du ». */
  availableFrom?: string;
  presentation: string;
  consent: true;
  /** The consent text shown to the person (recorded with the time). */
  consentText: string;
}

/** What `GET /api/spouse-searches` lists: one registered search and what became of it. */
export interface SpouseSearchSummary {
  id: string;
  cvId: string;
  applicationId: string;
  organisationId: string;
  organisationName: string;
  /** The hired person (from the application) and the offer. */
  hiredName: string;
  offerTitle: string;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  appellationLabel: string;
  communes: SpouseSearchCommune[];
  radiusKm: number;
  status: SpouseSearchStatus;
  createdAt: string;
  createdByName: string;
  claimedAt: string | null;
  /** Proposals made from the CV (applications « proposition » carrying its id). */
  proposals: number;
  /** Other applications made with the CV. */
  applications: number;
  /** Whether the follow-up e-mail inviting the person to claim the CV was queued. */
  emailSent: boolean;
}

export interface SpouseFieldError {
  field: string;
  message: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROME_CODE = /^[A-Z]\d{4}$/;
const APPELLATION_CODE = /^[0-9A-Za-z]{1,10}$/;
const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;
const DAY = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Checks what the form (or a client of the API) sends: the normalised input, or the faults, each
 * naming its field in French. Unknown keys are ignored.
 */
export function validateSpouseSearch(raw: unknown): {
  value: SpouseSearchInput | null;
  errors: SpouseFieldError[];
} {
  const errors: SpouseFieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    add('body', 'Envoyez la recherche d’emploi du conjoint : un objet JSON est attendu.');
    return { value: null, errors };
  }
  const b = raw as Record<string, unknown>;
  const text = (field: string, v: unknown, max: number, label: string, required: boolean): string => {
    if (v === undefined || v === null || v === '') {
      if (required) add(field, `${label} est obligatoire.`);
      return '';
    }
    if (typeof v !== 'string') {
      add(field, `${label} doit être un texte.`);
      return '';
    }
    const t = v.trim();
    if (required && !t) add(field, `${label} est obligatoire.`);
    if (t.length > max) add(field, `${label} ne doit pas dépasser ${max} caractères.`);
    return t;
  };

  const applicationId = typeof b.applicationId === 'string' ? b.applicationId.trim() : '';
  if (!UUID.test(applicationId) && !/^[A-Za-z0-9_-]{1,64}$/.test(applicationId))
    add('applicationId', 'Choisissez la candidature embauchée dont le conjoint cherche un emploi.');

  const firstName = text('firstName', b.firstName, SPOUSE_SEARCH_LIMITS.name, 'Le prénom du conjoint', true);
  const lastName = text('lastName', b.lastName, SPOUSE_SEARCH_LIMITS.name, 'Le nom du conjoint', true);
  const email = text('email', b.email, SPOUSE_SEARCH_LIMITS.email, 'L’adresse e-mail', false);
  const phone = text('phone', b.phone, SPOUSE_SEARCH_LIMITS.phone, 'Le numéro de téléphone', false);
  if (email && !normaliseEmail(email))
    add('email', 'Cette adresse e-mail n’est pas valide (exemple : prenom.nom@exemple.fr).');
  if (phone && !normalisePhone(phone))
    add('phone', 'Ce numéro de téléphone n’est pas valide (exemple : 06 12 34 56 78 ou +33 6 12 34 56 78).');
  if (!email && !phone && !errors.some((e) => e.field === 'email' || e.field === 'phone')) {
    const message =
      'Saisissez une adresse e-mail ou un numéro de téléphone : les employeurs partenaires doivent pouvoir contacter la personne.';
    add('email', message);
    add('phone', message);
  }

  let job: SpouseSearchInput['job'] = { appellationCode: '', appellationLabel: '', romeCode: '' };
  const j = b.job;
  if (!j || typeof j !== 'object' || Array.isArray(j)) {
    add('job', 'Le métier recherché est obligatoire : choisissez-le dans la liste.');
  } else {
    const o = j as Record<string, unknown>;
    const appellationCode = typeof o.appellationCode === 'string' ? o.appellationCode.trim() : '';
    const appellationLabel = typeof o.appellationLabel === 'string' ? o.appellationLabel.trim() : '';
    const romeCode = typeof o.romeCode === 'string' ? o.romeCode.trim().toUpperCase() : '';
    if (
      !APPELLATION_CODE.test(appellationCode) ||
      !appellationLabel ||
      appellationLabel.length > 200 ||
      !ROME_CODE.test(romeCode)
    )
      add('job', 'Le métier recherché doit être choisi dans la liste (répertoire ROME).');
    job = { appellationCode, appellationLabel, romeCode };
  }

  const communes: SpouseSearchCommune[] = [];
  if (!Array.isArray(b.communes) || b.communes.length === 0) {
    add('communes', 'Indiquez au moins une commune où la personne souhaite travailler.');
  } else if (b.communes.length > SPOUSE_SEARCH_LIMITS.communes) {
    add('communes', `${SPOUSE_SEARCH_LIMITS.communes} communes au plus.`);
  } else {
    b.communes.forEach((c, i) => {
      const o = c && typeof c === 'object' && !Array.isArray(c) ? (c as Record<string, unknown>) : {};
      const code = typeof o.code === 'string' ? o.code.trim() : '';
      const name = typeof o.name === 'string' ? o.name.trim() : '';
      if (!COMMUNE_CODE.test(code) || !name || name.length > 150)
        add(`communes.${i}`, 'Commune souhaitée : choisissez une commune dans la liste.');
      else if (communes.some((x) => x.code === code))
        add(`communes.${i}`, 'Cette commune est déjà dans la liste.');
      else communes.push({ code, name });
    });
  }

  let radiusKm = 0;
  if (b.radiusKm !== undefined && b.radiusKm !== null && b.radiusKm !== '') {
    const r = typeof b.radiusKm === 'string' ? Number(b.radiusKm) : b.radiusKm;
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 0 || r > SPOUSE_SEARCH_LIMITS.radiusKm)
      add(
        'radiusKm',
        `Le rayon est un nombre entier de kilomètres, de 0 à ${SPOUSE_SEARCH_LIMITS.radiusKm}.`,
      );
    else radiusKm = r;
  }

  const contractTypes: ContractType[] = [];
  if (b.contractTypes !== undefined && b.contractTypes !== null) {
    if (!Array.isArray(b.contractTypes)) add('contractTypes', 'Types de contrat : une liste est attendue.');
    else
      for (const t of b.contractTypes) {
        if (typeof t !== 'string' || !(CONTRACT_TYPES as readonly string[]).includes(t))
          add('contractTypes', `Type de contrat inconnu : « ${String(t).slice(0, 30)} ».`);
        else if (!contractTypes.includes(t as ContractType)) contractTypes.push(t as ContractType);
      }
  }

  let availability: Availability = 'immediate';
  if (typeof b.availability !== 'string' || !(AVAILABILITIES as readonly string[]).includes(b.availability))
    add(
      'availability',
      `Indiquez la disponibilité : ${AVAILABILITIES.map((a) => `« ${AVAILABILITY_LABELS[a]} »`).join(', ')}.`,
    );
  else availability = b.availability as Availability;
  let availableFrom: string | undefined;
  if (availability === 'a_partir_du') {
    const d = typeof b.availableFrom === 'string' ? b.availableFrom.trim() : '';
    if (!DAY.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      add('availableFrom', 'Indiquez la date de disponibilité (jj/mm/aaaa).');
    else availableFrom = d;
  }

  const presentation = text(
    'presentation',
    b.presentation,
    SPOUSE_SEARCH_LIMITS.presentation,
    'La présentation',
    false,
  );

  if (b.consent !== true)
    add(
      'consent',
      'Le consentement de la personne est obligatoire : lisez-lui le texte affiché et cochez la case.',
    );
  const consentText = text(
    'consentText',
    b.consentText,
    SPOUSE_SEARCH_LIMITS.consentText,
    'Le texte du consentement',
    true,
  );

  if (errors.length > 0) return { value: null, errors };
  return {
    value: {
      applicationId,
      firstName,
      lastName,
      ...(email ? { email } : {}),
      ...(phone ? { phone } : {}),
      job,
      communes,
      radiusKm,
      contractTypes,
      availability,
      ...(availableFrom ? { availableFrom } : {}),
      presentation,
      consent: true,
      consentText,
    },
    errors,
  };
}

/** The label of a spouse-search CV in the CVthèque (« Rapprochement de conjoints — Entreprise »). */
export function spouseSearchLabel(
  origin: { kind?: string; byOrganisationName?: string } | undefined,
): string | null {
  if (origin?.kind !== 'conjoint') return null;
  return origin.byOrganisationName
    ? `${SPOUSE_SEARCH_LABEL} (${origin.byOrganisationName})`
    : SPOUSE_SEARCH_LABEL;
}
