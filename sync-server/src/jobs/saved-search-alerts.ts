/**
 * The daily alert of saved searches (seed 002: « être alerté chaque jour des nouvelles offres
 * d'emploi publiées, correspondant à sa recherche »), and the reminder 7 days before a
 * subscription ends.
 *
 * Only to confirmed e-mail addresses. Runs at every scheduler tick; each subscription is handled at
 * most once per day (Europe/Paris):
 * the day's run is recorded in `saved_search_runs` (primary key search × day) in the same
 * transaction as the deliveries (`saved_search_deliveries`, primary key search × offer) and the
 * e-mail, so repeated ticks, restarts and several server instances never mail an offer twice.
 */
import { criteriaToQuery, MAX_RESULTS, type OfferSearchCriteria } from '../../../shared/domain/offer-search';
import {
  ALERT_EXPIRY_WARNING_DAYS,
  ALERT_MAX_OFFERS_PER_EMAIL,
  type CriteriaLabels,
  describeCriteria,
  parisDay,
} from '../../../shared/domain/saved-search';
import { criteriaLabels } from '../candidate/alerts';
import type { Database, Queryable } from '../db/database';
import { frenchDate } from '../domain/route-helpers';
import { type MailHeaders, queueEmail } from '../email/outbox';
import { SearchCriteriaError, searchOffers } from '../search/offer-search';

/** An offer as an alert lists it. */
export interface AlertOffer {
  id: string;
  number?: string;
  title: string;
  companyName?: string;
  city?: string;
  contractTypes?: string[];
  publishedAt?: string;
}

/** Finds the published offers matching `criteria` that were published after `since` (ISO). */
export type AlertSearch = (
  q: Queryable,
  criteria: OfferSearchCriteria,
  since: string,
) => Promise<AlertOffer[]>;

export interface AlertJobOutcome {
  /** Subscriptions looked at today for the first time. */
  checked: number;
  /** Alert e-mails queued. */
  mailed: number;
  /** Offers mailed, all subscriptions together. */
  offers: number;
  /** Reminders before the end of a subscription. */
  reminded: number;
}

const BATCH = 100;
/** New offers are looked for from a little before the previous alert (commits that overlapped it). */
const OVERLAP_MS = 10 * 60 * 1000;

interface DueRow {
  id: string;
  name: string;
  criteria: OfferSearchCriteria;
  last_alert_at: Date | string;
  expires_at: Date | string;
  unsubscribe_token: string;
  email: string;
}

function offerLine(base: string, offer: AlertOffer): string {
  const where = [offer.companyName, offer.city].filter(Boolean).join(', ');
  const contracts = offer.contractTypes?.length ? ` (${offer.contractTypes.join(', ')})` : '';
  return `- ${offer.title}${where ? ` — ${where}` : ''}${contracts}\n  ${base}/offres/${encodeURIComponent(offer.id)}`;
}

/** The page of the e-mail's link: it names the alert and unsubscribes only on its button. */
export function unsubscribeLink(base: string, token: string): string {
  return `${base}/alertes/desinscription?jeton=${encodeURIComponent(token)}`;
}

/** The RFC 8058 one-click address: mail providers POST `List-Unsubscribe=One-Click` to it. */
export function oneClickUnsubscribeUrl(base: string, token: string): string {
  return `${base}/api/public/alerts/unsubscribe/${encodeURIComponent(token)}`;
}

/**
 * The list headers of every alert and reminder e-mail: `List-Unsubscribe` (RFC 2369) with the
 * one-click address, `List-Unsubscribe-Post` (RFC 8058) so that the provider's « Se désabonner »
 * unsubscribes without opening a page, and `List-Id` (RFC 2919): each saved search is a list.
 */
export function alertListHeaders(base: string, searchId: string, token: string): MailHeaders {
  let host = 'emploi-territoires.test';
  try {
    host = new URL(base).hostname.replace(/^\[|\]$/g, '').replace(/[^A-Za-z0-9.-]/g, '-') || host;
  } catch {
    // not a URL: the default name
  }
  return {
    'List-Unsubscribe': `<${oneClickUnsubscribeUrl(base, token)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    'List-Id': `Alerte emploi <${searchId.toLowerCase()}.alertes.${host}>`,
  };
}

function alertText(base: string, row: DueRow, offers: AlertOffer[], labels: CriteriaLabels): string {
  const shown = offers.slice(0, ALERT_MAX_OFFERS_PER_EMAIL);
  const n = offers.length;
  return [
    'Bonjour,',
    '',
    n === 1
      ? `Une nouvelle offre correspond à votre recherche « ${row.name} » (${describeCriteria(row.criteria, labels)}) :`
      : `${n} nouvelles offres correspondent à votre recherche « ${row.name} » (${describeCriteria(row.criteria, labels)}) :`,
    '',
    ...shown.map((o) => offerLine(base, o)),
    ...(n > shown.length ? ['', `… et ${n - shown.length} autres offres.`] : []),
    '',
    `Voir toutes les offres de cette recherche : ${base}/?${criteriaToQuery(row.criteria)}`,
    '',
    `Votre abonnement court jusqu’au ${frenchDate(row.expires_at)}. Chaque consultation de « Mes alertes » le prolonge de 3 mois : ${base}/mes-alertes`,
    '',
    `Ne plus recevoir cette alerte : ${unsubscribeLink(base, row.unsubscribe_token)}`,
  ].join('\n');
}

function reminderText(base: string, row: DueRow, labels: CriteriaLabels): string {
  return [
    'Bonjour,',
    '',
    `Votre alerte « ${row.name} » (${describeCriteria(row.criteria, labels)}) s’arrêtera le ${frenchDate(row.expires_at)}.`,
    `Pour continuer à recevoir les nouvelles offres, consultez « Mes alertes » : l’abonnement sera prolongé de 3 mois.`,
    `${base}/mes-alertes`,
    '',
    `Ne plus recevoir cette alerte : ${unsubscribeLink(base, row.unsubscribe_token)}`,
  ].join('\n');
}

/**
 * The offer search engine (search/offer-search.ts): the offers that « répondent exactement à vos
 * critères », published after `since`, newest first. Criteria that can no longer be searched (a
 * ROME appellation withdrawn from the reference) find nothing rather than stopping the job.
 */
export const engineAlertSearch: AlertSearch = async (q, criteria, since) => {
  try {
    const result = await searchOffers(q, criteria, {
      publishedSince: since,
      page: 1,
      pageSize: MAX_RESULTS,
      sort: 'date',
    });
    return result.exact.map((hit) => ({
      id: hit.id,
      ...(hit.number ? { number: hit.number } : {}),
      title: hit.title,
      companyName: hit.companyName,
      city: hit.city,
      contractTypes: hit.contractTypes,
      ...(hit.publishedAt ? { publishedAt: hit.publishedAt } : {}),
    }));
  } catch (error) {
    if (error instanceof SearchCriteriaError) return [];
    throw error;
  }
};

/** Sends today's alerts. `base` starts the links (the server's public URL). */
export async function runSavedSearchAlerts(
  db: Database,
  now: Date,
  options: { base: string; search: AlertSearch },
): Promise<AlertJobOutcome> {
  const outcome: AlertJobOutcome = { checked: 0, mailed: 0, offers: 0, reminded: 0 };
  const base = options.base.replace(/\/+$/, '');
  const day = parisDay(now);
  const nowIso = now.toISOString();
  const select = `select s.id::text, s.name, s.criteria, s.last_alert_at, s.expires_at, s.unsubscribe_token, a.email
                    from saved_searches s
                    join accounts a on a.id = s.account_id and a.disabled_at is null and a.email_confirmed_at is not null
                   where s.alert_enabled and s.expires_at > $1`;
  let firstError: unknown = null;
  let failed = 0;
  const keepGoing = (error: unknown) => {
    firstError ??= error;
    failed++;
    return null;
  };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query<DueRow>(
      `${select} and s.id > $3::uuid
         and not exists (select 1 from saved_search_runs r where r.search_id = s.id and r.day = $2::date)
       order by s.id limit $4`,
      [nowIso, day, after, BATCH],
    );
    for (const row of rows) {
      after = row.id;
      const done = await db
        .transaction(async (tx) => {
          const claimed = await tx.query(
            `insert into saved_search_runs (search_id, day, ran_at) values ($1, $2::date, $3)
           on conflict do nothing returning search_id`,
            [row.id, day, nowIso],
          );
          if (claimed.rows.length === 0) return null; // another instance has it
          const since = new Date(new Date(row.last_alert_at).getTime() - OVERLAP_MS).toISOString();
          const found = await options.search(tx, row.criteria, since);
          const fresh: AlertOffer[] = [];
          for (const offer of found) {
            const inserted = await tx.query(
              `insert into saved_search_deliveries (search_id, offer_id, sent_at) values ($1, $2, $3)
             on conflict do nothing returning offer_id`,
              [row.id, offer.id, nowIso],
            );
            if (inserted.rows.length > 0) fresh.push(offer);
          }
          await tx.query('update saved_search_runs set offers = $3 where search_id = $1 and day = $2::date', [
            row.id,
            day,
            fresh.length,
          ]);
          await tx.query('update saved_searches set last_alert_at = $2 where id = $1', [row.id, nowIso]);
          if (fresh.length > 0) {
            await queueEmail(tx, {
              to: row.email,
              subject:
                fresh.length === 1
                  ? `Alerte « ${row.name} » : 1 nouvelle offre`
                  : `Alerte « ${row.name} » : ${fresh.length} nouvelles offres`,
              text: alertText(base, row, fresh, await criteriaLabels(tx, row.criteria)),
              dedupeKey: `saved-search-alert|${row.id}|${day}`,
              headers: alertListHeaders(base, row.id, row.unsubscribe_token),
            });
          }
          return fresh.length;
        })
        .catch(keepGoing);
      if (done === null) continue;
      outcome.checked++;
      if (done > 0) {
        outcome.mailed++;
        outcome.offers += done;
      }
    }
    if (rows.length < BATCH) break;
  }

  // Reminder a week before the end, once per subscription period.
  const horizon = new Date(now.getTime() + ALERT_EXPIRY_WARNING_DAYS * 24 * 3600 * 1000).toISOString();
  const { rows: ending } = await db.query<DueRow>(
    `${select} and s.expires_at <= $2 and (s.expiry_warned_at is null or s.expiry_warned_at < s.renewed_at)
     order by s.expires_at limit 500`,
    [nowIso, horizon],
  );
  for (const row of ending) {
    const sent = await db
      .transaction(async (tx) => {
        const marked = await tx.query(
          `update saved_searches set expiry_warned_at = $2
          where id = $1 and (expiry_warned_at is null or expiry_warned_at < renewed_at) returning id`,
          [row.id, nowIso],
        );
        if (marked.rows.length === 0) return false;
        await queueEmail(tx, {
          to: row.email,
          subject: `Votre alerte « ${row.name} » s’arrête bientôt`,
          text: reminderText(base, row, await criteriaLabels(tx, row.criteria)),
          dedupeKey: `saved-search-expiry|${row.id}|${new Date(row.expires_at).toISOString()}`,
          headers: alertListHeaders(base, row.id, row.unsubscribe_token),
        });
        return true;
      })
      .catch(keepGoing);
    if (sent) outcome.reminded++;
  }
  if (firstError) {
    const message = firstError instanceof Error ? firstError.message : String(firstError);
    throw new Error(
      `alertes : ${failed} abonnement(s) en échec (${message}) ; ${outcome.mailed} e-mail(s) envoyé(s), ${outcome.reminded} rappel(s)`,
    );
  }
  return outcome;
}
