/**
 * RGPD retention (seed 004: « au bout de 2 ans d'inactivité, votre compte est automatiquement
 * supprimé »): a candidate who has not signed in nor used the portal for 2 years is warned by
 * e-mail 30 days before, then erased with the same steps as a deletion they ask for.
 *
 * Inactivity runs from `accounts.last_active_at` (sign-in, or use of the API, at most one update a
 * day). A warning counts for the period of inactivity it was sent in (`retention_warned_at` after
 * `last_active_at`): a candidate who comes back after it is neither erased nor warned again until
 * a new period of 2 years. An account is erased only 30 days at least after its warning, never
 * twice (the row is gone), and each erasure is its own transaction, rechecked under a row lock.
 *
 * Each run also purges the traces kept only for rate limiting (issue 6): the public event
 * registrations' attempts (`event_registration_attempts`, the caller's IP address), counted over
 * one hour (`EVENT_REGISTRATION_LIMIT_PER_HOUR`, domain/event-routes.ts), are kept 24 hours, then
 * deleted in batches (idempotent: a second run finds nothing).
 */

import { eraseCandidate } from '../candidate/rgpd';
import type { Database } from '../db/database';
import { frenchDate } from '../domain/route-helpers';
import { queueEmail } from '../email/outbox';
import type { SyncEngine } from '../sync/engine';

export const RETENTION_YEARS = 2;
export const RETENTION_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
const BATCH = 100;
/**
 * How long a public event registration attempt (IP address, time) is kept: the rate limit counts
 * the last hour only (`EVENT_REGISTRATION_LIMIT_PER_HOUR`); a day is ample and keeps no IP longer.
 */
export const REGISTRATION_ATTEMPTS_KEPT_HOURS = 24;
const PURGE_BATCH = 5000;

export interface RetentionOutcome {
  warned: number;
  erased: number;
  /** Erasures that failed (left for the next run; the job's error names the first). */
  failed: number;
  /** Public event registration attempts (IP addresses) past their retention, deleted. */
  attemptsPurged: number;
}

/** Deletes the event registration attempts older than `REGISTRATION_ATTEMPTS_KEPT_HOURS`, in batches. */
export async function purgeRegistrationAttempts(db: Database, now: Date): Promise<number> {
  const before = new Date(now.getTime() - REGISTRATION_ATTEMPTS_KEPT_HOURS * 3600 * 1000).toISOString();
  let purged = 0;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(
      `with gone as (
         delete from event_registration_attempts where ctid in (
           select ctid from event_registration_attempts where at < $1 limit $2)
         returning 1)
       select count(*)::int as n from gone`,
      [before, PURGE_BATCH],
    );
    const n = Number(rows[0]?.n ?? 0);
    purged += n;
    if (n < PURGE_BATCH) return purged;
  }
}

/** `at` moved by whole years (calendar years, UTC). */
function yearsBefore(at: Date, years: number): Date {
  const d = new Date(at.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}

/** The instant an account inactive since `lastActive` is erased (at the earliest). */
export function erasureDate(lastActive: Date): Date {
  const d = new Date(lastActive.getTime());
  d.setUTCFullYear(d.getUTCFullYear() + RETENTION_YEARS);
  return d;
}

const ACTIVE_SINCE = 'coalesce(a.last_active_at, a.created_at)';

export async function runRgpdRetention(
  db: Database,
  engine: SyncEngine,
  now: Date,
  options: { base: string },
): Promise<RetentionOutcome> {
  const base = options.base.replace(/\/+$/, '');
  const outcome: RetentionOutcome = { warned: 0, erased: 0, failed: 0, attemptsPurged: 0 };
  let firstError: unknown = null;
  // 0. Rate-limiting traces past their use (a failure here does not stop the erasures).
  try {
    outcome.attemptsPurged = await purgeRegistrationAttempts(db, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    firstError = new Error(`purge des tentatives d’inscription impossible : ${message}`);
  }
  const limit = yearsBefore(now, RETENTION_YEARS);
  const warnFrom = new Date(limit.getTime() + RETENTION_WARNING_DAYS * DAY_MS);
  const warnedBefore = new Date(now.getTime() - RETENTION_WARNING_DAYS * DAY_MS);

  // 1. Erase those warned at least 30 days ago and still inactive for 2 years.
  const eraseWhere = `a.kind = 'candidate' and a.disabled_at is null and ${ACTIVE_SINCE} <= $1
    and a.retention_warned_at is not null and a.retention_warned_at >= ${ACTIVE_SINCE}
    and a.retention_warned_at <= $2`;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query<{ id: string }>(
      `select a.id::text from accounts a where ${eraseWhere} and a.id > $4::uuid order by a.id limit $3`,
      [limit.toISOString(), warnedBefore.toISOString(), BATCH, after],
    );
    for (const { id } of rows) {
      after = id;
      const erased = await db
        .transaction(async (tx) => {
          const still = await tx.query(
            `select a.id from accounts a where a.id = $3 and ${eraseWhere} for update`,
            [limit.toISOString(), warnedBefore.toISOString(), id],
          );
          if (still.rows.length === 0) return false;
          await eraseCandidate(tx, engine, id, 'inactivite');
          return true;
        })
        .catch((error: unknown) => {
          firstError ??= error;
          outcome.failed++;
          return false;
        });
      if (erased) outcome.erased++;
    }
    if (rows.length < BATCH) break;
  }

  // 2. Warn those who reach 2 years of inactivity within 30 days (once per inactivity period).
  const warnWhere = `a.kind = 'candidate' and a.disabled_at is null and ${ACTIVE_SINCE} <= $1
    and (a.retention_warned_at is null or a.retention_warned_at < ${ACTIVE_SINCE})`;
  for (;;) {
    const { rows } = await db.query<{ id: string }>(
      `select a.id::text from accounts a where ${warnWhere} order by ${ACTIVE_SINCE} limit $2`,
      [warnFrom.toISOString(), BATCH],
    );
    for (const { id } of rows) {
      const warned = await db.transaction(async (tx) => {
        const { rows: found } = await tx.query<{ email: string; first_name: string; since: Date }>(
          `select a.email, a.first_name, ${ACTIVE_SINCE} as since from accounts a
            where a.id = $2 and ${warnWhere} for update`,
          [warnFrom.toISOString(), id],
        );
        const account = found[0];
        if (!account) return false;
        await tx.query('update accounts set retention_warned_at = $2 where id = $1', [id, now.toISOString()]);
        const since = new Date(account.since);
        const planned = new Date(
          Math.max(erasureDate(since).getTime(), now.getTime() + RETENTION_WARNING_DAYS * DAY_MS),
        );
        await queueEmail(tx, {
          to: account.email,
          subject: 'Votre compte candidat sera supprimé dans 30 jours',
          text: [
            `Bonjour${account.first_name ? ` ${account.first_name}` : ''},`,
            '',
            `Vous ne vous êtes pas connecté(e) à votre espace candidat depuis le ${frenchDate(since)}.`,
            `Conformément au RGPD et à notre politique de protection des données, un compte inactif depuis 2 ans est supprimé : le vôtre, avec vos CV, candidatures et alertes, le sera à partir du ${frenchDate(planned)}.`,
            '',
            `Pour le conserver, il suffit de vous connecter avant cette date : ${base}/connexion`,
            '',
            `Vous pouvez aussi télécharger vos données depuis « Mon compte » avant leur suppression.`,
          ].join('\n'),
          dedupeKey: `rgpd-retention-warning|${id}|${since.toISOString()}`,
        });
        return true;
      });
      if (warned) outcome.warned++;
    }
    if (rows.length < BATCH) break;
  }
  if (firstError) {
    const message = firstError instanceof Error ? firstError.message : String(firstError);
    throw new Error(
      `effacement RGPD : ${outcome.failed} compte(s) non effacé(s) (${message}) ; ${outcome.erased} effacé(s), ${outcome.warned} averti(s), ${outcome.attemptsPurged} tentative(s) d’inscription purgée(s)`,
    );
  }
  return outcome;
}
