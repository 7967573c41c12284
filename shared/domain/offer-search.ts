/**
 * Offer search criteria (seed 002 « La recherche d'offres »), shared by the portal form, the
 * search API, saved searches and their alerts. The search itself runs on the server
 * (sync-server/src/search/offer-search.ts).
 *
 * This module also holds the URL codec of the criteria (`criteriaToQuery` / `criteriaFromQuery`:
 * the portal's address bar, the RSS/Atom feeds and the alert links use it), their validation with
 * French messages naming the field at fault, and the keyword normalisation both sides agree on.
 */
import type { FieldError } from '../sync/errors';
import {
  CONTRACT_TYPES,
  type ContractType,
  QUALIFICATION_LEVELS,
  type QualificationLevel,
  WORKING_TIMES,
  type WorkingTime,
} from './offer';
import { normaliseOfferNumber } from './offer-number';
import type { PublicOffer } from './public-offer';
import { isRomeDomain } from './rome-domains';

/** At most 5 keywords (seed 002). */
export const MAX_KEYWORDS = 5;
/** At most 150 results are shown, with paging (seed 002). */
export const MAX_RESULTS = 150;
/** Results per page: default and maximum. */
export const SEARCH_PAGE_SIZE = 20;
export const SEARCH_PAGE_SIZE_MAX = 50;
/** Largest radius around a commune, in km. */
export const MAX_RADIUS_KM = 200;
/** The radius proposed in the form (km). */
export const RADIUS_CHOICES = [0, 5, 10, 20, 30, 50, 100] as const;
/** « Dans un rayon élargi »: close results reach this many times the radius (10 km around a commune alone). */
export const WIDER_RADIUS_FACTOR = 2;
export const WIDER_RADIUS_MIN_KM = 10;
export const KEYWORDS_MAX_LENGTH = 200;
export const PUBLISHED_WITHIN_CHOICES = [1, 3, 7, 14, 31] as const;

export type PlaceKind = 'commune' | 'departement' | 'region';

export interface OfferSearchCriteria {
  /** Métier or keywords, at most `MAX_KEYWORDS` words. */
  keywords?: string;
  /** « Afficher strictement les offres contenant ces mots-clés ». */
  strict?: boolean;
  /** ROME appellation (code OGR) chosen from the suggestions. */
  appellation?: string;
  /** ROME code (search by ROME code). */
  romeCode?: string;
  /** Commune (INSEE code), département (code) or région (code). */
  place?: { kind: PlaceKind; code: string };
  /** Radius around a commune, in km. */
  radiusKm?: number;
  contractTypes?: ContractType[];
  /** Advanced search. */
  domain?: string;
  qualifications?: QualificationLevel[];
  workingTimes?: WorkingTime[];
  /** Published within the last N days. */
  publishedWithinDays?: number;
  /** Minimum monthly gross salary in euros. */
  salaryMin?: number;
  /** True: seasonal offers only. */
  seasonal?: boolean;
  /** Search by offer number (« 100001A »): the other criteria are ignored. */
  offerNumber?: string;
}

/** How results are ordered (« Tri possible sur chaque colonne »), within each section. */
export const SEARCH_SORTS = ['pertinence', 'date', 'distance', 'salaire'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];
export const SEARCH_SORT_LABELS: Record<SearchSort, string> = {
  pertinence: 'Pertinence',
  date: 'Date de publication',
  distance: 'Distance',
  salaire: 'Salaire',
};

/** Why a result is « proche de vos critères » rather than exact. */
export const CLOSE_REASONS = ['autre_appellation', 'metier_proche', 'rayon_elargi'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
export const CLOSE_REASON_LABELS: Record<CloseReason, string> = {
  autre_appellation: 'autre appellation du même métier',
  metier_proche: 'métier proche',
  rayon_elargi: 'dans un rayon élargi',
};

/** One result: the public offer, its relevance (0–1, the gauge), its distance and, when close, why. */
export type PublicOfferHit = PublicOffer & {
  score: number;
  /** As the crow flies from the chosen commune, in km (one decimal), when a commune was chosen. */
  distanceKm?: number;
  /** Only on close results. */
  closeReasons?: CloseReason[];
};

export interface OfferSearchResult {
  /** « répondent exactement à vos critères » (this page's share). */
  exact: PublicOfferHit[];
  /** « proches de vos critères » (this page's share). */
  close: PublicOfferHit[];
  /** Results shown, all pages together: at most `MAX_RESULTS`. */
  total: number;
  /** Every exact match, even beyond what is shown. */
  exactTotal: number;
  closeTotal: number;
  page: number;
  pageSize: number;
}

// ─── Keywords ──────────────────────────────────────────────────────────────────────────────

const COMBINING_MARKS = /[\u0300-\u036f]/g;
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };

/** Lower case, no accents or ligatures: « Éleveur Œnologue » → « eleveur oenologue ». */
export function foldText(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[œæß]/g, (l) => LIGATURES[l] ?? l);
}

/**
 * The keywords as the search compares them: folded, split on anything that is not a letter or a
 * digit, words of one character dropped (« l'hôtellerie » → « hotellerie »), duplicates removed.
 */
export function keywordList(keywords: string | undefined): string[] {
  if (!keywords) return [];
  const words = foldText(keywords)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2);
  return [...new Set(words)];
}

const FRENCH_SUFFIXES = [
  'ements',
  'ement',
  'atrices',
  'atrice',
  'ateurs',
  'ateur',
  'trices',
  'trice',
  'teurs',
  'teur',
  'euses',
  'euse',
  'eurs',
  'eur',
  'ieres',
  'iere',
  'iers',
  'ier',
  'eries',
  'erie',
  'ennes',
  'enne',
  'iens',
  'ien',
  'eres',
  'ere',
  'ers',
  'er',
  'ees',
  'ee',
  'es',
  'e',
  's',
  'x',
];

/**
 * The root of a folded French word for a lenient prefix match: its common inflection and
 * derivation endings cut (« boulangerie », « boulangers », « boulangère » → « boulang » ;
 * « vendeuse » → « vend »), never below 4 letters.
 */
export function keywordRoot(word: string): string {
  for (const suffix of FRENCH_SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) return word.slice(0, -suffix.length);
  }
  return word;
}

// ─── Validation ────────────────────────────────────────────────────────────────────────────

const INSEE = /^(\d{5}|2[AB]\d{3})$/;
const DEPARTEMENT = /^(\d{2}|2[AB]|9[78]\d)$/;
const REGION = /^\d{2,3}$/;
const ROME_CODE = /^[A-N]\d{4}$/;
const APPELLATION = /^\d{1,10}$/;

/** French messages for the criteria, each naming its field (the keys of `OfferSearchCriteria`). */
export function validateCriteria(c: OfferSearchCriteria): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  if (c.keywords !== undefined) {
    if (typeof c.keywords !== 'string') add('keywords', 'Les mots-clés doivent être un texte.');
    else if (c.keywords.length > KEYWORDS_MAX_LENGTH)
      add('keywords', `Les mots-clés ne doivent pas dépasser ${KEYWORDS_MAX_LENGTH} caractères.`);
    else if (keywordList(c.keywords).length > MAX_KEYWORDS)
      add(
        'keywords',
        `Saisissez au plus ${MAX_KEYWORDS} mots-clés séparés par un espace (vous en avez saisi ${keywordList(c.keywords).length}).`,
      );
  }
  if (c.strict !== undefined && typeof c.strict !== 'boolean')
    add('strict', '« Strictement » vaut oui ou non.');
  if (c.strict && keywordList(c.keywords).length === 0)
    add('keywords', 'Saisissez au moins un mot-clé pour afficher strictement les offres qui le contiennent.');
  if (c.appellation !== undefined && (typeof c.appellation !== 'string' || !APPELLATION.test(c.appellation)))
    add('appellation', 'Choisissez le métier dans la liste des appellations proposées.');
  if (c.romeCode !== undefined && (typeof c.romeCode !== 'string' || !ROME_CODE.test(c.romeCode)))
    add('romeCode', 'Le code ROME est une lettre suivie de quatre chiffres (par exemple D1102).');
  if (c.place !== undefined) {
    const p = c.place as { kind?: unknown; code?: unknown } | null;
    const code = typeof p?.code === 'string' ? p.code : '';
    if (!p || typeof p !== 'object') add('place', 'Choisissez un lieu dans la liste.');
    else if (p.kind === 'commune') {
      if (!INSEE.test(code)) add('place', 'Choisissez la commune dans la liste (code INSEE à 5 caractères).');
    } else if (p.kind === 'departement') {
      if (!DEPARTEMENT.test(code))
        add('place', 'Choisissez le département dans la liste (par exemple 31 ou 2A).');
    } else if (p.kind === 'region') {
      if (!REGION.test(code)) add('place', 'Choisissez la région dans la liste.');
    } else add('place', 'Le lieu est une commune, un département ou une région.');
  }
  if (c.radiusKm !== undefined) {
    if (!Number.isInteger(c.radiusKm) || c.radiusKm < 0 || c.radiusKm > MAX_RADIUS_KM)
      add('radiusKm', `Le rayon est un nombre entier de kilomètres entre 0 et ${MAX_RADIUS_KM}.`);
    else if (c.place?.kind !== 'commune')
      add('radiusKm', 'Le rayon s’applique autour d’une commune : choisissez d’abord une commune.');
  }
  const list = (field: string, values: unknown, allowed: readonly string[], message: string) => {
    if (values === undefined) return;
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string' || !allowed.includes(v)))
      add(field, message);
  };
  list(
    'contractTypes',
    c.contractTypes,
    CONTRACT_TYPES,
    'Type de contrat inconnu : choisissez-le dans la liste.',
  );
  list(
    'qualifications',
    c.qualifications,
    QUALIFICATION_LEVELS,
    'Niveau de qualification inconnu : choisissez-le dans la liste.',
  );
  list(
    'workingTimes',
    c.workingTimes,
    WORKING_TIMES,
    'Temps de travail inconnu : choisissez-le dans la liste.',
  );
  if (c.domain !== undefined && !isRomeDomain(c.domain))
    add('domain', 'Domaine professionnel inconnu : choisissez-le dans la liste.');
  if (
    c.publishedWithinDays !== undefined &&
    (!Number.isInteger(c.publishedWithinDays) || c.publishedWithinDays < 1 || c.publishedWithinDays > 365)
  )
    add('publishedWithinDays', 'La date de publication est un nombre de jours entre 1 et 365.');
  if (
    c.salaryMin !== undefined &&
    (!Number.isInteger(c.salaryMin) || c.salaryMin < 0 || c.salaryMin > 100_000)
  )
    add('salaryMin', 'Le salaire minimum est un montant mensuel brut en euros, entre 0 et 100 000.');
  if (c.seasonal !== undefined && typeof c.seasonal !== 'boolean')
    add('seasonal', '« Offres saisonnières » vaut oui ou non.');
  if (c.offerNumber !== undefined) {
    if (typeof c.offerNumber !== 'string' || !normaliseOfferNumber(c.offerNumber))
      add('offerNumber', 'Le numéro d’offre compte six chiffres et une lettre (par exemple 100001A).');
  }
  return errors;
}

/** True when the criteria ask for something (an empty search lists every offer, newest first). */
export function hasSearchCriteria(c: OfferSearchCriteria): boolean {
  return Object.entries(c).some(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0));
}

// ─── URL codec ─────────────────────────────────────────────────────────────────────────────

/**
 * Query parameters (French, stable: links in e-mails and feeds use them):
 * `motsCles`, `strict=1`, `appellation`, `rome`, `commune` | `departement` | `region`, `rayon`,
 * `contrat` (comma-separated), `domaine`, `qualification` (comma-separated), `temps`
 * (comma-separated), `depuis` (days), `salaire`, `saisonnier=1`, `numero`.
 */
export const CRITERIA_PARAMS = [
  'motsCles',
  'strict',
  'appellation',
  'rome',
  'commune',
  'departement',
  'region',
  'rayon',
  'contrat',
  'domaine',
  'qualification',
  'temps',
  'depuis',
  'salaire',
  'saisonnier',
  'numero',
] as const;

/** The criteria as a query string (without `?`), in a stable order; empty values are left out. */
export function criteriaToQuery(c: OfferSearchCriteria): string {
  const q = new URLSearchParams();
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') q.set(k, String(v));
  };
  set('motsCles', c.keywords?.trim());
  if (c.strict) q.set('strict', '1');
  set('appellation', c.appellation);
  set('rome', c.romeCode);
  if (c.place) set(c.place.kind, c.place.code);
  set('rayon', c.radiusKm);
  if (c.contractTypes?.length) q.set('contrat', c.contractTypes.join(','));
  set('domaine', c.domain);
  if (c.qualifications?.length) q.set('qualification', c.qualifications.join(','));
  if (c.workingTimes?.length) q.set('temps', c.workingTimes.join(','));
  set('depuis', c.publishedWithinDays);
  set('salaire', c.salaryMin);
  if (c.seasonal) q.set('saisonnier', '1');
  set('numero', c.offerNumber);
  return q.toString();
}

export type QueryInput = string | URLSearchParams | Record<string, unknown>;

function toParams(input: QueryInput): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (typeof input === 'string') return new URLSearchParams(input.startsWith('?') ? input.slice(1) : input);
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) {
    if (Array.isArray(v)) for (const item of v) q.append(k, String(item));
    else if (v !== undefined && v !== null) q.append(k, String(v));
  }
  return q;
}

/**
 * Reads criteria from a query string (or Fastify's parsed query). Empty parameters are absent;
 * a parameter given twice, a number that is not one, an unknown value: a French error naming the
 * criterion. Other parameters (page, tri…) are ignored here.
 */
export function criteriaFromQuery(input: QueryInput): {
  criteria: OfferSearchCriteria;
  errors: FieldError[];
} {
  const q = toParams(input);
  const errors: FieldError[] = [];
  const c: OfferSearchCriteria = {};
  const one = (name: string, field: string): string | undefined => {
    const all = q.getAll(name);
    if (all.length > 1) {
      errors.push({ field, message: `Le paramètre « ${name} » est donné plusieurs fois.` });
      return undefined;
    }
    const v = all[0]?.trim();
    return v ? v : undefined;
  };
  const int = (name: string, field: string, message: string): number | undefined => {
    const v = one(name, field);
    if (v === undefined) return undefined;
    if (!/^\d{1,7}$/.test(v)) {
      errors.push({ field, message });
      return undefined;
    }
    return Number(v);
  };
  const flag = (name: string, field: string): boolean | undefined => {
    const v = one(name, field);
    if (v === undefined) return undefined;
    if (['1', 'true', 'oui'].includes(v)) return true;
    if (['0', 'false', 'non'].includes(v)) return false;
    errors.push({ field, message: `« ${name} » vaut 1 (oui) ou 0 (non).` });
    return undefined;
  };
  const csv = (name: string): string[] | undefined => {
    const all = q.getAll(name);
    const values = all
      .flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter(Boolean);
    return values.length ? [...new Set(values)] : undefined;
  };

  const keywords = one('motsCles', 'keywords');
  if (keywords !== undefined) c.keywords = keywords;
  const strict = flag('strict', 'strict');
  if (strict) c.strict = true;
  const appellation = one('appellation', 'appellation');
  if (appellation !== undefined) c.appellation = appellation;
  const rome = one('rome', 'romeCode');
  if (rome !== undefined) c.romeCode = rome.toUpperCase();
  const places = (['commune', 'departement', 'region'] as const)
    .map((kind) => ({ kind, code: one(kind, 'place') }))
    .filter((p): p is { kind: PlaceKind; code: string } => p.code !== undefined);
  if (places.length > 1)
    errors.push({
      field: 'place',
      message: 'Un seul lieu à la fois : une commune, un département ou une région.',
    });
  else if (places[0]) c.place = { kind: places[0].kind, code: places[0].code.toUpperCase() };
  const radius = int(
    'rayon',
    'radiusKm',
    `Le rayon est un nombre entier de kilomètres entre 0 et ${MAX_RADIUS_KM}.`,
  );
  if (radius !== undefined) c.radiusKm = radius;
  const contracts = csv('contrat');
  if (contracts) c.contractTypes = contracts.map((v) => v.toUpperCase()) as ContractType[];
  const domain = one('domaine', 'domain');
  if (domain !== undefined) c.domain = domain.toUpperCase();
  const qualifications = csv('qualification');
  if (qualifications) c.qualifications = qualifications as QualificationLevel[];
  const times = csv('temps');
  if (times) c.workingTimes = times as WorkingTime[];
  const since = int(
    'depuis',
    'publishedWithinDays',
    'La date de publication est un nombre de jours entre 1 et 365.',
  );
  if (since !== undefined) c.publishedWithinDays = since;
  const salary = int(
    'salaire',
    'salaryMin',
    'Le salaire minimum est un montant mensuel brut en euros, entre 0 et 100 000.',
  );
  if (salary !== undefined) c.salaryMin = salary;
  const seasonal = flag('saisonnier', 'seasonal');
  if (seasonal) c.seasonal = true;
  const number = one('numero', 'offerNumber');
  if (number !== undefined) c.offerNumber = normaliseOfferNumber(number) ?? number;

  const known = new Set(errors.map((e) => e.field));
  for (const e of validateCriteria(c)) if (!known.has(e.field)) errors.push(e);
  return { criteria: c, errors };
}

/** `?page=&tri=&parPage=` of a search URL, checked. */
export function searchOptionsFromQuery(input: QueryInput): {
  page: number;
  pageSize: number;
  sort: SearchSort;
  errors: FieldError[];
} {
  const q = toParams(input);
  const errors: FieldError[] = [];
  const pageRaw = q.get('page');
  const sizeRaw = q.get('parPage');
  const sortRaw = q.get('tri');
  let pageSize = SEARCH_PAGE_SIZE;
  if (sizeRaw !== null && sizeRaw !== '') {
    const n = /^\d{1,3}$/.test(sizeRaw) ? Number(sizeRaw) : Number.NaN;
    if (n >= 1 && n <= SEARCH_PAGE_SIZE_MAX) pageSize = n;
    else
      errors.push({
        field: 'pageSize',
        message: `Le nombre d’offres par page est un entier entre 1 et ${SEARCH_PAGE_SIZE_MAX}.`,
      });
  }
  const maxPage = Math.max(1, Math.ceil(MAX_RESULTS / pageSize));
  let page = 1;
  if (pageRaw !== null && pageRaw !== '') {
    const n = /^\d{1,4}$/.test(pageRaw) ? Number(pageRaw) : Number.NaN;
    if (n >= 1 && n <= maxPage) page = n;
    else
      errors.push({
        field: 'page',
        message: `Le numéro de page est un entier entre 1 et ${maxPage} (${MAX_RESULTS} offres au plus sont affichées).`,
      });
  }
  let sort: SearchSort = 'pertinence';
  if (sortRaw !== null && sortRaw !== '') {
    if ((SEARCH_SORTS as readonly string[]).includes(sortRaw)) sort = sortRaw as SearchSort;
    else errors.push({ field: 'sort', message: 'Tri inconnu : pertinence, date, distance ou salaire.' });
  }
  return { page, pageSize, sort, errors };
}
