/**
 * Company profiles (« Ma fiche entreprise », seed 001; fiches de poste, seed 003): the rules the
 * server enforces and the portal displays, pure (no I/O). The server adds what needs its database
 * (the group exists, the ROME appellation exists) and sanitises the description.
 */
import type { FieldError } from '../sync/errors';
import { isSha256 } from './files';
import { COMPANY_CATEGORIES, SECTORS } from './organisation';
import type { PublicOffer } from './public-offer';
import { validateSiret } from './siret';

/** Fields the server alone writes: whatever a client sends for them is replaced by the master's. */
export const COMPANY_SERVER_FIELDS = ['createdBy', 'createdAt', 'updatedAt'] as const;
/** Fields a profile keeps for life: the conflict handler always takes them from the master. */
export const COMPANY_FIXED_FIELDS = ['id', 'organisationId', ...COMPANY_SERVER_FIELDS] as const;

export const COMPANY_NAME_MAX = 150;
export const COMPANY_DESCRIPTION_MAX = 50_000;
export const JOB_DESCRIPTION_MAX = 5_000;

/**
 * « Type d’entreprise » (seed 001): the company categories of `organisation.ts` (micro, pme, eti,
 * ge), stored by code.
 */
export function companyTypeLabel(value: string | undefined): string {
  return COMPANY_CATEGORIES.find((t) => t.code === value)?.label ?? '';
}

/** « Secteur d’activité »: a NAF section (A–U) of `organisation.ts`. */
export function sectorLabel(value: string | undefined): string {
  return SECTORS.find((s) => s.code === value)?.label ?? '';
}

/** The links of seed 001, in the order of the form. */
export const COMPANY_LINK_KEYS = [
  'website',
  'twitter',
  'facebook',
  'instagram',
  'linkedin',
  'youtube',
] as const;
export type CompanyLinkKey = (typeof COMPANY_LINK_KEYS)[number];

interface LinkRule {
  label: string;
  /** Accepted host names (and their sub-domains); null: any public host. */
  hosts: readonly string[] | null;
  example: string;
  network: string;
}

export const COMPANY_LINK_RULES: Record<CompanyLinkKey, LinkRule> = {
  website: {
    label: 'Site web',
    hosts: null,
    example: 'https://www.votre-entreprise.fr',
    network: 'site web',
  },
  twitter: {
    label: 'Twitter / X',
    hosts: ['twitter.com', 'x.com'],
    example: 'https://x.com/votre-entreprise',
    network: 'Twitter / X',
  },
  facebook: {
    label: 'Facebook',
    hosts: ['facebook.com', 'fb.com'],
    example: 'https://www.facebook.com/votre-entreprise',
    network: 'Facebook',
  },
  instagram: {
    label: 'Instagram',
    hosts: ['instagram.com'],
    example: 'https://www.instagram.com/votre-entreprise',
    network: 'Instagram',
  },
  linkedin: {
    label: 'LinkedIn',
    hosts: ['linkedin.com'],
    example: 'https://www.linkedin.com/company/votre-entreprise',
    network: 'LinkedIn',
  },
  youtube: {
    label: 'YouTube',
    hosts: ['youtube.com', 'youtu.be'],
    example: 'https://www.youtube.com/@votre-entreprise',
    network: 'YouTube',
  },
};

const URL_MAX = 500;

/** Whether `host` is one of `allowed` or a sub-domain of one (« www.youtube.com », « m.facebook.com »). */
export function hostMatches(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return allowed.some((a) => h === a || h.endsWith(`.${a}`));
}

/** The French error for a link of a given network, or null when the address is acceptable. */
export function checkCompanyLink(key: CompanyLinkKey, value: string): string | null {
  const rule = COMPANY_LINK_RULES[key];
  const v = value.trim();
  const bad =
    key === 'website'
      ? `L’adresse du site web n’est pas valide : elle doit commencer par https:// ou http://, ex. : ${rule.example}.`
      : `Le lien ${rule.network} doit être une adresse ${rule.hosts!.join(' ou ')}, ex. : ${rule.example}.`;
  if (!v) return bad;
  if (v.length > URL_MAX) return `Le lien ne doit pas dépasser ${URL_MAX} caractères.`;
  if (/\s/.test(v)) return bad;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return bad;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return bad;
  if (url.username || url.password) return bad;
  const host = url.hostname;
  if (rule.hosts) return hostMatches(host, rule.hosts) ? null : bad;
  if (!host.includes('.') || host.endsWith('.') || /^[\d.]+$/.test(host) || host.startsWith('[')) return bad;
  return null;
}

/** Video sites whose links the portal shows as « Voir la vidéo » (no embedded players: the CSP allows no frames). */
export const VIDEO_HOSTS = [
  { name: 'YouTube', hosts: ['youtube.com', 'youtu.be', 'youtube-nocookie.com'] },
  { name: 'Vimeo', hosts: ['vimeo.com'] },
  { name: 'Dailymotion', hosts: ['dailymotion.com', 'dai.ly'] },
] as const;

/** « YouTube », « Vimeo », « Dailymotion » for a link to one of them, else null. */
export function videoHostOf(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return VIDEO_HOSTS.find((v) => hostMatches(url.hostname, v.hosts))?.name ?? null;
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/** French overseas dialling codes (DOM, COM and New Caledonia). */
const OVERSEAS_CODES = '262|269|508|590|594|596|681|687|689';

/**
 * A French telephone number as people write it: « 04 68 11 22 33 », « 04.68.11.22.33 »,
 * « +33 4 68 11 22 33 », « +33 (0)4 68 11 22 33 », « 0033 4 68… », or an overseas number
 * (« +262 262 12 34 56 »).
 */
export function isFrenchPhone(value: string): boolean {
  const v = value.trim();
  if (!/^[0-9+ .\-()]+$/.test(v)) return false;
  const compact = v.replace(/[\s.-]/g, '').replace(/^(\+33|0033)\(0\)/, '$1');
  if (/^0[1-9]\d{8}$/.test(compact)) return true;
  if (/^(\+33|0033)[1-9]\d{8}$/.test(compact)) return true;
  return new RegExp(`^(\\+|00)(${OVERSEAS_CODES})\\d{6,9}$`).test(compact);
}

export const FRENCH_PHONE_MESSAGE =
  'Le numéro de téléphone n’est pas valide : 10 chiffres (ex. : 04 68 11 22 33) ou +33 suivi de 9 chiffres.';

/** Whether `value` is a real calendar date (YYYY-MM-DD). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Today as YYYY-MM-DD in Paris time. */
export function parisToday(now: Date): string {
  return new Intl.DateTimeFormat('fr-CA', {
    timeZone: 'Europe/Paris',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** A NAF section letter (A–U). */
export function isSectorCode(value: string): boolean {
  return SECTORS.some((s) => s.code === value);
}

const POSTAL_CODE = /^\d{5}$/;
const COMMUNE_CODE = /^(\d{5}|2[AB]\d{3})$/;
const APPELLATION_CODE = /^\d{1,8}$/;
const ROME_CODE = /^[A-N]\d{4}$/;

/** The fields of a profile the rules below read (a CompanyDoc, or what a client sent). */
export interface CompanyProfileInput {
  name?: unknown;
  siret?: unknown;
  logo?: unknown;
  banner?: unknown;
  phone?: unknown;
  email?: unknown;
  sector?: unknown;
  companyType?: unknown;
  foundedOn?: unknown;
  address?: unknown;
  links?: unknown;
  jobs?: unknown;
}

/**
 * Everything about a profile that can be checked without a database, in the order of the form.
 * Field names follow the document: `address.city`, `links.twitter`, `jobs.2.jobTitle`.
 * `today` is YYYY-MM-DD.
 */
export function validateCompanyProfile(doc: CompanyProfileInput, today: string): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const str = (v: unknown) => (typeof v === 'string' ? v : '');

  const name = str(doc.name).trim();
  if (!name) add('name', 'Le nom de l’entreprise est obligatoire.');
  else if (name.length > COMPANY_NAME_MAX)
    add('name', `Le nom de l’entreprise ne doit pas dépasser ${COMPANY_NAME_MAX} caractères.`);

  if (doc.siret !== undefined) {
    const message = validateSiret(str(doc.siret));
    if (message) add('siret', message);
  }

  for (const key of ['logo', 'banner'] as const) {
    if (doc[key] !== undefined && !isSha256(doc[key])) {
      add(
        key,
        key === 'logo'
          ? 'Le logo doit être désigné par l’empreinte SHA-256 de son fichier (64 caractères hexadécimaux).'
          : 'L’image de bannière doit être désignée par l’empreinte SHA-256 de son fichier (64 caractères hexadécimaux).',
      );
    }
  }

  if (doc.phone !== undefined && !isFrenchPhone(str(doc.phone))) add('phone', FRENCH_PHONE_MESSAGE);
  if (doc.email !== undefined && !isEmailAddress(str(doc.email).trim()))
    add('email', 'L’adresse e-mail n’est pas valide (ex. : contact@entreprise.fr).');

  const sector = str(doc.sector);
  if (!sector) add('sector', 'Le secteur d’activité est obligatoire.');
  else if (!isSectorCode(sector))
    add('sector', 'Choisissez le secteur d’activité dans la liste (section de la nomenclature NAF).');

  if (doc.companyType !== undefined && !COMPANY_CATEGORIES.some((t) => t.code === doc.companyType))
    add('companyType', 'Choisissez un type d’entreprise dans la liste.');

  if (doc.foundedOn !== undefined) {
    const founded = str(doc.foundedOn);
    if (!isIsoDate(founded) || founded < '1000-01-01')
      add('foundedOn', 'La date de création n’est pas une date valide (jj/mm/aaaa).');
    else if (founded > today) add('foundedOn', 'La date de création ne peut pas être dans le futur.');
  }

  const address = (doc.address ?? null) as Record<string, unknown> | null;
  if (!address || !str(address.city).trim()) {
    add('address.city', 'La ville est obligatoire : choisissez-la dans la liste des communes.');
  } else {
    if (!POSTAL_CODE.test(str(address.postalCode)))
      add('address.postalCode', 'Le code postal doit compter 5 chiffres.');
    if (address.communeCode !== undefined && !COMMUNE_CODE.test(str(address.communeCode)))
      add('address.communeCode', 'Le code INSEE de la commune n’est pas valide.');
    if ((address.latitude === undefined) !== (address.longitude === undefined))
      add('address.latitude', 'La latitude et la longitude vont ensemble : indiquez les deux ou aucune.');
  }

  const links = (doc.links ?? {}) as Record<string, unknown>;
  for (const key of COMPANY_LINK_KEYS) {
    if (links[key] === undefined) continue;
    const message = checkCompanyLink(key, str(links[key]));
    if (message) add(`links.${key}`, message);
  }

  const jobs = Array.isArray(doc.jobs) ? (doc.jobs as Record<string, unknown>[]) : [];
  const seen = new Set<string>();
  jobs.forEach((job, i) => {
    const title = str(job.jobTitle).trim();
    if (!title)
      add(
        `jobs.${i}.jobTitle`,
        `La fiche de poste n° ${i + 1} n’a pas de métier : choisissez-le dans la liste.`,
      );
    if (seen.has(str(job.id))) add(`jobs.${i}.id`, `La fiche de poste n° ${i + 1} est en double.`);
    seen.add(str(job.id));
    if (job.appellationCode !== undefined && !APPELLATION_CODE.test(str(job.appellationCode)))
      add(
        `jobs.${i}.appellationCode`,
        `Le code d’appellation ROME de « ${title || `n° ${i + 1}`} » n’est pas valide.`,
      );
    if (job.romeCode !== undefined && !ROME_CODE.test(str(job.romeCode)))
      add(
        `jobs.${i}.romeCode`,
        `Le code ROME de « ${title || `n° ${i + 1}`} » n’est pas valide (ex. : D1102).`,
      );
  });
  return errors;
}

// ─── What the portal reads (public API) ─────────────────────────────────────────────────────

export const COMPANY_GROUP_KINDS = ['groupe', 'reseau'] as const;
export type CompanyGroupKind = (typeof COMPANY_GROUP_KINDS)[number];
export const COMPANY_GROUP_KIND_LABELS: Record<CompanyGroupKind, string> = {
  groupe: 'Groupe',
  reseau: 'Réseau',
};

/** A group or network companies belong to (seed 004 « groupe de distribution »), kept by moderators. */
export interface CompanyGroup {
  id: string;
  name: string;
  kind: CompanyGroupKind;
}

/** A published profile in the directory. */
export interface PublicCompanySummary {
  id: string;
  name: string;
  sector?: string;
  city?: string;
  postalCode?: string;
  logo?: string;
  /** Plain text, the beginning of the description. */
  excerpt?: string;
  offerCount: number;
  /** From the commune searched around, when there is one. */
  distanceKm?: number;
}

export interface PublicCompanyPage {
  items: PublicCompanySummary[];
  total: number;
  page: number;
  pageSize: number;
}

export interface PublicJob {
  id: string;
  jobTitle: string;
  appellationCode?: string;
  romeCode?: string;
  description?: string;
}

/** A published profile as candidates see it: no creator, no dates, no internal ids. */
export interface PublicCompany {
  id: string;
  name: string;
  logo?: string;
  banner?: string;
  phone?: string;
  email?: string;
  sector?: string;
  companyType?: string;
  employeeCount?: number;
  foundedOn?: string;
  address?: { street?: string; postalCode: string; city: string };
  /** Sanitised HTML. */
  description?: string;
  links?: Partial<Record<CompanyLinkKey, string>>;
  group?: CompanyGroup;
}

export interface PublicCompanyDetail {
  company: PublicCompany;
  /** Its published offers, newest first (at most `PUBLIC_COMPANY_OFFERS_MAX`). */
  offers: PublicOffer[];
  offerCount: number;
  jobs: PublicJob[];
}

export const PUBLIC_COMPANY_OFFERS_MAX = 100;

/** A prescriber organisation in the portal's directory (seed 003 « moteur de recherche des prescripteurs »). */
export interface PublicPrescriber {
  id: string;
  name: string;
  subtype?: string;
  subtypeLabel?: string;
  city?: string;
  postalCode?: string;
  street?: string;
  phone?: string;
  email?: string;
  distanceKm?: number;
}

export interface PublicPrescriberPage {
  items: PublicPrescriber[];
  total: number;
  page: number;
  pageSize: number;
}

/** Search radius choices of the directories, in km. */
export const DIRECTORY_RADII = [5, 10, 20, 30, 50, 100] as const;
export const DIRECTORY_RADIUS_DEFAULT = 30;
export const DIRECTORY_RADIUS_MAX = 200;
