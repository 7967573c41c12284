import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse } from '../../shared/domain/account';
import { SESSION_MAX_DAYS } from '../src/auth/sessions';
import { DEMO_PASSWORD } from '../src/db/seed-demo';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Sessions as served over HTTPS (OWASP ASVS 3.3.2, 3.4, 14.4.5): the cookie is `__Host-` prefixed
 * and Secure, every answer carries HSTS; a session ends 30 days after sign-in however much it is used.
 */

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ publicUrl: 'https://emploi.exemple.fr' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const url = (path: string) => `${server.url}${path}`;

async function login(): Promise<{
  body: LoginResponse;
  cookie: string;
  setCookie: string;
  headers: Headers;
}> {
  const res = await fetch(url('/api/auth/login'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'recruteur1@demo.test', password: DEMO_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-session=')) ?? '';
  return {
    body: (await res.json()) as LoginResponse,
    cookie: setCookie.split(';')[0]!,
    setCookie,
    headers: res.headers,
  };
}

describe('sessions over HTTPS', () => {
  it('sets a __Host- cookie (Secure, HttpOnly, SameSite=Lax, Path=/, no Domain) and HSTS; the cookie alone signs in', async () => {
    const { cookie, setCookie, headers } = await login();
    expect(setCookie).toMatch(/^__Host-session=[A-Za-z0-9_-]{20,}/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);
    expect(headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    const me = await api<{ user: { email: string } }>(url('/api/auth/me'), { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('recruteur1@demo.test');
    // A plain `session` cookie (which a subdomain could plant) does not count over HTTPS.
    const plain = cookie.replace('__Host-session=', 'session=');
    expect((await api(url('/api/auth/me'), { headers: { cookie: plain } })).status).toBe(401);
    const health = await fetch(url('/api/health'));
    expect(health.headers.get('strict-transport-security')).toContain('max-age=31536000');

    // Signing out clears it.
    const out = await fetch(url('/api/auth/logout'), { method: 'POST', headers: { cookie } });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().some((c) => /^__Host-session=;/.test(c))).toBe(true);
    expect((await api(url('/api/auth/me'), { headers: { cookie } })).status).toBe(401);
  });

  it(`ends a session ${SESSION_MAX_DAYS} days after sign-in, even one used every hour`, async () => {
    const { body } = await login();
    const hash = (
      await server.db.query<{ token_hash: string }>(
        'select token_hash from sessions order by created_at desc limit 1',
      )
    ).rows[0]!.token_hash;
    // Signed in 29 days ago, last seen two hours ago: still open, and the refresh never goes past day 30.
    await server.db.query(
      `update sessions set created_at = now() - interval '29 days', last_seen_at = now() - interval '2 hours',
              expires_at = now() + interval '1 day' where token_hash = $1`,
      [hash],
    );
    expect((await api(url('/api/auth/me'), { token: body.token })).status).toBe(200);
    const { rows } = await server.db.query<{ left: number }>(
      `select extract(epoch from (expires_at - (created_at + interval '${SESSION_MAX_DAYS} days')))::int as left
         from sessions where token_hash = $1`,
      [hash],
    );
    expect(rows[0]!.left).toBeLessThanOrEqual(0);
    // Day 31: closed, although its idle expiry is far.
    await server.db.query(
      `update sessions set created_at = now() - interval '31 days', expires_at = now() + interval '20 days'
        where token_hash = $1`,
      [hash],
    );
    expect((await api(url('/api/auth/me'), { token: body.token })).status).toBe(401);
  });
});
