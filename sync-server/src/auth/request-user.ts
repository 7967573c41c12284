import type { FastifyRequest } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import type { Queryable } from '../db/database';
import { forbidden, HttpError, unauthenticated } from '../http-error';
import { isRevokedToken, SECURE_SESSION_COOKIE, SESSION_COOKIE, userForToken } from './sessions';

/** 401 for a session closed from elsewhere: the workstation wipes its local data (issue 8). */
export const SESSION_REVOKED_MESSAGE =
  'Cette session a été fermée depuis un autre appareil ou par un administrateur : les données de cet ordinateur ont été effacées. Reconnectez-vous.';

function sessionRevoked(): HttpError {
  return new HttpError(401, 'session-revoked', SESSION_REVOKED_MESSAGE);
}

/** The session token of a request: `Authorization: Bearer …` first, then the HttpOnly cookie. */
export function requestToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const m = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header.trim());
    if (m) return m[1]!;
  }
  const cookie = request.cookies?.[SECURE_SESSION_COOKIE] ?? request.cookies?.[SESSION_COOKIE];
  return typeof cookie === 'string' && /^[A-Za-z0-9_-]{20,200}$/.test(cookie) ? cookie : null;
}

export async function optionalUser(db: Queryable, request: FastifyRequest): Promise<SessionUser | null> {
  const token = requestToken(request);
  return token ? userForToken(db, token) : null;
}

export async function requireUser(db: Queryable, request: FastifyRequest): Promise<SessionUser> {
  const token = requestToken(request);
  const user = token ? await userForToken(db, token) : null;
  if (!user) {
    if (token && (await isRevokedToken(db, token))) throw sessionRevoked();
    throw unauthenticated();
  }
  return user;
}

/** The signed-in candidate of a request: 401 without a session, 403 for a recruiter account. */
export async function requireCandidate(db: Queryable, request: FastifyRequest): Promise<SessionUser> {
  const user = await requireUser(db, request);
  if (user.kind !== 'candidate') throw forbidden('Cet espace est réservé aux candidats.');
  return user;
}
