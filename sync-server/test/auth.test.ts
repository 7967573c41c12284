import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginResponse, SessionUser } from '../../shared/domain/account';
import { LOGIN_LIMITS } from '../src/auth/routes';
import { offerSettings } from '../src/domain/offers';
import { api, createTestDatabase, startTestServer, type TestDatabase, type TestServer } from './harness';
import { readSse, waitFor } from './rx-client';

/** Accounts and sessions (DESIGN §5 « Accounts », API.md). */

type ErrorBody = { error: { code: string; message: string; fields?: { field: string; message: string }[] } };

let database: TestDatabase;
let server: TestServer;

beforeAll(async () => {
  // A persistent database, so that the last test can restart the app on it.
  database = await createTestDatabase({ persistent: true });
  server = await startTestServer({ database });
});

afterAll(async () => {
  await server?.stop();
  await database?.destroy();
});

const url = (path: string) => `${server.url}${path}`;

function signup(extra: Record<string, unknown> = {}) {
  return {
    lastName: 'Durand',
    firstName: 'Élodie',
    jobTitle: 'Chargée de recrutement',
    email: `elodie.${randomUUID().slice(0, 8)}@exemple.fr`,
    password: 'un-mot-de-passe-solide',
    ...extra,
  };
}

/** The `session` cookie set by a response, as a `Cookie` header value. */
function sessionCookie(headers: Headers): { value: string; raw: string } | null {
  const raw = headers.getSetCookie().find((c) => c.startsWith('session='));
  if (!raw) return null;
  return { value: raw.split(';')[0]!, raw };
}

async function me(auth: { token?: string; cookie?: string }) {
  return api<{ user: SessionUser } | ErrorBody>(url('/api/auth/me'), {
    ...(auth.token ? { token: auth.token } : {}),
    ...(auth.cookie ? { headers: { cookie: auth.cookie } } : {}),
  });
}

describe('inscription', () => {
  it('crée un compte recruteur, ouvre une session (jeton et cookie HttpOnly)', async () => {
    const body = signup({ email: `  Elodie.${randomUUID().slice(0, 8)}@Exemple.FR ` });
    const res = await api<LoginResponse>(url('/api/auth/register'), { body });
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(res.body.user).toMatchObject({
      email: body.email.trim().toLowerCase(),
      firstName: 'Élodie',
      lastName: 'Durand',
      jobTitle: 'Chargée de recrutement',
      kind: 'recruiter',
      memberships: [],
    });
    const cookie = sessionCookie(res.headers);
    expect(cookie?.raw).toMatch(/HttpOnly/i);
    expect(cookie?.raw).toMatch(/SameSite=Lax/i);
    expect(cookie?.raw).toMatch(/Path=\//);
    expect(cookie?.value).toBe(`session=${res.body.token}`);
    const who = await me({ token: res.body.token });
    expect(who.status).toBe(200);
    expect((who.body as { user: SessionUser }).user).toEqual(res.body.user);
  });

  it('refuse un formulaire incomplet avec des erreurs par champ, en français', async () => {
    const empty = await api<ErrorBody>(url('/api/auth/register'), { body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation');
    expect(empty.body.error.message).toMatch(/inscription/);
    expect(empty.body.error.fields?.map((f) => f.field).sort()).toEqual([
      'email',
      'firstName',
      'jobTitle',
      'lastName',
      'password',
    ]);
    const byField = Object.fromEntries(empty.body.error.fields!.map((f) => [f.field, f.message]));
    expect(byField.lastName).toBe('Le nom est obligatoire.');
    expect(byField.firstName).toBe('Le prénom est obligatoire.');
    expect(byField.email).toBe('L’adresse e-mail n’est pas valide.');

    const shortPassword = await api<ErrorBody>(url('/api/auth/register'), {
      body: signup({ password: '123456789' }),
    });
    expect(shortPassword.status).toBe(400);
    expect(shortPassword.body.error.fields).toEqual([
      { field: 'password', message: 'Le mot de passe doit compter au moins 10 caractères.' },
    ]);
    const ok10 = await api<LoginResponse>(url('/api/auth/register'), {
      body: signup({ password: '1234567890' }),
    });
    expect(ok10.status).toBe(201);

    const badEmail = await api<ErrorBody>(url('/api/auth/register'), {
      body: signup({ email: 'pas-une-adresse' }),
    });
    expect(badEmail.body.error.fields?.map((f) => f.field)).toEqual(['email']);
    const blanks = await api<ErrorBody>(url('/api/auth/register'), {
      body: signup({ firstName: '   ', jobTitle: 12 }),
    });
    expect(blanks.body.error.fields?.map((f) => f.field).sort()).toEqual(['firstName', 'jobTitle']);
    const long = await api<ErrorBody>(url('/api/auth/register'), {
      body: signup({ lastName: 'x'.repeat(101) }),
    });
    expect(long.body.error.fields?.map((f) => f.field)).toEqual(['lastName']);

    for (const raw of ['[]', '"texte"', 'null', '{mal formé']) {
      const res = await api<ErrorBody>(url('/api/auth/register'), { rawBody: raw });
      expect(res.status, raw).toBe(400);
      expect(res.body.error.message).toMatch(/JSON|objet/);
    }
  });

  it('une adresse déjà inscrite (casse et espaces ignorés) : 409', async () => {
    const first = signup();
    expect((await api(url('/api/auth/register'), { body: first })).status).toBe(201);
    const again = await api<ErrorBody>(url('/api/auth/register'), {
      body: signup({ email: ` ${first.email.toUpperCase()} `, firstName: 'Autre' }),
    });
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({
      code: 'email-taken',
      message: 'Un compte existe déjà avec cette adresse e-mail.',
      fields: [{ field: 'email', message: 'Un compte existe déjà avec cette adresse e-mail.' }],
    });
    const demo = await api<ErrorBody>(url('/api/auth/register'), {
      body: signup({ email: 'recruteur1@demo.test' }),
    });
    expect(demo.status).toBe(409);
    const count = await server.db.query<{ n: string }>(
      'select count(*)::text as n from accounts where lower(email) = $1',
      [first.email],
    );
    expect(count.rows[0]!.n).toBe('1');
  });

  it('le mot de passe est stocké haché (scrypt salé), jamais en clair', async () => {
    const password = 'mot-de-passe-a-ne-pas-stocker';
    const a = signup({ password });
    const b = signup({ password });
    await api(url('/api/auth/register'), { body: a });
    await api(url('/api/auth/register'), { body: b });
    const { rows } = await server.db.query<{ email: string; password_hash: string }>(
      'select email, password_hash from accounts where email = any($1) order by email',
      [[a.email, b.email]],
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) {
      // N=2^10 under Vitest only (fast suites); servers started otherwise hash at PASSWORD_COST.
      expect(r.password_hash).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]{20,}\$[A-Za-z0-9+/=]{40,}$/);
      expect(r.password_hash).not.toContain(password);
      expect(r.password_hash).not.toContain(Buffer.from(password).toString('base64'));
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
    // Nothing else in the database holds it either.
    const dump = await server.db.query<{ t: string }>(
      "select string_agg(s.token_hash || coalesce(s.user_agent, ''), ',') as t from sessions s",
    );
    expect(dump.rows[0]!.t ?? '').not.toContain(password);
  });
});

describe('connexion, session, déconnexion', () => {
  it('connexion : jeton, cookie ; mauvais identifiants : 401 identique que le compte existe ou non', async () => {
    const ok = await api<LoginResponse>(url('/api/auth/login'), {
      body: { email: ' Recruteur1@Demo.Test ', password: 'demo-demo-demo' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe('recruteur1@demo.test');
    expect(ok.body.user.memberships).toEqual([
      expect.objectContaining({
        organisationId: '0b0e0000-0000-4000-8000-000000000001',
        role: 'admin',
        kind: 'employer',
      }),
    ]);
    expect(sessionCookie(ok.headers)?.value).toBe(`session=${ok.body.token}`);
    // The stored session is a hash of the token, not the token.
    const stored = await server.db.query('select 1 from sessions where token_hash = $1', [ok.body.token]);
    expect(stored.rows).toHaveLength(0);

    const wrong = await api<ErrorBody>(url('/api/auth/login'), {
      body: { email: 'recruteur2@demo.test', password: 'mauvais-mot-de-passe' },
    });
    const unknown = await api<ErrorBody>(url('/api/auth/login'), {
      body: { email: 'personne@demo.test', password: 'mauvais-mot-de-passe' },
    });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual({
        code: 'invalid-credentials',
        message: 'E-mail ou mot de passe incorrect.',
      });
      expect(sessionCookie(r.headers)).toBeNull();
    }
    const missing = await api<ErrorBody>(url('/api/auth/login'), { body: { email: '' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields?.map((f) => f.field)).toEqual(['email', 'password']);
    await server.db.query("delete from login_failures where key like 'email:%'");
  });

  it('GET /api/auth/me avec le jeton, avec le cookie seul, et sans rien', async () => {
    const login = await api<LoginResponse>(url('/api/auth/login'), {
      body: { email: 'conseiller@demo.test', password: 'demo-demo-demo' },
    });
    const cookie = sessionCookie(login.headers)!.value;
    const byToken = await me({ token: login.body.token });
    const byCookie = await me({ cookie });
    expect(byToken.status).toBe(200);
    expect(byCookie.status).toBe(200);
    expect((byCookie.body as { user: SessionUser }).user.email).toBe('conseiller@demo.test');
    expect(byCookie.body).toEqual(byToken.body);

    for (const auth of [
      {},
      { token: 'x'.repeat(43) },
      { cookie: 'session=inconnu-mais-bien-forme-0123456789' },
      { cookie: 'session=<script>' },
    ]) {
      const r = await me(auth);
      expect(r.status).toBe(401);
      expect((r.body as ErrorBody).error.code).toBe('unauthenticated');
    }
    // The sync routes and the stream take the cookie too (browsers cannot set headers on EventSource).
    const info = await api<{ collections: { name: string }[] }>(url('/api/sync'), { headers: { cookie } });
    expect(info.status).toBe(200);
    expect(info.body.collections.map((c) => c.name).sort()).toEqual([
      'applications',
      'companies',
      'conversations',
      'cvLists',
      'cvs',
      'evaluations',
      'events',
      'messages',
      'notices',
      'offers',
      'organisations',
      'searches',
    ]);
    // What the workstation's texts say and the server's configuration decides (OFFER_ONLINE_DAYS).
    expect((info.body as { settings?: unknown }).settings).toEqual({ offerOnlineDays: 60 });
    offerSettings.onlineDays = 30;
    try {
      const configured = await api<{ settings?: unknown }>(url('/api/sync'), { headers: { cookie } });
      expect(configured.body.settings).toEqual({ offerOnlineDays: 30 });
    } finally {
      offerSettings.onlineDays = 60;
    }
    const events: unknown[] = [];
    const abort = new AbortController();
    let status = 0;
    const done = readSse({
      url: url('/api/sync/offers/v1/stream'),
      cookie,
      signal: abort.signal,
      onOpen: (s) => {
        status = s;
      },
      onEvent: (e) => events.push(e),
    });
    await waitFor(() => events.length > 0, { message: 'premier événement' });
    abort.abort();
    await done.catch(() => undefined);
    expect(status).toBe(200);
    expect(events[0]).toBe('RESYNC');
  });

  it('déconnexion : révoque la session (jeton et cookie), efface le cookie, laisse les autres sessions', async () => {
    const a = await api<LoginResponse>(url('/api/auth/login'), {
      body: { email: 'agence@demo.test', password: 'demo-demo-demo' },
    });
    const b = await api<LoginResponse>(url('/api/auth/login'), {
      body: { email: 'agence@demo.test', password: 'demo-demo-demo' },
    });
    expect(a.body.token).not.toBe(b.body.token);
    const out = await api(url('/api/auth/logout'), { method: 'POST', token: a.body.token });
    expect(out.status).toBe(204);
    const cleared = sessionCookie(out.headers);
    expect(cleared?.raw).toMatch(/^session=;/);
    expect(cleared?.raw).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
    expect((await me({ token: a.body.token })).status).toBe(401);
    expect((await me({ cookie: `session=${a.body.token}` })).status).toBe(401);
    expect((await api(url('/api/sync/offers/v1/pull'), { token: a.body.token })).status).toBe(401);
    expect((await me({ token: b.body.token })).status).toBe(200);

    // Logout by cookie alone.
    const cookie = sessionCookie(b.headers)!.value;
    expect((await api(url('/api/auth/logout'), { method: 'POST', headers: { cookie } })).status).toBe(204);
    expect((await me({ token: b.body.token })).status).toBe(401);
    // Logging out without a session is harmless.
    expect((await api(url('/api/auth/logout'), { method: 'POST' })).status).toBe(204);
  });

  it('une session expirée ou un compte désactivé ne donnent plus accès', async () => {
    const body = signup();
    const reg = await api<LoginResponse>(url('/api/auth/register'), { body });
    const other = await api<LoginResponse>(url('/api/auth/login'), {
      body: { email: body.email, password: body.password },
    });
    await server.db.query(
      "update sessions set expires_at = now() - interval '1 minute' where account_id = $1 and created_at = (select min(created_at) from sessions where account_id = $1)",
      [reg.body.user.id],
    );
    const states = [
      (await me({ token: reg.body.token })).status,
      (await me({ token: other.body.token })).status,
    ].sort();
    expect(states).toEqual([200, 401]);
    await server.db.query('update accounts set disabled_at = now() where id = $1', [reg.body.user.id]);
    expect((await me({ token: other.body.token })).status).toBe(401);
    const login = await api<ErrorBody>(url('/api/auth/login'), {
      body: { email: body.email, password: body.password },
    });
    expect(login.status).toBe(401);
    await server.db.query('delete from login_failures');
  });
});

describe('limitation des tentatives', () => {
  it('après trop d’échecs pour une adresse : 429 avec Retry-After, même avec le bon mot de passe', async () => {
    const body = signup();
    await api(url('/api/auth/register'), { body });
    for (let i = 0; i < LOGIN_LIMITS.perEmail; i++) {
      const r = await api(url('/api/auth/login'), {
        body: { email: body.email, password: `faux-${i}-mot-de-passe` },
      });
      expect(r.status, `tentative ${i + 1}`).toBe(401);
    }
    for (const password of ['encore-un-faux', body.password]) {
      const limited = await api<ErrorBody>(url('/api/auth/login'), {
        body: { email: body.email.toUpperCase(), password },
      });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('too-many-requests');
      expect(limited.body.error.message).toMatch(/Trop de tentatives.*minute/);
      const retry = Number(limited.headers.get('retry-after'));
      expect(Number.isInteger(retry)).toBe(true);
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(LOGIN_LIMITS.windowMinutes * 60);
      expect(sessionCookie(limited.headers)).toBeNull();
    }
    // Another account from the same address still signs in.
    expect(
      (
        await api(url('/api/auth/login'), {
          body: { email: 'recruteur1@demo.test', password: 'demo-demo-demo' },
        })
      ).status,
    ).toBe(200);
    // Once the window has passed, the right password works again.
    await server.db.query("update login_failures set at = at - interval '16 minutes' where key = $1", [
      `email:${body.email}`,
    ]);
    expect(
      (await api(url('/api/auth/login'), { body: { email: body.email, password: body.password } })).status,
    ).toBe(200);
  });

  it('trop d’échecs depuis une même adresse IP, toutes adresses e-mail confondues : 429', async () => {
    await server.db.query('delete from login_failures');
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
      const r = await api(url('/api/auth/login'), {
        body: { email: `inconnu${i}@exemple.fr`, password: 'mauvais-mot-de-passe' },
      });
      expect(r.status).toBe(401);
    }
    const limited = await api<ErrorBody>(url('/api/auth/login'), {
      body: { email: 'recruteur2@demo.test', password: 'demo-demo-demo' },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await server.db.query('delete from login_failures');
    expect(
      (
        await api(url('/api/auth/login'), {
          body: { email: 'recruteur2@demo.test', password: 'demo-demo-demo' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('requêtes venues d’un autre site (CSRF)', () => {
  it('refuse une requête qui modifie, authentifiée par le cookie, que le navigateur dit venir d’un autre site', async () => {
    const body = signup();
    const reg = await fetch(url('/api/auth/register'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const cookie = sessionCookie(reg.headers)!.value;
    const logout = (headers: Record<string, string>) =>
      fetch(url('/api/auth/logout'), { method: 'POST', headers: { cookie, ...headers } });
    const refused = await logout({ 'sec-fetch-site': 'cross-site' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as ErrorBody).error.message).toContain('vient d’un autre site');
    expect((await me({ cookie })).status).toBe(200);
    // Reading is not refused; nor is a request of the site itself, or one with a bearer token.
    expect(
      (await fetch(url('/api/auth/me'), { headers: { cookie, 'sec-fetch-site': 'cross-site' } })).status,
    ).toBe(200);
    const other = await api<LoginResponse>(url('/api/auth/login'), {
      body: { email: body.email, password: body.password },
    });
    expect(
      (
        await fetch(url('/api/auth/logout'), {
          method: 'POST',
          headers: { authorization: `Bearer ${other.body.token}`, 'sec-fetch-site': 'cross-site' },
        })
      ).status,
    ).toBe(204);
    expect((await logout({ 'sec-fetch-site': 'same-origin' })).status).toBe(204);
    expect((await me({ cookie })).status).toBe(401);
  });
});

describe('redémarrage', () => {
  it('une session survit au redémarrage de l’application sur la même base', async () => {
    const token = await server.login('recruteur2@demo.test');
    const before = await me({ token });
    expect(before.status).toBe(200);
    const offers = (await server.db.query<{ n: string }>('select count(*)::text as n from offers')).rows[0]!
      .n;
    await server.stop();
    server = await startTestServer({ database });
    const after = await me({ token });
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    // The demo data was not seeded twice.
    expect((await server.db.query<{ n: string }>('select count(*)::text as n from offers')).rows[0]!.n).toBe(
      offers,
    );
    // And logout still revokes it.
    expect((await api(url('/api/auth/logout'), { method: 'POST', token })).status).toBe(204);
    expect((await me({ token })).status).toBe(401);
  });
});
