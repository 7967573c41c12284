import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type LoginResponse, validateRecruiterSignup } from '../../../shared/domain/account';
import type { Database } from '../db/database';
import { badRequest, HttpError } from '../http-error';
import { getDummyHash, hashPassword, verifyPassword } from './password';
import { requestToken, requireUser } from './request-user';
import { clearSessionCookie, createSession, loadUser, revokeSession, setSessionCookie } from './sessions';

/** Failed sign-ins allowed per e-mail and per address within the window. */
export const LOGIN_LIMITS = { perEmail: 8, perAddress: 40, windowMinutes: 15 };

export interface AuthRouteOptions {
  db: Database;
  /** Secure cookies when served over HTTPS. */
  secureCookies: boolean;
}

function asRecord(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('Le corps de la requête doit être un objet JSON.');
  }
  return body as Record<string, unknown>;
}

async function tooManyFailures(db: Database, keys: string[]): Promise<number | null> {
  const { rows } = await db.query<{ key: string; n: string; oldest: Date }>(
    `select key, count(*)::text as n, min(at) as oldest from login_failures
      where key = any($1) and at > now() - make_interval(mins => $2) group by key`,
    [keys, LOGIN_LIMITS.windowMinutes],
  );
  for (const r of rows) {
    const limit = r.key.startsWith('email:') ? LOGIN_LIMITS.perEmail : LOGIN_LIMITS.perAddress;
    if (Number(r.n) >= limit) {
      const retryMs = new Date(r.oldest).getTime() + LOGIN_LIMITS.windowMinutes * 60_000 - Date.now();
      return Math.max(1, Math.ceil(retryMs / 1000));
    }
  }
  return null;
}

export async function registerAuthRoutes(app: FastifyInstance, { db, secureCookies }: AuthRouteOptions) {
  app.post('/api/auth/register', async (request: FastifyRequest, reply) => {
    const body = asRecord(request.body);
    const errors = validateRecruiterSignup(body);
    if (errors.length > 0) throw badRequest('Le formulaire d’inscription contient des erreurs.', errors);
    const email = String(body.email).trim().toLowerCase();
    const passwordHash = await hashPassword(String(body.password));
    const id = randomUUID();
    const inserted = await db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
       values ($1, $2, $3, 'recruiter', $4, $5, $6)
       on conflict ((lower(email))) do nothing returning id`,
      [
        id,
        email,
        passwordHash,
        String(body.firstName).trim(),
        String(body.lastName).trim(),
        String(body.jobTitle).trim(),
      ],
    );
    if (inserted.rows.length === 0) {
      throw new HttpError(409, 'email-taken', 'Un compte existe déjà avec cette adresse e-mail.', [
        { field: 'email', message: 'Un compte existe déjà avec cette adresse e-mail.' },
      ]);
    }
    const token = await createSession(db, id, request.headers['user-agent']);
    const user = await loadUser(db, id);
    setSessionCookie(reply, token, secureCookies);
    reply.code(201);
    return { token, user } as LoginResponse;
  });

  app.post('/api/auth/login', async (request, reply) => {
    const body = asRecord(request.body);
    const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const fields = [];
    if (!email) fields.push({ field: 'email', message: 'Saisissez votre adresse e-mail.' });
    if (!password) fields.push({ field: 'password', message: 'Saisissez votre mot de passe.' });
    if (fields.length > 0) throw badRequest('Saisissez votre e-mail et votre mot de passe.', fields);
    if (email.length > 254 || password.length > 200) throw badRequest('E-mail ou mot de passe trop long.');

    const keys = [`email:${email}`, `ip:${request.ip}`];
    const retryAfter = await tooManyFailures(db, keys);
    if (retryAfter !== null) {
      throw new HttpError(
        429,
        'too-many-requests',
        `Trop de tentatives de connexion. Réessayez dans ${Math.ceil(retryAfter / 60)} minute(s).`,
        undefined,
        { 'retry-after': String(retryAfter) },
      );
    }
    const { rows } = await db.query<{ id: string; password_hash: string }>(
      'select id, password_hash from accounts where lower(email) = $1 and disabled_at is null',
      [email],
    );
    const account = rows[0];
    const ok = await verifyPassword(password, account?.password_hash ?? (await getDummyHash()));
    if (!account || !ok) {
      await db.query('insert into login_failures (key) select unnest($1::text[])', [keys]);
      throw new HttpError(401, 'invalid-credentials', 'E-mail ou mot de passe incorrect.');
    }
    await db.query('delete from login_failures where key = $1', [keys[0]]);
    const token = await createSession(db, account.id, request.headers['user-agent']);
    const user = await loadUser(db, account.id);
    setSessionCookie(reply, token, secureCookies);
    return { token, user } as LoginResponse;
  });

  app.post('/api/auth/logout', async (request, reply) => {
    const token = requestToken(request);
    if (token) await revokeSession(db, token);
    clearSessionCookie(reply);
    reply.code(204).send();
  });

  app.get('/api/auth/me', async (request) => {
    const user = await requireUser(db, request);
    return { user };
  });
}
