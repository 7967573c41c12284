/**
 * Organisations (DESIGN §4, seeds 000, 003, 004): subtypes per kind, size bands, sectors,
 * verification states, the rules an organisation's identity must follow, and who may belong to
 * which kinds of organisation with one account.
 */

import { ORGANISATION_KIND_LABELS, ORGANISATION_KINDS, type OrganisationKind } from './account';
import { normaliseSiret, validateSiret } from './siret';

export interface CodeLabel<C extends string = string> {
  readonly code: C;
  readonly label: string;
}

/**
 * Subtypes per kind, with the names French practice uses (seed 003: SIAE, EA, GEIQ, Cap emploi,
 * Mission locale…). Codes are stable identifiers (at most 40 characters, stored in `subtype`).
 */
export const ORGANISATION_SUBTYPES = {
  employer: [
    { code: 'aci', label: 'Atelier et chantier d’insertion (ACI)' },
    { code: 'ai', label: 'Association intermédiaire (AI)' },
    { code: 'ei', label: 'Entreprise d’insertion (EI)' },
    { code: 'etti', label: 'Entreprise de travail temporaire d’insertion (ETTI)' },
    { code: 'eiti', label: 'Entreprise d’insertion par le travail indépendant (EITI)' },
    { code: 'ea', label: 'Entreprise adaptée (EA)' },
    { code: 'eatt', label: 'Entreprise adaptée de travail temporaire (EATT)' },
    { code: 'esat', label: 'Établissement et service d’accompagnement par le travail (ESAT)' },
    { code: 'geiq', label: 'Groupement d’employeurs pour l’insertion et la qualification (GEIQ)' },
    { code: 'groupement_employeurs', label: 'Groupement d’employeurs' },
    { code: 'entreprise', label: 'Entreprise' },
    { code: 'collectivite', label: 'Collectivité territoriale ou établissement public' },
    { code: 'association', label: 'Association' },
    { code: 'particulier_employeur', label: 'Particulier employeur' },
    { code: 'autre', label: 'Autre employeur' },
  ],
  agency: [
    { code: 'agence_interim', label: 'Agence d’intérim (entreprise de travail temporaire)' },
    { code: 'cabinet_recrutement', label: 'Cabinet de recrutement' },
    { code: 'portage_salarial', label: 'Entreprise de portage salarial' },
    { code: 'autre', label: 'Autre intermédiaire de l’emploi' },
  ],
  prescriber: [
    { code: 'france_travail', label: 'France Travail' },
    { code: 'cap_emploi', label: 'Cap emploi' },
    { code: 'mission_locale', label: 'Mission locale' },
    { code: 'conseil_departemental', label: 'Conseil départemental' },
    { code: 'plie', label: 'Plan local pour l’insertion et l’emploi (PLIE)' },
    { code: 'chrs', label: 'Centre d’hébergement et de réinsertion sociale (CHRS)' },
    { code: 'spip', label: 'Service pénitentiaire d’insertion et de probation (SPIP)' },
    { code: 'pjj', label: 'Protection judiciaire de la jeunesse (PJJ)' },
    { code: 'ccas', label: 'Centre communal ou intercommunal d’action sociale (CCAS, CIAS)' },
    { code: 'association', label: 'Association d’accompagnement' },
    { code: 'autre', label: 'Autre prescripteur ou orienteur' },
  ],
  training: [
    { code: 'organisme_formation', label: 'Organisme de formation' },
    { code: 'cfa', label: 'Centre de formation d’apprentis (CFA)' },
    { code: 'autre', label: 'Autre organisme de formation' },
  ],
  platform: [{ code: 'moderation', label: 'Modération de la plateforme' }],
} as const satisfies Record<OrganisationKind, readonly CodeLabel[]>;

export type OrganisationSubtype<K extends OrganisationKind = OrganisationKind> =
  (typeof ORGANISATION_SUBTYPES)[K][number]['code'];

/** Structures of the insertion par l'activité économique (SIAE), as seed 003 groups them. */
export const SIAE_SUBTYPES = ['aci', 'ai', 'ei', 'etti', 'eiti'] as const;

export function isSubtypeOf(kind: OrganisationKind, subtype: string): boolean {
  const list: readonly CodeLabel[] = ORGANISATION_SUBTYPES[kind] ?? [];
  return list.some((s) => s.code === subtype);
}

export function subtypeLabel(kind: OrganisationKind, subtype: string | undefined | null): string | undefined {
  if (!subtype) return undefined;
  const list: readonly CodeLabel[] = ORGANISATION_SUBTYPES[kind] ?? [];
  return list.find((s) => s.code === subtype)?.label;
}

/** INSEE « tranches d'effectif salarié » (codes as in the SIRENE register). */
export const SIZE_BANDS = [
  { code: '00', label: '0 salarié' },
  { code: '01', label: '1 à 2 salariés' },
  { code: '02', label: '3 à 5 salariés' },
  { code: '03', label: '6 à 9 salariés' },
  { code: '11', label: '10 à 19 salariés' },
  { code: '12', label: '20 à 49 salariés' },
  { code: '21', label: '50 à 99 salariés' },
  { code: '22', label: '100 à 199 salariés' },
  { code: '31', label: '200 à 249 salariés' },
  { code: '32', label: '250 à 499 salariés' },
  { code: '41', label: '500 à 999 salariés' },
  { code: '42', label: '1 000 à 1 999 salariés' },
  { code: '51', label: '2 000 à 4 999 salariés' },
  { code: '52', label: '5 000 à 9 999 salariés' },
  { code: '53', label: '10 000 salariés et plus' },
] as const satisfies readonly CodeLabel[];
export type SizeBand = (typeof SIZE_BANDS)[number]['code'];

/**
 * Company categories as seed 001 shows them (« Microentreprise : moins de 10 salariés »,
 * « PME : 10 à 249 salariés »), derived from the size band (décret 2008-1354, headcount only).
 */
export const COMPANY_CATEGORIES = [
  { code: 'micro', label: 'Microentreprise : moins de 10 salariés' },
  { code: 'pme', label: 'PME : 10 à 249 salariés' },
  { code: 'eti', label: 'ETI : 250 à 4 999 salariés' },
  { code: 'ge', label: 'Grande entreprise : 5 000 salariés et plus' },
] as const satisfies readonly CodeLabel[];
export type CompanyCategory = (typeof COMPANY_CATEGORIES)[number]['code'];

export function companyCategoryOf(sizeBand: string): CompanyCategory | undefined {
  switch (sizeBand) {
    case '00':
    case '01':
    case '02':
    case '03':
      return 'micro';
    case '11':
    case '12':
    case '21':
    case '22':
    case '31':
      return 'pme';
    case '32':
    case '41':
    case '42':
    case '51':
      return 'eti';
    case '52':
    case '53':
      return 'ge';
    default:
      return undefined;
  }
}

/** Activity sectors: the 21 sections of the French activity nomenclature (NAF rév. 2). */
export const SECTORS = [
  { code: 'A', label: 'Agriculture, sylviculture et pêche' },
  { code: 'B', label: 'Industries extractives' },
  { code: 'C', label: 'Industrie manufacturière' },
  { code: 'D', label: 'Production et distribution d’électricité, de gaz, de vapeur et d’air conditionné' },
  {
    code: 'E',
    label: 'Production et distribution d’eau ; assainissement, gestion des déchets et dépollution',
  },
  { code: 'F', label: 'Construction' },
  { code: 'G', label: 'Commerce ; réparation d’automobiles et de motocycles' },
  { code: 'H', label: 'Transports et entreposage' },
  { code: 'I', label: 'Hébergement et restauration' },
  { code: 'J', label: 'Information et communication' },
  { code: 'K', label: 'Activités financières et d’assurance' },
  { code: 'L', label: 'Activités immobilières' },
  { code: 'M', label: 'Activités spécialisées, scientifiques et techniques' },
  { code: 'N', label: 'Activités de services administratifs et de soutien' },
  { code: 'O', label: 'Administration publique' },
  { code: 'P', label: 'Enseignement' },
  { code: 'Q', label: 'Santé humaine et action sociale' },
  { code: 'R', label: 'Arts, spectacles et activités récréatives' },
  { code: 'S', label: 'Autres activités de services' },
  { code: 'T', label: 'Activités des ménages en tant qu’employeurs' },
  { code: 'U', label: 'Activités extra-territoriales' },
] as const satisfies readonly CodeLabel[];
export type Sector = (typeof SECTORS)[number]['code'];

/** First division (two-digit NAF prefix) of each section, in order. */
const SECTION_STARTS: readonly [number, Sector][] = [
  [1, 'A'],
  [5, 'B'],
  [10, 'C'],
  [35, 'D'],
  [36, 'E'],
  [41, 'F'],
  [45, 'G'],
  [49, 'H'],
  [55, 'I'],
  [58, 'J'],
  [64, 'K'],
  [68, 'L'],
  [69, 'M'],
  [77, 'N'],
  [84, 'O'],
  [85, 'P'],
  [86, 'Q'],
  [90, 'R'],
  [94, 'S'],
  [97, 'T'],
  [99, 'U'],
];

const NAF_CODE = /^\d{2}\.\d{2}[A-Z]$/;

/** « 6201z », « 62 01 Z », « 62.01Z » → « 62.01Z »; returns the input trimmed when it cannot tell. */
export function normaliseNafCode(input: string): string {
  const compact = input.replace(/[\s.]/g, '').toUpperCase();
  const m = /^(\d{2})(\d{2})([A-Z])$/.exec(compact);
  return m ? `${m[1]}.${m[2]}${m[3]}` : input.trim();
}

export function isNafCode(code: string): boolean {
  return NAF_CODE.test(code);
}

/** The sector (NAF section) of a NAF code or division, to prefill the sector from the SIRENE data. */
export function sectorOfNafCode(nafCode: string): Sector | undefined {
  const m = /^(\d{2})/.exec(nafCode.trim());
  if (!m) return undefined;
  const division = Number(m[1]);
  let found: Sector | undefined;
  for (const [start, section] of SECTION_STARTS) {
    if (division >= start) found = section;
    else break;
  }
  return division >= 1 ? found : undefined;
}

/** Verification of a new organisation by a moderator (seeds 000, 003). */
export const VERIFICATION_STATES = ['en_attente', 'informations_demandees', 'verifiee', 'refusee'] as const;
export type VerificationState = (typeof VERIFICATION_STATES)[number];
export const VERIFICATION_STATE_LABELS: Record<VerificationState, string> = {
  en_attente: 'À vérifier',
  informations_demandees: 'Informations demandées',
  verifiee: 'Vérifiée',
  refusee: 'Refusée',
};

/** Kinds whose new organisations a moderator reviews before their offers can be published. */
export const VERIFICATION_REQUIRED_KINDS: readonly OrganisationKind[] = ['employer', 'agency'];

export function verificationRequired(kind: OrganisationKind): boolean {
  return VERIFICATION_REQUIRED_KINDS.includes(kind);
}

/** The state a newly created organisation starts in. */
export function initialVerificationState(kind: OrganisationKind): VerificationState {
  return verificationRequired(kind) ? 'en_attente' : 'verifiee';
}

/** Until verified, members prepare everything but offers are not published. */
export function mayPublishOffers(kind: OrganisationKind, state: VerificationState): boolean {
  return !verificationRequired(kind) || state === 'verifiee';
}

/** A moderator's decision: accept, ask for more information, or refuse with a reason. */
export const VERIFICATION_DECISIONS = ['accepter', 'demander_informations', 'refuser'] as const;
export type VerificationDecision = (typeof VERIFICATION_DECISIONS)[number];

export function stateAfterDecision(decision: VerificationDecision): VerificationState {
  return decision === 'accepter' ? 'verifiee' : decision === 'refuser' ? 'refusee' : 'informations_demandees';
}

export function validateVerificationDecision(input: {
  decision?: unknown;
  reason?: unknown;
}): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  if (!(VERIFICATION_DECISIONS as readonly unknown[]).includes(input.decision)) {
    errors.push({ field: 'decision', message: 'Décision inconnue.' });
    return errors;
  }
  const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
  if (input.decision !== 'accepter' && !reason)
    errors.push({
      field: 'reason',
      message:
        input.decision === 'refuser'
          ? 'Indiquez la raison du refus : elle sera montrée aux membres de l’organisation.'
          : 'Indiquez les informations attendues : elles seront montrées aux membres de l’organisation.',
    });
  if (reason.length > 1000)
    errors.push({ field: 'reason', message: 'Le motif ne doit pas dépasser 1 000 caractères.' });
  return errors;
}

/** Kinds for which a SIRET is required (a platform, run by the operator, may have none). */
export const SIRET_REQUIRED_KINDS: readonly OrganisationKind[] = [
  'employer',
  'agency',
  'prescriber',
  'training',
];

export interface OrganisationAddress {
  street?: string;
  postalCode: string;
  city: string;
  /** INSEE commune code (« 11069 », « 2A004 »). */
  communeCode?: string;
  latitude?: number;
  longitude?: number;
}

/** The identity fields of an organisation, as its administrators edit them. */
export interface OrganisationInput {
  id?: string;
  name: string;
  kind: OrganisationKind;
  subtype?: string;
  siret?: string;
  nafCode?: string;
  sizeBand?: string;
  sector?: string;
  address: OrganisationAddress;
  /** The parent organisation of an antenna (same SIRET allowed). */
  parentId?: string;
}

export interface OrganisationFieldError {
  field: string;
  message: string;
}

type Loose<T> = { [K in keyof T]?: unknown };

const POSTAL_CODE = /^\d{5}$/;
const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;

const isKind = (v: unknown): v is OrganisationKind => (ORGANISATION_KINDS as readonly unknown[]).includes(v);
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

/** Checks an organisation's identity; returns every problem with its field, in French. */
export function validateOrganisationInput(
  input: Loose<Omit<OrganisationInput, 'address'>> & { address?: unknown },
): OrganisationFieldError[] {
  const errors: OrganisationFieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });

  const name = str(input.name);
  if (typeof input.name !== 'string' || !name) add('name', 'Le nom de l’organisation est obligatoire.');
  else if (name.length > 150) add('name', 'Le nom ne doit pas dépasser 150 caractères.');

  const kind = isKind(input.kind) ? input.kind : undefined;
  if (!kind) add('kind', 'Choisissez le type d’organisation.');

  if (present(input.subtype)) {
    if (typeof input.subtype !== 'string') add('subtype', 'Sous-type d’organisation inconnu.');
    else if (kind && !isSubtypeOf(kind, input.subtype))
      add(
        'subtype',
        `Ce sous-type ne correspond pas au type « ${ORGANISATION_KIND_LABELS[kind]} » : choisissez-le dans la liste.`,
      );
  }

  if (present(input.siret)) {
    const message =
      typeof input.siret === 'string' ? validateSiret(input.siret) : 'Le SIRET doit compter 14 chiffres.';
    if (message) add('siret', message);
  } else if (kind && SIRET_REQUIRED_KINDS.includes(kind)) {
    add('siret', 'Le SIRET est obligatoire.');
  }

  if (present(input.nafCode) && !(typeof input.nafCode === 'string' && isNafCode(input.nafCode.trim())))
    add('nafCode', 'Le code NAF doit avoir la forme « 62.01Z » (4 chiffres et une lettre).');

  if (present(input.sizeBand) && !SIZE_BANDS.some((b) => b.code === input.sizeBand))
    add('sizeBand', 'Tranche d’effectif inconnue : choisissez-la dans la liste.');

  if (present(input.sector) && !SECTORS.some((s) => s.code === input.sector))
    add('sector', 'Secteur d’activité inconnu : choisissez-le dans la liste.');

  validateAddress(input.address, add);

  if (present(input.parentId)) {
    if (typeof input.parentId !== 'string' || input.parentId.length > 36)
      add('parentId', 'Organisation de rattachement inconnue.');
    else if (input.id !== undefined && input.parentId === input.id)
      add('parentId', 'Une organisation ne peut pas être sa propre antenne.');
  }
  return errors;
}

function validateAddress(address: unknown, add: (field: string, message: string) => void) {
  if (address === undefined || address === null || typeof address !== 'object') {
    add('address.postalCode', 'Le code postal est obligatoire.');
    add('address.city', 'La ville est obligatoire.');
    return;
  }
  const a = address as Loose<OrganisationAddress>;
  if (present(a.street)) {
    if (typeof a.street !== 'string') add('address.street', 'L’adresse n’est pas valide.');
    else if (a.street.trim().length > 200)
      add('address.street', 'L’adresse ne doit pas dépasser 200 caractères.');
  }
  if (!present(a.postalCode)) add('address.postalCode', 'Le code postal est obligatoire.');
  else if (!POSTAL_CODE.test(str(a.postalCode)))
    add('address.postalCode', 'Le code postal doit compter 5 chiffres.');
  if (!present(a.city)) add('address.city', 'La ville est obligatoire.');
  else if (str(a.city).length > 120) add('address.city', 'La ville ne doit pas dépasser 120 caractères.');
  if (present(a.communeCode) && !COMMUNE_CODE.test(str(a.communeCode)))
    add(
      'address.communeCode',
      'Le code commune INSEE doit compter 5 caractères (par exemple « 11069 » ou « 2A004 »).',
    );
  const lat = a.latitude;
  const lon = a.longitude;
  if (lat !== undefined && (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90))
    add('address.latitude', 'La latitude doit être comprise entre -90 et 90.');
  if (lon !== undefined && (typeof lon !== 'number' || !Number.isFinite(lon) || lon < -180 || lon > 180))
    add('address.longitude', 'La longitude doit être comprise entre -180 et 180.');
  if ((lat === undefined) !== (lon === undefined))
    add('address.latitude', 'La position est incomplète : choisissez de nouveau la commune dans la liste.');
}

/** True when two SIRETs are the same establishment (antennas of one organisation share it). */
export function sameSiret(a: string | undefined, b: string | undefined): boolean {
  return !!a && !!b && normaliseSiret(a) === normaliseSiret(b);
}

const EMPLOYER_SIDE: readonly OrganisationKind[] = ['employer', 'agency'];

/**
 * Seed 003: « Un utilisateur peut-il être prescripteur et employeur avec le même compte ? Non, il
 * faudra utiliser un autre compte (associé à une autre adresse e-mail). » Returns the French
 * reason a user who already belongs to organisations of `existingKinds` may not join one of
 * `newKind`, or null when nothing prevents it.
 */
export function membershipConflict(
  existingKinds: readonly OrganisationKind[],
  newKind: OrganisationKind,
): string | null {
  const isEmployerSide = EMPLOYER_SIDE.includes(newKind);
  if (newKind === 'prescriber' && existingKinds.some((k) => EMPLOYER_SIDE.includes(k))) {
    return 'Ce compte est déjà membre d’un employeur ou d’une agence : un même compte ne peut pas être à la fois prescripteur et employeur. Utilisez un autre compte, avec une autre adresse e-mail.';
  }
  if (isEmployerSide && existingKinds.includes('prescriber')) {
    return 'Ce compte est déjà membre d’une organisation prescriptrice : un même compte ne peut pas être à la fois prescripteur et employeur. Utilisez un autre compte, avec une autre adresse e-mail.';
  }
  return null;
}
