/**
 * CVthèque search (seed 001 « Accéder à la CVThèque », seed 000 « Ma CV-Thèque »): the criteria,
 * the French normalisation of text, which CVs match and how they rank. Pure functions, shared by
 * the workstation's local search (its replica, offline) and the server's search (the whole
 * CVthèque): both sides pre-select candidates with their own index, then run `matchCv` and
 * `scoreCv` from here on the documents, so the same CV gets the same score on both sides.
 *
 * Normalisation: lower case, accents and ligatures folded, split on anything but letters and
 * digits, French stop words dropped, then a light stemmer that brings plurals and feminine forms
 * to one stem (« serveuses » → « serveur », « infirmière » → « infirmier », « boulangère » →
 * « boulanger »). A keyword matches a CV when one of the CV's stems equals the keyword's stem.
 */

import type { CvDoc } from '../schemas/cv.schema';
import type { FieldError } from '../sync/errors';
import { AVAILABILITIES, type Availability } from './candidate-profile';
import { DRIVING_LICENCES } from './cv';
import type { ContractType, QualificationLevel } from './offer';
import { CONTRACT_TYPES, QUALIFICATION_LEVELS } from './offer';
import { isRomeDomain, romeDomainOf } from './rome-domains';

// ─── Criteria ──────────────────────────────────────────────────────────────────────────────

export interface CvSearchPlace {
  /** INSEE code of the commune. */
  code: string;
  label: string;
  lat: number;
  lon: number;
}

export interface CvSearchCriteria {
  /** Free keywords (at most `CV_MAX_KEYWORDS` words once normalised). */
  keywords?: string;
  /** A ROME appellation (code OGR): CVs aiming at it rank first among `romeCodes`. */
  appellationCode?: string;
  /** ROME codes a CV's target must be one of (the appellation's code and the nearby codes chosen). */
  romeCodes?: string[];
  place?: CvSearchPlace;
  /** Around `place`; 0 or absent: the commune alone. */
  radiusKm?: number;
  /** « RQTH uniquement » (seed 001): only candidates whose RQTH is recognised. */
  rqthOnly?: boolean;
  qualifications?: QualificationLevel[];
  /** ROME « grands domaines » (letters). */
  domains?: string[];
  /** Contract types the candidate looks for (any of them). */
  contractTypes?: ContractType[];
  availability?: Availability[];
  /** Languages the candidate must all speak (compared folded: « Anglais » = « anglais »). */
  languages?: string[];
  /** Driving licences the candidate must all hold. */
  licences?: string[];
}

export const CV_MAX_KEYWORDS = 8;
export const CV_KEYWORDS_MAX_LENGTH = 200;
export const CV_MAX_RADIUS_KM = 200;
export const CV_RADIUS_CHOICES = [0, 5, 10, 20, 30, 50, 100] as const;
/** Results shown at most (both sides). */
export const CV_MAX_RESULTS = 200;

const ROME_CODE = /^[A-N]\d{4}$/;
const APPELLATION = /^\d{1,10}$/;
const INSEE = /^(\d{5}|2[AB]\d{3})$/;

/** French messages for criteria that cannot be searched, each naming its field. */
export function validateCvCriteria(c: CvSearchCriteria): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const list = (field: keyof CvSearchCriteria, label: string, ok: (v: unknown) => boolean, max = 30) => {
    const v = c[field] as unknown;
    if (v === undefined) return;
    if (!Array.isArray(v) || v.length > max || !v.every(ok)) add(field, `${label} : valeur non reconnue.`);
  };
  if (c.keywords !== undefined) {
    if (typeof c.keywords !== 'string') add('keywords', 'Les mots-clés doivent être un texte.');
    else if (c.keywords.length > CV_KEYWORDS_MAX_LENGTH)
      add('keywords', `Les mots-clés ne doivent pas dépasser ${CV_KEYWORDS_MAX_LENGTH} caractères.`);
    else if (queryStems(c.keywords).length > CV_MAX_KEYWORDS)
      add('keywords', `Au plus ${CV_MAX_KEYWORDS} mots-clés.`);
  }
  if (
    c.appellationCode !== undefined &&
    (typeof c.appellationCode !== 'string' || !APPELLATION.test(c.appellationCode))
  )
    add('appellationCode', 'Ce métier est inconnu : choisissez-le dans la liste proposée.');
  list('romeCodes', 'Codes ROME', (v) => typeof v === 'string' && ROME_CODE.test(v));
  if (c.place !== undefined) {
    const p = c.place as Partial<CvSearchPlace> | null;
    if (
      !p ||
      typeof p !== 'object' ||
      typeof p.code !== 'string' ||
      !INSEE.test(p.code) ||
      typeof p.label !== 'string' ||
      typeof p.lat !== 'number' ||
      typeof p.lon !== 'number' ||
      !Number.isFinite(p.lat) ||
      !Number.isFinite(p.lon) ||
      Math.abs(p.lat) > 90 ||
      Math.abs(p.lon) > 180
    )
      add('place', 'Cette commune est inconnue : choisissez-la dans la liste.');
  }
  if (c.radiusKm !== undefined) {
    if (!Number.isInteger(c.radiusKm) || c.radiusKm < 0 || c.radiusKm > CV_MAX_RADIUS_KM)
      add('radiusKm', `Le rayon doit être un nombre entier de kilomètres, de 0 à ${CV_MAX_RADIUS_KM}.`);
    else if (c.radiusKm > 0 && c.place === undefined)
      add('place', 'Choisissez une commune pour chercher dans un rayon.');
  }
  if (c.rqthOnly !== undefined && typeof c.rqthOnly !== 'boolean')
    add('rqthOnly', '« RQTH uniquement » : oui ou non.');
  list('qualifications', 'Qualification', (v) => (QUALIFICATION_LEVELS as readonly unknown[]).includes(v));
  list('domains', 'Domaine', (v) => isRomeDomain(v));
  list('contractTypes', 'Type de contrat', (v) => (CONTRACT_TYPES as readonly unknown[]).includes(v));
  list('availability', 'Disponibilité', (v) => (AVAILABILITIES as readonly unknown[]).includes(v));
  list('languages', 'Langue', (v) => typeof v === 'string' && v.trim().length > 0 && v.length <= 60, 10);
  list('licences', 'Permis', (v) => (DRIVING_LICENCES as readonly unknown[]).includes(v), 20);
  return errors;
}

/** Whether the criteria ask for anything at all (an empty search lists the newest CVs). */
export function hasCvCriteria(c: CvSearchCriteria): boolean {
  return Boolean(
    queryStems(c.keywords ?? '').length ||
      c.appellationCode ||
      c.romeCodes?.length ||
      c.place ||
      c.rqthOnly ||
      c.qualifications?.length ||
      c.domains?.length ||
      c.contractTypes?.length ||
      c.availability?.length ||
      c.languages?.length ||
      c.licences?.length,
  );
}

/**
 * The criteria in a canonical form: fields in a fixed order, lists sorted and de-duplicated,
 * keywords normalised, empty fields dropped. Two searches asking the same thing have the same
 * canonical JSON (search history de-duplication, alerts).
 */
export function canonicalCvCriteria(c: CvSearchCriteria): CvSearchCriteria {
  const sorted = <T extends string>(v: T[] | undefined) => (v?.length ? [...new Set(v)].sort() : undefined);
  const out: CvSearchCriteria = {};
  const kw = (c.keywords ?? '').trim().replace(/\s+/g, ' ');
  if (kw) out.keywords = kw;
  if (c.appellationCode) out.appellationCode = c.appellationCode;
  const rome = sorted(c.romeCodes);
  if (rome) out.romeCodes = rome;
  if (c.place) {
    out.place = { code: c.place.code, label: c.place.label, lat: c.place.lat, lon: c.place.lon };
    if (c.radiusKm) out.radiusKm = c.radiusKm;
  }
  if (c.rqthOnly) out.rqthOnly = true;
  const fields = [
    'qualifications',
    'domains',
    'contractTypes',
    'availability',
    'languages',
    'licences',
  ] as const;
  for (const f of fields) {
    const v = sorted(
      (f === 'languages' ? c.languages?.map((l) => l.trim()).filter(Boolean) : c[f]) as string[] | undefined,
    );
    if (v) (out as Record<string, unknown>)[f] = v;
  }
  return out;
}

/** A stable key of the criteria (what the history de-duplicates on). */
export function cvCriteriaKey(c: CvSearchCriteria): string {
  const canon = canonicalCvCriteria(c);
  // The keywords compare by their stems: « Serveuses » and « serveuse » are one search.
  return JSON.stringify({
    ...canon,
    keywords: canon.keywords ? queryStems(canon.keywords).join(' ') : undefined,
  });
}

// ─── French normalisation ──────────────────────────────────────────────────────────────────

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };

/** Lower case, accents and ligatures folded (« Œuvre Élève » → « oeuvre eleve »). */
export function fold(text: string): string {
  const lower = text.toLowerCase();
  // Plain ASCII has nothing to fold (most words of most CVs: the fast path of the index builds).
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(/[œæß]/g, (l) => LIGATURES[l] ?? l);
}
const NON_ASCII = /[^ -~\t\n\r]/;

/** Words that carry no meaning in a search (« agent de la ville » → agent, ville). */
export const FRENCH_STOP_WORDS = new Set(
  (
    'a au aux avec ce ces cet cette d dans de des du en et h f hf il elle j l la le les leur lui ' +
    'ma mais me mes mon n ne ni nos notre nous on ou par pas pour qu que qui s sa se ses son sur ' +
    't ta te tes ton un une vos votre vous y'
  ).split(' '),
);

/** Suffix rewrites, longest first: feminine and plural forms to one stem. */
const SUFFIXES: [string, string][] = [
  ['trices', 'teur'],
  ['trice', 'teur'],
  ['euses', 'eur'],
  ['euse', 'eur'],
  ['ieres', 'ier'],
  ['iere', 'ier'],
  ['eres', 'er'],
  ['ere', 'er'],
  ['iennes', 'ien'],
  ['ienne', 'ien'],
  ['ennes', 'en'],
  ['enne', 'en'],
  ['onnes', 'on'],
  ['onne', 'on'],
  ['ffes', 'f'],
  ['ffe', 'f'],
  ['ives', 'if'],
  ['ive', 'if'],
  ['elles', 'el'],
  ['elle', 'el'],
  ['ements', 'ement'],
  ['eaux', 'eau'],
  ['aux', 'al'],
];

/**
 * The stem of one folded word ([a-z0-9]+): plural and feminine forms brought together. Words of
 * 3 letters or fewer, and words with digits, are kept as they are.
 */
export function stemFr(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  for (const [suffix, replacement] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3)
      return word.slice(0, -suffix.length) + replacement;
  }
  let w = word;
  if ((w.endsWith('s') || w.endsWith('x')) && w.length > 3) w = w.slice(0, -1);
  // « employée » and « employé » alike: the feminine « -ée » loses one more « e ».
  if (w.endsWith('ee') && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** The stems of a text, in order, stop words dropped (duplicates kept). */
export function textStems(text: string): string[] {
  const out: string[] = [];
  for (const word of fold(text).split(/[^a-z0-9]+/)) {
    let stem = STEMS.get(word);
    if (stem === undefined) {
      // Single letters are noise (« l’ », « d’ »), single digits are not (« bac+2 »).
      stem =
        word.length === 0 || (word.length < 2 && !/\d/.test(word)) || FRENCH_STOP_WORDS.has(word)
          ? ''
          : stemFr(word);
      if (STEMS.size >= 200_000) STEMS.clear();
      STEMS.set(word, stem);
    }
    if (stem) out.push(stem);
  }
  return out;
}
/** Folded word → its stem ('' for a word dropped): words repeat a lot across CVs. */
const STEMS = new Map<string, string>();

/** The distinct stems of a query, in order. */
export function queryStems(keywords: string): string[] {
  return [...new Set(textStems(keywords))];
}

// ─── What a CV says, weighted ──────────────────────────────────────────────────────────────

/** Weight of a keyword found in each part of a CV (the best part counts). */
export const FIELD_WEIGHTS = {
  title: 3,
  appellation: 3,
  skill: 2,
  jobTitle: 2,
  summary: 1.5,
  diploma: 1,
  description: 1,
  file: 0.5,
} as const;
const MAX_WEIGHT = 3;

/**
 * Every stem of a CV with the weight of the best part it appears in. The server stores its keys
 * (the token index), the workstation indexes them; `scoreCv` uses the weights.
 */
export function cvStems(doc: CvDoc): Map<string, number> {
  const stems = new Map<string, number>();
  const add = (text: string | undefined, weight: number) => {
    if (!text) return;
    for (const s of textStems(text)) if ((stems.get(s) ?? 0) < weight) stems.set(s, weight);
  };
  add(doc.title, FIELD_WEIGHTS.title);
  add(doc.appellationLabel, FIELD_WEIGHTS.appellation);
  for (const s of doc.skills) add(s.label, FIELD_WEIGHTS.skill);
  for (const e of doc.experiences) {
    add(e.jobTitle, FIELD_WEIGHTS.jobTitle);
    add(e.description, FIELD_WEIGHTS.description);
  }
  add(doc.summary, FIELD_WEIGHTS.summary);
  for (const d of doc.diplomas) {
    add(d.title, FIELD_WEIGHTS.diploma);
    add(d.description, FIELD_WEIGHTS.diploma);
  }
  add(doc.fileText, FIELD_WEIGHTS.file);
  return stems;
}

// ─── Place ─────────────────────────────────────────────────────────────────────────────────

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const a =
    Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The positions of a CV: the candidate's commune and the workplaces sought that carry
 * coordinates. The distance of a CV is that of its nearest position.
 */
export function cvPositions(doc: CvDoc): { code: string; lat?: number; lon?: number }[] {
  const out: { code: string; lat?: number; lon?: number }[] = [];
  if (doc.commune) out.push({ code: doc.commune.code, lat: doc.commune.lat, lon: doc.commune.lon });
  for (const w of doc.workplaces ?? []) out.push({ code: w.communeCode, lat: w.lat, lon: w.lon });
  return out;
}

/** Distance (km, one decimal) from the place to the CV, or null when it has no position. */
export function cvDistance(doc: CvDoc, place: CvSearchPlace): number | null {
  let best: number | null = null;
  for (const p of cvPositions(doc)) {
    const d =
      p.code === place.code
        ? 0
        : typeof p.lat === 'number' && typeof p.lon === 'number'
          ? distanceKm(place.lat, place.lon, p.lat, p.lon)
          : null;
    if (d !== null && (best === null || d < best)) best = d;
  }
  return best === null ? null : Math.round(best * 10) / 10;
}

// ─── Matching and ranking ──────────────────────────────────────────────────────────────────

export interface CvHit {
  doc: CvDoc;
  score: number;
  /** From the searched commune, when one was given. */
  distanceKm?: number;
}

/** A search prepared once, then applied to many CVs. */
export interface PreparedCvSearch {
  criteria: CvSearchCriteria;
  stems: string[];
  romeCodes: Set<string> | null;
  languages: string[];
  now: number;
}

export function prepareCvSearch(criteria: CvSearchCriteria, now: Date): PreparedCvSearch {
  return {
    criteria,
    stems: queryStems(criteria.keywords ?? ''),
    romeCodes: criteria.romeCodes?.length ? new Set(criteria.romeCodes) : null,
    languages: (criteria.languages ?? []).map((l) => fold(l.trim())),
    now: now.getTime(),
  };
}

/** The domain of a CV: its target's ROME domain, else the profile's domains. */
export function cvDomains(doc: CvDoc): string[] {
  const d = doc.romeCode ? romeDomainOf(doc.romeCode) : null;
  const profile = doc.domains ?? [];
  return d ? [d, ...profile.filter((x) => x !== d)] : profile;
}

/**
 * Whether a CV answers the criteria, and how well (null: it does not). `stems` is the CV's
 * `cvStems` (computed once per CV by the caller's index).
 */
export function scoreCv(search: PreparedCvSearch, doc: CvDoc, stems: Map<string, number>): CvHit | null {
  const c = search.criteria;
  if (search.romeCodes && !(doc.romeCode && search.romeCodes.has(doc.romeCode))) return null;
  if (c.rqthOnly && doc.rqth !== 'reconnue') return null;
  const qualification = doc.qualification;
  if (c.qualifications?.length && !(qualification && (c.qualifications as string[]).includes(qualification)))
    return null;
  if (c.domains?.length && !cvDomains(doc).some((d) => c.domains!.includes(d))) return null;
  if (c.contractTypes?.length && !doc.contractTypes?.some((t) => (c.contractTypes as string[]).includes(t)))
    return null;
  if (
    c.availability?.length &&
    !(doc.availability && (c.availability as string[]).includes(doc.availability))
  )
    return null;
  if (search.languages.length) {
    const spoken = new Set(doc.languages.map((l) => fold(l.language.trim())));
    if (!search.languages.every((l) => spoken.has(l))) return null;
  }
  if (c.licences?.length && !c.licences.every((l) => doc.licences.includes(l))) return null;

  let distance: number | null = null;
  if (c.place) {
    distance = cvDistance(doc, c.place);
    const radius = c.radiusKm ?? 0;
    if (distance === null) return null;
    if (radius === 0 ? distance > 0 : distance > radius) return null;
  }

  // Keywords: the share of keywords found, each by the weight of the best part it is in.
  let keywordPart = 1;
  if (search.stems.length) {
    let sum = 0;
    let found = 0;
    for (const s of search.stems) {
      const w = stems.get(s);
      if (w) {
        sum += w;
        found++;
      }
    }
    if (found === 0) return null;
    keywordPart = sum / (MAX_WEIGHT * search.stems.length);
  }
  const appellation = c.appellationCode && doc.appellationCode === c.appellationCode ? 1 : 0;
  const completeness = Math.max(0, Math.min(100, doc.completeness)) / 100;
  const updated = Date.parse(doc.updatedAt);
  const ageDays = Number.isFinite(updated) ? Math.max(0, (search.now - updated) / 86_400_000) : 365;
  const recency = Math.max(0, 1 - ageDays / 180);
  const near = c.place && c.radiusKm ? 1 - Math.min(1, (distance ?? 0) / c.radiusKm) : 1;
  const score = 0.55 * keywordPart + 0.15 * appellation + 0.15 * completeness + 0.1 * recency + 0.05 * near;
  const hit: CvHit = { doc, score: Math.round(score * 10000) / 10000 };
  if (distance !== null) hit.distanceKm = distance;
  return hit;
}

/** Best first: score, then the most recently updated, then the id (a total order). */
export function compareCvHits(a: CvHit, b: CvHit): number {
  return (
    b.score - a.score ||
    (b.doc.updatedAt < a.doc.updatedAt ? -1 : b.doc.updatedAt > a.doc.updatedAt ? 1 : 0) ||
    (a.doc.id < b.doc.id ? -1 : a.doc.id > b.doc.id ? 1 : 0)
  );
}

/** What a search answers, from either side. */
export interface CvSearchResponse {
  hits: CvHit[];
  /** Every matching CV (hits stop at `CV_MAX_RESULTS`). */
  total: number;
  /** « local »: the workstation's replica; « serveur »: the whole CVthèque. */
  source: 'local' | 'serveur';
  /** Milliseconds the search took where it ran. */
  tookMs: number;
}
