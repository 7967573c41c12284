/**
 * Saved searches and their alerts (seed 002 « L'abonnement aux offres par email »). Routes decode
 * and encode; the functions below do the work (the alert job is jobs/saved-search-alerts.ts).
 *
 * - `GET /api/candidate/alerts`: the candidate's saved searches; consulting them renews every
 *   subscription still enabled for 3 months (seed 002: « chaque consultation depuis l'espace
 *   personnel du candidat reconduit automatiquement cette inscription pour 3 mois »).
 * - `POST /api/candidate/alerts` {name, criteria}: saves a search (subscribed for 3 months).
 * - `PATCH /api/candidate/alerts/:id` {name}: renames; `DELETE /api/candidate/alerts/:id`.
 * - `POST /api/candidate/alerts/:id/renew`: renews (and subscribes again after an unsubscription).
 * - `POST /api/public/alerts/unsubscribe` {token}: the one-click link of every alert e-mail.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type OfferSearchCriteria, validateCriteria } from '../../../shared/domain/offer-search';
import {
  type CriteriaLabels,
  describeCriteria,
  hasCriteria,
  MAX_SAVED_SEARCHES,
  normaliseCriteria,
  type SavedSearch,
  subscriptionEnd,
  validateSearchName,
} from '../../../shared/domain/saved-search';
import { requireCandidate } from '../auth/request-user';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { asRecord } from '../domain/route-helpers';
import { badRequest, HttpError, notFound } from '../http-error';
import { resolvePlace } from '../search/places';
import type { CandidateDeps } from './deps';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'Cette recherche enregistrée n’existe pas (ou plus).';

export interface SavedSearchRow {
  id: string;
  account_id: string;
  name: string;
  criteria: OfferSearchCriteria;
  created_at: Date | string;
  renewed_at: Date | string;
  expires_at: Date | string;
  alert_enabled: boolean;
  last_alert_at: Date | string;
  unsubscribe_token: string;
}

const iso = (value: Date | string) => new Date(value).toISOString();

/** The names of the coded criteria (place, ROME appellation and code), from the reference data. */
export async function criteriaLabels(q: Queryable, c: OfferSearchCriteria): Promise<CriteriaLabels> {
  const labels: CriteriaLabels = {};
  if (c.place) {
    try {
      const place = resolvePlace(c.place);
      if (place) labels.place = place.label;
    } catch {
      // Reference data not installed: the code is shown.
    }
  }
  if (c.appellation) {
    const { rows } = await q.query<{ label: string }>(
      'select label from rome_appellations where code_ogr = $1',
      [c.appellation],
    );
    if (rows[0]) labels.appellation = rows[0].label;
  }
  if (c.romeCode) {
    const { rows } = await q.query<{ label: string }>('select label from rome_codes where code = $1', [
      c.romeCode,
    ]);
    if (rows[0]) labels.romeCode = rows[0].label;
  }
  return labels;
}

export function toSavedSearch(
  row: SavedSearchRow,
  now: Date = clock.now(),
  labels: CriteriaLabels = {},
): SavedSearch {
  const expiresAt = iso(row.expires_at);
  return {
    id: row.id,
    name: row.name,
    criteria: row.criteria,
    summary: describeCriteria(row.criteria, labels),
    createdAt: iso(row.created_at),
    expiresAt,
    alertEnabled: row.alert_enabled,
    active: row.alert_enabled && Date.parse(expiresAt) > now.getTime(),
    lastAlertAt: row.last_alert_at ? iso(row.last_alert_at) : null,
  };
}

const COLUMNS = `id::text, account_id::text, name, criteria, created_at, renewed_at, expires_at, alert_enabled,
  last_alert_at, unsubscribe_token`;

/** Validates a body's criteria; throws a 400 naming the fields at fault. */
export function parseCriteria(value: unknown): OfferSearchCriteria {
  const result = normaliseCriteria(value);
  if (!result.criteria) throw badRequest('Les critères de recherche sont invalides.', result.problems);
  const meaning = validateCriteria(result.criteria);
  if (meaning.length > 0)
    throw badRequest(
      'Les critères de recherche sont invalides.',
      meaning.map((e) => ({ field: `criteria.${e.field}`, message: e.message })),
    );
  if (!hasCriteria(result.criteria))
    throw badRequest('Choisissez au moins un critère avant d’enregistrer la recherche.', [
      { field: 'criteria', message: 'Choisissez au moins un critère (mots-clés, lieu, contrat…).' },
    ]);
  return result.criteria;
}

function parseName(value: unknown): string {
  const result = validateSearchName(value);
  if ('field' in result) throw badRequest(result.message, [result]);
  return result.name;
}

export async function listSavedSearches(q: Queryable, accountId: string): Promise<SavedSearchRow[]> {
  const { rows } = await q.query<SavedSearchRow>(
    `select ${COLUMNS} from saved_searches where account_id = $1 order by created_at desc, id`,
    [accountId],
  );
  return rows;
}

export async function createSavedSearch(
  q: Queryable,
  accountId: string,
  input: { name: string; criteria: OfferSearchCriteria },
  now: Date = clock.now(),
): Promise<SavedSearchRow> {
  const { rows: count } = await q.query<{ n: number }>(
    'select count(*)::int as n from saved_searches where account_id = $1',
    [accountId],
  );
  if (Number(count[0]?.n ?? 0) >= MAX_SAVED_SEARCHES)
    throw new HttpError(
      409,
      'conflict',
      `Vous avez déjà ${MAX_SAVED_SEARCHES} recherches enregistrées : supprimez-en une avant d’en ajouter une autre.`,
    );
  const { rows } = await q.query<SavedSearchRow>(
    `insert into saved_searches (id, account_id, name, criteria, created_at, renewed_at, expires_at,
                                 alert_enabled, last_alert_at, unsubscribe_token)
     values ($1, $2, $3, $4, $5, $5, $6, true, $5, $7)
     returning ${COLUMNS}`,
    [
      randomUUID(),
      accountId,
      input.name,
      JSON.stringify(input.criteria),
      now.toISOString(),
      subscriptionEnd(now).toISOString(),
      randomBytes(32).toString('base64url'),
    ],
  );
  return rows[0]!;
}

/**
 * Renews subscriptions for 3 months from now: one (`id`), or every enabled one of the account
 * (consulting « Mes alertes »). A subscription that had ended or was unsubscribed starts again
 * from now: its next alert holds the offers published from now on, not those of the gap.
 */
export async function renewSavedSearches(
  q: Queryable,
  accountId: string,
  options: { id?: string; now?: Date } = {},
): Promise<SavedSearchRow[]> {
  const now = options.now ?? clock.now();
  const { rows } = await q.query<SavedSearchRow>(
    `update saved_searches
        set last_alert_at = case when not alert_enabled or expires_at <= $3 then $3 else last_alert_at end,
            alert_enabled = true, renewed_at = $3, expires_at = $4
      where account_id = $1 and ($2::uuid is null and alert_enabled or id = $2::uuid)
      returning ${COLUMNS}`,
    [accountId, options.id ?? null, now.toISOString(), subscriptionEnd(now).toISOString()],
  );
  return rows;
}

export async function renameSavedSearch(
  q: Queryable,
  accountId: string,
  id: string,
  name: string,
): Promise<SavedSearchRow | null> {
  const { rows } = await q.query<SavedSearchRow>(
    `update saved_searches set name = $3 where account_id = $1 and id = $2 returning ${COLUMNS}`,
    [accountId, id, name],
  );
  return rows[0] ?? null;
}

export async function deleteSavedSearch(q: Queryable, accountId: string, id: string): Promise<boolean> {
  const { rows } = await q.query(
    'delete from saved_searches where account_id = $1 and id = $2 returning id',
    [accountId, id],
  );
  return rows.length > 0;
}

/** The one-click link: stops the alert of the subscription holding this token. */
export async function unsubscribeByToken(q: Queryable, token: string): Promise<{ name: string } | null> {
  const { rows } = await q.query<{ name: string }>(
    'update saved_searches set alert_enabled = false where unsubscribe_token = $1 returning name',
    [token],
  );
  return rows[0] ?? null;
}

function searchId(raw: string): string {
  if (!UUID.test(raw)) throw notFound(NOT_FOUND);
  return raw.toLowerCase();
}

export async function registerAlertRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db } = deps;

  app.get('/api/candidate/alerts', async (request) => {
    const user = await requireCandidate(db, request);
    const now = clock.now();
    const items = await db.transaction(async (tx) => {
      await renewSavedSearches(tx, user.id, { now });
      return listSavedSearches(tx, user.id);
    });
    const described = await Promise.all(
      items.map(async (r) => toSavedSearch(r, now, await criteriaLabels(db, r.criteria))),
    );
    return { items: described };
  });

  app.post('/api/candidate/alerts', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const body = asRecord(request.body);
    const problems: { field: string; message: string }[] = [];
    let name = '';
    let criteria: OfferSearchCriteria = {};
    try {
      name = parseName(body.name);
    } catch (error) {
      if (error instanceof HttpError && error.fields) problems.push(...error.fields);
      else throw error;
    }
    try {
      criteria = parseCriteria(body.criteria);
    } catch (error) {
      if (error instanceof HttpError && error.fields) problems.push(...error.fields);
      else throw error;
    }
    if (problems.length > 0) throw badRequest('La recherche ne peut pas être enregistrée.', problems);
    const row = await db.transaction((tx) => createSavedSearch(tx, user.id, { name, criteria }));
    reply.code(201);
    return toSavedSearch(row, clock.now(), await criteriaLabels(db, row.criteria));
  });

  app.patch<{ Params: { id: string } }>('/api/candidate/alerts/:id', async (request) => {
    const user = await requireCandidate(db, request);
    const id = searchId(request.params.id);
    const body = asRecord(request.body);
    const name = parseName(body.name);
    const row = await renameSavedSearch(db, user.id, id, name);
    if (!row) throw notFound(NOT_FOUND);
    return toSavedSearch(row, clock.now(), await criteriaLabels(db, row.criteria));
  });

  app.delete<{ Params: { id: string } }>('/api/candidate/alerts/:id', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const id = searchId(request.params.id);
    if (!(await deleteSavedSearch(db, user.id, id))) throw notFound(NOT_FOUND);
    reply.code(204).send();
  });

  app.post<{ Params: { id: string } }>('/api/candidate/alerts/:id/renew', async (request) => {
    const user = await requireCandidate(db, request);
    const id = searchId(request.params.id);
    const [row] = await renewSavedSearches(db, user.id, { id });
    if (!row) throw notFound(NOT_FOUND);
    return toSavedSearch(row, clock.now(), await criteriaLabels(db, row.criteria));
  });

  app.post('/api/public/alerts/unsubscribe', async (request) => {
    const body = asRecord(request.body);
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const invalid = () =>
      new HttpError(
        404,
        'not-found',
        'Ce lien de désinscription n’est pas valide : copiez le lien complet depuis l’e-mail, ou gérez vos alertes depuis « Mes alertes ».',
        [{ field: 'token', message: 'Lien de désinscription invalide ou incomplet.' }],
      );
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw invalid();
    const done = await unsubscribeByToken(db, token);
    if (!done) throw invalid();
    return { unsubscribed: true, name: done.name };
  });
}
