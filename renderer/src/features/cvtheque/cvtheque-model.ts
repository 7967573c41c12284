/**
 * The CVthèque screens' pure logic: the search form and its criteria, the pre-filled criteria of
 * an organisation (seed 000: « le formulaire pour filtrer les résultats est pré-rempli en fonction
 * de vos différents critères renseignés sur votre profil et vos annonces »), the French summary of
 * a search, the rows of the results table and their sorting, and how a CV reads in the detail.
 */

import {
  AVAILABILITY_LABELS,
  type Availability,
  RQTH_LABELS,
} from '../../../../shared/domain/candidate-profile';
import {
  DRIVING_LICENCE_LABELS,
  LANGUAGE_LEVEL_LABELS,
  SKILL_LEVEL_LABELS,
} from '../../../../shared/domain/cv';
import {
  type CvHit,
  type CvSearchCriteria,
  type CvSearchResponse,
  canonicalCvCriteria,
  compareCvHits,
} from '../../../../shared/domain/cv-search';
import {
  CONTRACT_TYPE_LABELS,
  type ContractType,
  QUALIFICATION_LABELS,
  type QualificationLevel,
} from '../../../../shared/domain/offer';
import { romeDomainOf } from '../../../../shared/domain/rome-domains';
import type { CvDoc } from '../../../../shared/schemas/cv.schema';
import type { OfferDoc } from '../../../../shared/schemas/offer.schema';
import type { OrganisationDoc } from '../../../../shared/schemas/organisation.schema';

// ─── The form ──────────────────────────────────────────────────────────────────────────────

export interface FormAppellation {
  codeOgr: string;
  label: string;
  romeCode: string;
}

export interface FormPlace {
  code: string;
  name: string;
  postalCode: string;
  lat: number;
  lon: number;
}

export interface CvSearchFormValues {
  keywords: string;
  appellation: FormAppellation | null;
  /** Nearby ROME codes (mobility) also searched, chosen among the appellation's. */
  nearbyCodes: string[];
  place: FormPlace | null;
  radiusKm: number;
  rqthOnly: boolean;
  qualifications: QualificationLevel[];
  domains: string[];
  contractTypes: ContractType[];
  availability: Availability[];
  /** Comma-separated languages, as typed. */
  languages: string;
  licences: string[];
}

export const DEFAULT_RADIUS_KM = 30;

export function emptyForm(): CvSearchFormValues {
  return {
    keywords: '',
    appellation: null,
    nearbyCodes: [],
    place: null,
    radiusKm: DEFAULT_RADIUS_KM,
    rqthOnly: false,
    qualifications: [],
    domains: [],
    contractTypes: [],
    availability: [],
    languages: '',
    licences: [],
  };
}

/** The languages typed (« anglais, Espagnol ; occitan »), trimmed, without duplicates. */
export function parseLanguages(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[,;]/)) {
    const l = raw.trim().replace(/\s+/g, ' ');
    const key = l.toLowerCase();
    if (!l || seen.has(key)) continue;
    seen.add(key);
    out.push(l);
  }
  return out;
}

/** The criteria the form asks for, canonical (what both sides search and the history records). */
export function formToCriteria(form: CvSearchFormValues): CvSearchCriteria {
  const c: CvSearchCriteria = {};
  if (form.keywords.trim()) c.keywords = form.keywords;
  if (form.appellation) {
    c.appellationCode = form.appellation.codeOgr;
    c.romeCodes = [
      form.appellation.romeCode,
      ...form.nearbyCodes.filter((x) => x !== form.appellation!.romeCode),
    ];
  }
  if (form.place) {
    c.place = {
      code: form.place.code,
      label: form.place.postalCode ? `${form.place.name} (${form.place.postalCode})` : form.place.name,
      lat: form.place.lat,
      lon: form.place.lon,
    };
    if (form.radiusKm > 0) c.radiusKm = form.radiusKm;
  }
  if (form.rqthOnly) c.rqthOnly = true;
  if (form.qualifications.length) c.qualifications = form.qualifications;
  if (form.domains.length) c.domains = form.domains;
  if (form.contractTypes.length) c.contractTypes = form.contractTypes;
  if (form.availability.length) c.availability = form.availability;
  const languages = parseLanguages(form.languages);
  if (languages.length) c.languages = languages;
  if (form.licences.length) c.licences = form.licences;
  return canonicalCvCriteria(c);
}

/**
 * The form showing saved criteria (a search of the history run again). The appellation's label
 * comes from the ROME referential when it is loaded (`appellationLabel`), else its code.
 */
export function criteriaToForm(
  c: CvSearchCriteria,
  appellationLabel?: (codeOgr: string) => string | undefined,
  appellationRome?: (codeOgr: string) => string | undefined,
): CvSearchFormValues {
  const form = emptyForm();
  form.keywords = c.keywords ?? '';
  if (c.appellationCode) {
    form.appellation = {
      codeOgr: c.appellationCode,
      label: appellationLabel?.(c.appellationCode) ?? `Métier ${c.appellationCode}`,
      // The criteria's codes are sorted: the appellation's own comes from the referential.
      romeCode: appellationRome?.(c.appellationCode) ?? c.romeCodes?.[0] ?? '',
    };
    form.nearbyCodes = (c.romeCodes ?? []).filter((x) => x !== form.appellation!.romeCode);
  }
  if (c.place) {
    const m = /^(.*) \((\d{5})\)$/.exec(c.place.label);
    form.place = {
      code: c.place.code,
      name: m ? m[1]! : c.place.label,
      postalCode: m ? m[2]! : '',
      lat: c.place.lat,
      lon: c.place.lon,
    };
    form.radiusKm = c.radiusKm ?? 0;
  }
  form.rqthOnly = Boolean(c.rqthOnly);
  form.qualifications = [...(c.qualifications ?? [])];
  form.domains = [...(c.domains ?? [])];
  form.contractTypes = [...(c.contractTypes ?? [])];
  form.availability = [...(c.availability ?? [])];
  form.languages = (c.languages ?? []).join(', ');
  form.licences = [...(c.licences ?? [])];
  return form;
}

/** The form field of an error reported on a criterion. */
export function formFieldOf(field: string): keyof CvSearchFormValues {
  const criterion = field.replace(/^criteria\./, '').split('.')[0] ?? field;
  switch (criterion) {
    case 'appellationCode':
    case 'romeCodes':
      return 'appellation';
    case 'keywords':
    case 'place':
    case 'radiusKm':
    case 'rqthOnly':
    case 'qualifications':
    case 'domains':
    case 'contractTypes':
    case 'availability':
    case 'languages':
    case 'licences':
      return criterion;
    default:
      return 'keywords';
  }
}

// ─── Pre-filled from the organisation ──────────────────────────────────────────────────────

const LIVE_STATUSES = new Set(['publiee', 'en_attente', 'brouillon']);

/**
 * Seed 000: the criteria come pre-filled from the organisation's profile and offers: the domains
 * of its live offers' ROME codes, and the commune most of them are in (else the organisation's
 * own address) with the default radius.
 */
export function prefillFromOrganisation(
  offers: readonly OfferDoc[],
  organisation: OrganisationDoc | null | undefined,
): CvSearchFormValues {
  const form = emptyForm();
  const live = offers.filter((o) => LIVE_STATUSES.has(o.status));
  const domains = new Set<string>();
  for (const o of live) {
    const d = o.romeCode ? romeDomainOf(o.romeCode) : null;
    if (d) domains.add(d);
  }
  form.domains = [...domains].sort();
  const places = new Map<string, { place: FormPlace; count: number }>();
  for (const o of live) {
    if (!o.communeCode || typeof o.latitude !== 'number' || typeof o.longitude !== 'number') continue;
    const entry = places.get(o.communeCode) ?? {
      place: {
        code: o.communeCode,
        name: o.city ?? o.communeCode,
        postalCode: o.postalCode ?? '',
        lat: o.latitude,
        lon: o.longitude,
      },
      count: 0,
    };
    entry.count++;
    places.set(o.communeCode, entry);
  }
  const best = [...places.values()].sort(
    (a, b) => b.count - a.count || a.place.code.localeCompare(b.place.code),
  )[0];
  if (best) form.place = best.place;
  else {
    const address = (organisation as { address?: Record<string, unknown> } | null | undefined)?.address;
    if (
      address &&
      typeof address.communeCode === 'string' &&
      typeof address.latitude === 'number' &&
      typeof address.longitude === 'number'
    )
      form.place = {
        code: address.communeCode,
        name: String(address.city ?? address.communeCode),
        postalCode: String(address.postalCode ?? ''),
        lat: address.latitude,
        lon: address.longitude,
      };
  }
  return form;
}

// ─── Results ───────────────────────────────────────────────────────────────────────────────

/** The label of the side that answered (« Résultats du serveur… » / « Résultats de ce poste… »). */
export function sourceLabel(
  response: Pick<CvSearchResponse, 'source'>,
  localCount: number | undefined,
): string {
  if (response.source === 'serveur') return 'Résultats du serveur (toute la CVthèque)';
  const n = localCount ?? 0;
  return `Résultats de ce poste (hors ligne : ${n} ${n < 2 ? 'CV disponible' : 'CV disponibles'} localement)`;
}

// ─── Result rows ───────────────────────────────────────────────────────────────────────────

export type CvSortColumn = 'score' | 'title' | 'place' | 'qualification' | 'completeness' | 'updatedAt';

export interface CvRow {
  id: string;
  hit: CvHit;
  doc: CvDoc;
  /** Rank given by the search (1 = best), kept whatever the sort. */
  rank: number;
  title: string;
  /** « Carcassonne · 12,5 km » */
  place: string;
  qualification: string;
  completeness: number;
  updatedAt: string;
}

const kmFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

export function formatKm(km: number): string {
  return `${kmFormat.format(km)} km`;
}

/** The commune shown for a CV: the candidate's, else the first workplace sought. */
export function cvCommune(doc: CvDoc): string {
  return doc.commune?.name ?? doc.workplaces?.[0]?.communeName ?? '';
}

export function qualificationLabel(doc: CvDoc): string {
  return doc.qualification
    ? (QUALIFICATION_LABELS[doc.qualification as QualificationLevel] ?? doc.qualification)
    : '';
}

export function hitsToRows(hits: readonly CvHit[]): CvRow[] {
  return hits.map((hit, i) => {
    const commune = cvCommune(hit.doc);
    const place =
      hit.distanceKm !== undefined
        ? [commune, formatKm(hit.distanceKm)].filter(Boolean).join(' · ')
        : commune;
    return {
      id: hit.doc.id,
      hit,
      doc: hit.doc,
      rank: i + 1,
      title: hit.doc.title,
      place,
      qualification: qualificationLabel(hit.doc),
      completeness: hit.doc.completeness,
      updatedAt: hit.doc.updatedAt,
    };
  });
}

const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

/** Sorted rows: by relevance, the search's own order (`compareCvHits`); other columns tie on it. */
export function sortRows(rows: readonly CvRow[], column: CvSortColumn, desc: boolean): CvRow[] {
  const dir = desc ? -1 : 1;
  const byRank = (a: CvRow, b: CvRow) => a.rank - b.rank;
  const cmp: Record<CvSortColumn, (a: CvRow, b: CvRow) => number> = {
    score: (a, b) => compareCvHits(a.hit, b.hit) * -dir,
    title: (a, b) => collator.compare(a.title, b.title) * dir,
    place: (a, b) => {
      const da = a.hit.distanceKm;
      const db = b.hit.distanceKm;
      if (da !== undefined && db !== undefined && da !== db) return (da - db) * dir;
      return collator.compare(a.place, b.place) * dir;
    },
    qualification: (a, b) => collator.compare(a.qualification, b.qualification) * dir,
    completeness: (a, b) => (a.completeness - b.completeness) * dir,
    updatedAt: (a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0) * dir,
  };
  return [...rows].sort((a, b) => cmp[column](a, b) || byRank(a, b));
}

// ─── A CV in French ────────────────────────────────────────────────────────────────────────

/** The name shown for a CV: never a name for an anonymous CV. */
export function cvDisplayName(doc: CvDoc): string {
  if (doc.anonymous) return 'Candidat anonyme';
  const name = [doc.firstName, doc.lastName].filter(Boolean).join(' ');
  return name || 'Candidat';
}

/** « ★★★★☆ » and its words (« 4 sur 5, Avancé »), the stars hidden from screen readers. */
export function skillStars(level: number): { stars: string; text: string } {
  const l = Math.max(1, Math.min(5, Math.round(level)));
  return {
    stars: '★'.repeat(l) + '☆'.repeat(5 - l),
    text: `${l} sur 5, ${SKILL_LEVEL_LABELS[l - 1]}`,
  };
}

const MONTHS = [
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

/** « 2021-09 » → « septembre 2021 ». */
export function formatMonth(month: string | undefined): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month ?? '');
  if (!m) return month ?? '';
  return `${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

export function periodText(start: string, end?: string): string {
  return `De ${formatMonth(start)} à ${end ? formatMonth(end) : 'aujourd’hui'}`;
}

export function languageText(l: { language: string; level: string }): string {
  return `${l.language} : ${LANGUAGE_LEVEL_LABELS[l.level as keyof typeof LANGUAGE_LEVEL_LABELS] ?? l.level}`;
}

export function licenceText(code: string): string {
  return DRIVING_LICENCE_LABELS[code as keyof typeof DRIVING_LICENCE_LABELS] ?? code;
}

export function rqthText(doc: CvDoc): string | null {
  if (doc.rqth === 'reconnue') return 'RQTH reconnue';
  if (doc.rqth === 'en_cours') return RQTH_LABELS.en_cours;
  return null;
}

export function availabilityText(doc: CvDoc): string | null {
  if (!doc.availability) return null;
  const label = AVAILABILITY_LABELS[doc.availability as Availability] ?? doc.availability;
  if (doc.availability === 'a_partir_du' && doc.availableFrom) {
    const [y, m, d] = doc.availableFrom.split('-');
    return `À partir du ${d}/${m}/${y}`;
  }
  return label;
}

export function contractsText(doc: CvDoc): string {
  return (doc.contractTypes ?? []).map((t) => CONTRACT_TYPE_LABELS[t as ContractType] ?? t).join(', ');
}

/** « 1 Mo », « 250 ko » */
export function fileSizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${kmFormat.format(bytes / (1024 * 1024))} Mo`;
  return `${Math.max(1, Math.round(bytes / 1024))} ko`;
}

export function isPdf(file: { mime: string; name: string } | undefined): boolean {
  return Boolean(file && (file.mime === 'application/pdf' || /\.pdf$/i.test(file.name)));
}
