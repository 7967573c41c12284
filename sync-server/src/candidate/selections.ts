/**
 * « Mes sélections » (seed 000/002: « Ajouter à ma sélection », « Mémoriser les offres
 * sélectionnées »): the candidate's offer binder.
 *
 * - `GET /api/candidate/selections`: `{ selections: OfferSelection[] }`, newest first; an offer
 *   that is filled, expired or withdrawn shows as such (its snapshot is kept from when it was added).
 * - `POST /api/candidate/selections` {offerId}: adds a published offer (repeating is harmless).
 * - `DELETE /api/candidate/selections` {offerIds: [...]}: removes several at once.
 */
import type { FastifyInstance } from 'fastify';
import {
  type ApplicationOfferSnapshot,
  type OfferSelection,
  offerStateOf,
} from '../../../shared/domain/application';
import { requireCandidate } from '../auth/request-user';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { asRecord } from '../domain/route-helpers';
import { badRequest, HttpError, notFound } from '../http-error';
import { isId, OFFER_NOT_FOUND } from './application-service';
import type { CandidateDeps } from './deps';

/** At most this many offers in a binder. */
export const MAX_SELECTIONS = 500;

export async function listSelections(q: Queryable, accountId: string): Promise<OfferSelection[]> {
  const { rows } = await q.query<{
    offer_id: string;
    snapshot: ApplicationOfferSnapshot;
    created_at: Date | string;
    status: string | null;
  }>(
    `select s.offer_id, s.snapshot, s.created_at, o.doc->>'status' as status
       from offer_selections s left join offers o on o.id = s.offer_id and not o.deleted
      where s.account_id = $1 order by s.created_at desc, s.offer_id`,
    [accountId],
  );
  return rows.map((r) => ({
    offerId: r.offer_id,
    addedAt: new Date(r.created_at).toISOString(),
    offer: r.snapshot,
    offerState: offerStateOf(r.status),
  }));
}

export async function addSelection(q: Queryable, accountId: string, offerId: string): Promise<void> {
  const { rows } = await q.query<{ doc: Record<string, unknown> }>(
    "select doc from offers where id = $1 and not deleted and doc->>'status' = 'publiee'",
    [offerId],
  );
  const offer = rows[0]?.doc;
  if (!offer) throw notFound(OFFER_NOT_FOUND);
  const count = await q.query<{ n: number }>(
    'select count(*)::int as n from offer_selections where account_id = $1',
    [accountId],
  );
  if (Number(count.rows[0]?.n ?? 0) >= MAX_SELECTIONS)
    throw new HttpError(
      409,
      'conflict',
      `Votre sélection compte déjà ${MAX_SELECTIONS} offres : retirez-en avant d’en ajouter.`,
    );
  const snapshot: ApplicationOfferSnapshot = {
    title: String(offer.title ?? 'Offre').slice(0, 150),
    companyName: String(offer.companyName ?? '').slice(0, 150),
    ...(typeof offer.number === 'string' ? { number: offer.number } : {}),
    ...(typeof offer.city === 'string' ? { city: offer.city } : {}),
    ...(typeof offer.postalCode === 'string' ? { postalCode: offer.postalCode } : {}),
  };
  await q.query(
    `insert into offer_selections (account_id, offer_id, snapshot, created_at) values ($1, $2, $3, $4)
     on conflict (account_id, offer_id) do nothing`,
    [accountId, offerId, JSON.stringify(snapshot), clock.now()],
  );
}

export async function removeSelections(q: Queryable, accountId: string, offerIds: string[]): Promise<number> {
  const { rows } = await q.query<{ offer_id: string }>(
    'delete from offer_selections where account_id = $1 and offer_id = any($2::text[]) returning offer_id',
    [accountId, offerIds],
  );
  return rows.length;
}

export async function registerSelectionRoutes(app: FastifyInstance, { db }: CandidateDeps): Promise<void> {
  app.get('/api/candidate/selections', async (request) => {
    const user = await requireCandidate(db, request);
    return { selections: await listSelections(db, user.id) };
  });

  app.post('/api/candidate/selections', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const body = asRecord(request.body);
    if (!isId(body.offerId)) {
      const m = 'Indiquez l’offre à ajouter à votre sélection.';
      throw badRequest(m, [{ field: 'offerId', message: m }]);
    }
    await addSelection(db, user.id, body.offerId);
    reply.code(201);
    return { selections: await listSelections(db, user.id) };
  });

  app.delete('/api/candidate/selections', async (request) => {
    const user = await requireCandidate(db, request);
    const body = asRecord(request.body);
    const ids = body.offerIds;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_SELECTIONS || !ids.every(isId)) {
      const m = 'Cochez au moins une offre à retirer de votre sélection.';
      throw badRequest(m, [{ field: 'offerIds', message: m }]);
    }
    const removed = await removeSelections(db, user.id, ids as string[]);
    return { removed, selections: await listSelections(db, user.id) };
  });
}
