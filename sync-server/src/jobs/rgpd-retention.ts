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
 * Each run also purges the traces kept only for rate limiting, each with the caller's IP address:
 * the public event registrations' attempts (`event_registration_attempts`, issue 6), the public
 * applications without account (`public_application_attempts`) and the files sent for them
 * (`public_application_files`, which also lets such an application name the file). Every limit
 * counts one hour (`EVENT_REGISTRATION_LIMIT_PER_HOUR`, `PUBLIC_LIMITS`); the traces are kept 24
 * hours, then deleted in batches (idempotent: a second run finds nothing). A file sent more than a
 * day before its application is asked for again (« envoyez-le à nouveau »).
 *
 * And it ends the processing the consent texts of people without an account promise to end (issue
 * 6): « conservées pour le traitement de ma candidature, au plus 2 ans » (public application
 * without account, `APPLICATION_CONSENT_TEXT`; event registration, `EVENT_REGISTRATION_CONSENT_TEXT`),
 * « Elles sont conservées au plus 2 ans » (fair capture, `CAPTURE_CONSENT_TEXT`). The texts start
 * the period with the processing of the application, so it counts from its last change: an
 * application without account (capture, event registration, public application, proposal to a
 * spouse's CV…) neither changed nor evaluated for `ACCOUNTLESS_RETENTION_YEARS` is erased the way
 * an account's erasure does it (content-free tombstone for every replica, evaluations as
 * tombstones, follow links, file references, notices about it, e-mails about it); one still moving
 * (« entretien » last week) stays. The spouse searches (« Rapprochement de conjoints ») nobody
 * claimed, withdrawn or still online, whose consent text names no period, follow the same rule
 * (their last change, their CV's proposals and evaluations included): the search, its CV in the
 * CVthèque and what names the person go. Each erasure is its own transaction, rechecked under a
 * row lock (two instances never erase twice), in batches; a second run finds nothing.
 */

import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { NoticeDoc } from '../../../shared/schemas/notice.schema';
import { eraseSpouseSearch } from '../candidate/personal-data/spouse-searches';
import { eraseCandidate } from '../candidate/rgpd';
import type { Database, Queryable } from '../db/database';
import { eraseApplication } from '../domain/applications';
import { eraseEvaluationsOf } from '../domain/evaluations';
import { noticesCollection } from '../domain/notices';
import { frenchDate } from '../domain/route-helpers';
import { queueEmail } from '../email/outbox';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';

export const RETENTION_YEARS = 2;
export const RETENTION_WARNING_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
const BATCH = 100;
/**
 * How long a rate limiting trace (IP address, time) is kept: the limits count the last hour only
 * (`EVENT_REGISTRATION_LIMIT_PER_HOUR`, `PUBLIC_LIMITS`); a day is ample and keeps no IP longer.
 */
export const RATE_LIMIT_TRACES_KEPT_HOURS = 24;
/** The rate limiting traces (each row holds an IP address) and the column with their time. */
const RATE_LIMIT_TRACES = [
  { table: 'event_registration_attempts', at: 'at' },
  { table: 'public_application_attempts', at: 'at' },
  { table: 'public_application_files', at: 'created_at' },
] as const;
const PURGE_BATCH = 5000;
/**
 * How long the data of a person without an account is kept after the last change of what holds
 * it (their application, a spouse's search): the consent texts promise « au plus 2 ans » (see the
 * file comment). One constant for every such purge.
 */
export const ACCOUNTLESS_RETENTION_YEARS = 2;

export interface RetentionOutcome {
  warned: number;
  erased: number;
  /** Erasures that failed (left for the next run; the job's error names the first). */
  failed: number;
  /** Rate limiting traces (IP addresses: event registrations, public applications and their files) past their retention, deleted. */
  attemptsPurged: number;
  /** Applications without account past `ACCOUNTLESS_RETENTION_YEARS`, erased. */
  applicationsPurged: number;
  /** Unclaimed spouse searches past `ACCOUNTLESS_RETENTION_YEARS`, erased. */
  spouseSearchesPurged: number;
}

/** Deletes the rate limiting traces older than `RATE_LIMIT_TRACES_KEPT_HOURS`, in batches; how many. */
export async function purgeRateLimitTraces(db: Database, now: Date): Promise<number> {
  const before = new Date(now.getTime() - RATE_LIMIT_TRACES_KEPT_HOURS * 3600 * 1000).toISOString();
  let purged = 0;
  for (const { table, at } of RATE_LIMIT_TRACES) {
    for (;;) {
      const { rows } = await db.query<{ n: number }>(
        `with gone as (
           delete from ${table} where ctid in (select ctid from ${table} where ${at} < $1 limit $2)
           returning 1)
         select count(*)::int as n from gone`,
        [before, PURGE_BATCH],
      );
      const n = Number(rows[0]?.n ?? 0);
      purged += n;
      if (n < PURGE_BATCH) break;
    }
  }
  return purged;
}

// ─── People without an account (issue 6) ─────────────────────────────────────────────────────

/**
 * An application without account that has not changed since `$1` (an ISO instant; the server
 * writes every `updatedAt` as one, so text order is time order), nor been evaluated since.
 */
const STALE_APPLICATION = `not a.deleted and a.doc->>'candidateId' is null and a.doc->>'updatedAt' < $1::text
  and not exists (select 1 from evaluations e
                   where not e.deleted and e.doc->>'subjectId' = a.id and e.doc->>'updatedAt' >= $1::text)`;

/** An unclaimed spouse search unchanged since `$1`, its CV neither proposed nor evaluated since. */
const STALE_SPOUSE_SEARCH = `s.claimed_account_id is null and s.updated_at < $1::text::timestamptz
  and not exists (select 1 from applications a
                   where not a.deleted and a.doc->>'cvId' = s.id::text and a.doc->>'updatedAt' >= $1::text)
  and not exists (select 1 from evaluations e
                   where not e.deleted and e.doc->>'subjectId' = s.id::text and e.doc->>'updatedAt' >= $1::text)`;

/** Notices about these documents (a refused push, a proposal…): tombstones every replica drops. */
async function eraseNoticesAbout(tx: Queryable, engine: SyncEngine, ids: string[]) {
  const { rows } = await tx.query<{ doc: NoticeDoc }>(
    `select doc from notices n where not n.deleted and n.doc->>'documentId' = any($1::text[])
      order by n.id for update`,
    [ids],
  );
  for (const { doc } of rows) await engine.write(tx, noticesCollection, doc as unknown as Doc, true);
}

/**
 * Erases one application without account (locked by the caller): as the account's erasure does
 * (domain/applications.ts `eraseApplication`: tombstone, file references), with its evaluations,
 * follow links, the notices and e-mails about it. The follow-up e-mail of a fair capture
 * (`capture-follow-up:<organisation>:<captureId>`) goes with the capture's last application.
 */
async function purgeApplication(tx: Queryable, engine: SyncEngine, doc: ApplicationDoc): Promise<void> {
  await eraseEvaluationsOf(tx, engine, [doc.id]);
  await eraseNoticesAbout(tx, engine, [doc.id]);
  await eraseApplication(tx, engine, doc);
  const ids = [doc.id];
  let captureLives = false;
  if (doc.captureId) {
    const { rows } = await tx.query(
      `select 1 from applications where not deleted and doc->>'captureId' = $1 and doc->>'organisationId' = $2
        limit 1`,
      [doc.captureId, doc.organisationId],
    );
    captureLives = rows.length > 0;
    if (!captureLives) ids.push(doc.captureId);
  }
  await tx.query(
    `delete from email_outbox e
      where e.dedupe_key is not null
        and exists (select 1 from unnest($1::text[]) x where position(x in e.dedupe_key) > 0)
        and not ($2::boolean and e.dedupe_key like 'capture-follow-up:%')`,
    [ids, captureLives],
  );
  await tx.query('update audit_log set document_id = null where document_id = $1', [doc.id]);
}

interface PurgeErrors {
  failed: number;
  first: unknown;
}

/**
 * Erases, in batches, the rows `select` lists (ids in increasing order after `$2`, at most `$3`),
 * each in its own transaction where `erase` checks it again under its lock and answers whether it
 * erased it. A row that fails is counted in `errors` and the others go on.
 */
async function purgeInBatches(
  db: Database,
  select: string,
  params: unknown[],
  start: string,
  erase: (tx: Queryable, id: string) => Promise<boolean>,
  errors: PurgeErrors,
): Promise<number> {
  let purged = 0;
  let after = start;
  for (;;) {
    const { rows } = await db.query<{ id: string }>(select, [...params, after, BATCH]);
    for (const { id } of rows) {
      after = id;
      const done = await db
        .transaction((tx) => erase(tx, id))
        .catch((error: unknown) => {
          errors.first ??= error;
          errors.failed++;
          return false;
        });
      if (done) purged++;
    }
    if (rows.length < BATCH) return purged;
  }
}

/**
 * Erases the applications without account unchanged for `ACCOUNTLESS_RETENTION_YEARS` (see the
 * file comment), in batches, each in its own transaction rechecked under the row's lock.
 */
export function purgeAccountlessApplications(
  db: Database,
  engine: SyncEngine,
  now: Date,
  errors: PurgeErrors = { failed: 0, first: null },
): Promise<number> {
  const before = yearsBefore(now, ACCOUNTLESS_RETENTION_YEARS).toISOString();
  return purgeInBatches(
    db,
    `select a.id from applications a where ${STALE_APPLICATION} and a.id > $2::text order by a.id limit $3`,
    [before],
    '',
    async (tx, id) => {
      const { rows } = await tx.query<{ doc: ApplicationDoc }>(
        `select a.doc from applications a where a.id = $2 and ${STALE_APPLICATION} for update of a`,
        [before, id],
      );
      if (!rows[0]) return false;
      await purgeApplication(tx, engine, rows[0].doc);
      return true;
    },
    errors,
  );
}

/**
 * Erases the spouse searches nobody claimed (withdrawn, filled or still online) unchanged for
 * `ACCOUNTLESS_RETENTION_YEARS`, in batches, each in its own transaction under the row's lock.
 */
export function purgeSpouseSearches(
  db: Database,
  engine: SyncEngine,
  now: Date,
  errors: PurgeErrors = { failed: 0, first: null },
): Promise<number> {
  const before = yearsBefore(now, ACCOUNTLESS_RETENTION_YEARS).toISOString();
  return purgeInBatches(
    db,
    `select s.id::text as id from spouse_searches s where ${STALE_SPOUSE_SEARCH} and s.id > $2::uuid
      order by s.id limit $3`,
    [before],
    '00000000-0000-0000-0000-000000000000',
    async (tx, id) => {
      const { rows } = await tx.query(
        `select 1 from spouse_searches s where s.id = $2::uuid and ${STALE_SPOUSE_SEARCH} for update of s`,
        [before, id],
      );
      return rows.length > 0 && eraseSpouseSearch(tx, engine, id);
    },
    errors,
  );
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
  const outcome: RetentionOutcome = {
    warned: 0,
    erased: 0,
    failed: 0,
    attemptsPurged: 0,
    applicationsPurged: 0,
    spouseSearchesPurged: 0,
  };
  let firstError: unknown = null;
  // 0. Rate-limiting traces past their use (a failure here does not stop the erasures).
  try {
    outcome.attemptsPurged = await purgeRateLimitTraces(db, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    firstError = new Error(`purge des tentatives d’inscription impossible : ${message}`);
  }
  // 0 bis. People without an account, past the period their consent promised.
  const purgeErrors: PurgeErrors = { failed: 0, first: null };
  outcome.applicationsPurged = await purgeAccountlessApplications(db, engine, now, purgeErrors);
  outcome.spouseSearchesPurged = await purgeSpouseSearches(db, engine, now, purgeErrors);
  if (purgeErrors.first) {
    const message =
      purgeErrors.first instanceof Error ? purgeErrors.first.message : String(purgeErrors.first);
    firstError ??= new Error(
      `${purgeErrors.failed} purge(s) de données sans compte impossible(s) : ${message}`,
    );
  }
  const limit = yearsBefore(now, RETENTION_YEARS);
  const warnFrom = new Date(limit.getTime() + RETENTION_WARNING_DAYS * DAY_MS);
  const warnedBefore = new Date(now.getTime() - RETENTION_WARNING_DAYS * DAY_MS);

  // 1. Erase those warned at least 30 days ago and still inactive for 2 years; and accounts
  //    suspended by the moderators (who can no longer sign in: no warning) once both suspended and
  //    inactive for 2 years.
  const eraseWhere = `a.kind = 'candidate' and ${ACTIVE_SINCE} <= $1
    and ((a.disabled_at is null and a.retention_warned_at is not null
          and a.retention_warned_at >= ${ACTIVE_SINCE} and a.retention_warned_at <= $2)
      or (a.disabled_at is not null and a.disabled_at <= $1))`;
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
      `effacement RGPD : ${outcome.failed} compte(s) non effacé(s) (${message}) ; ${outcome.erased} effacé(s), ${outcome.warned} averti(s), ${outcome.attemptsPurged} trace(s) de limitation (adresse IP) purgée(s), ${outcome.applicationsPurged} candidature(s) sans compte et ${outcome.spouseSearchesPurged} recherche(s) de conjoint effacée(s), ${purgeErrors.failed} non effacée(s)`,
    );
  }
  return outcome;
}
