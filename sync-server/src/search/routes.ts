/**
 * Offer search for the portal, « envoyer à un ami », the JobPosting data of an offer, and the
 * published feeds (RSS/Atom, partner XML, registered from public/feeds.ts). Routes decode and
 * encode; the work is in offer-search.ts, places.ts, job-posting.ts and share.ts.
 */
import type { FastifyInstance } from 'fastify';
import { criteriaFromQuery, searchOptionsFromQuery } from '../../../shared/domain/offer-search';
import type { CandidateDeps } from '../candidate/deps';
import { linkBase } from '../domain/route-helpers';
import { badRequest, notFound } from '../http-error';
import { registerFeedRoutes } from '../public/feeds';
import { getPublishedOffer, OFFER_NOT_FOUND_MESSAGE } from '../public/public-offers';
import { jobPosting } from './job-posting';
import { SearchCriteriaError, searchOffers } from './offer-search';
import { suggestPlaces, withReferenceAsync } from './places';
import { shareOffer } from './share';

export async function registerOfferSearchRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db } = deps;

  /** `?motsCles=…&commune=…&rayon=…&contrat=CDI,CDD&page=2&tri=date` (codec: shared/domain/offer-search.ts). */
  app.get('/api/public/search', async (request, reply) => {
    const { criteria, errors } = criteriaFromQuery(request.query as Record<string, unknown>);
    const options = searchOptionsFromQuery(request.query as Record<string, unknown>);
    const fields = [...errors, ...options.errors];
    if (fields.length > 0) throw badRequest('Les critères de recherche ne sont pas valides.', fields);
    try {
      const result = await withReferenceAsync(() =>
        searchOffers(db, criteria, { page: options.page, pageSize: options.pageSize, sort: options.sort }),
      );
      return reply.header('cache-control', 'no-cache').send(result);
    } catch (error) {
      if (error instanceof SearchCriteriaError)
        throw badRequest('Les critères de recherche ne sont pas valides.', error.fields);
      throw error;
    }
  });

  /** « Lieu » suggestions: communes, départements and régions. */
  app.get<{ Querystring: { q?: unknown } }>('/api/public/search/places', async (request, reply) => {
    const q = request.query.q ?? '';
    if (typeof q !== 'string' || q.length > 100)
      throw badRequest('Recherche de lieu invalide.', [
        { field: 'q', message: 'Un texte de 100 caractères au plus.' },
      ]);
    const items = await withReferenceAsync(async () => suggestPlaces(q, 10));
    return reply.header('cache-control', 'public, max-age=3600').send({ items });
  });

  /** schema.org JobPosting of a published offer (by id or number). */
  app.get<{ Params: { id: string } }>('/api/public/offers/:id/jobposting.json', async (request, reply) => {
    const id = request.params.id.trim();
    const offer = id && id.length <= 36 ? await getPublishedOffer(db, id) : null;
    if (!offer) throw notFound(OFFER_NOT_FOUND_MESSAGE);
    return reply
      .type('application/ld+json; charset=utf-8')
      .header('cache-control', 'public, no-cache')
      .send(JSON.stringify(jobPosting(offer, linkBase(deps, request))));
  });

  /** « Envoyer à un ami »: `{ to, name?, message? }` → an e-mail with the link (rate-limited per address). */
  app.post<{ Params: { id: string } }>('/api/public/offers/:id/share', async (request, reply) => {
    await shareOffer(db, {
      idOrNumber: request.params.id,
      body: request.body,
      ip: request.ip,
      base: linkBase(deps, request),
    });
    return reply.code(202).send({ ok: true });
  });

  await registerFeedRoutes(app, deps);
}
