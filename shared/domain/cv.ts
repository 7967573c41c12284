/**
 * The candidate's CV (seed 002 « Le dépôt de CV », seed 000 « Mon CV », seed 004 « dossiers »), as
 * the candidate writes it on the portal. What recruiters see in the CVthèque is a projection of it
 * (anonymity, contact data), written by the server into the replicated `cvs` collection.
 *
 * Dates are months `YYYY-MM` (an experience still going on has `end: null`, « aujourd'hui »).
 */
import type { ContractType, WorkingTime } from './offer';

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
