/**
 * The candidate's CV (seed 002 « Le dépôt de CV », seed 000 « Mon CV », seed 004 « dossiers »), as
 * the candidate writes it on the portal. What recruiters see in the CVthèque is a projection of it
 * (anonymity, contact data), written by the server into the replicated `cvs` collection.
 *
 * Dates are months `YYYY-MM` (an experience still going on has `end: null`, « aujourd'hui »).
 */
import { CONTRACT_TYPES, type ContractType, WORKING_TIMES, type WorkingTime } from './offer';

/** Up to 5 CVs per candidate, for different ROME codes (seed 002). */
export const MAX_CVS = 5;

/** brouillon: being written (saved at every step); publie: online; suspendu: taken offline by the candidate. */
export const CV_STATUSES = ['brouillon', 'publie', 'suspendu'] as const;
export type CvStatus = (typeof CV_STATUSES)[number];
export const CV_STATUS_LABELS: Record<CvStatus, string> = {
  brouillon: 'Brouillon',
  publie: 'En ligne',
  suspendu: 'Suspendu',
};

export interface CvWorkplace {
  communeCode: string;
  communeName: string;
}

/** « Ma cible professionnelle » (étape 0). */
export interface CvTarget {
  /** ROME appellation (code OGR) and its label. */
  appellationCode: string;
  appellationLabel: string;
  /** ROME code of the appellation. */
  romeCode: string;
  workplaces: CvWorkplace[];
  contractTypes: ContractType[];
  workingTimes: WorkingTime[];
}

export interface CvExperience {
  id: string;
  company: string;
  jobTitle: string;
  /** `YYYY-MM`. */
  start: string;
  /** `YYYY-MM`, or null: « aujourd'hui ». */
  end: string | null;
  description: string;
}

export interface CvDiploma {
  id: string;
  title: string;
  /** `YYYY-MM` or `YYYY`. */
  date: string;
  description: string;
}

export interface CvSkill {
  id: string;
  label: string;
  /** 1 to 5 stars. */
  level: number;
}

export const LANGUAGE_LEVELS = ['notions', 'intermediaire', 'courant', 'bilingue', 'maternelle'] as const;
export type LanguageLevel = (typeof LANGUAGE_LEVELS)[number];

export interface CvLanguage {
  id: string;
  language: string;
  level: LanguageLevel;
}

/** The personal CV file attached to a CV (or the whole CV in express mode). */
export interface CvFile {
  sha256: string;
  name: string;
  mime: string;
  size: number;
}

/** « Mise en ligne » choices (seed 002, DESIGN §6). */
export interface CvPublication {
  /** « Visible dans la CVthèque ». */
  cvtheque: boolean;
  /** No name or contact data in the CVthèque. */
  anonymous: boolean;
  /** Show e-mail and phone to recruiters of the CVthèque. */
  showContact: boolean;
  /** Advisors may pass the CV on to employers with personal data. */
  advisorsMayShare: boolean;
}

export interface CandidateCv {
  id: string;
  /** Express mode: a CV made of the attached file alone. */
  express: boolean;
  status: CvStatus;
  title: string;
  target: CvTarget | null;
  /** L'accroche. */
  summary: string;
  experiences: CvExperience[];
  diplomas: CvDiploma[];
  skills: CvSkill[];
  languages: CvLanguage[];
  /** Driving licence categories (B, C, CE…). */
  licences: string[];
  file: CvFile | null;
  publication: CvPublication;
  /** 0-100, computed by the server from the content (see `cvCompleteness`). */
  completeness: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/** What `GET /api/candidate/cvs` lists. */
export interface CvSummary {
  id: string;
  title: string;
  status: CvStatus;
  express: boolean;
  completeness: number;
  romeCode: string | null;
  appellationLabel: string | null;
  hasFile: boolean;
  cvtheque: boolean;
  updatedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Limits, reference lists and validation of what the candidate sends

export const CV_LIMITS = {
  title: 150,
  summary: 2000,
  experiences: 30,
  company: 150,
  jobTitle: 150,
  experienceDescription: 4000,
  diplomas: 20,
  diplomaTitle: 200,
  diplomaDescription: 2000,
  skills: 30,
  skillLabel: 100,
  languages: 10,
  language: 60,
  workplaces: 5,
  fileName: 200,
} as const;

/** French driving licence categories (permis de conduire), in the order of the licence itself. */
export const DRIVING_LICENCES = [
  'AM',
  'A1',
  'A2',
  'A',
  'B1',
  'B',
  'BE',
  'C1',
  'C1E',
  'C',
  'CE',
  'D1',
  'D1E',
  'D',
  'DE',
] as const;
export type DrivingLicence = (typeof DRIVING_LICENCES)[number];
export const DRIVING_LICENCE_LABELS: Record<DrivingLicence, string> = {
  AM: 'AM (cyclomoteur)',
  A1: 'A1 (moto légère)',
  A2: 'A2 (moto intermédiaire)',
  A: 'A (moto)',
  B1: 'B1 (quadricycle lourd)',
  B: 'B (voiture)',
  BE: 'BE (voiture et remorque)',
  C1: 'C1 (poids lourd moyen)',
  C1E: 'C1E (poids lourd moyen et remorque)',
  C: 'C (poids lourd)',
  CE: 'CE (poids lourd et remorque)',
  D1: 'D1 (minibus)',
  D1E: 'D1E (minibus et remorque)',
  D: 'D (autocar, autobus)',
  DE: 'DE (autocar et remorque)',
};

export const LANGUAGE_LEVEL_LABELS: Record<LanguageLevel, string> = {
  notions: 'Notions',
  intermediaire: 'Intermédiaire',
  courant: 'Courant',
  bilingue: 'Bilingue',
  maternelle: 'Langue maternelle',
};

export const SKILL_LEVEL_LABELS = ['Débutant', 'Élémentaire', 'Confirmé', 'Avancé', 'Expert'] as const;

/** Under this completeness (in %), publishing shows the reminder pop-in (seed 002 « Pop' in »). */
export const COMPLETENESS_THRESHOLD = 60;

/** A summary at least this long counts fully (a word or two is only a start). */
export const SUMMARY_FULL_LENGTH = 80;
/** An experience description at least this long counts as a description of the activities. */
export const DESCRIPTION_FULL_LENGTH = 30;
/** Skills needed for the full weight of « compétences ». */
export const SKILLS_FULL_COUNT = 3;

/**
 * Weights of the completeness gauge (seed 002, « JAUGE DU TAUX DE SAISIE DU CV »): the five zones
 * that make it progress, 100 in all.
 * - cible professionnelle, 30: métier 15, lieu(x) de travail 5, type(s) de contrat 5, durée(s) 5;
 * - accroche, 15: 5 as soon as there is one, 15 from `SUMMARY_FULL_LENGTH` characters;
 * - expériences, 25: 15 for at least one, 10 more when every one describes its activities
 *   (`DESCRIPTION_FULL_LENGTH` characters or more);
 * - formation / scolarité, 15: at least one diploma or training;
 * - compétences complémentaires, 15: 5 per skill up to `SKILLS_FULL_COUNT`.
 * Languages and licences are shown but do not weigh (the seed does not list them).
 */
export const COMPLETENESS_WEIGHTS = {
  appellation: 15,
  workplaces: 5,
  contractTypes: 5,
  workingTimes: 5,
  summary: 15,
  experiences: 15,
  experienceDescriptions: 10,
  diplomas: 15,
  skills: 15,
} as const;

export type CompletenessPart = keyof typeof COMPLETENESS_WEIGHTS;

export const COMPLETENESS_PART_LABELS: Record<CompletenessPart, string> = {
  appellation: 'le métier recherché',
  workplaces: 'les lieux de travail souhaités',
  contractTypes: 'les types de contrat',
  workingTimes: 'la durée de travail',
  summary: 'l’accroche',
  experiences: 'au moins une expérience',
  experienceDescriptions: 'la description de chaque expérience',
  diplomas: 'au moins une formation',
  skills: `au moins ${SKILLS_FULL_COUNT} compétences`,
};

type CompletenessInput = Pick<CandidateCv, 'target' | 'summary' | 'experiences' | 'diplomas' | 'skills'>;

/** Points earned per part of the gauge (each at most its weight). */
export function completenessParts(cv: CompletenessInput): Record<CompletenessPart, number> {
  const w = COMPLETENESS_WEIGHTS;
  const t = cv.target;
  const summary = (cv.summary ?? '').trim().length;
  const experiences = cv.experiences ?? [];
  const described =
    experiences.length > 0 &&
    experiences.every((e) => (e.description ?? '').trim().length >= DESCRIPTION_FULL_LENGTH);
  return {
    appellation: t?.appellationCode ? w.appellation : 0,
    workplaces: t && t.workplaces.length > 0 ? w.workplaces : 0,
    contractTypes: t && t.contractTypes.length > 0 ? w.contractTypes : 0,
    workingTimes: t && t.workingTimes.length > 0 ? w.workingTimes : 0,
    summary: summary >= SUMMARY_FULL_LENGTH ? w.summary : summary > 0 ? 5 : 0,
    experiences: experiences.length > 0 ? w.experiences : 0,
    experienceDescriptions: described ? w.experienceDescriptions : 0,
    diplomas: (cv.diplomas ?? []).length > 0 ? w.diplomas : 0,
    skills: Math.min(SKILLS_FULL_COUNT, (cv.skills ?? []).length) * (w.skills / SKILLS_FULL_COUNT),
  };
}

/** 0-100: how complete a CV is (seed 002 gauge). */
export function cvCompleteness(cv: CompletenessInput): number {
  const total = Object.values(completenessParts(cv)).reduce((a, b) => a + b, 0);
  return Math.max(0, Math.min(100, Math.round(total)));
}

/** What is still missing for 100 %, as labels to show beside the gauge. */
export function missingCompleteness(cv: CompletenessInput): string[] {
  const parts = completenessParts(cv);
  return (Object.keys(COMPLETENESS_WEIGHTS) as CompletenessPart[])
    .filter((p) => parts[p] < COMPLETENESS_WEIGHTS[p])
    .map((p) => COMPLETENESS_PART_LABELS[p]);
}

export function needsCompletenessReminder(completeness: number): boolean {
  return completeness < COMPLETENESS_THRESHOLD;
}

/** What the candidate sends when saving a CV (every part optional: a draft saves whatever it has). */
export interface CvInput {
  title?: string;
  target?: CvTarget | null;
  summary?: string;
  experiences?: CvExperienceInput[];
  diplomas?: CvDiplomaInput[];
  skills?: CvSkillInput[];
  languages?: CvLanguageInput[];
  licences?: string[];
  /** The attached file, by hash (the server fills name, type and size from what it stores). */
  file?: { sha256: string; name?: string } | null;
  publication?: Partial<CvPublication>;
}
export type CvExperienceInput = Omit<CvExperience, 'id'> & { id?: string };
export type CvDiplomaInput = Omit<CvDiploma, 'id'> & { id?: string };
export type CvSkillInput = Omit<CvSkill, 'id'> & { id?: string };
export type CvLanguageInput = Omit<CvLanguage, 'id'> & { id?: string };

export interface CvFieldError {
  field: string;
  message: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR_OR_MONTH = /^(\d{4})(-(0[1-9]|1[0-2]))?$/;
const ITEM_ID = /^[A-Za-z0-9_-]{1,36}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const ROME_CODE = /^[A-Z]\d{4}$/;
const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;
const MIN_YEAR = 1940;
const MAX_YEAR = 2100;

export function isCvMonth(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = MONTH.exec(value);
  return !!m && Number(m[1]) >= MIN_YEAR && Number(m[1]) <= MAX_YEAR;
}

/** « mars 2021 » from `2021-03`; « 2021 » from `2021`. */
export function formatCvMonth(value: string): string {
  const m = YEAR_OR_MONTH.exec(value);
  if (!m) return value;
  if (!m[3]) return m[1]!;
  const months = [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ];
  return `${months[Number(m[3]) - 1]} ${m[1]}`;
}

/**
 * Checks what the candidate sends and returns it normalised (text trimmed, unknown keys dropped).
 * Every field is optional (a draft), but every field present must be well-formed. Error fields
 * are paths such as `experiences.0.start`; messages are French and name the field.
 */
export function validateCvInput(raw: unknown): { value: CvInput; errors: CvFieldError[] } {
  const errors: CvFieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const value: CvInput = {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    add('cv', 'Le CV doit être un objet JSON.');
    return { value, errors };
  }
  const input = raw as Record<string, unknown>;

  const text = (field: string, v: unknown, max: number, label: string, required = false): string => {
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
    if (t.length > max) add(field, `${label} ne doit pas dépasser ${max} caractères.`);
    return t;
  };
  const list = (field: string, v: unknown, max: number, label: string): unknown[] | null => {
    if (v === undefined) return null;
    if (!Array.isArray(v)) {
      add(field, `${label} : une liste est attendue.`);
      return null;
    }
    if (v.length > max) {
      add(field, `${label} : ${max} au plus.`);
      return null;
    }
    return v;
  };
  const itemId = (field: string, v: unknown): string | undefined => {
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string' || !ITEM_ID.test(v)) {
      add(field, 'Identifiant invalide.');
      return undefined;
    }
    return v;
  };
  const asObject = (field: string, v: unknown, label: string): Record<string, unknown> | null => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      add(field, `${label} : un objet est attendu.`);
      return null;
    }
    return v as Record<string, unknown>;
  };

  if (input.title !== undefined) value.title = text('title', input.title, CV_LIMITS.title, 'Le titre du CV');

  if (input.target !== undefined) {
    if (input.target === null) value.target = null;
    else {
      const t = asObject('target', input.target, 'La cible professionnelle');
      if (t) {
        const appellationCode = text('target', t.appellationCode, 10, 'Le métier recherché', true);
        const appellationLabel = text('target', t.appellationLabel, 200, 'Le libellé du métier', true);
        const romeCode = typeof t.romeCode === 'string' ? t.romeCode.trim().toUpperCase() : '';
        if (!ROME_CODE.test(romeCode))
          add('target', 'Le métier recherché doit être choisi dans la liste (code ROME manquant).');
        const workplaces: CvWorkplace[] = [];
        const wl = list('target.workplaces', t.workplaces ?? [], CV_LIMITS.workplaces, 'Lieux de travail');
        wl?.forEach((w, i) => {
          const o = asObject(`target.workplaces.${i}`, w, 'Lieu de travail');
          if (!o) return;
          const code = typeof o.communeCode === 'string' ? o.communeCode.trim() : '';
          if (!COMMUNE_CODE.test(code))
            add(`target.workplaces.${i}`, 'Lieu de travail : choisissez une commune dans la liste.');
          const name = text(`target.workplaces.${i}`, o.communeName, 150, 'Le nom de la commune', true);
          if (workplaces.some((x) => x.communeCode === code))
            add(`target.workplaces.${i}`, 'Ce lieu de travail est déjà dans la liste.');
          workplaces.push({ communeCode: code, communeName: name });
        });
        const enumList = <T extends string>(
          field: string,
          v: unknown,
          allowed: readonly T[],
          label: string,
        ): T[] => {
          const l = list(field, v ?? [], allowed.length, label);
          const out: T[] = [];
          for (const x of l ?? []) {
            if (typeof x !== 'string' || !(allowed as readonly string[]).includes(x))
              add(field, `${label} : valeur inconnue (${String(x).slice(0, 30)}).`);
            else if (!out.includes(x as T)) out.push(x as T);
          }
          return out;
        };
        const contractTypes = enumList(
          'target.contractTypes',
          t.contractTypes,
          CONTRACT_TYPES,
          'Types de contrat',
        );
        const workingTimes = enumList(
          'target.workingTimes',
          t.workingTimes,
          WORKING_TIMES,
          'Durée de travail',
        );
        value.target = {
          appellationCode,
          appellationLabel,
          romeCode,
          workplaces,
          contractTypes,
          workingTimes,
        };
      }
    }
  }

  if (input.summary !== undefined)
    value.summary = text('summary', input.summary, CV_LIMITS.summary, 'L’accroche');

  const experiences = list('experiences', input.experiences, CV_LIMITS.experiences, 'Expériences');
  if (experiences) {
    value.experiences = [];
    experiences.forEach((e, i) => {
      const f = `experiences.${i}`;
      const o = asObject(f, e, `Expérience ${i + 1}`);
      if (!o) return;
      const id = itemId(`${f}.id`, o.id);
      const company = text(`${f}.company`, o.company, CV_LIMITS.company, 'L’entreprise', true);
      const jobTitle = text(`${f}.jobTitle`, o.jobTitle, CV_LIMITS.jobTitle, 'Le poste occupé', true);
      const start = typeof o.start === 'string' ? o.start : '';
      if (!isCvMonth(start))
        add(`${f}.start`, 'La date de début est obligatoire, au format mois et année (AAAA-MM).');
      let end: string | null = null;
      if (o.end !== null && o.end !== undefined && o.end !== '') {
        if (!isCvMonth(o.end))
          add(`${f}.end`, 'La date de fin doit être au format mois et année (AAAA-MM), ou « aujourd’hui ».');
        else {
          end = o.end;
          if (isCvMonth(start) && end < start)
            add(`${f}.end`, 'La date de fin doit être postérieure ou égale à la date de début.');
        }
      }
      const description = text(
        `${f}.description`,
        o.description ?? '',
        CV_LIMITS.experienceDescription,
        'La description',
      );
      value.experiences!.push({ ...(id ? { id } : {}), company, jobTitle, start, end, description });
    });
  }

  const diplomas = list('diplomas', input.diplomas, CV_LIMITS.diplomas, 'Formations');
  if (diplomas) {
    value.diplomas = [];
    diplomas.forEach((d, i) => {
      const f = `diplomas.${i}`;
      const o = asObject(f, d, `Formation ${i + 1}`);
      if (!o) return;
      const id = itemId(`${f}.id`, o.id);
      const title = text(`${f}.title`, o.title, CV_LIMITS.diplomaTitle, 'L’intitulé du diplôme', true);
      const date = typeof o.date === 'string' ? o.date.trim() : '';
      const m = YEAR_OR_MONTH.exec(date);
      if (!m || Number(m[1]) < MIN_YEAR || Number(m[1]) > MAX_YEAR)
        add(`${f}.date`, 'La date d’obtention est obligatoire, au format AAAA ou AAAA-MM.');
      const description = text(
        `${f}.description`,
        o.description ?? '',
        CV_LIMITS.diplomaDescription,
        'La description',
      );
      value.diplomas!.push({ ...(id ? { id } : {}), title, date, description });
    });
  }

  const skills = list('skills', input.skills, CV_LIMITS.skills, 'Compétences');
  if (skills) {
    value.skills = [];
    skills.forEach((s, i) => {
      const f = `skills.${i}`;
      const o = asObject(f, s, `Compétence ${i + 1}`);
      if (!o) return;
      const id = itemId(`${f}.id`, o.id);
      const label = text(`${f}.label`, o.label, CV_LIMITS.skillLabel, 'La compétence', true);
      const level = o.level;
      if (typeof level !== 'number' || !Number.isInteger(level) || level < 1 || level > 5)
        add(`${f}.level`, 'Le niveau de la compétence doit être compris entre 1 et 5 étoiles.');
      value.skills!.push({ ...(id ? { id } : {}), label, level: typeof level === 'number' ? level : 0 });
    });
  }

  const languages = list('languages', input.languages, CV_LIMITS.languages, 'Langues');
  if (languages) {
    value.languages = [];
    languages.forEach((l, i) => {
      const f = `languages.${i}`;
      const o = asObject(f, l, `Langue ${i + 1}`);
      if (!o) return;
      const id = itemId(`${f}.id`, o.id);
      const language = text(`${f}.language`, o.language, CV_LIMITS.language, 'La langue', true);
      if (typeof o.level !== 'string' || !(LANGUAGE_LEVELS as readonly string[]).includes(o.level))
        add(`${f}.level`, 'Le niveau de langue est inconnu : choisissez-le dans la liste.');
      value.languages!.push({ ...(id ? { id } : {}), language, level: o.level as LanguageLevel });
    });
  }

  const licences = list('licences', input.licences, DRIVING_LICENCES.length, 'Permis');
  if (licences) {
    value.licences = [];
    for (const l of licences) {
      if (typeof l !== 'string' || !(DRIVING_LICENCES as readonly string[]).includes(l))
        add('licences', `Permis inconnu : ${String(l).slice(0, 10)}.`);
      else if (!value.licences.includes(l)) value.licences.push(l);
    }
    value.licences.sort(
      (a, b) => DRIVING_LICENCES.indexOf(a as DrivingLicence) - DRIVING_LICENCES.indexOf(b as DrivingLicence),
    );
  }

  if (input.file !== undefined) {
    if (input.file === null) value.file = null;
    else {
      const o = asObject('file', input.file, 'Le fichier joint');
      if (o) {
        if (typeof o.sha256 !== 'string' || !SHA256.test(o.sha256))
          add('file', 'Le fichier joint est invalide : envoyez-le à nouveau.');
        const name = text('file.name', o.name ?? '', CV_LIMITS.fileName, 'Le nom du fichier');
        value.file = { sha256: String(o.sha256), ...(name ? { name } : {}) };
      }
    }
  }

  if (input.publication !== undefined) {
    const o = asObject('publication', input.publication, 'La mise en ligne');
    if (o) {
      const p: Partial<CvPublication> = {};
      for (const k of ['cvtheque', 'anonymous', 'showContact', 'advisorsMayShare'] as const) {
        if (o[k] === undefined) continue;
        if (typeof o[k] !== 'boolean') add(`publication.${k}`, 'Oui ou non attendu.');
        else p[k] = o[k];
      }
      value.publication = p;
    }
  }

  return { value, errors };
}

/** What a CV needs to be put online (seed 002, « mise en ligne »). */
export function publicationErrors(cv: Pick<CandidateCv, 'target' | 'express' | 'file'>): CvFieldError[] {
  const errors: CvFieldError[] = [];
  if (!cv.target?.appellationCode)
    errors.push({
      field: 'target',
      message:
        'Choisissez le métier recherché (étape « Ma cible professionnelle ») avant de mettre le CV en ligne.',
    });
  if (cv.express && !cv.file)
    errors.push({ field: 'file', message: 'Un CV express doit avoir un CV personnel joint.' });
  return errors;
}

export const DEFAULT_PUBLICATION: CvPublication = {
  cvtheque: true,
  anonymous: false,
  showContact: false,
  advisorsMayShare: false,
};
