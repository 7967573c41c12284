/**
 * The CVthèque keys of a signed-in user, loaded with the memberships (`auth/sessions.ts`
 * `loadUser`) and read by `userKeys`. They are kept beside the session object (a WeakMap), never
 * in it: the user object goes to clients, the keys (up to about 1,500) stay on the server.
 */
import type { SessionUser } from '../../../shared/domain/account';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { computeScope, isCvthequeKind } from './scope-plan';

const scopes = new WeakMap<SessionUser, string[]>();

export function sessionCvthequeKeys(user: SessionUser): readonly string[] {
  return scopes.get(user) ?? [];
}

/** Whether the user may use the CVthèque (DESIGN §6: recruiters, advisors, training bodies). */
export function isCvthequeUser(user: SessionUser): boolean {
  return user.kind !== 'candidate' && user.memberships.some((m) => isCvthequeKind(m.kind));
}

/**
 * Loads the scopes of the user's CVthèque organisations; an organisation without one yet (new)
 * gets it computed now (its members replicated nothing of the CVthèque through it before).
 */
export async function attachCvthequeScope(
  q: Queryable,
  user: SessionUser,
  /** The keys already read with the memberships, by organisation (those without: read or computed here). */
  known: ReadonlyMap<string, string[]> = new Map(),
): Promise<void> {
  if (user.kind === 'candidate') return;
  const orgs = user.memberships.filter((m) => isCvthequeKind(m.kind)).map((m) => m.organisationId);
  if (orgs.length === 0) return;
  const keys = new Set<string>();
  for (const id of orgs) for (const k of known.get(id) ?? []) keys.add(k);
  const unknown = orgs.filter((o) => !known.has(o));
  const { rows } =
    unknown.length === 0
      ? { rows: [] as { id: string; keys: string[] }[] }
      : await q.query<{ id: string; keys: string[] }>(
          'select organisation_id::text as id, keys from cvtheque_scopes where organisation_id = any($1::uuid[])',
          [unknown],
        );
  for (const r of rows) for (const k of r.keys) keys.add(k);
  for (const id of unknown.filter((o) => !rows.some((r) => r.id === o))) {
    const scope = await computeScope(q, id);
    if (!scope) continue;
    const stored = await q.query<{ keys: string[] }>(
      `insert into cvtheque_scopes (organisation_id, keys, cv_count, computed_at) values ($1, $2, $3, $4)
       on conflict (organisation_id) do update set organisation_id = excluded.organisation_id
       returning keys`,
      [id, scope.keys, scope.cvCount, clock.now().toISOString()],
    );
    for (const k of stored.rows[0]?.keys ?? scope.keys) keys.add(k);
  }
  scopes.set(user, [...keys]);
}
