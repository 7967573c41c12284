import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { Membership, SessionUser } from '../../../shared/domain/account';
import { clock } from '../clock';
import { attachCvthequeScope } from '../cvtheque/session-scope';
import type { Queryable } from '../db/database';

/** The session cookie over plain HTTP (development, tests). */
export const SESSION_COOKIE = 'session';
/**
 * Over HTTPS: the `__Host-` prefix makes the browser refuse it unless Secure, for this host only
 * and path `/` (no subdomain can set or overwrite it: OWASP ASVS 3.4.4).
 */
export const SECURE_SESSION_COOKIE = '__Host-session';
/** A session lasts 30 days after its last use… */
export const SESSION_IDLE_DAYS = 30;
/**
 * …and 30 days at most after sign-in, used or not: then the password is asked again (ASVS 3.3.2 at
 * level 1; level 2's 12 hours would have a recruiter at a fair without network sign in every day).
 */
export const SESSION_MAX_DAYS = 30;

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: Math.min(SESSION_IDLE_DAYS, SESSION_MAX_DAYS) * 24 * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(SECURE_SESSION_COOKIE, { path: '/', secure: true });
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(db: Queryable, accountId: string, userAgent?: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.query(
    `insert into sessions (token_hash, account_id, expires_at, user_agent)
     values ($1, $2, now() + make_interval(days => $3), $4)`,
    [hashToken(token), accountId, SESSION_IDLE_DAYS, userAgent?.slice(0, 300) ?? null],
  );
  await db.query('update accounts set last_active_at = $2 where id = $1', [
    accountId,
    clock.now().toISOString(),
  ]);
  return token;
}

/**
 * Records that an account was used (RGPD retention: 2 years of inactivity erase a candidate), at
 * most once a day. Reads the server clock, which tests move.
 */
export async function touchActivity(
  db: Queryable,
  accountId: string,
  lastActiveAt: Date | null,
): Promise<void> {
  const now = clock.now();
  if (lastActiveAt && now.getTime() - new Date(lastActiveAt).getTime() < 24 * 3600 * 1000) return;
  await db.query('update accounts set last_active_at = $2 where id = $1', [accountId, now.toISOString()]);
}

export async function revokeSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [hashToken(token)]);
}

/**
 * Closes an account's sessions from elsewhere (password changed, account suspended or deleted),
 * but `exceptTokenHash`. The workstations of those sessions learn at their next request that
 * theirs was revoked (`session-revoked`) and wipe their local data. Returns how many were closed.
 */
export async function closeSessionsRemotely(
  db: Queryable,
  accountId: string,
  exceptTokenHash = '',
): Promise<number> {
  const { rows } = await db.query<{ token_hash: string }>(
    'delete from sessions where account_id = $1::uuid and token_hash <> $2 returning token_hash',
    [accountId, exceptTokenHash],
  );
  if (rows.length > 0) {
    await db.query(
      `insert into revoked_sessions (token_hash, account_id)
       select unnest($1::text[]), $2::uuid on conflict do nothing`,
      [rows.map((r) => r.token_hash), accountId],
    );
  }
  // Older than a session's lifetime: such a token would have expired anyway.
  await db.query(`delete from revoked_sessions where revoked_at < now() - make_interval(days => $1)`, [
    SESSION_IDLE_DAYS,
  ]);
  return rows.length;
}

/** Whether a token belongs to a session closed from elsewhere (see `closeSessionsRemotely`). */
export async function isRevokedToken(db: Queryable, token: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from revoked_sessions where token_hash = $1', [hashToken(token)]);
  return rows.length > 0;
}

interface AccountRow {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  job_title: string | null;
  kind: 'recruiter' | 'candidate';
  email_confirmed: boolean;
  /** JSON text: the memberships, by organisation name, with each organisation's CVthèque keys. */
  memberships: string;
}

/** The account's columns and its memberships (with the organisations' CVthèque keys), as one row. */
const ACCOUNT_COLUMNS = `a.id, a.email, a.first_name, a.last_name, a.job_title, a.kind,
  (a.kind = 'recruiter' or a.email_confirmed_at is not null) as email_confirmed,
  coalesce((select json_agg(json_build_object('organisationId', m.organisation_id, 'organisationName', o.name,
                                              'kind', o.kind, 'role', m.role, 'verified', o.verified,
                                              'scopeKeys', cs.keys) order by o.name)
              from memberships m join organisations o on o.id = m.organisation_id
              left join cvtheque_scopes cs on cs.organisation_id = m.organisation_id
             where m.account_id = a.id), '[]')::text as memberships`;

interface MembershipRow extends Membership {
  /** The organisation's CVthèque keys; null when not computed yet. */
  scopeKeys: string[] | null;
}

async function userFromRow(db: Queryable, a: AccountRow): Promise<SessionUser> {
  const memberships = JSON.parse(a.memberships) as MembershipRow[];
  const user: SessionUser = {
    id: a.id,
    email: a.email,
    firstName: a.first_name,
    lastName: a.last_name,
    ...(a.job_title ? { jobTitle: a.job_title } : {}),
    kind: a.kind,
    emailConfirmed: a.email_confirmed === true,
    memberships: memberships.map((r) => ({
      organisationId: r.organisationId,
      organisationName: r.organisationName,
      kind: r.kind,
      role: r.role,
      verified: r.verified,
    })),
  };
  // The CVthèque keys of its organisations, kept beside the user (never sent to clients).
  await attachCvthequeScope(
    db,
    user,
    new Map(memberships.filter((m) => m.scopeKeys).map((m) => [m.organisationId, m.scopeKeys ?? []])),
  );
  return user;
}

export async function loadUser(db: Queryable, accountId: string): Promise<SessionUser | null> {
  const { rows } = await db.query<AccountRow>(
    `select ${ACCOUNT_COLUMNS} from accounts a where a.id = $1 and a.disabled_at is null`,
    [accountId],
  );
  return rows[0] ? userFromRow(db, rows[0]) : null;
}

/** Resolves a bearer token or session cookie to its user; refreshes the expiry at most hourly. */
export async function userForToken(db: Queryable, token: string): Promise<SessionUser | null> {
  return (await usersForTokens(db, [token])).get(token) ?? null;
}

/**
 * The users of several session tokens in one round trip (a token without a valid session is
 * absent from the answer). Live streams check their session each time they send changes: one
 * write seen by 500 open streams is then one query, not 500.
 */
export async function usersForTokens(
  db: Queryable,
  tokens: readonly string[],
): Promise<Map<string, SessionUser>> {
  const byHash = new Map<string, string[]>();
  for (const token of tokens) {
    const hash = hashToken(token);
    const same = byHash.get(hash);
    if (same) same.push(token);
    else byHash.set(hash, [token]);
  }
  const users = new Map<string, SessionUser>();
  if (byHash.size === 0) return users;
  // One round trip for the sessions, their accounts and memberships: every API call starts here.
  const { rows } = await db.query<
    AccountRow & { token_hash: string; stale: boolean; last_active_at: Date | null }
  >(
    `select s.token_hash, ${ACCOUNT_COLUMNS}, s.last_seen_at < now() - interval '1 hour' as stale, a.last_active_at
       from sessions s join accounts a on a.id = s.account_id
      where s.token_hash = any($1::text[]) and s.expires_at > now() and a.disabled_at is null
        and s.created_at > now() - make_interval(days => $2)`,
    [[...byHash.keys()], SESSION_MAX_DAYS],
  );
  const touched = new Set<string>();
  const stale: string[] = [];
  for (const row of rows) {
    if (!touched.has(row.id)) {
      touched.add(row.id);
      await touchActivity(db, row.id, row.last_active_at);
    }
    if (row.stale) stale.push(row.token_hash);
    const user = await userFromRow(db, row);
    for (const token of byHash.get(row.token_hash) ?? []) users.set(token, user);
  }
  if (stale.length > 0) {
    await db.query(
      `update sessions set last_seen_at = now(),
              expires_at = least(now() + make_interval(days => $2), created_at + make_interval(days => $3))
        where token_hash = any($1::text[])`,
      [stale, SESSION_IDLE_DAYS, SESSION_MAX_DAYS],
    );
  }
  return users;
}
