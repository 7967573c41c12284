import {
  addParisDays,
  expiryWarningDate,
  OFFER_EXPIRY_WARNING_DAYS,
} from '../../../shared/domain/offer-lifecycle';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import type { Database, Queryable } from '../db/database';
import { appendHistory, historyEntry, offersCollection } from '../domain/offers';
import { frenchDate } from '../domain/route-helpers';
import { type SyncEngine, uuidFrom } from '../sync/engine';
import type { Doc } from '../sync/types';

/** How the expiry job sends e-mails (the outbox in production, a recorder in tests). */
export type QueueEmail = (
  tx: Queryable,
  mail: { to: string; subject: string; text: string; dedupeKey: string },
) => Promise<void>;

export interface ExpiryOutcome {
  warned: number;
  expired: number;
  /** False when another server instance was running the job at the same moment. */
  ran: boolean;
}

const LOCK = 727_100;
const BATCH = 200;

/**
 * Expires published offers whose time is up and warns their authors 7 days before.
 *
 * Idempotent and safe with several server instances: one instance at a time holds the job's
 * advisory lock (the others skip the run), each offer is marked (`expiryWarnedAt`, status
 * `expiree`) in the same transaction as its notice, and notices and e-mails have ids derived
 * from the offer and its expiry date, so a rerun never sends anything twice.
 */
export async function runOfferExpiry(
  db: Database,
  engine: SyncEngine,
  now: Date,
  queueEmail?: QueueEmail,
): Promise<ExpiryOutcome> {
  const outcome: ExpiryOutcome = { warned: 0, expired: 0, ran: true };
  for (;;) {
    const step = await db.transaction(async (tx) => {
      const lock = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock($1) as ok', [LOCK]);
      if (!lock.rows[0]?.ok) return null;
      const nowIso = now.toISOString();
      // Warned from the same wall-clock time 7 French calendar days before expiry (the shared
      // rule), so a change of time in between moves nothing by an hour.
      const horizon = addParisDays(now, OFFER_EXPIRY_WARNING_DAYS).toISOString();
      const { rows } = await tx.query<{ doc: OfferDoc; email: string | null }>(
        `select o.doc, a.email from offers o
           left join accounts a on a.id::text = o.doc->>'authorId' and a.disabled_at is null
          where not o.deleted and o.doc->>'status' = 'publiee' and o.doc->>'expiresAt' <= $1
            and (o.doc->>'expiresAt' <= $2 or o.doc->>'expiryWarnedAt' is null)
          order by o.doc->>'expiresAt'
          limit $3
          for update of o skip locked`,
        [horizon, nowIso, BATCH],
      );
      let warned = 0;
      let expired = 0;
      let notYet = false;
      for (const { doc: offer, email } of rows) {
        const expiresAt = offer.expiresAt!;
        const ending = expiresAt <= nowIso;
        if (!ending && expiryWarningDate(new Date(expiresAt)).getTime() > now.getTime()) {
          // Not yet (the hour around a change of time); the rows after it expire later still.
          notYet = true;
          break;
        }
        const doc: Record<string, unknown> = { ...offer, updatedAt: nowIso };
        if (ending) {
          doc.status = 'expiree';
          doc.history = appendHistory(
            offer.history,
            historyEntry(nowIso, 'expiration', null, { from: 'publiee', to: 'expiree' }),
          );
          expired++;
        } else {
          doc.expiryWarnedAt = nowIso;
          warned++;
        }
        await engine.write(tx, offersCollection, doc as Doc, false);
        if (!offer.authorId) continue;
        const key = `${ending ? 'offer-expired' : 'offer-expiry-warning'}|${offer.id}|${expiresAt}`;
        const title = ending ? 'Offre expirée' : 'Votre offre expire bientôt';
        const message = ending
          ? `Votre offre « ${offer.title} » (n° ${offer.number ?? '—'}) est arrivée à échéance et n’est plus en ligne. Vous pouvez la republier telle quelle ou après modification depuis « Mes offres ».`
          : `Votre offre « ${offer.title} » (n° ${offer.number ?? '—'}) sera retirée le ${frenchDate(expiresAt)}. Si le poste est toujours à pourvoir, republiez-la après son expiration.`;
        await engine.addNotice(
          tx,
          {
            userId: offer.authorId,
            kind: 'information',
            collection: 'offers',
            documentId: offer.id,
            title,
            message,
          },
          uuidFrom(key),
        );
        if (email && queueEmail)
          await queueEmail(tx, { to: email, subject: title, text: message, dedupeKey: key });
      }
      return { warned, expired, seen: notYet ? 0 : rows.length };
    });
    if (!step) return { ...outcome, ran: false };
    outcome.warned += step.warned;
    outcome.expired += step.expired;
    if (step.seen < BATCH) return outcome;
  }
}
