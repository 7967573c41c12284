/**
 * Alerts of favourite CVthèque searches (seed 001 « Historique de recherche »: « Vous recevrez une
 * alerte email si des nouveaux CVs sont détectés pour vos recherches favorites »).
 *
 * Once a day (Europe/Paris) per favourite search: the CVs matching it now (the server's search,
 * `searchCvtheque`, run as the search's owner) that were published or updated after the search was
 * starred and never alerted for it → one notice (collection `notices`, kind `information`) and one
 * e-mail to the owner, and `lastAlertAt` / `lastAlertCount` on the search document. Each CV is
 * alerted once and only once per search (`cv_search_alerts`, in the same transaction as the
 * notice, the e-mail and the day's run in `cv_search_alert_runs`), so repeated ticks, restarts and
 * several server instances never alert twice.
 *
 * The e-mail names what the recruiter may see of each CV (title, commune), never a candidate's
 * name or contact.
 */
import type { SessionUser } from '../../../shared/domain/account';
import type { CvHit, CvSearchCriteria, CvSearchResponse } from '../../../shared/domain/cv-search';
import { parisDay } from '../../../shared/domain/saved-search';
import type { SearchDoc } from '../../../shared/schemas/search.schema';
import { loadUser } from '../auth/sessions';
import { searchCvtheque } from '../cvtheque/search';
import type { Database, Queryable } from '../db/database';
import { queueEmail } from '../email/outbox';
import { HttpError } from '../http-error';
import { type SyncEngine, uuidFrom } from '../sync/engine';
import type { Doc } from '../sync/types';

/** How the job finds the CVs matching a search (tests may replace it). */
export type CvAlertSearch = (
  q: Queryable,
  user: SessionUser,
  criteria: CvSearchCriteria,
  now: Date,
) => Promise<CvSearchResponse>;

export const engineCvAlertSearch: CvAlertSearch = (q, user, criteria, now) =>
  searchCvtheque(q, user, criteria, { now });

export interface CvAlertOutcome {
  /** Favourite searches checked today for the first time. */
  checked: number;
  /** Searches that found new CVs (one notice and one e-mail each). */
  alerted: number;
  /** New CVs, all searches together. */
  cvs: number;
}

/** CVs listed in one e-mail at most (the count names them all). */
export const CV_ALERT_MAX_LISTED = 20;
const BATCH = 100;

/** « 3 nouveaux CV pour votre recherche « serveur, Narbonne 20 km » » (seed 001 wording). */
export function cvAlertTitle(count: number, label: string): string {
  return count === 1
    ? `1 nouveau CV pour votre recherche « ${label} »`
    : `${count} nouveaux CV pour votre recherche « ${label} »`;
}

function cvLine(hit: CvHit): string {
  const d = hit.doc;
  const where = d.commune?.name ?? d.workplaces?.[0]?.communeName;
  const distance = hit.distanceKm !== undefined && hit.distanceKm > 0 ? ` (${hit.distanceKm} km)` : '';
  return `- ${d.title}${where ? ` — ${where}${distance}` : ''}`;
}

function alertText(base: string, label: string, fresh: CvHit[]): string {
  const shown = fresh.slice(0, CV_ALERT_MAX_LISTED);
  return [
    'Bonjour,',
    '',
    `${cvAlertTitle(fresh.length, label)} :`,
    '',
    ...shown.map(cvLine),
    ...(fresh.length > shown.length ? ['', `… et ${fresh.length - shown.length} autres CV.`] : []),
    '',
    `Retrouvez-les dans la CVthèque de votre poste de travail, onglet « Historique de recherche » : ${base}/workstation/`,
    '',
    'Vous recevez ce message parce que cette recherche est dans vos favoris. Pour ne plus le recevoir, retirez-la des favoris dans l’historique de recherche.',
  ].join('\n');
}

/** When a CV last changed for a recruiter: published or updated, the later. */
function changedAt(hit: CvHit): number {
  const p = hit.doc.publishedAt ? Date.parse(hit.doc.publishedAt) : Number.NEGATIVE_INFINITY;
  const u = Date.parse(hit.doc.updatedAt);
  return Math.max(
    Number.isFinite(p) ? p : Number.NEGATIVE_INFINITY,
    Number.isFinite(u) ? u : Number.NEGATIVE_INFINITY,
  );
}

/** Runs today's alerts of favourite CV searches. `base` starts the links (the server's public URL). */
export async function runCvSearchAlerts(
  db: Database,
  engine: SyncEngine,
  now: Date,
  options: { base: string; search?: CvAlertSearch },
): Promise<CvAlertOutcome> {
  const outcome: CvAlertOutcome = { checked: 0, alerted: 0, cvs: 0 };
  const search = options.search ?? engineCvAlertSearch;
  const searches = engine.collection('searches');
  if (!searches) return outcome;
  const base = options.base.replace(/\/+$/, '');
  const day = parisDay(now);
  const nowIso = now.toISOString();
  let firstError: unknown = null;
  let after = '';
  for (;;) {
    const { rows } = await db.query<{ id: string }>(
      `select s.id from searches s
        where not s.deleted and s.doc->>'favourite' = 'true' and s.doc->>'kind' = 'cv' and s.id > $1
          and not exists (select 1 from cv_search_alert_runs r where r.search_id = s.id and r.day = $2::date)
        order by s.id limit $3`,
      [after, day, BATCH],
    );
    for (const row of rows) {
      after = row.id;
      const fresh = await db
        .transaction(async (tx) => {
          const claimed = await tx.query(
            `insert into cv_search_alert_runs (search_id, day, ran_at) values ($1, $2::date, $3)
             on conflict do nothing returning search_id`,
            [row.id, day, nowIso],
          );
          if (claimed.rows.length === 0) return null; // another instance has it
          // Read again under the run's claim: the search may have changed since the batch query.
          const current = await tx.query<{ doc: SearchDoc }>(
            'select doc from searches where id = $1 and not deleted for update',
            [row.id],
          );
          const doc = current.rows[0]?.doc;
          if (!doc?.favourite) return 0;
          const user = await loadUser(tx, doc.ownerId);
          if (!user) return 0;
          let found: CvSearchResponse;
          try {
            found = await search(tx, user, doc.criteria as CvSearchCriteria, now);
          } catch (error) {
            // No CVthèque right any more, or criteria the search no longer accepts: nothing to alert.
            if (error instanceof HttpError && error.status < 500) return 0;
            throw error;
          }
          const starredAt = Date.parse(doc.favouriteAt ?? doc.createdAt);
          const candidates = found.hits.filter(
            (h) => !Number.isFinite(starredAt) || changedAt(h) > starredAt,
          );
          const fresh: CvHit[] = [];
          for (const hit of candidates) {
            const inserted = await tx.query(
              `insert into cv_search_alerts (search_id, cv_id, sent_at) values ($1, $2, $3)
               on conflict do nothing returning cv_id`,
              [doc.id, hit.doc.id, nowIso],
            );
            if (inserted.rows.length > 0) fresh.push(hit);
          }
          await tx.query('update cv_search_alert_runs set cvs = $3 where search_id = $1 and day = $2::date', [
            doc.id,
            day,
            fresh.length,
          ]);
          if (fresh.length === 0) return 0;
          const title = cvAlertTitle(fresh.length, doc.label);
          await engine.addNotice(
            tx,
            {
              userId: doc.ownerId,
              kind: 'information',
              collection: 'searches',
              documentId: doc.id,
              title: title.length <= 200 ? title : `${title.slice(0, 199)}…`,
              message: `${title}. Ouvrez l’historique de recherche de la CVthèque pour les voir.`,
            },
            uuidFrom(`cv-search-alert|${doc.id}|${day}`),
          );
          await queueEmail(tx, {
            to: user.email,
            subject:
              fresh.length === 1 ? 'CVthèque : 1 nouveau CV' : `CVthèque : ${fresh.length} nouveaux CV`,
            text: alertText(base, doc.label, fresh),
            dedupeKey: `cv-search-alert|${doc.id}|${day}`,
          });
          const updated: SearchDoc = {
            ...doc,
            lastAlertAt: nowIso,
            lastAlertCount: fresh.length,
            updatedAt: nowIso,
          };
          await engine.write(tx, searches, updated as unknown as Doc, false);
          return fresh.length;
        })
        .catch((error: unknown) => {
          firstError ??= error;
          return null;
        });
      if (fresh === null) continue;
      outcome.checked++;
      if (fresh > 0) {
        outcome.alerted++;
        outcome.cvs += fresh;
      }
    }
    if (rows.length < BATCH) break;
  }
  // One search failing never stops the others; the job still reports the failure.
  if (firstError) throw firstError;
  return outcome;
}

/** The scheduled job (every tick; each favourite search at most once a day). */
export function cvSearchAlertsJob(deps: {
  db: Database;
  engine: SyncEngine;
  publicUrl: () => string;
  search?: CvAlertSearch;
}) {
  return {
    name: 'cv-search-alerts',
    run: (now: Date) =>
      runCvSearchAlerts(deps.db, deps.engine, now, {
        base: deps.publicUrl(),
        ...(deps.search ? { search: deps.search } : {}),
      }),
  };
}
