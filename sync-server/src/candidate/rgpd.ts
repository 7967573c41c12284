/**
 * RGPD rights of a candidate (seeds 003, 004; DESIGN §6): export of all their data, and erasure of
 * the account with everything it holds.
 *
 * - `GET /api/candidate/export`: a zip with `donnees.json` (the account without its password hash,
 *   then every area of `PERSONAL_DATA_STEPS`) and the files the areas list (CVs, photo…).
 * - `DELETE /api/candidate/account` {password}: erases everything in ONE transaction (see
 *   `eraseCandidate`), then clears the session cookie.
 *
 * The retention job (jobs/rgpd-retention.ts) erases inactive accounts with `eraseCandidate` too.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { strToU8, zipSync } from 'fflate';
import { getDummyHash, verifyPassword } from '../auth/password';
import { requireCandidate } from '../auth/request-user';
import { LOGIN_LIMITS } from '../auth/routes';
import { clearSessionCookie } from '../auth/sessions';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { asRecord } from '../domain/route-helpers';
import { badRequest, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import type { CandidateDeps } from './deps';
import { PERSONAL_DATA_STEPS } from './personal-data';

export interface CandidateExport {
  json: Record<string, unknown>;
  files: { name: string; bytes: Uint8Array }[];
}

/** Everything the server holds about a candidate, area by area, with the files they listed. */
export async function exportCandidateData(q: Queryable, accountId: string): Promise<CandidateExport> {
  const { rows } = await q.query<{ account: Record<string, unknown> }>(
    `select to_jsonb(a) - 'password_hash' as account from accounts a where a.id = $1 and a.kind = 'candidate'`,
    [accountId],
  );
  const account = rows[0]?.account;
  if (!account) throw notFound('Compte introuvable.');
  const json: Record<string, unknown> = {
    exporteLe: clock.now().toISOString(),
    compte: account,
  };
  const files: CandidateExport['files'] = [];
  const usedNames = new Set<string>();
  for (const step of PERSONAL_DATA_STEPS) {
    const { data, files: listed } = await step.exportData(q, accountId);
    json[step.name] = data;
    for (const file of listed) {
      if (!/^[0-9a-f]{64}$/.test(file.sha256)) continue;
      const { rows: found } = await q.query<{ bytes: Uint8Array }>(
        'select bytes from files where sha256 = $1',
        [file.sha256],
      );
      const bytes = found[0]?.bytes;
      if (!bytes) continue;
      let name = safeArchiveName(file.name, `${step.name}/${file.sha256.slice(0, 12)}`);
      for (let n = 2; usedNames.has(name); n++) name = name.replace(/(\.[^./]+)?$/, (ext) => `-${n}${ext}`);
      usedNames.add(name);
      files.push({ name, bytes: new Uint8Array(bytes) });
    }
  }
  json.fichiers = files.map((f) => f.name);
  return { json, files };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what we replace.
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f:*?"<>|]/g;

/** A file name inside the archive: relative, no `..`, printable. */
function safeArchiveName(name: string, fallback: string): string {
  const parts = name
    .replace(/\\/g, '/')
    .split('/')
    .map((p) => p.replace(UNSAFE_NAME_CHARS, '_').trim())
    .filter((p) => p && p !== '.' && p !== '..');
  const joined = parts.join('/').slice(0, 200);
  return joined && joined !== 'donnees.json' ? joined : fallback;
}

export function exportZip(data: CandidateExport): Uint8Array {
  const entries: Record<string, Uint8Array> = {
    'donnees.json': strToU8(JSON.stringify(data.json, null, 2)),
  };
  for (const f of data.files) entries[f.name] = f.bytes;
  return zipSync(entries, { level: 6 });
}

/**
 * Erases a candidate account and all its data, inside the caller's transaction: every area's
 * step (replicated documents become tombstones, which replicas drop at their next pull), then
 * sessions, tokens, failed sign-ins, e-mails addressed to them or naming them, the files only
 * they uploaded, the audience keys naming them, and the account row. The audit log keeps one entry
 * with a random id and no personal data; older entries about them lose their id.
 */
export async function eraseCandidate(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
  reason: 'demande' | 'inactivite',
): Promise<void> {
  const { rows } = await tx.query<{ email: string; first_name: string; last_name: string }>(
    `select email, first_name, last_name from accounts where id = $1 and kind = 'candidate' for update`,
    [accountId],
  );
  const account = rows[0];
  if (!account) throw notFound('Compte introuvable.');
  const email = account.email.trim().toLowerCase();
  const fullName = `${account.first_name} ${account.last_name}`.trim();

  for (const step of PERSONAL_DATA_STEPS) await step.erase(tx, engine, accountId);

  // Files: those only this account uploaded go (with their references); shared bytes stay.
  const { rows: uploads } = await tx.query<{ sha256: string }>(
    `select sha256 from file_uploaders where account_id = $1
     union select sha256 from files where uploaded_by = $1`,
    [accountId],
  );
  await tx.query('delete from file_uploaders where account_id = $1', [accountId]);
  for (const { sha256 } of uploads) {
    const { rows: others } = await tx.query<{ account_id: string }>(
      'select account_id::text from file_uploaders where sha256 = $1 order by created_at limit 1',
      [sha256],
    );
    if (others[0]) {
      await tx.query('update files set uploaded_by = $2 where sha256 = $1 and uploaded_by = $3', [
        sha256,
        others[0].account_id,
        accountId,
      ]);
    } else {
      await tx.query('delete from file_refs where sha256 = $1', [sha256]);
      await tx.query('delete from files where sha256 = $1', [sha256]);
    }
  }

  await tx.query('delete from sessions where account_id = $1', [accountId]);
  await tx.query('delete from email_changes where account_id = $1', [accountId]);
  await tx.query(`delete from login_failures where key = any($1::text[]) or position($2 in lower(key)) > 0`, [
    [`email:${email}`, `account:${accountId}`],
    email,
  ]);
  // E-mails to them, and e-mails to others that name them anywhere (copies, reply address, text).
  const needles = [email, accountId, ...(fullName.length >= 5 ? [fullName.toLowerCase()] : [])];
  await tx.query(
    `delete from email_outbox e
      where lower(e.to_address) = $1
         or exists (select 1 from unnest($2::text[]) n where position(n in lower(e::text)) > 0)`,
    [email, needles],
  );
  // Notices addressed to them (the server's messages to one user).
  await tx.query(`delete from notices where doc->>'userId' = $1`, [accountId]);
  // Their own audience key (`user:<id>`, sync/types.ts): replicas of others keep their keys and tombstones.
  const ownKey = `user:${accountId}`;
  for (const table of [...new Set(Object.values(engine.collections).map((c) => c.table))]) {
    await tx.query(`update ${table} set keys = array_remove(keys, $1) where keys && array[$1]::text[]`, [
      ownKey,
    ]);
  }
  await tx.query('update sync_exits set keys = array_remove(keys, $1) where keys && array[$1]::text[]', [
    ownKey,
  ]);
  await tx.query(`delete from sync_exits where keys = '{}'::text[]`);
  // The audit log keeps what happened, not who.
  await tx.query('update audit_log set actor_id = null where actor_id = $1', [accountId]);
  await tx.query('update audit_log set document_id = null where document_id = $1', [accountId]);
  await tx.query(
    `update audit_log set detail = null
      where detail is not null and exists (select 1 from unnest($1::text[]) n where position(n in lower(detail::text)) > 0)`,
    [needles],
  );

  await tx.query('delete from accounts where id = $1', [accountId]);
  await tx.query(
    `insert into audit_log (at, actor_id, action, collection, document_id, detail)
     values ($1, null, 'account-erased', 'accounts', $2, $3)`,
    [clock.now().toISOString(), randomUUID(), JSON.stringify({ raison: reason, compte: 'candidat' })],
  );
}

/** Checks the password before the deletion; failures count like failed sign-ins (same limits). */
async function checkPassword(db: Database, accountId: string, password: unknown): Promise<void> {
  const key = `account:${accountId}`;
  const { rows: recent } = await db.query<{ n: number }>(
    `select count(*)::int as n from login_failures where key = $1 and at > now() - make_interval(mins => $2)`,
    [key, LOGIN_LIMITS.windowMinutes],
  );
  if (Number(recent[0]?.n ?? 0) >= LOGIN_LIMITS.perEmail)
    throw new HttpError(
      429,
      'too-many-requests',
      `Trop de mots de passe incorrects. Réessayez dans ${LOGIN_LIMITS.windowMinutes} minutes.`,
      undefined,
      { 'retry-after': String(LOGIN_LIMITS.windowMinutes * 60) },
    );
  if (typeof password !== 'string' || !password || password.length > 200)
    throw badRequest('Saisissez votre mot de passe pour confirmer la suppression.', [
      { field: 'password', message: 'Saisissez votre mot de passe pour confirmer la suppression.' },
    ]);
  const { rows } = await db.query<{ password_hash: string }>(
    'select password_hash from accounts where id = $1',
    [accountId],
  );
  const ok = await verifyPassword(password, rows[0]?.password_hash ?? (await getDummyHash()));
  if (!ok) {
    await db.query('insert into login_failures (key) values ($1)', [key]);
    throw badRequest('Le mot de passe est incorrect : votre compte n’a pas été supprimé.', [
      { field: 'password', message: 'Le mot de passe est incorrect.' },
    ]);
  }
}

export async function registerRgpdRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db, engine } = deps;

  app.get('/api/candidate/export', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const data = await db.transaction((tx) => exportCandidateData(tx, user.id));
    const zip = exportZip(data);
    const day = clock.now().toISOString().slice(0, 10);
    reply
      .header('content-type', 'application/zip')
      .header('content-disposition', `attachment; filename="mes-donnees-${day}.zip"`)
      .header('cache-control', 'no-store');
    return reply.send(Buffer.from(zip));
  });

  app.delete('/api/candidate/account', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const body = asRecord(request.body ?? {});
    await checkPassword(db, user.id, body.password);
    await db.transaction((tx) => eraseCandidate(tx, engine, user.id, 'demande'));
    clearSessionCookie(reply);
    reply.code(204).send();
  });
}
