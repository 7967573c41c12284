/**
 * CVthèque routes for the workstation (bearer token or session cookie, like the sync routes):
 * - `POST /api/cvtheque/search` `{ criteria }` → `CvSearchResponse` (source « serveur »);
 * - `GET /api/cvtheque/scope` → what this user's replica holds: départements and domains
 *   (French labels), the number of CVs, the cap (« ce qui est disponible hors ligne »).
 */
import type { FastifyInstance } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import { ROME_DOMAINS, romeDomainLabel } from '../../../shared/domain/rome-domains';
import { requireUser } from '../auth/request-user';
import type { Database, Queryable } from '../db/database';
import { badRequest, forbidden } from '../http-error';
import { userKeys } from '../sync/types';
import { CVT_ALL, cvtDepartementKey, NONE } from './keys';
import { departementCentres } from './places';
import { departementsByDistance, isCvthequeKind, replicaCap } from './scope-plan';
import { CVTHEQUE_FORBIDDEN, searchCvtheque } from './search';
import { isCvthequeUser, sessionCvthequeKeys } from './session-scope';

export interface CvthequeScopeSummary {
  /** Départements replicated, nearest first as chosen, each with the domains replicated there. */
  departements: { code: string; label: string; domains: string[] }[];
  domains: { code: string; label: string }[];
  /** CVs in this user's replica (scopes, lists, applications). */
  cvCount: number;
  cap: number;
  /** The whole CVthèque is replicated (it is within the cap). */
  whole: boolean;
  organisations: { organisationId: string; name: string; cvCount: number; computedAt: string }[];
}

export function departementLabel(code: string): string {
  if (code === NONE) return 'Sans commune indiquée';
  const d = departementCentres().get(code);
  return d ? `${d.name} (${code})` : `Département ${code}`;
}

export function domainLabel(code: string): string {
  return code === NONE ? 'Sans domaine indiqué' : `${romeDomainLabel(code)} (${code})`;
}

export async function cvthequeScopeSummary(q: Queryable, user: SessionUser): Promise<CvthequeScopeSummary> {
  if (!isCvthequeUser(user)) throw forbidden(CVTHEQUE_FORBIDDEN);
  const byDept = new Map<string, Set<string>>();
  const allDomains = [...ROME_DOMAINS.map((d) => d.code as string), NONE];
  const keys = sessionCvthequeKeys(user);
  const whole = keys.includes(CVT_ALL)
    ? departementsByDistance(null, []).map((d) => cvtDepartementKey(d))
    : keys;
  for (const key of whole) {
    const [, dept, domain] = key.split(':');
    if (!dept || !domain) continue;
    if (!byDept.has(dept)) byDept.set(dept, new Set());
    for (const d of domain === '*' ? allDomains : [domain]) byDept.get(dept)!.add(d);
  }
  const domains = new Set<string>();
  for (const set of byDept.values()) for (const d of set) domains.add(d);
  const count = await q.query<{ n: number }>(
    'select count(*)::int as n from cvs where not deleted and keys && $1::text[]',
    [userKeys(user)],
  );
  const orgIds = user.memberships.filter((m) => isCvthequeKind(m.kind)).map((m) => m.organisationId);
  const scopes = await q.query<{ id: string; cv_count: number; computed_at: Date | string }>(
    'select organisation_id::text as id, cv_count, computed_at from cvtheque_scopes where organisation_id = any($1::uuid[])',
    [orgIds],
  );
  return {
    // « Sans commune indiquée » last.
    departements: [...byDept]
      .sort(([a], [b]) => Number(a === NONE) - Number(b === NONE))
      .map(([code, set]) => ({
        code,
        label: departementLabel(code),
        domains: [...set].sort(),
      })),
    domains: [...domains].sort().map((code) => ({ code, label: domainLabel(code) })),
    cvCount: Number(count.rows[0]?.n ?? 0),
    cap: replicaCap(),
    whole: keys.includes(CVT_ALL),
    organisations: scopes.rows.map((r) => ({
      organisationId: r.id,
      name: user.memberships.find((m) => m.organisationId === r.id)?.organisationName ?? '',
      cvCount: Number(r.cv_count),
      computedAt: new Date(r.computed_at).toISOString(),
    })),
  };
}

export async function registerCvthequeRoutes(app: FastifyInstance, deps: { db: Database }): Promise<void> {
  const { db } = deps;
  app.post('/api/cvtheque/search', async (request) => {
    const user = await requireUser(db, request);
    if (!isCvthequeUser(user)) throw forbidden(CVTHEQUE_FORBIDDEN);
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      const message = 'Envoyez les critères de recherche : { "criteria": { … } }.';
      throw badRequest(message, [{ field: 'criteria', message }]);
    }
    return searchCvtheque(db, user, (body as { criteria?: unknown }).criteria as never);
  });

  app.get('/api/cvtheque/scope', async (request) => {
    const user = await requireUser(db, request);
    return cvthequeScopeSummary(db, user);
  });
}
