import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { hashToken } from '../auth/sessions';
import { badRequest } from '../http-error';

/** Small helpers of the organisation and account routes. */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function asRecord(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('Le corps de la requête doit être un objet JSON.');
  return body as Record<string, unknown>;
}

export function linkBase(deps: { publicUrl?: string }, request: FastifyRequest): string {
  return (deps.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, '');
}

export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

/** A token as it may appear in a URL (base64url, the length we issue). */
export function isTokenShape(token: unknown): token is string {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token);
}

export function frenchDate(value: Date | string): string {
  return new Date(value).toLocaleDateString('fr-FR', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/Paris',
  });
}

export function personName(first: string, last: string): string {
  return `${first} ${last}`.trim();
}

export { setSessionCookie } from '../auth/sessions';

export function validEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const e = value.trim().toLowerCase();
  return EMAIL.test(e) && e.length <= 254 ? e : null;
}
