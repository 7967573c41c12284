/**
 * The portal's directories (seed 003 « moteur de recherche des employeurs / des prescripteurs »)
 * and company pages (seed 001 « Entreprises »), without an account.
 *
 * - `GET /api/public/companies?q=&sector=&commune=&radius=&page=&pageSize=`: published profiles
 *   (published, not deleted, of a verified organisation), by name (accent-insensitive, every
 *   word), NAF section and distance from a commune (nearest first; else by name).
 * - `GET /api/public/companies/:id`: one published profile, its published offers and its
 *   published fiches de poste; 404 otherwise.
 * - `GET /api/public/prescribers?q=&commune=&radius=&page=&pageSize=`: verified prescriber
 *   organisations.
 *
 * The SQL lives in plain functions; routes decode and encode. Profiles leave only through
 * `toPublicCompany` (no creator, dates or internal ids; description sanitised again).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  COMPANY_LINK_KEYS,
  type CompanyGroup,
  DIRECTORY_RADIUS_DEFAULT,
  DIRECTORY_RADIUS_MAX,
  isSectorCode,
  PUBLIC_COMPANY_OFFERS_MAX,
  type PublicCompany,
  type PublicCompanyDetail,
  type PublicCompanyPage,
  type PublicCompanySummary,
  type PublicJob,
  type PublicPrescriber,
  type PublicPrescriberPage,
} from '../../../shared/domain/company-profile';
import { type PublicOffer, toPublicOffer } from '../../../shared/domain/public-offer';
import type { CompanyDoc } from '../../../shared/schemas/company.schema';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import type { ApiErrorBody, FieldError } from '../../../shared/sync/errors';
import type { Database, Queryable } from '../db/database';
import { isUuid } from '../domain/company-groups';
import { publicRichText, richTextExcerpt } from '../rich-text';
import { PUBLIC_PAGE_MAX } from './public-offers';

export const COMPANY_NOT_FOUND_MESSAGE = 'Cette fiche entreprise n’existe pas ou n’est pas en ligne.';
export const DIRECTORY_PAGE_SIZE_DEFAULT = 20;
export const DIRECTORY_PAGE_SIZE_MAX = 50;

/** A point to search around: a commune's coordinates. */
export interface GeoPoint {
  latitude: number;
  longitude: number;
}

/** The coordinates of a commune by INSEE code (the communes referential), or null when unknown. */
export type CommuneLookup = (code: string) => GeoPoint | null | Promise<GeoPoint | null>;

export interface DirectoryQuery {
  words: string[];
  sector: string | null;
  near: (GeoPoint & { radiusKm: number }) | null;
  page: number;
  pageSize: number;
}

/** Lower case, no accents, ligatures spelt out, split on anything not a letter or digit. */
export function searchWords(q: string): string[] {
  return q
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .slice(0, 10);
}

const EARTH_RADIUS_KM = 6371.0088;

/** Haversine distance in km between the point ($lat, $lon) and a row's coordinates (SQL). */
function distanceSql(lat: string, lon: string, rowLat: string, rowLon: string): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(
      power(sin(radians(${rowLat} - ${lat}) / 2), 2)
      + cos(radians(${lat})) * cos(radians(${rowLat})) * power(sin(radians(${rowLon} - ${lon}) / 2), 2)))))`;
}

/** A number column of an address held in jsonb (null when absent). */
const coordinate = (address: string, key: 'latitude' | 'longitude') =>
  `(case when jsonb_typeof(${address}->'${key}') = 'number' then (${address}->>'${key}')::float8 end)`;

/** Published, not deleted, and its organisation verified (an unverified one may prepare, not show). */
const PUBLISHED_COMPANY = `not c.deleted and c.doc->>'published' = 'true'
  and exists (select 1 from organisations o where o.id::text = c.doc->>'organisationId' and o.verified)`;

/**
 * The offers of a profile shown on the portal: published ones naming it by `companyId`, and those
 * of its organisation that carry no `companyId` but its name (offers written before profiles).
 */
const COMPANY_OFFERS = (company: string) => `not f.deleted and f.doc->>'status' = 'publiee'
  and (f.doc->>'companyId' = ${company}.id
       or (f.doc->>'companyId' is null and f.doc->>'organisationId' = ${company}.doc->>'organisationId'
           and lower(f.doc->>'companyName') = lower(${company}.doc->>'name')))`;

/** Latitude and longitude bounds of a circle (a cheap filter before the exact distance). */
function boundingBox(near: GeoPoint & { radiusKm: number }) {
  const dLat = near.radiusKm / 111 + 0.01;
  const cos = Math.cos((near.latitude * Math.PI) / 180);
  const dLon = cos > 0.01 ? near.radiusKm / (111 * cos) + 0.01 : 180;
  return [near.latitude - dLat, near.latitude + dLat, near.longitude - dLon, near.longitude + dLon];
}

/** Positional parameters of a statement built piece by piece. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * « every word is in the text » as one `like` per word, so that PostgreSQL can use a trigram
 * index. Words hold only [a-z0-9] (see `searchWords`): nothing to escape.
 */
function wordsSql(params: Params, column: string, words: string[]): string {
  return words.map((w) => ` and ${column} like ${params.add(`%${w}%`)}`).join('');
}

/** Distance column and filter for an optional point (SQL). */
function nearSql(params: Params, near: DirectoryQuery['near'], lat: string, lon: string) {
  if (!near) return { distance: 'null::float8', filter: '', kept: '' };
  const [minLat, maxLat, minLon, maxLon] = boundingBox(near).map((v) => params.add(v));
  const pLat = `${params.add(near.latitude)}::float8`;
  const pLon = `${params.add(near.longitude)}::float8`;
  return {
    distance: distanceSql(pLat, pLon, lat, lon),
    filter: ` and ${lat} between ${minLat} and ${maxLat} and ${lon} between ${minLon} and ${maxLon}`,
    kept: `where distance <= ${params.add(near.radiusKm)}::float8`,
  };
}

export async function listPublishedCompanies(
  db: Queryable,
  query: DirectoryQuery,
): Promise<PublicCompanyPage> {
  const params = new Params();
  const lat = coordinate(`c.doc->'address'`, 'latitude');
  const lon = coordinate(`c.doc->'address'`, 'longitude');
  const near = nearSql(params, query.near, lat, lon);
  const sector = query.sector ? ` and c.doc->>'sector' = ${params.add(query.sector)}` : '';
  const words = wordsSql(params, 'c.search', query.words);
  const limit = params.add(query.pageSize);
  const offset = params.add((query.page - 1) * query.pageSize);
  const { rows } = await db.query<{
    total: number;
    id: string | null;
    doc: CompanyDoc | null;
    distance: number | null;
    offer_count: number | null;
  }>(
    `with matching as (
       select c.id, c.doc, c.search, ${near.distance} as distance
         from companies c
        where ${PUBLISHED_COMPANY}${sector}${words}${near.filter}
     ), kept as (select * from matching ${near.kept})
     select t.total, p.id, p.doc, p.distance,
            (select count(*)::int from offers f where ${COMPANY_OFFERS('p')}) as offer_count
       from (select count(*)::int as total from kept) t
       left join lateral (
         select * from kept order by distance asc nulls last, search, id limit ${limit} offset ${offset}
       ) p on true`,
    params.values,
  );
  const items: PublicCompanySummary[] = [];
  for (const r of rows) {
    if (!r.id || !r.doc) continue;
    const d = r.doc;
    const item: PublicCompanySummary = { id: r.id, name: d.name, offerCount: Number(r.offer_count ?? 0) };
    if (d.sector) item.sector = d.sector;
    if (d.address?.city) item.city = d.address.city;
    if (d.address?.postalCode) item.postalCode = d.address.postalCode;
    if (d.logo) item.logo = d.logo;
    const excerpt = d.description ? richTextExcerpt(d.description, 180) : '';
    if (excerpt) item.excerpt = excerpt;
    if (r.distance !== null && r.distance !== undefined)
      item.distanceKm = Math.round(Number(r.distance) * 10) / 10;
    items.push(item);
  }
  return { items, total: Number(rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

/** A profile as the public sees it. */
export function toPublicCompany(doc: CompanyDoc, group: CompanyGroup | null): PublicCompany {
  const out: PublicCompany = { id: doc.id, name: doc.name };
  for (const key of ['logo', 'banner', 'phone', 'email', 'sector', 'companyType', 'foundedOn'] as const) {
    const v = doc[key];
    if (typeof v === 'string' && v) out[key] = v;
  }
  if (typeof doc.employeeCount === 'number') out.employeeCount = doc.employeeCount;
  if (doc.address?.city) {
    out.address = { postalCode: doc.address.postalCode, city: doc.address.city };
    if (doc.address.street) out.address.street = doc.address.street;
  }
  if (doc.description) {
    const html = publicRichText(doc.description);
    if (html) out.description = html;
  }
  if (doc.links) {
    const links: PublicCompany['links'] = {};
    for (const key of COMPANY_LINK_KEYS) {
      const v = doc.links[key];
      if (typeof v === 'string' && /^https?:\/\//i.test(v)) links[key] = v;
    }
    if (Object.keys(links).length > 0) out.links = links;
  }
  if (group) out.group = group;
  return out;
}

export function toPublicJobs(doc: CompanyDoc): PublicJob[] {
  return (doc.jobs ?? [])
    .filter((j) => j.published)
    .map((j) => {
      const job: PublicJob = { id: j.id, jobTitle: j.jobTitle };
      if (j.appellationCode) job.appellationCode = j.appellationCode;
      if (j.romeCode) job.romeCode = j.romeCode;
      if (j.description) job.description = j.description;
      return job;
    })
    .sort((a, b) => a.jobTitle.localeCompare(b.jobTitle, 'fr'));
}

/** One published profile with its published offers and fiches de poste, or null. */
export async function getPublishedCompany(db: Queryable, id: string): Promise<PublicCompanyDetail | null> {
  if (!id || id.length > 36) return null;
  const { rows } = await db.query<{
    id: string;
    doc: CompanyDoc;
    group_name: string | null;
    group_kind: string | null;
  }>(
    `select c.id, c.doc, g.name as group_name, g.kind as group_kind
       from companies c
       left join company_groups g on g.id::text = c.doc->>'groupId'
      where c.id = $1 and ${PUBLISHED_COMPANY}`,
    [id],
  );
  const row = rows[0];
  if (!row) return null;
  const group =
    row.group_name && row.doc.groupId
      ? ({ id: row.doc.groupId, name: row.group_name, kind: row.group_kind } as CompanyGroup)
      : null;
  const offers = await db.query<{ doc: OfferDoc; total: number }>(
    `select f.doc, count(*) over ()::int as total
       from offers f, (select $1::text as id, $2::jsonb as doc) c
      where ${COMPANY_OFFERS('c')}
      order by f.doc->>'publishedAt' desc nulls last, f.id desc
      limit $3`,
    [row.id, JSON.stringify(row.doc), PUBLIC_COMPANY_OFFERS_MAX],
  );
  const publicOffers: PublicOffer[] = offers.rows.map((r) => toPublicOffer(r.doc));
  return {
    company: toPublicCompany(row.doc, group),
    offers: publicOffers,
    offerCount: Number(offers.rows[0]?.total ?? 0),
    jobs: toPublicJobs(row.doc),
  };
}

/** Labels of the prescriber subtypes (seed 003) that are stored as keys; others are shown as stored. */
export type SubtypeLabeller = (subtype: string) => string;

/**
 * Coordinates of the communes named by prescribers' addresses that carry a commune code but no
 * position (organisations are entered with a commune; the position then comes from the
 * referential), as SQL arrays.
 */
async function missingCoordinates(
  db: Queryable,
  findCommune: CommuneLookup,
): Promise<{ codes: string[]; lats: number[]; lons: number[] }> {
  const { rows } = await db.query<{ code: string }>(
    `select distinct o.address->>'communeCode' as code from organisations o
      where o.kind = 'prescriber' and o.verified and o.address->>'communeCode' is not null
        and jsonb_typeof(o.address->'latitude') is distinct from 'number'`,
  );
  const out = { codes: [] as string[], lats: [] as number[], lons: [] as number[] };
  for (const { code } of rows) {
    const point = await findCommune(code);
    if (!point) continue;
    out.codes.push(code);
    out.lats.push(point.latitude);
    out.lons.push(point.longitude);
  }
  return out;
}

export async function listPrescribers(
  db: Queryable,
  query: Omit<DirectoryQuery, 'sector'>,
  subtypeLabel: SubtypeLabeller = (s) => s,
  findCommune: CommuneLookup = () => null,
): Promise<PublicPrescriberPage> {
  const params = new Params();
  const fallback = query.near ? await missingCoordinates(db, findCommune) : { codes: [], lats: [], lons: [] };
  const communes = `(select * from unnest(${params.add(fallback.codes)}::text[], ${params.add(fallback.lats)}::float8[], ${params.add(fallback.lons)}::float8[]) as x(code, lat, lon))`;
  const lat = `coalesce(${coordinate('o.address', 'latitude')}, cc.lat)`;
  const lon = `coalesce(${coordinate('o.address', 'longitude')}, cc.lon)`;
  const near = nearSql(params, query.near, lat, lon);
  const search = `lower(unaccent(o.name || ' ' || coalesce(o.subtype, '')))`;
  const words = wordsSql(params, search, query.words);
  const limit = params.add(query.pageSize);
  const offset = params.add((query.page - 1) * query.pageSize);
  const { rows } = await db.query<{
    total: number;
    id: string | null;
    name: string | null;
    subtype: string | null;
    address: Record<string, unknown> | null;
    phone: string | null;
    email: string | null;
    distance: number | null;
  }>(
    `with matching as (
       select o.id::text as id, o.name, o.subtype, o.address, o.phone, o.email, lower(unaccent(o.name)) as search,
              ${near.distance} as distance
         from organisations o
         left join ${communes} cc on cc.code = o.address->>'communeCode'
        where o.kind = 'prescriber' and o.verified${words}${near.filter}
     ), kept as (select * from matching ${near.kept})
     select t.total, p.id, p.name, p.subtype, p.address, p.phone, p.email, p.distance
       from (select count(*)::int as total from kept) t
       left join lateral (
         select * from kept order by distance asc nulls last, search, id limit ${limit} offset ${offset}
       ) p on true`,
    params.values,
  );
  const items: PublicPrescriber[] = [];
  for (const r of rows) {
    if (!r.id || !r.name) continue;
    const item: PublicPrescriber = { id: r.id, name: r.name };
    if (r.subtype) {
      item.subtype = r.subtype;
      item.subtypeLabel = subtypeLabel(r.subtype);
    }
    const a = r.address ?? {};
    if (typeof a.city === 'string' && a.city) item.city = a.city;
    if (typeof a.postalCode === 'string' && a.postalCode) item.postalCode = a.postalCode;
    if (typeof a.street === 'string' && a.street) item.street = a.street;
    if (r.phone) item.phone = r.phone;
    if (r.email) item.email = r.email;
    if (r.distance !== null && r.distance !== undefined)
      item.distanceKm = Math.round(Number(r.distance) * 10) / 10;
    items.push(item);
  }
  return { items, total: Number(rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Decodes the directories' query string, with French field errors. */
export async function decodeDirectoryQuery(
  raw: unknown,
  findCommune: CommuneLookup,
  options: { sector: boolean },
): Promise<{ ok: true; value: DirectoryQuery } | { ok: false; fields: FieldError[] }> {
  const q = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const fields: FieldError[] = [];
  const text = (name: string): string | null => {
    const v = q[name];
    if (v === undefined) return null;
    if (typeof v !== 'string') {
      fields.push({ field: name, message: 'Paramètre répété ou invalide.' });
      return null;
    }
    return v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number, message: string): number => {
    const v = text(name);
    if (v === null || v === '') return fallback;
    if (/^\d{1,9}$/.test(v) && Number(v) >= min && Number(v) <= max) return Number(v);
    fields.push({ field: name, message });
    return fallback;
  };

  const search = text('q') ?? '';
  if (search.length > 100)
    fields.push({ field: 'q', message: 'La recherche ne doit pas dépasser 100 caractères.' });
  let sector: string | null = null;
  if (options.sector) {
    const s = text('sector');
    if (s) {
      if (isSectorCode(s.toUpperCase())) sector = s.toUpperCase();
      else
        fields.push({
          field: 'sector',
          message: 'Secteur d’activité inconnu : choisissez-le dans la liste.',
        });
    }
  }
  const page = int(
    'page',
    1,
    1,
    PUBLIC_PAGE_MAX,
    `Le numéro de page doit être un nombre entier entre 1 et ${PUBLIC_PAGE_MAX}.`,
  );
  const pageSize = int(
    'pageSize',
    DIRECTORY_PAGE_SIZE_DEFAULT,
    1,
    DIRECTORY_PAGE_SIZE_MAX,
    `Le nombre de résultats par page doit être un nombre entier entre 1 et ${DIRECTORY_PAGE_SIZE_MAX}.`,
  );
  const radiusKm = int(
    'radius',
    DIRECTORY_RADIUS_DEFAULT,
    1,
    DIRECTORY_RADIUS_MAX,
    `Le rayon doit être un nombre entier de kilomètres entre 1 et ${DIRECTORY_RADIUS_MAX}.`,
  );
  let near: DirectoryQuery['near'] = null;
  const commune = text('commune');
  if (commune) {
    const code = commune.toUpperCase();
    const point = /^(\d{5}|2[AB]\d{3})$/.test(code) ? await findCommune(code) : null;
    if (point) near = { latitude: point.latitude, longitude: point.longitude, radiusKm };
    else
      fields.push({
        field: 'commune',
        message: 'Commune inconnue : choisissez-la dans la liste (code INSEE à 5 caractères).',
      });
  }
  if (fields.length > 0) return { ok: false, fields };
  return { ok: true, value: { words: searchWords(search), sector, near, page, pageSize } };
}

function sendError(reply: FastifyReply, status: number, body: ApiErrorBody): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send(body);
}

const PUBLIC_CACHE = 'public, no-cache';

export interface PublicCompanyRouteDeps {
  db: Database;
  findCommune: CommuneLookup;
  subtypeLabel?: SubtypeLabeller;
}

export async function registerPublicCompanyRoutes(
  app: FastifyInstance,
  deps: PublicCompanyRouteDeps,
): Promise<void> {
  const { db, findCommune } = deps;

  app.get('/api/public/companies', async (request, reply) => {
    const decoded = await decodeDirectoryQuery(request.query, findCommune, { sector: true });
    if (!decoded.ok) {
      return sendError(reply, 400, {
        error: {
          code: 'validation',
          message: 'Les critères de recherche ne sont pas valides.',
          fields: decoded.fields,
        },
      });
    }
    const page = await listPublishedCompanies(db, decoded.value);
    return reply.header('cache-control', PUBLIC_CACHE).send(page);
  });

  app.get<{ Params: { id: string } }>('/api/public/companies/:id', async (request, reply) => {
    const id = request.params.id.trim();
    const detail = isUuid(id) || /^[A-Za-z0-9_-]{1,36}$/.test(id) ? await getPublishedCompany(db, id) : null;
    if (!detail)
      return sendError(reply, 404, { error: { code: 'not-found', message: COMPANY_NOT_FOUND_MESSAGE } });
    return reply.header('cache-control', PUBLIC_CACHE).send(detail);
  });

  app.get('/api/public/prescribers', async (request, reply) => {
    const decoded = await decodeDirectoryQuery(request.query, findCommune, { sector: false });
    if (!decoded.ok) {
      return sendError(reply, 400, {
        error: {
          code: 'validation',
          message: 'Les critères de recherche ne sont pas valides.',
          fields: decoded.fields,
        },
      });
    }
    const page = await listPrescribers(db, decoded.value, deps.subtypeLabel, findCommune);
    return reply.header('cache-control', PUBLIC_CACHE).send(page);
  });
}
