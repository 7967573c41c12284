/**
 * The directories of the portal (« Entreprises », « Prescripteurs ») and the company page: their
 * URLs, the criteria read from them, and French formatting. Pure functions, tested in
 * directory.test.ts.
 */
import {
  companyTypeLabel,
  DIRECTORY_RADII,
  DIRECTORY_RADIUS_DEFAULT,
  sectorLabel,
  videoHostOf,
} from '../../../shared/domain/company-profile';
import { SECTORS } from '../../../shared/domain/organisation';

export { companyTypeLabel, sectorLabel, videoHostOf };

export const COMPANIES_PATH = '/entreprises';
export const PRESCRIBERS_PATH = '/prescripteurs';
const MAX_PAGE = 10_000;

export interface DirectoryCriteria {
  q: string;
  /** NAF section (companies only), '' for any. */
  sector: string;
  /** INSEE code of the commune searched around, '' for none. */
  commune: string;
  radius: number;
  page: number;
}

export const EMPTY_CRITERIA: DirectoryCriteria = {
  q: '',
  sector: '',
  commune: '',
  radius: DIRECTORY_RADIUS_DEFAULT,
  page: 1,
};

export type DirectoryRoute =
  | { name: 'companies'; criteria: DirectoryCriteria }
  | { name: 'company'; id: string }
  | { name: 'prescribers'; criteria: DirectoryCriteria };

const INSEE = /^(\d{5}|2[AB]\d{3})$/;

/** Criteria from a query string; anything unreadable is left out rather than refused. */
export function readCriteria(search: string): DirectoryCriteria {
  const p = new URLSearchParams(search);
  const q = (p.get('q') ?? '').trim().slice(0, 100);
  const sector = (p.get('secteur') ?? '').toUpperCase();
  const commune = (p.get('commune') ?? '').toUpperCase();
  const radius = Number(p.get('rayon'));
  const page = Number(p.get('page'));
  return {
    q,
    sector: SECTORS.some((s) => s.code === sector) ? sector : '',
    commune: INSEE.test(commune) ? commune : '',
    radius: (DIRECTORY_RADII as readonly number[]).includes(radius) ? radius : DIRECTORY_RADIUS_DEFAULT,
    page: Number.isInteger(page) && page >= 1 && page <= MAX_PAGE ? page : 1,
  };
}

/** The query string of some criteria (defaults left out), with a leading « ? » or nothing. */
export function criteriaQuery(c: DirectoryCriteria): string {
  const p = new URLSearchParams();
  if (c.q) p.set('q', c.q);
  if (c.sector) p.set('secteur', c.sector);
  if (c.commune) {
    p.set('commune', c.commune);
    if (c.radius !== DIRECTORY_RADIUS_DEFAULT) p.set('rayon', String(c.radius));
  }
  if (c.page > 1) p.set('page', String(c.page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export const companiesHref = (c: DirectoryCriteria = EMPTY_CRITERIA) =>
  `${COMPANIES_PATH}${criteriaQuery(c)}`;
export const prescribersHref = (c: DirectoryCriteria = EMPTY_CRITERIA) =>
  `${PRESCRIBERS_PATH}${criteriaQuery(c)}`;
export const companyHref = (id: string) => `${COMPANIES_PATH}/${encodeURIComponent(id)}`;

/** The directory pages of a path (without its trailing slash), or null. */
export function matchDirectoryRoute(path: string, search: string): DirectoryRoute | null {
  if (path === COMPANIES_PATH) return { name: 'companies', criteria: readCriteria(search) };
  if (path === PRESCRIBERS_PATH) return { name: 'prescribers', criteria: readCriteria(search) };
  const m = /^\/entreprises\/([^/]+)$/.exec(path);
  if (m?.[1]) {
    try {
      return { name: 'company', id: decodeURIComponent(m[1]) };
    } catch {
      return null;
    }
  }
  return null;
}

/** The query string of the public API for some criteria. */
export function apiQuery(c: DirectoryCriteria, pageSize: number, withSector: boolean): string {
  const p = new URLSearchParams();
  if (c.q) p.set('q', c.q);
  if (withSector && c.sector) p.set('sector', c.sector);
  if (c.commune) {
    p.set('commune', c.commune);
    p.set('radius', String(c.radius));
  }
  p.set('page', String(c.page));
  p.set('pageSize', String(pageSize));
  return `?${p}`;
}

const integer = new Intl.NumberFormat('fr-FR');
const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1 });

/** « 1 entreprise », « 12 entreprises ». */
export function formatCount(count: number, singular: string, plural: string): string {
  return `${integer.format(count)} ${count > 1 ? plural : singular}`;
}

/** « à moins d’1 km », « à 2,3 km », « à 35 km » (positions are often a commune's: no metres). */
export function formatDistance(km: number): string {
  if (km < 1) return 'à moins d’1 km';
  return `à ${km < 10 ? decimal.format(Math.round(km * 10) / 10) : integer.format(Math.round(km))} km`;
}

/** Up to two initials of a name, for a company without a logo: « Boulangeries Martin » → « BM ». */
export function initials(name: string): string {
  const words = name
    .replace(/[’'`-]/g, ' ')
    .split(/\s+/)
    .filter((w) => /^\p{L}/u.test(w) && !/^(de|des|du|la|le|les|l|d|et|en|sur|aux?)$/i.test(w));
  const letters = (words.length > 0 ? words : [name])
    .slice(0, 2)
    .map((w) => w.charAt(0).toLocaleUpperCase('fr'));
  return letters.join('') || '?';
}

/** « 48 salariés », « 1 salarié ». */
export function formatEmployees(count: number): string {
  return formatCount(count, 'salarié', 'salariés');
}

/** A public file (logo, banner) by its SHA-256. */
export const publicFileUrl = (sha: string) => `/api/public/files/${encodeURIComponent(sha)}`;

/** A `tel:` link target from a French number as written (« 04 68 11 22 33 », « +33 (0)4… »). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/\(0\)/, '').replace(/[^\d+]/g, '')}`;
}

/** The query string of a directory URL that `from` may point back to, or null if it is not one. */
export function directoryBack(from: unknown): string | null {
  return typeof from === 'string' && /^\/entreprises(\?[^#]*)?$/.test(from) ? from : null;
}
