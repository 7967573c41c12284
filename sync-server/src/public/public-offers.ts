/**
 * Public offers API: what candidates and the public see (no account needed).
 *
 * The SQL lives in plain functions (`listPublishedOffers`, `getPublishedOffer`) and
 * the Fastify routes only decode the request and encode the answer. Every offer leaves
 * through `toPublicOffer`, so the internal contact and the moderation fields never do.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type PublicOffer, type PublicOfferPage, toPublicOffer } from '../../../shared/domain/public-offer';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import type { ApiErrorBody, FieldError } from '../../../shared/sync/errors';
import type { Database, Queryable } from '../db/database';

export const PUBLIC_PAGE_SIZE_DEFAULT = 20;
export const PUBLIC_PAGE_SIZE_MAX = 50;
/** Deep pages cost an ever larger OFFSET: nobody browses 10 000 pages of 50 offers. */
export const PUBLIC_PAGE_MAX = 10_000;

export const OFFER_NOT_FOUND_MESSAGE = 'Cette offre n’existe pas ou n’est plus en ligne.';

/**
 * Published, not deleted. `publishedAt` is written by the server only, always as
 * `Date.prototype.toISOString()` (fixed width, UTC), so text order is time order.
 */
const PUBLISHED = `deleted = false and doc->>'status' = 'publiee'`;
const NEWEST_FIRST = `doc->>'publishedAt' desc nulls last, id desc`;

/** One page of published offers, newest first, with the total count (one statement, one snapshot). */
export async function listPublishedOffers(
  db: Queryable,
  page: number,
  pageSize: number,
): Promise<PublicOfferPage> {
  const { rows } = await db.query<{ total: number; doc: OfferDoc | null }>(
    `select t.total, p.doc
       from (select count(*)::int as total from offers where ${PUBLISHED}) t
       left join lateral (
         select doc from offers where ${PUBLISHED}
          order by ${NEWEST_FIRST}
          limit $1 offset $2
       ) p on true`,
    [pageSize, (page - 1) * pageSize],
  );
  const items: PublicOffer[] = [];
  for (const row of rows) if (row.doc) items.push(toPublicOffer(row.doc));
  return { items, total: Number(rows[0]?.total ?? 0), page, pageSize };
}

/** One published offer by its id or by its number (« Offre n° … »), or null. */
export async function getPublishedOffer(db: Queryable, idOrNumber: string): Promise<PublicOffer | null> {
  const { rows } = await db.query<{ doc: OfferDoc }>(
    `select doc from offers
      where ${PUBLISHED} and (id = $1 or doc->>'number' = $1)
      order by (id = $1) desc, ${NEWEST_FIRST}
      limit 1`,
    [idOrNumber],
  );
  return rows[0] ? toPublicOffer(rows[0].doc) : null;
}

export interface PageQuery {
  page: number;
  pageSize: number;
}

/** Decodes `?page=&pageSize=`; absent values take their default, anything else must be a plain integer in range. */
export function decodePageQuery(
  query: unknown,
): { ok: true; value: PageQuery } | { ok: false; fields: FieldError[] } {
  const q = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const fields: FieldError[] = [];
  const read = (name: string, fallback: number, min: number, max: number, message: string): number => {
    const raw = q[name];
    if (raw === undefined) return fallback;
    if (typeof raw === 'string' && /^\d{1,9}$/.test(raw)) {
      const n = Number(raw);
      if (n >= min && n <= max) return n;
    }
    fields.push({ field: name, message });
    return fallback;
  };
  const page = read(
    'page',
    1,
    1,
    PUBLIC_PAGE_MAX,
    `Le numéro de page doit être un nombre entier entre 1 et ${PUBLIC_PAGE_MAX}.`,
  );
  const pageSize = read(
    'pageSize',
    PUBLIC_PAGE_SIZE_DEFAULT,
    1,
    PUBLIC_PAGE_SIZE_MAX,
    `Le nombre d’offres par page doit être un nombre entier entre 1 et ${PUBLIC_PAGE_SIZE_MAX}.`,
  );
  return fields.length ? { ok: false, fields } : { ok: true, value: { page, pageSize } };
}

function sendError(reply: FastifyReply, status: number, body: ApiErrorBody): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send(body);
}

/** Revalidate every time: a withdrawn offer must leave the portal at once, and tests publish then look. */
const PUBLIC_CACHE = 'public, no-cache';

export async function registerPublicOfferRoutes(app: FastifyInstance, deps: { db: Database }): Promise<void> {
  const { db } = deps;

  app.get('/api/public/offers', async (request, reply) => {
    const decoded = decodePageQuery(request.query);
    if (!decoded.ok) {
      return sendError(reply, 400, {
        error: {
          code: 'validation',
          message: 'Les paramètres de pagination ne sont pas valides.',
          fields: decoded.fields,
        },
      });
    }
    const page = await listPublishedOffers(db, decoded.value.page, decoded.value.pageSize);
    return reply.header('cache-control', PUBLIC_CACHE).send(page);
  });

  app.get<{ Params: { id: string } }>('/api/public/offers/:id', async (request, reply) => {
    const id = request.params.id.trim();
    // Ids are uuids (36) and numbers are at most 20 characters: anything longer cannot match.
    const offer = id && id.length <= 36 ? await getPublishedOffer(db, id) : null;
    if (!offer)
      return sendError(reply, 404, { error: { code: 'not-found', message: OFFER_NOT_FOUND_MESSAGE } });
    return reply.header('cache-control', PUBLIC_CACHE).send(offer);
  });
}
