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
 * - Unsubscribing without an account, with the token of the alert e-mails:
 *   - `GET /api/public/alerts/unsubscribe/:token` → `{ name, active }`, never changes anything
 *     (mail scanners open links). A browser asking for HTML is sent to the page
 *     `/alertes/desinscription?jeton=…`, whose button unsubscribes.
 *   - `POST /api/public/alerts/unsubscribe/:token` with `List-Unsubscribe=One-Click` (RFC 8058,
 *     `application/x-www-form-urlencoded` or `multipart/form-data`): the `List-Unsubscribe-Post`
 *     header of the e-mails, used by the mail providers' « Se désabonner ».
 *   - `POST /api/public/alerts/unsubscribe` {token}: the page's button.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
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
/** The tokens we issue: 32 random bytes in base64url. */
const UNSUBSCRIBE_TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** A one-click body is `List-Unsubscribe=One-Click`: anything much longer is not one. */
const ONE_CLICK_BODY_LIMIT = 4096;

function invalidUnsubscribeLink(): HttpError {
  return new HttpError(
    404,
    'not-found',
    'Ce lien de désinscription n’est pas valide : copiez le lien complet depuis l’e-mail, ou gérez vos alertes depuis « Mes alertes ».',
    [{ field: 'token', message: 'Lien de désinscription invalide ou incomplet.' }],
  );
}

function oneClickExpected(): HttpError {
  return badRequest(
    'Demande de désinscription invalide : le corps doit contenir List-Unsubscribe=One-Click (RFC 8058).',
    [{ field: 'List-Unsubscribe', message: 'Valeur attendue : One-Click.' }],
  );
}

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

/** The alert holding this token, as the unsubscribe page shows it (nothing is changed). */
export async function subscriptionByToken(
  q: Queryable,
  token: string,
  now: Date = clock.now(),
): Promise<{ name: string; active: boolean } | null> {
  if (!UNSUBSCRIBE_TOKEN.test(token)) return null;
  const { rows } = await q.query<{ name: string; alert_enabled: boolean; expires_at: Date | string }>(
    'select name, alert_enabled, expires_at from saved_searches where unsubscribe_token = $1',
    [token],
  );
  const row = rows[0];
  if (!row) return null;
  return { name: row.name, active: row.alert_enabled && Date.parse(iso(row.expires_at)) > now.getTime() };
}

/**
 * The fields of a small `multipart/form-data` body (RFC 7578), enough for the RFC 8058 one-click
 * POST: text parts only, by their `name`.
 */
export function multipartFields(contentType: string, body: string): Record<string, string> {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw oneClickExpected();
  const fields: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`).slice(1)) {
    if (part.startsWith('--')) break;
    const content = part.replace(/^\r?\n/, '');
    const end = /\r?\n\r?\n/.exec(content);
    if (!end) continue;
    const head = content.slice(0, end.index);
    const name = /^content-disposition:\s*form-data;[^\r\n]*?\bname="([^"]*)"/im.exec(head)?.[1];
    if (name !== undefined && !(name in fields))
      fields[name] = content.slice(end.index + end[0].length).replace(/\r?\n$/, '');
  }
  return fields;
}

/** The `List-Unsubscribe` field of a one-click body (form, multipart or JSON), if any. */
function oneClickValue(body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  return Object.hasOwn(body, 'List-Unsubscribe')
    ? (body as Record<string, unknown>)['List-Unsubscribe']
    : undefined;
}

/** Stops the alert of the subscription holding this token (again: no change, same answer). */
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
    if (!UNSUBSCRIBE_TOKEN.test(token)) throw invalidUnsubscribeLink();
    const done = await unsubscribeByToken(db, token);
    if (!done) throw invalidUnsubscribeLink();
    return { unsubscribed: true, name: done.name };
  });

  // The address of the `List-Unsubscribe` header, in its own scope: the form parsers (RFC 8058
  // bodies) and their error answers apply to these routes only.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: ONE_CLICK_BODY_LIMIT },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    scope.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'string', bodyLimit: ONE_CLICK_BODY_LIMIT },
      (request: FastifyRequest, body, done) => {
        try {
          done(null, multipartFields(String(request.headers['content-type'] ?? ''), String(body)));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );
    scope.setErrorHandler(async (error: FastifyError) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        throw new HttpError(
          413,
          'payload-too-large',
          'Demande de désinscription trop longue : seul List-Unsubscribe=One-Click est attendu.',
        );
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        throw new HttpError(
          415,
          'unsupported-media-type',
          'Type de contenu non pris en charge : envoyez List-Unsubscribe=One-Click en application/x-www-form-urlencoded ou multipart/form-data.',
        );
      throw error;
    });

    scope.get<{ Params: { token: string } }>(
      '/api/public/alerts/unsubscribe/:token',
      // A malformed token (even one with U+0000) is the link's own French 404, checked below.
      { config: { ownParamCheck: true } },
      async (request, reply) => {
        const token = request.params.token;
        // Someone opening the header's address in a browser gets the page (which asks first).
        const accept = String(request.headers.accept ?? '');
        if (/text\/html/i.test(accept) && !/application\/json/i.test(accept))
          return reply.redirect(`/alertes/desinscription?jeton=${encodeURIComponent(token)}`, 303);
        const found = await subscriptionByToken(db, token);
        if (!found) throw invalidUnsubscribeLink();
        reply.header('cache-control', 'no-store');
        return found;
      },
    );

    scope.post<{ Params: { token: string } }>(
      '/api/public/alerts/unsubscribe/:token',
      { bodyLimit: ONE_CLICK_BODY_LIMIT, config: { ownParamCheck: true } },
      async (request, reply) => {
        const token = request.params.token;
        if (!UNSUBSCRIBE_TOKEN.test(token)) throw invalidUnsubscribeLink();
        if (oneClickValue(request.body) !== 'One-Click') throw oneClickExpected();
        const done = await unsubscribeByToken(db, token);
        if (!done) throw invalidUnsubscribeLink();
        reply.header('cache-control', 'no-store');
        return { unsubscribed: true, name: done.name };
      },
    );
  });
}
