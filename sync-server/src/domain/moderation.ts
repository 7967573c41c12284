import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import { requireUser } from '../auth/request-user';
import { clock } from '../clock';
import type { Database } from '../db/database';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import { appendHistory, displayName, expiryFor, historyEntry, offersCollection } from './offers';
import { frenchDate } from './route-helpers';

export type ModerationDecision = 'publier' | 'refuser';

export function isModerator(user: SessionUser): boolean {
  return user.memberships.some((m) => m.kind === 'platform');
}

/** A moderator publishes or refuses an offer awaiting moderation; its author gets a notice. */
export async function decideOffer(
  db: Database,
  engine: SyncEngine,
  moderator: SessionUser,
  offerId: string,
  decision: ModerationDecision,
  reason: string | undefined,
): Promise<OfferDoc> {
  if (!isModerator(moderator))
    throw forbidden('Seuls les modérateurs de la plateforme peuvent publier une offre.');
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ doc: OfferDoc; deleted: boolean }>(
      'select doc, deleted from offers where id = $1 for update',
      [offerId],
    );
    const current = rows[0];
    if (!current || current.deleted) throw notFound('Cette offre n’existe pas.');
    if (current.doc.status !== 'en_attente') {
      throw new HttpError(409, 'conflict', 'Cette offre n’est plus en attente de modération.');
    }
    const now = clock.now();
    const doc: Record<string, unknown> = { ...current.doc, updatedAt: now.toISOString() };
    if (decision === 'publier') {
      const org = await tx.query<{ verified: boolean }>(
        'select verified from organisations where id::text = $1',
        [current.doc.organisationId],
      );
      if (org.rows[0]?.verified !== true)
        throw new HttpError(
          409,
          'organisation-not-verified',
          'L’organisation de cette offre n’est pas encore vérifiée : vérifiez-la avant de publier ses offres.',
        );
      doc.status = 'publiee';
      doc.publishedAt = now.toISOString();
      doc.expiresAt = expiryFor(now, current.doc.requestedEndDate);
      delete doc.moderationReason;
      // A new publication has its own expiry, and its own warning 7 days before.
      delete doc.expiryWarnedAt;
    } else {
      doc.status = 'refusee';
      doc.moderationReason = reason;
    }
    doc.history = appendHistory(
      current.doc.history,
      historyEntry(
        now.toISOString(),
        decision === 'publier' ? 'publication' : 'refus',
        { id: moderator.id, name: `${displayName(moderator)} (modération)`.slice(0, 120) },
        { from: 'en_attente', to: doc.status as 'publiee' | 'refusee', ...(reason ? { reason } : {}) },
      ),
    );
    await engine.write(tx, offersCollection, doc as Doc, false);
    if (current.doc.authorId) {
      await engine.addNotice(tx, {
        userId: current.doc.authorId,
        kind: 'moderation',
        collection: 'offers',
        documentId: offerId,
        title: decision === 'publier' ? 'Offre publiée' : 'Offre refusée par la modération',
        message:
          decision === 'publier'
            ? `Votre offre « ${current.doc.title} » est en ligne jusqu’au ${frenchDate(String(doc.expiresAt))}.`
            : `Votre offre « ${current.doc.title} » a été refusée : ${reason}`,
      });
    }
    await tx.query(
      `insert into audit_log (actor_id, action, collection, document_id, detail) values ($1, $2, 'offers', $3, $4)`,
      [moderator.id, `moderation-${decision}`, offerId, JSON.stringify(reason ? { reason } : {})],
    );
    return doc as OfferDoc;
  });
}

export async function registerModerationRoutes(
  app: FastifyInstance,
  deps: { db: Database; engine: SyncEngine },
) {
  app.post<{ Params: { id: string } }>('/api/moderation/offers/:id/decision', async (request) => {
    const user = await requireUser(deps.db, request);
    // Who may decide first, then what was sent (a candidate learns nothing of the expected body).
    if (!isModerator(user))
      throw forbidden('Seuls les modérateurs de la plateforme peuvent publier une offre.');
    const body = request.body as Record<string, unknown> | null;
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Objet JSON attendu.');
    const decision = body.decision;
    if (decision !== 'publier' && decision !== 'refuser') {
      throw badRequest('Décision invalide.', [
        { field: 'decision', message: 'Choisissez « publier » ou « refuser ».' },
      ]);
    }
    const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
    if (decision === 'refuser' && (reason.length < 5 || reason.length > 1000)) {
      throw badRequest('Le motif du refus est obligatoire.', [
        { field: 'reason', message: 'Indiquez un motif de refus (5 à 1 000 caractères).' },
      ]);
    }
    if (request.params.id.length > 36) throw notFound('Cette offre n’existe pas.');
    const offer = await decideOffer(
      deps.db,
      deps.engine,
      user,
      request.params.id,
      decision,
      reason || undefined,
    );
    return { offer };
  });
}
