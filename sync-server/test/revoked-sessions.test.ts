import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/sync/errors';
import { api, startTestServer, type TestServer } from './harness';

/**
 * Sessions closed from elsewhere (issue 8): the workstation that still holds one is told
 * `session-revoked` (it then wipes its local data), on any authenticated route and on the live
 * stream; a session that simply ended (signed out here, unknown token) stays a plain 401.
 */

let server: TestServer;
const url = (path: string) => `${server.url}${path}`;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

describe('sessions fermées à distance', () => {
  it('un changement de mot de passe ailleurs : les autres sessions reçoivent « session-revoked »', async () => {
    const laptop = await server.login('recruteur2@demo.test');
    const desk = await server.login('recruteur2@demo.test');
    const changed = await api<{ sessionsClosed: number }>(url('/api/account/password'), {
      token: desk,
      body: { currentPassword: 'demo-demo-demo', newPassword: 'un-nouveau-mot-de-passe' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.sessionsClosed).toBe(1);

    for (const path of [
      '/api/auth/me',
      '/api/sync/offers/v1/pull?batchSize=10',
      '/api/sync/stream?collections=offers:v1',
    ]) {
      const res = await api<ApiErrorBody>(url(path), { token: laptop });
      expect(res.status, path).toBe(401);
      expect(res.body.error.code, path).toBe('session-revoked');
      expect(res.body.error.message).toContain('les données de cet ordinateur ont été effacées');
    }
    // The session that changed the password goes on.
    expect((await api(url('/api/auth/me'), { token: desk })).status).toBe(200);
    // Public pages stay open with a revoked cookie or token.
    expect((await api(url('/api/public/offers'), { token: laptop })).status).toBe(200);
  });

  it('une déconnexion ici ou un jeton inconnu : 401 ordinaire, rien à effacer', async () => {
    const token = await server.login('recruteur1@demo.test');
    expect((await api(url('/api/auth/logout'), { token, method: 'POST' })).status).toBeLessThan(300);
    const after = await api<ApiErrorBody>(url('/api/auth/me'), { token });
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    const unknown = await api<ApiErrorBody>(url('/api/auth/me'), { token: 'x'.repeat(43) });
    expect(unknown.body.error.code).toBe('unauthenticated');
  });

  it('la suppression du compte ferme ses sessions à distance', async () => {
    const other = await server.login('agence@demo.test');
    const current = await server.login('agence@demo.test');
    const { rows } = await server.db.query<{ n: string }>('select count(*)::text as n from revoked_sessions');
    const before = Number(rows[0]!.n);
    const res = await api(url('/api/account'), {
      method: 'DELETE',
      token: current,
      body: { password: 'demo-demo-demo', confirmation: 'SUPPRIMER' },
    });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    const again = await api<ApiErrorBody>(url('/api/auth/me'), { token: other });
    expect(again.body.error.code).toBe('session-revoked');
    const { rows: after } = await server.db.query<{ n: string }>(
      'select count(*)::text as n from revoked_sessions',
    );
    expect(Number(after[0]!.n)).toBe(before + 2);
  });
});
