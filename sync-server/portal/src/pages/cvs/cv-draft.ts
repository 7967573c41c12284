/**
 * The editor's working copy of a CV: what the form fields hold (strings, « aujourd'hui » as a
 * checkbox, local keys for list items), and its conversion to the API's `CvInput`.
 */
import {
  type CandidateCv,
  type CvFile,
  type CvPublication,
  type CvWorkplace,
  cvCompleteness,
  type LanguageLevel,
  missingCompleteness,
} from '../../../../../shared/domain/cv';
import type { ContractType, WorkingTime } from '../../../../../shared/domain/offer';

export interface DraftAppellation {
  code: string;
  label: string;
  romeCode: string;
}
export interface DraftExperience {
  key: string;
  id?: string;
  company: string;
  jobTitle: string;
  start: string;
  end: string;
  current: boolean;
  description: string;
}
export interface DraftDiploma {
  key: string;
  id?: string;
  title: string;
  date: string;
  description: string;
}
export interface DraftSkill {
  key: string;
  id?: string;
  label: string;
  level: number;
}
export interface DraftLanguage {
  key: string;
  id?: string;
  language: string;
  level: LanguageLevel;
}
export interface CvDraft {
  appellation: DraftAppellation | null;
  workplaces: CvWorkplace[];
  contractTypes: ContractType[];
  workingTimes: WorkingTime[];
  title: string;
  summary: string;
  experiences: DraftExperience[];
  diplomas: DraftDiploma[];
  skills: DraftSkill[];
  languages: DraftLanguage[];
  licences: string[];
  file: CvFile | null;
  publication: CvPublication;
}

let counter = 0;
/** A key for a new list item (the server gives it its id when saved). */
export const newKey = () => `n${Date.now().toString(36)}${(counter++).toString(36)}`;

export function draftFromCv(cv: CandidateCv): CvDraft {
  const t = cv.target;
  return {
    appellation: t ? { code: t.appellationCode, label: t.appellationLabel, romeCode: t.romeCode } : null,
    workplaces: t?.workplaces ?? [],
    contractTypes: t?.contractTypes ?? [],
    workingTimes: t?.workingTimes ?? [],
    title: cv.title,
    summary: cv.summary,
    experiences: cv.experiences.map((e) => ({
      key: e.id,
      id: e.id,
      company: e.company,
      jobTitle: e.jobTitle,
      start: e.start,
      end: e.end ?? '',
      current: e.end === null,
      description: e.description,
    })),
    diplomas: cv.diplomas.map((d) => ({ key: d.id, ...d })),
    skills: cv.skills.map((s) => ({ key: s.id, ...s })),
    languages: cv.languages.map((l) => ({ key: l.id, ...l })),
    licences: cv.licences,
    file: cv.file,
    publication: cv.publication,
  };
}

export function targetPayload(d: CvDraft) {
  return {
    target: d.appellation
      ? {
          appellationCode: d.appellation.code,
          appellationLabel: d.appellation.label,
          romeCode: d.appellation.romeCode,
          workplaces: d.workplaces,
          contractTypes: d.contractTypes,
          workingTimes: d.workingTimes,
        }
      : null,
  };
}

const strip = <T extends { key: string }>({ key: _key, ...rest }: T) => rest;

export function informationPayload(d: CvDraft) {
  return {
    title: d.title,
    summary: d.summary,
    experiences: d.experiences.map(({ key: _key, current, end, ...e }) => ({
      ...e,
      end: current ? null : end || null,
    })),
    diplomas: d.diplomas.map(strip),
    skills: d.skills.map(strip),
    languages: d.languages.map(strip),
    licences: d.licences,
    file: d.file ? { sha256: d.file.sha256, name: d.file.name } : null,
  };
}

/** The gauge of the working copy, as the server will compute it once saved. */
export function draftCompleteness(d: CvDraft): { value: number; missing: string[] } {
  const input = {
    target: targetPayload(d).target,
    summary: d.summary,
    experiences: d.experiences.map((e) => ({ ...e, id: e.key, end: e.current ? null : e.end || null })),
    diplomas: d.diplomas.map((x) => ({ ...x, id: x.key })),
    skills: d.skills.map((x) => ({ ...x, id: x.key })),
  };
  return { value: cvCompleteness(input), missing: missingCompleteness(input) };
}

/** Checks made before sending (the server checks everything again). */
export function localInformationErrors(d: CvDraft): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  d.experiences.forEach((e, i) => {
    if (!e.company.trim())
      errors.push({
        field: `experiences.${i}.company`,
        message: `Expérience ${i + 1} : indiquez l’entreprise.`,
      });
    if (!e.jobTitle.trim())
      errors.push({
        field: `experiences.${i}.jobTitle`,
        message: `Expérience ${i + 1} : indiquez le poste occupé.`,
      });
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(e.start))
      errors.push({
        field: `experiences.${i}.start`,
        message: `Expérience ${i + 1} : indiquez le mois de début (AAAA-MM).`,
      });
    if (!e.current && !e.end)
      errors.push({
        field: `experiences.${i}.end`,
        message: `Expérience ${i + 1} : indiquez le mois de fin, ou cochez « aujourd’hui » si vous occupez toujours ce poste.`,
      });
  });
  d.diplomas.forEach((x, i) => {
    if (!x.title.trim())
      errors.push({ field: `diplomas.${i}.title`, message: `Formation ${i + 1} : indiquez l’intitulé.` });
    if (!/^\d{4}(-(0[1-9]|1[0-2]))?$/.test(x.date.trim()))
      errors.push({
        field: `diplomas.${i}.date`,
        message: `Formation ${i + 1} : indiquez l’année (AAAA) ou le mois (AAAA-MM).`,
      });
  });
  d.skills.forEach((s, i) => {
    if (!s.label.trim())
      errors.push({ field: `skills.${i}.label`, message: `Compétence ${i + 1} : indiquez la compétence.` });
  });
  d.languages.forEach((l, i) => {
    if (!l.language.trim())
      errors.push({ field: `languages.${i}.language`, message: `Langue ${i + 1} : indiquez la langue.` });
  });
  return errors;
}
