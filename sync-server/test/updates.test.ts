import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isInStagedRollout } from '../../shared/domain/updates';
import { startTestServer, type TestServer } from './harness';

/**
 * The desktop update feed (issue 8) as electron-updater's generic provider reads it: YAML feeds per
 * platform and channel, artefacts with byte ranges and their SHA-512, publication with a token,
 * channels (a stable release reaches beta users) and staged roll-out.
 */

const TOKEN = 'jeton-de-publication-de-test-0123456789abcdef';
let server: TestServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'recrutement-updates-'));
  server = await startTestServer({ demo: false, updates: { dir, publishToken: TOKEN } });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
});

async function upload(platform: string, name: string, bytes: Buffer, token = TOKEN) {
  const res = await fetch(`${server.url}/api/updates/${platform}/files/${encodeURIComponent(name)}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function publish(platform: string, channel: string, body: unknown, token = TOKEN) {
  const res = await fetch(`${server.url}/api/updates/${platform}/${channel}/releases`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function feed(platform: string, file: string) {
  const res = await fetch(`${server.url}/updates/${platform}/${file}`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64');

describe('flux de mises à jour du poste de travail', () => {
  it('publie une version : feed YAML lisible, artefact servi avec son SHA-512 et par plages', async () => {
    const installer = randomBytes(300_000);
    const blockmap = randomBytes(2_000);
    const up = await upload('linux', 'Recrutement-1.2.0.AppImage', installer);
    expect(up.status).toBe(201);
    expect(up.body).toEqual({
      url: 'Recrutement-1.2.0.AppImage',
      sha512: sha512(installer),
      size: installer.length,
    });
    expect((await upload('linux', 'Recrutement-1.2.0.AppImage.blockmap', blockmap)).status).toBe(201);
    const pub = await publish('linux', 'stable', {
      version: '1.2.0',
      files: ['Recrutement-1.2.0.AppImage'],
      releaseNotes: 'Corrections : « messages » et synchronisation.',
    });
    expect(pub.status).toBe(201);

    const latest = await feed('linux', 'latest-linux.yml');
    expect(latest.status).toBe(200);
    expect(latest.type).toContain('yaml');
    const parsed = parseYaml(latest.text) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      version: '1.2.0',
      path: 'Recrutement-1.2.0.AppImage',
      sha512: sha512(installer),
      files: [{ url: 'Recrutement-1.2.0.AppImage', sha512: sha512(installer), size: installer.length }],
      releaseNotes: 'Corrections : « messages » et synchronisation.',
    });
    expect(typeof parsed.releaseDate).toBe('string');
    expect(parsed.stagingPercentage).toBeUndefined();
    // A stable release is offered to beta users too; other platforms have nothing yet.
    expect((parseYaml((await feed('linux', 'beta-linux.yml')).text) as { version: string }).version).toBe(
      '1.2.0',
    );
    expect((await feed('win', 'latest.yml')).status).toBe(404);

    // The whole artefact, then byte ranges (resumed and differential downloads).
    const whole = await fetch(`${server.url}/updates/linux/Recrutement-1.2.0.AppImage`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(sha512(bytes)).toBe(sha512(installer));
    const part = await fetch(`${server.url}/updates/linux/Recrutement-1.2.0.AppImage`, {
      headers: { range: 'bytes=1000-1999' },
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 1000-1999/${installer.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(installer.subarray(1000, 2000))).toBe(true);
    const tail = await fetch(`${server.url}/updates/linux/Recrutement-1.2.0.AppImage`, {
      headers: { range: 'bytes=-500' },
    });
    expect(Buffer.from(await tail.arrayBuffer()).equals(installer.subarray(installer.length - 500))).toBe(
      true,
    );
    const open = await fetch(`${server.url}/updates/linux/Recrutement-1.2.0.AppImage`, {
      headers: { range: `bytes=${installer.length - 10}-` },
    });
    expect((await open.arrayBuffer()).byteLength).toBe(10);
    const beyond = await fetch(`${server.url}/updates/linux/Recrutement-1.2.0.AppImage`, {
      headers: { range: `bytes=${installer.length}-` },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${installer.length}`);
    const map = await fetch(`${server.url}/updates/linux/Recrutement-1.2.0.AppImage.blockmap`);
    expect(Buffer.from(await map.arrayBuffer()).equals(blockmap)).toBe(true);
    // Nothing outside the feed's folder, nothing unknown.
    for (const path of ['..%2Freleases.json', 'files.json', 'Inconnu-9.9.9.AppImage', '%2Fetc%2Fpasswd']) {
      expect((await fetch(`${server.url}/updates/linux/${path}`)).status).toBe(404);
    }
    expect((await fetch(`${server.url}/updates/solaris/latest.yml`)).status).toBe(404);
  });

  it('canaux : une bêta ne touche pas le stable ; une version stable plus récente rejoint la bêta', async () => {
    for (const [name, size] of [
      ['Recrutement-1.3.0-beta.1.AppImage', 1000],
      ['Recrutement-1.2.0.AppImage', 1200],
      ['Recrutement-1.3.0.AppImage', 1400],
    ] as const) {
      expect((await upload('linux', name, randomBytes(size))).status).toBe(201);
    }
    expect(
      (await publish('linux', 'stable', { version: '1.2.0', files: ['Recrutement-1.2.0.AppImage'] })).status,
    ).toBe(201);
    expect(
      (
        await publish('linux', 'beta', {
          version: '1.3.0-beta.1',
          files: ['Recrutement-1.3.0-beta.1.AppImage'],
        })
      ).status,
    ).toBe(201);
    const version = async (file: string) =>
      (parseYaml((await feed('linux', file)).text) as { version: string }).version;
    expect(await version('latest-linux.yml')).toBe('1.2.0');
    expect(await version('beta-linux.yml')).toBe('1.3.0-beta.1');
    // A pre-release never goes to stable; an older or equal version is refused.
    const pre = await publish('linux', 'stable', {
      version: '1.3.0-beta.1',
      files: ['Recrutement-1.3.0-beta.1.AppImage'],
    });
    expect(pre.status).toBe(400);
    expect(JSON.stringify(pre.body)).toContain('"field":"version"');
    const older = await publish('linux', 'stable', {
      version: '1.1.9',
      files: ['Recrutement-1.2.0.AppImage'],
    });
    expect(older.status).toBe(409);
    expect(JSON.stringify(older.body)).toContain('pas plus récente');
    // 1.3.0 is newer than 1.3.0-beta.1: beta users get it too.
    expect(
      (await publish('linux', 'stable', { version: '1.3.0', files: ['Recrutement-1.3.0.AppImage'] })).status,
    ).toBe(201);
    expect(await version('latest-linux.yml')).toBe('1.3.0');
    expect(await version('beta-linux.yml')).toBe('1.3.0');
  });

  it('déploiement progressif : le pourcentage du flux, modifiable, décide qui reçoit la version', async () => {
    await upload('win', 'Recrutement-Setup-2.0.0.exe', randomBytes(5000));
    expect(
      (
        await publish('win', 'stable', {
          version: '2.0.0',
          files: ['Recrutement-Setup-2.0.0.exe'],
          stagingPercentage: 20,
        })
      ).status,
    ).toBe(201);
    const staged = parseYaml((await feed('win', 'latest.yml')).text) as { stagingPercentage: number };
    expect(staged.stagingPercentage).toBe(20);
    // Of 2,000 installations, about a fifth is offered the version (electron-updater's rule).
    const ids = Array.from({ length: 2000 }, () => crypto.randomUUID());
    const offered = ids.filter((id) => isInStagedRollout(staged.stagingPercentage, id)).length;
    expect(offered).toBeGreaterThan(300);
    expect(offered).toBeLessThan(500);

    const widen = await fetch(`${server.url}/api/updates/win/stable`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stagingPercentage: 100 }),
    });
    expect(widen.status).toBe(200);
    const all = parseYaml((await feed('win', 'latest.yml')).text) as { stagingPercentage?: number };
    expect(all.stagingPercentage).toBeUndefined();
    const bad = await fetch(`${server.url}/api/updates/win/stable`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stagingPercentage: 0 }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('stagingPercentage');
  });

  it('refuse sans jeton, les mauvais noms, un fichier remplacé, une version sans installeur', async () => {
    expect(
      (await upload('linux', 'Recrutement-1.0.0.AppImage', randomBytes(10), 'mauvais-jeton')).status,
    ).toBe(401);
    expect((await publish('linux', 'stable', { version: '1.0.0', files: ['x'] }, '')).status).toBe(401);
    for (const name of ['../x.AppImage', 'script.sh', '.AppImage', 'Recrutement 1.0.AppImage']) {
      const r = await upload('linux', name, randomBytes(10));
      expect(r.status, name).toBeGreaterThanOrEqual(400);
      expect(r.status, name).toBeLessThan(500);
    }
    expect((await upload('linux', 'Recrutement-1.0.0.AppImage', Buffer.alloc(0))).status).toBe(400);
    const first = randomBytes(100);
    expect((await upload('linux', 'Recrutement-1.0.0.AppImage', first)).status).toBe(201);
    expect((await upload('linux', 'Recrutement-1.0.0.AppImage', first)).status).toBe(201);
    const replaced = await upload('linux', 'Recrutement-1.0.0.AppImage', randomBytes(100));
    expect(replaced.status).toBe(409);
    expect(String((replaced.body.error as { message: string }).message)).toContain('autre nom');
    const unknown = await publish('linux', 'stable', { version: '1.0.0', files: ['Absent-1.0.0.AppImage'] });
    expect(unknown.status).toBe(400);
    const deb = await upload('linux', 'recrutement_1.0.0_amd64.deb', randomBytes(10));
    expect(deb.status).toBe(201);
    const notInstallable = await publish('linux', 'stable', {
      version: '1.0.0',
      files: ['recrutement_1.0.0_amd64.deb'],
    });
    expect(notInstallable.status).toBe(400);
    expect(JSON.stringify(notInstallable.body)).toContain('"field":"files"');
    const extra = await publish('linux', 'stable', {
      version: '1.0.0',
      files: ['Recrutement-1.0.0.AppImage'],
      canal: 'x',
    });
    expect(extra.status).toBe(400);
    // Nothing was published by the refused requests; no upload left behind.
    expect((await feed('linux', 'latest-linux.yml')).status).toBe(404);
    expect(readdirSync(join(dir, 'linux')).filter((f) => f.endsWith('.upload'))).toEqual([]);
  });

  it('sans jeton, la publication est désactivée (403) ; avec un stockage objet, les artefacts y sont redirigés', async () => {
    const other = mkdtempSync(join(tmpdir(), 'recrutement-updates-off-'));
    const off = await startTestServer({
      demo: false,
      updates: { dir: other, artefactBaseUrl: 'https://stockage.exemple.fr/recrutement' },
    });
    try {
      const res = await fetch(`${off.url}/api/updates/linux/files/Recrutement-1.0.0.AppImage`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/octet-stream' },
        body: new Uint8Array(randomBytes(10)),
      });
      expect(res.status).toBe(403);
      expect(JSON.stringify(await res.json())).toContain('UPDATES_PUBLISH_TOKEN');
      expect(existsSync(join(other, 'linux', 'Recrutement-1.0.0.AppImage'))).toBe(false);
      expect((await fetch(`${off.url}/updates/linux/latest-linux.yml`)).status).toBe(404);
      const redirected = await fetch(`${off.url}/updates/mac/Recrutement-1.0.0-mac.zip`, {
        redirect: 'manual',
      });
      expect(redirected.status).toBe(302);
      expect(redirected.headers.get('location')).toBe(
        'https://stockage.exemple.fr/recrutement/mac/Recrutement-1.0.0-mac.zip',
      );
    } finally {
      await off.stop();
      rmSync(other, { recursive: true, force: true });
    }
  });
});
