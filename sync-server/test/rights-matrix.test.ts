import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX_IDENTITIES, ROUTE_RULES } from '../../shared/rights/route-audiences';
import { api, startTestServer, type TestServer } from './harness';

/**
 * The rights matrix of the routes (issue 9, 2), generated from `shared/rights/route-audiences.ts`:
 * every route the server registers is classified there, and each is called as each identity (no
 * session, candidate, employer, agency, advisor, moderator, the release pipeline's token) with an
 * empty body and unknown identifiers. A refused identity gets 401 without a session and 401, 403 or
 * 404 otherwise, before its input is read (never 400 or 2xx); an allowed one never gets 401 or 403.
 * The finer rules (which organisation, which document) are in rights.test.ts and each domain's tests.
 */

const PUBLISH_TOKEN = 'jeton-de-publication-des-mises-a-jour-0123456789';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

let server: TestServer;
let updatesDir: string;
const tokens = new Map<string, string | null>();

beforeAll(async () => {
  updatesDir = mkdtempSync(join(tmpdir(), 'matrix-updates-'));
  server = await startTestServer({ updates: { dir: updatesDir, publishToken: PUBLISH_TOKEN } });
  for (const who of Object.keys(MATRIX_IDENTITIES)) {
    tokens.set(
      who,
      who === 'anonyme' ? null : who === 'publication' ? PUBLISH_TOKEN : await server.login(who),
    );
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
  rmSync(updatesDir, { recursive: true, force: true });
});

const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

function pathOf(url: string): string {
  return url
    .replace(':collection', 'offers')
    .replace('v:version', 'v1')
    .replace(':platform', 'linux')
    .replace(':channel', 'stable')
    .replace(':file', 'latest-linux.yml')
    .replace(':name', 'poste.AppImage')
    .replace(':sha256', 'f'.repeat(64))
    .replace(/:[A-Za-z0-9_]+/g, UNKNOWN_ID);
}

describe('matrice des droits : chaque route du serveur', () => {
  it('est classée dans shared/rights/route-audiences.ts, et rien n’y est classé qui n’existe pas', () => {
    const registered = new Set(server.app.routes.filter((r) => r.method !== 'HEAD').map(key));
    const unclassified = [...registered].filter((k) => !ROUTE_RULES[k]);
    const stale = Object.keys(ROUTE_RULES).filter((k) => !registered.has(k));
    expect(unclassified, 'routes à classer').toEqual([]);
    expect(stale, 'routes disparues').toEqual([]);
  });

  for (const [route, rule] of Object.entries(ROUTE_RULES)) {
    it(`${route} (${rule.audience})`, async () => {
      const [method, url] = route.split(' ') as [string, string];
      const hasBody = method !== 'GET' && method !== 'DELETE';
      for (const [who, audiences] of Object.entries(MATRIX_IDENTITIES)) {
        const allowed = audiences.includes(rule.audience);
        if (allowed && rule.refusalsOnly) continue;
        const token = tokens.get(who) ?? null;
        const res = await api(`${server.url}${pathOf(url)}`, {
          method,
          ...(token ? { token } : {}),
          ...(hasBody ? { body: {} } : {}),
        });
        await server.db.query('delete from login_failures');
        const what = `${route} en tant que ${who} : ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
        expect(res.status, what).toBeLessThan(500);
        if (allowed) {
          expect([401, 403], what).not.toContain(res.status);
        } else if (!token) {
          expect(res.status, what).toBe(401);
        } else {
          expect([401, 403, 404], what).toContain(res.status);
        }
      }
    });
  }
});
