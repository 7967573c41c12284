/**
 * Replication scope of the CVthèque (issue 5, DESIGN §5 guarantee 3): the scopes of the
 * organisations (`scope-plan.ts`) kept up to date, with the changes of audience they make, and
 * the keys of CV rows that depend on saved lists and applications.
 *
 * - A scope that grows: the CV rows under the new keys get a new position (`engine.restamp`), so
 *   members who synced past them pull them.
 * - A scope that shrinks: each member gets an exit for each CV it can no longer see
 *   (`engine.recordScopeExit`; a pull skips the exit while another key still shows the CV).
 * - Recomputed at startup, by the hourly job `cvtheque-scopes` (an organisation's new offers in a
 *   new domain widen its scope within the hour), and when an organisation without scope signs in.
 */
import type { CvDoc } from '../../../shared/schemas/cv.schema';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { CVTHEQUE_KEY, cvsCollection } from '../domain/cvs';
import type { SyncEngine } from '../sync/engine';
import type { Doc } from '../sync/types';
import { cvAudienceKeysMany } from './audience';
import { cvReplicaKeys } from './keys';
import { CVTHEQUE_ORG_KINDS, computeScope, cvKeyCounts } from './scope-plan';
import { ensureCvSearchIndex } from './search-index';

export interface ScopeChange {
  organisationId: string;
  keys: number;
  cvCount: number;
  added: number;
  removed: number;
  restamped: number;
  exits: number;
}

/** Recomputes one organisation's scope and records the entries and exits it makes. */
export async function recomputeOrganisationScope(
  tx: Queryable,
  engine: SyncEngine,
  organisationId: string,
  options: { cap?: number; counts?: Map<string, number> } = {},
): Promise<ScopeChange | null> {
  const previous = await tx.query<{ keys: string[] }>(
    'select keys from cvtheque_scopes where organisation_id = $1 for update',
    [organisationId],
  );
  const scope = await computeScope(tx, organisationId, options);
  if (!scope) {
    await tx.query('delete from cvtheque_scopes where organisation_id = $1', [organisationId]);
    return null;
  }
  await tx.query(
    `insert into cvtheque_scopes (organisation_id, keys, cv_count, computed_at) values ($1, $2, $3, $4)
     on conflict (organisation_id) do update set keys = excluded.keys, cv_count = excluded.cv_count,
       computed_at = excluded.computed_at`,
    [organisationId, scope.keys, scope.cvCount, clock.now().toISOString()],
  );
  const change: ScopeChange = {
    organisationId,
    keys: scope.keys.length,
    cvCount: scope.cvCount,
    added: 0,
    removed: 0,
    restamped: 0,
    exits: 0,
  };
  const old = previous.rows[0]?.keys;
  if (!old) return change;
  const added = scope.keys.filter((k) => !old.includes(k));
  const removed = old.filter((k) => !scope.keys.includes(k));
  change.added = added.length;
  change.removed = removed.length;
  if (added.length > 0) {
    const { rows } = await tx.query<{ id: string }>(
      'select id from cvs where not deleted and keys && $1::text[] and not (keys && $2::text[])',
      [added, old],
    );
    change.restamped = await engine.restamp(
      tx,
      cvsCollection,
      rows.map((r) => r.id),
    );
  }
  if (removed.length > 0) {
    const { rows } = await tx.query<{ id: string }>(
      'select id from cvs where not deleted and keys && $1::text[] and not (keys && $2::text[])',
      [removed, scope.keys],
    );
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      const members = await tx.query<{ account_id: string }>(
        'select account_id::text from memberships where organisation_id = $1',
        [organisationId],
      );
      for (const m of members.rows) await engine.recordScopeExit(tx, cvsCollection, m.account_id, ids);
      change.exits = ids.length * members.rows.length;
    }
  }
  return change;
}

/**
 * Recomputes the scopes of every CVthèque organisation (or those computed before `staleBefore`),
 * one transaction each, with one count of CVs per key for all.
 */
export async function recomputeScopes(
  db: Database,
  engine: SyncEngine,
  options: { cap?: number; staleBefore?: Date } = {},
): Promise<{ organisations: number; grown: number; shrunk: number }> {
  const { rows } = await db.query<{ id: string }>(
    `select o.id::text as id from organisations o
       left join cvtheque_scopes s on s.organisation_id = o.id
      where o.kind = any($1::text[]) and ($2::timestamptz is null or s.computed_at is null or s.computed_at < $2)
      order by o.id`,
    [CVTHEQUE_ORG_KINDS, options.staleBefore?.toISOString() ?? null],
  );
  const out = { organisations: 0, grown: 0, shrunk: 0 };
  if (rows.length === 0) return out;
  const counts = await cvKeyCounts(db);
  for (const r of rows) {
    const change = await db.transaction((tx) =>
      recomputeOrganisationScope(tx, engine, r.id, {
        counts,
        ...(options.cap !== undefined ? { cap: options.cap } : {}),
      }),
    );
    if (!change) continue;
    out.organisations++;
    if (change.added) out.grown++;
    if (change.removed) out.shrunk++;
  }
  return out;
}

/**
 * Recomputes the audience of CV rows (after a saved list or an application changed) and rewrites
 * those whose keys changed: a new position for new readers, exits for those who lost it.
 */
export async function refreshCvKeys(tx: Queryable, engine: SyncEngine, cvIds: string[]): Promise<void> {
  const ids = [...new Set(cvIds)].filter((id) => typeof id === 'string' && id.length > 0 && id.length <= 36);
  if (ids.length === 0) return;
  const { rows } = await tx.query<{ id: string; doc: CvDoc; keys: string[]; deleted: boolean }>(
    'select id, doc, keys, deleted from cvs where id = any($1::text[]) order by id for update',
    [ids],
  );
  const audience = await cvAudienceKeysMany(
    tx,
    rows.map((r) => r.id),
  );
  for (const row of rows) {
    if (row.deleted) continue;
    const keys = [...new Set([...cvReplicaKeys(row.doc), ...(audience.get(row.id) ?? [])])];
    if (keys.length === row.keys.length && keys.every((k) => row.keys.includes(k))) continue;
    await engine.write(tx, cvsCollection, row.doc as unknown as Doc, false, { keys, previousKeys: row.keys });
  }
}

/**
 * Startup (issue 5): rows still under the former single key get their scoped keys (their
 * replicas get exits through « cvtheque »), the search index is completed, scopes are computed.
 */
export async function prepareCvtheque(db: Database, engine: SyncEngine): Promise<void> {
  for (;;) {
    const { rows } = await db.query<{ id: string }>(
      'select id from cvs where keys && $1::text[] and not deleted order by id limit 500',
      [[CVTHEQUE_KEY]],
    );
    if (rows.length === 0) break;
    await db.transaction((tx) =>
      refreshCvKeys(
        tx,
        engine,
        rows.map((r) => r.id),
      ),
    );
  }
  await ensureCvSearchIndex(db);
  await recomputeScopes(db, engine);
}

/** The hourly job: scopes computed more than an hour ago. */
export function cvthequeScopeJob(deps: { db: Database; engine: SyncEngine }) {
  return {
    name: 'cvtheque-scopes',
    run: (now: Date) =>
      recomputeScopes(deps.db, deps.engine, { staleBefore: new Date(now.getTime() - 3_600_000) }),
  };
}

async function scopeKeysOf(tx: Queryable, organisationId: string): Promise<string[]> {
  const { rows } = await tx.query<{ keys: string[] }>(
    'select keys from cvtheque_scopes where organisation_id = $1',
    [organisationId],
  );
  return rows[0]?.keys ?? [];
}

/**
 * An account joined a CVthèque organisation (to call beside `recordMembershipEntry`): the CVs of
 * the organisation's scope get a new position, so a newcomer whose replica is already past them
 * (a member of another organisation) pulls them.
 */
export async function cvthequeMembershipEntry(
  tx: Queryable,
  engine: SyncEngine,
  organisationId: string,
): Promise<number> {
  const keys = await scopeKeysOf(tx, organisationId);
  if (keys.length === 0) return 0;
  const { rows } = await tx.query<{ id: string }>(
    'select id from cvs where not deleted and keys && $1::text[]',
    [keys],
  );
  return engine.restamp(
    tx,
    cvsCollection,
    rows.map((r) => r.id),
  );
}

/**
 * An account left a CVthèque organisation (to call beside `recordMembershipExit`): the CVs of
 * the organisation's scope leave its replica, except those it still sees through another key.
 */
export async function cvthequeMembershipExit(
  tx: Queryable,
  engine: SyncEngine,
  organisationId: string,
  accountId: string,
): Promise<void> {
  const keys = await scopeKeysOf(tx, organisationId);
  if (keys.length === 0) return;
  const { rows } = await tx.query<{ id: string }>(
    'select id from cvs where not deleted and keys && $1::text[]',
    [keys],
  );
  await engine.recordScopeExit(
    tx,
    cvsCollection,
    accountId,
    rows.map((r) => r.id),
  );
}
