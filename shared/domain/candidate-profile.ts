/**
 * The candidate's profile (seed 000 « Mon profil ») and job search preferences (seed 000 « Ma
 * recherche »), with situation and availability (seed 004 « statut, disponibilité »).
 *
 * Other areas read it (`GET /api/candidate/profile`, or `loadCandidateProfile()` in
 * sync-server/src/candidate/profile.ts): the field names below are stable.
 *
 * ```
 * {
 *   civility: 'madame' | 'monsieur' | null,
 *   firstName, lastName,                  // also the account's names
 *   phone: string,                        // '' when not given
 *   showPhone: boolean,                   // « afficher mon numéro »
 *   rqth: 'reconnue' | 'en_cours' | 'non' | 'non_precise',
 *   address: { street, postalCode, communeCode, communeName, lat, lon } | null,
 *                                         // never shown to anyone: distances only
 *   qualification: QualificationLevel | null,
 *   domains: RomeDomain[],                // ROME « grands domaines » (first letter of a ROME code)
 *   jobTitle: string,
 *   situation: Situation | null,          // statut
 *   availability: Availability | null,    // disponibilité
 *   availableFrom: 'YYYY-MM-DD' | null,   // only with availability 'a_partir_du'
 *   photo: sha256 | null,                 // uploaded with POST /api/candidate/files?purpose=photo
 *   strengths: string,                    // atouts
 *   search: {
 *     contractTypes: ContractType[], qualifications: QualificationLevel[], domains: RomeDomain[],
 *     appellations: { code, label, romeCode }[],   // ROME appellations (code OGR)
 *     maxDistanceKm: number | null,       // from the personal address
 *     adjustments: boolean | null,        // workplace adjustments wanted (null: not answered)
 *     freeText: string,
 *   },
 * }
 * ```
 */
import type { FieldError } from '../sync/errors';
import { FRENCH_PHONE_MESSAGE, isFrenchPhone, isIsoDate } from './company-profile';
import {
  CONTRACT_TYPE_LABELS,
  CONTRACT_TYPES,
  type ContractType,
  QUALIFICATION_LABELS,
  QUALIFICATION_LEVELS,
  type QualificationLevel,
} from './offer';
import { isRomeDomain, type RomeDomain } from './rome-domains';

export const CIVILITIES = ['madame', 'monsieur'] as const;
export type Civility = (typeof CIVILITIES)[number];
export const CIVILITY_LABELS: Record<Civility, string> = { madame: 'Madame', monsieur: 'Monsieur' };

/** Reconnaissance de la qualité de travailleur handicapé. */
export const RQTH_STATUSES = ['reconnue', 'en_cours', 'non', 'non_precise'] as const;
export type RqthStatus = (typeof RQTH_STATUSES)[number];
export const RQTH_LABELS: Record<RqthStatus, string> = {
  reconnue: 'Oui, je bénéficie d’une RQTH',
  en_cours: 'Demande de RQTH en cours',
  non: 'Non',
  non_precise: 'Je ne souhaite pas le préciser',
};

/** Statut (seed 004). */
export const SITUATIONS = [
  'demandeur_emploi',
  'en_poste',
  'en_formation',
  'reconversion',
  'independant',
  'autre',
] as const;
export type Situation = (typeof SITUATIONS)[number];
export const SITUATION_LABELS: Record<Situation, string> = {
  demandeur_emploi: 'Demandeur d’emploi',
  en_poste: 'En poste',
  en_formation: 'En formation ou étudiant',
  reconversion: 'En reconversion professionnelle',
  independant: 'Indépendant',
  autre: 'Autre situation',
};

/** Disponibilité (seed 004). */
export const AVAILABILITIES = ['immediate', 'a_partir_du', 'preavis', 'a_l_ecoute'] as const;
export type Availability = (typeof AVAILABILITIES)[number];
export const AVAILABILITY_LABELS: Record<Availability, string> = {
  immediate: 'Immédiate',
  a_partir_du: 'À partir d’une date',
  preavis: 'En poste, disponible après un préavis',
  a_l_ecoute: 'En poste, à l’écoute des opportunités',
};

export const PROFILE_LIMITS = {
  name: 100,
  jobTitle: 100,
  street: 200,
  strengths: 2000,
  freeText: 2000,
  appellations: 20,
  maxDistanceKm: 500,
} as const;

export interface CandidateAddress {
  street: string;
  postalCode: string;
  /** INSEE code of the commune. */
  communeCode: string;
  /** Filled by the server from the commune referential. */
  communeName: string;
  lat: number;
  lon: number;
}

export interface SearchAppellation {
  /** Code OGR. */
  code: string;
  label: string;
  romeCode: string;
}

export interface SearchPreferences {
  contractTypes: ContractType[];
  qualifications: QualificationLevel[];
  domains: RomeDomain[];
  appellations: SearchAppellation[];
  maxDistanceKm: number | null;
  adjustments: boolean | null;
  freeText: string;
}

export interface CandidateProfile {
  civility: Civility | null;
  firstName: string;
  lastName: string;
  phone: string;
  showPhone: boolean;
  rqth: RqthStatus;
  address: CandidateAddress | null;
  qualification: QualificationLevel | null;
  domains: RomeDomain[];
  jobTitle: string;
  situation: Situation | null;
  availability: Availability | null;
  availableFrom: string | null;
  photo: string | null;
  strengths: string;
  search: SearchPreferences;
}

export function emptySearchPreferences(): SearchPreferences {
  return {
    contractTypes: [],
    qualifications: [],
    domains: [],
    appellations: [],
    maxDistanceKm: null,
    adjustments: null,
    freeText: '',
  };
}

export function emptyProfile(firstName = '', lastName = ''): CandidateProfile {
  return {
    civility: null,
    firstName,
    lastName,
    phone: '',
    showPhone: false,
    rqth: 'non_precise',
    address: null,
    qualification: null,
    domains: [],
    jobTitle: '',
    situation: null,
    availability: null,
    availableFrom: null,
    photo: null,
    strengths: '',
    search: emptySearchPreferences(),
  };
}

/** The profile as the client sends it: the address without the server-filled fields. */
export interface ProfileAddressInput {
  street: string;
  postalCode: string;
  communeCode: string;
}

export interface ValidatedProfile {
  profile: Omit<CandidateProfile, 'address'> & { address: ProfileAddressInput | null };
  errors: FieldError[];
}

const SHA256 = /^[0-9a-f]{64}$/;
const POSTAL_CODE = /^\d{5}$/;
const INSEE_CODE = /^(\d{5}|2[AB]\d{3})$/;
const OGR_CODE = /^\d{1,8}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Checks a whole profile as `PUT /api/candidate/profile` receives it. Pure: the commune and the
 * appellations are checked against the referentials by the server afterwards. Every error names
 * its field (`address.communeCode`, `search.contractTypes`…), in French.
 */
export function validateCandidateProfile(input: unknown): ValidatedProfile {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const body = isRecord(input) ? input : {};
  if (!isRecord(input)) add('profile', 'Le profil doit être un objet JSON.');

  const text = (field: string, v: unknown, label: string, max: number, required = false): string => {
    if (v === undefined || v === null) {
      if (required) add(field, `${label} est obligatoire.`);
      return '';
    }
    if (typeof v !== 'string') {
      add(field, `${label} doit être un texte.`);
      return '';
    }
    const t = v.trim();
    if (required && !t) add(field, `${label} est obligatoire.`);
    else if (t.length > max) add(field, `${label} ne doit pas dépasser ${max} caractères.`);
    return t;
  };
  const oneOf = <T extends string>(
    field: string,
    v: unknown,
    allowed: readonly T[],
    message: string,
  ): T | null => {
    if (v === undefined || v === null || v === '') return null;
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    add(field, message);
    return null;
  };
  const listOf = <T extends string>(
    field: string,
    v: unknown,
    ok: (x: unknown) => x is T,
    message: string,
  ): T[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      add(field, `${message} (liste attendue).`);
      return [];
    }
    const out: T[] = [];
    for (const x of v) {
      if (!ok(x)) {
        add(field, message);
        return [];
      }
      if (!out.includes(x)) out.push(x);
    }
    return out;
  };
  const bool = (field: string, v: unknown, label: string, fallback: boolean): boolean => {
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') add(field, `${label} : oui ou non attendu.`);
    return v === true;
  };
  const isContract = (x: unknown): x is ContractType =>
    typeof x === 'string' && (CONTRACT_TYPES as readonly string[]).includes(x);
  const isQualification = (x: unknown): x is QualificationLevel =>
    typeof x === 'string' && (QUALIFICATION_LEVELS as readonly string[]).includes(x);

  const civility = oneOf('civility', body.civility, CIVILITIES, 'Choisissez Madame ou Monsieur.');
  const firstName = text('firstName', body.firstName, 'Le prénom', PROFILE_LIMITS.name, true);
  const lastName = text('lastName', body.lastName, 'Le nom', PROFILE_LIMITS.name, true);
  const phone = text('phone', body.phone, 'Le téléphone', 30);
  if (phone && !isFrenchPhone(phone)) add('phone', FRENCH_PHONE_MESSAGE);
  const showPhone = bool('showPhone', body.showPhone, 'Afficher mon numéro', false);
  if (showPhone && !phone && !errors.some((e) => e.field === 'phone'))
    add('showPhone', 'Indiquez un numéro de téléphone pour pouvoir l’afficher.');
  const rqth =
    oneOf('rqth', body.rqth, RQTH_STATUSES, 'Choisissez une des situations proposées pour la RQTH.') ??
    'non_precise';

  let address: ProfileAddressInput | null = null;
  if (body.address !== undefined && body.address !== null) {
    if (!isRecord(body.address)) add('address', 'L’adresse doit être un objet.');
    else {
      const a = body.address;
      const street = text('address.street', a.street, 'La rue', PROFILE_LIMITS.street);
      const postalCode = text('address.postalCode', a.postalCode, 'Le code postal', 5);
      const communeCode = typeof a.communeCode === 'string' ? a.communeCode.trim().toUpperCase() : '';
      if (postalCode && !POSTAL_CODE.test(postalCode))
        add('address.postalCode', 'Le code postal compte 5 chiffres (ex. : 11000).');
      if (!communeCode) add('address.communeCode', 'Choisissez votre commune dans la liste proposée.');
      else if (!INSEE_CODE.test(communeCode))
        add('address.communeCode', 'Commune inconnue : choisissez-la dans la liste proposée.');
      address = { street, postalCode, communeCode };
    }
  }

  const qualification = oneOf(
    'qualification',
    body.qualification,
    QUALIFICATION_LEVELS,
    'Choisissez une qualification de la liste.',
  );
  const domains = listOf('domains', body.domains, isRomeDomain, 'Choisissez des domaines de la liste');
  const jobTitle = text('jobTitle', body.jobTitle, 'L’intitulé de poste', PROFILE_LIMITS.jobTitle);
  const situation = oneOf('situation', body.situation, SITUATIONS, 'Choisissez un statut de la liste.');
  const availability = oneOf(
    'availability',
    body.availability,
    AVAILABILITIES,
    'Choisissez une disponibilité de la liste.',
  );
  let availableFrom: string | null = null;
  if (availability === 'a_partir_du') {
    const v = typeof body.availableFrom === 'string' ? body.availableFrom.trim() : '';
    if (!v) add('availableFrom', 'Indiquez la date à partir de laquelle vous êtes disponible.');
    else if (!isIsoDate(v)) add('availableFrom', 'La date de disponibilité n’est pas valide (jj/mm/aaaa).');
    else availableFrom = v;
  } else if (body.availableFrom !== undefined && body.availableFrom !== null && body.availableFrom !== '') {
    if (typeof body.availableFrom !== 'string' || !isIsoDate(body.availableFrom))
      add('availableFrom', 'La date de disponibilité n’est pas valide (jj/mm/aaaa).');
  }
  let photo: string | null = null;
  if (body.photo !== undefined && body.photo !== null && body.photo !== '') {
    if (typeof body.photo === 'string' && SHA256.test(body.photo)) photo = body.photo;
    else add('photo', 'La photo est invalide : envoyez-la de nouveau.');
  }
  const strengths = text('strengths', body.strengths, 'Vos atouts', PROFILE_LIMITS.strengths);

  const s = body.search === undefined || body.search === null ? {} : body.search;
  if (!isRecord(s)) add('search', 'Les critères de recherche doivent être un objet.');
  const sr = isRecord(s) ? s : {};
  const contractTypes = listOf(
    'search.contractTypes',
    sr.contractTypes,
    isContract,
    'Choisissez des types de contrat de la liste',
  );
  const qualifications = listOf(
    'search.qualifications',
    sr.qualifications,
    isQualification,
    'Choisissez des qualifications de la liste',
  );
  const searchDomains = listOf(
    'search.domains',
    sr.domains,
    isRomeDomain,
    'Choisissez des domaines de la liste',
  );
  const appellations: SearchAppellation[] = [];
  if (sr.appellations !== undefined && sr.appellations !== null) {
    if (!Array.isArray(sr.appellations))
      add('search.appellations', 'Les professions doivent être une liste.');
    else if (sr.appellations.length > PROFILE_LIMITS.appellations)
      add('search.appellations', `Choisissez au plus ${PROFILE_LIMITS.appellations} professions.`);
    else
      for (const a of sr.appellations) {
        const code = isRecord(a) ? a.code : a;
        if (typeof code !== 'string' || !OGR_CODE.test(code)) {
          add('search.appellations', 'Choisissez les professions dans la liste proposée.');
          break;
        }
        if (appellations.some((x) => x.code === code)) continue;
        const label = isRecord(a) && typeof a.label === 'string' ? a.label.slice(0, 200) : '';
        const romeCode = isRecord(a) && typeof a.romeCode === 'string' ? a.romeCode.slice(0, 5) : '';
        appellations.push({ code, label, romeCode });
      }
  }
  let maxDistanceKm: number | null = null;
  if (sr.maxDistanceKm !== undefined && sr.maxDistanceKm !== null && sr.maxDistanceKm !== '') {
    const n = sr.maxDistanceKm;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > PROFILE_LIMITS.maxDistanceKm)
      add(
        'search.maxDistanceKm',
        `La limite géographique est un nombre entier de kilomètres, de 1 à ${PROFILE_LIMITS.maxDistanceKm}.`,
      );
    else maxDistanceKm = n;
  }
  let adjustments: boolean | null = null;
  if (sr.adjustments !== undefined && sr.adjustments !== null) {
    if (typeof sr.adjustments !== 'boolean')
      add('search.adjustments', 'Aménagement du poste : répondez oui ou non.');
    else adjustments = sr.adjustments;
  }
  const freeText = text(
    'search.freeText',
    sr.freeText,
    'La description de votre recherche',
    PROFILE_LIMITS.freeText,
  );

  return {
    errors,
    profile: {
      civility,
      firstName,
      lastName,
      phone,
      showPhone,
      rqth,
      address,
      qualification,
      domains,
      jobTitle,
      situation,
      availability,
      availableFrom,
      photo,
      strengths,
      search: {
        contractTypes,
        qualifications,
        domains: searchDomains,
        appellations,
        maxDistanceKm,
        adjustments,
        freeText,
      },
    },
  };
}

/** What sign-up (`POST /api/candidate/register`) receives. */
export interface CandidateSignup {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  /** INSEE code of the candidate's commune. */
  city: string;
  acceptTerms: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks sign-up fields (the commune is then checked against the referential by the server). */
export function validateCandidateSignup(input: unknown, minPasswordLength: number): FieldError[] {
  const errors: FieldError[] = [];
  const body = isRecord(input) ? input : {};
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const email = str(body.email);
  if (!email) errors.push({ field: 'email', message: 'Saisissez votre adresse e-mail.' });
  else if (!EMAIL.test(email) || email.length > 254)
    errors.push({ field: 'email', message: 'L’adresse e-mail n’est pas valide (exemple : nom@exemple.fr).' });
  if (typeof body.password !== 'string' || body.password.length < minPasswordLength)
    errors.push({
      field: 'password',
      message: `Le mot de passe doit compter au moins ${minPasswordLength} caractères.`,
    });
  else if (body.password.length > 200)
    errors.push({ field: 'password', message: 'Le mot de passe ne doit pas dépasser 200 caractères.' });
  for (const [field, label] of [
    ['firstName', 'Le prénom'],
    ['lastName', 'Le nom'],
  ] as const) {
    const v = str(body[field]);
    if (body[field] !== undefined && typeof body[field] !== 'string')
      errors.push({ field, message: `${label} doit être un texte.` });
    else if (!v) errors.push({ field, message: `${label} est obligatoire.` });
    else if (v.length > PROFILE_LIMITS.name)
      errors.push({ field, message: `${label} ne doit pas dépasser ${PROFILE_LIMITS.name} caractères.` });
  }
  const city = str(body.city).toUpperCase();
  if (!city) errors.push({ field: 'city', message: 'Choisissez votre ville dans la liste proposée.' });
  else if (!INSEE_CODE.test(city))
    errors.push({ field: 'city', message: 'Ville inconnue : choisissez-la dans la liste proposée.' });
  if (body.acceptTerms !== true)
    errors.push({
      field: 'acceptTerms',
      message: 'Acceptez les conditions d’utilisation pour créer votre compte.',
    });
  return errors;
}

/** French labels of the lists, for forms and summaries. */
export const PROFILE_CHOICES = {
  contractTypes: CONTRACT_TYPES.map((c) => ({ value: c, label: CONTRACT_TYPE_LABELS[c] })),
  qualifications: QUALIFICATION_LEVELS.map((q) => ({ value: q, label: QUALIFICATION_LABELS[q] })),
};
