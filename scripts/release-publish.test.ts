import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { load as parseYaml } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../sync-server/test/harness';
import { PublishError, platformOfFile, publishRelease } from './release/publish';

/** `npm run release:publish` against a real sync server: upload, blockmap, feed, refusals. */

const TOKEN = 'jeton-de-publication-de-test-abcdefghijklmnop';
let server: TestServer;
let feedDir: string;
let work: string;

beforeAll(async () => {
  feedDir = mkdtempSync(join(tmpdir(), 'recrutement-release-feed-'));
  work = mkdtempSync(join(tmpdir(), 'recrutement-release-files-'));
  server = await startTestServer({ demo: false, updates: { dir: feedDir, publishToken: TOKEN } });
});

afterAll(async () => {
  await server?.stop();
  rmSync(feedDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('publication d’une version', () => {
  it('envoie l’installeur et son blockmap, puis publie : le flux donne le SHA-512 du fichier', async () => {
    const installer = randomBytes(700_000);
    const file = join(work, 'poste-recruteur-1.5.0-x86_64.AppImage');
    writeFileSync(file, installer);
    writeFileSync(`${file}.blockmap`, randomBytes(1000));
    const lines: string[] = [];
    await publishRelease({
      server: server.url,
      token: TOKEN,
      platform: 'linux',
      channel: 'stable',
      version: '1.5.0',
      files: [file],
      stagingPercentage: 10,
      log: (l) => lines.push(l),
    });
    expect(lines.at(-1)).toBe('Version 1.5.0 publiée sur le canal stable (linux), pour 10 % des postes.');
    const feed = parseYaml(await (await fetch(`${server.url}/updates/linux/latest-linux.yml`)).text()) as {
      version: string;
      sha512: string;
      stagingPercentage: number;
      files: { url: string; size: number }[];
    };
    expect(feed.version).toBe('1.5.0');
    expect(feed.sha512).toBe(createHash('sha512').update(installer).digest('base64'));
    expect(feed.files).toEqual([
      { url: 'poste-recruteur-1.5.0-x86_64.AppImage', sha512: feed.sha512, size: installer.length },
    ]);
    expect(feed.stagingPercentage).toBe(10);
    const map = await fetch(`${server.url}/updates/linux/poste-recruteur-1.5.0-x86_64.AppImage.blockmap`);
    expect(map.status).toBe(200);
  });

  it('s’arrête au premier refus, avec le message du serveur', async () => {
    const file = join(work, 'poste-recruteur-1.4.0-x86_64.AppImage');
    writeFileSync(file, randomBytes(1000));
    const older = publishRelease({
      server: server.url,
      token: TOKEN,
      platform: 'linux',
      channel: 'stable',
      version: '1.4.0',
      files: [file],
    });
    await expect(older).rejects.toThrow(PublishError);
    await expect(older).rejects.toThrow(
      /Refus du serveur \(409\) : La version 1\.4\.0 n’est pas plus récente/,
    );
    await expect(
      publishRelease({
        server: server.url,
        token: 'faux',
        platform: 'linux',
        channel: 'stable',
        version: '1.6.0',
        files: [file],
      }),
    ).rejects.toThrow(/Refus du serveur \(401\)/);
    await expect(
      publishRelease({
        server: server.url,
        token: TOKEN,
        platform: 'linux',
        channel: 'stable',
        version: '1.6.0',
        files: [join(work, 'absent.AppImage')],
      }),
    ).rejects.toThrow('Fichier introuvable');
    await expect(
      publishRelease({
        server: 'http://127.0.0.1:9',
        token: TOKEN,
        platform: 'linux',
        channel: 'stable',
        version: '1.6.0',
        files: [file],
      }),
    ).rejects.toThrow('Serveur injoignable');
  });

  it('la commande dit ce qui manque, en français, sans trace de pile', async () => {
    const run = promisify(execFile);
    const script = join(import.meta.dirname, 'release-publish.ts');
    const error = await run(
      process.execPath,
      ['--import', 'tsx', script, '--channel', 'nocturne', 'x.AppImage'],
      {
        env: { ...process.env, UPDATE_SERVER_URL: server.url },
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((error as { code: number }).code).toBe(1);
    expect((error as { stderr: string }).stderr.trim()).toBe(
      'Publication impossible : canal inconnu : --channel stable ou beta.',
    );
    expect(platformOfFile('poste-recruteur-setup-1.0.0.exe')).toBe('win');
    expect(platformOfFile('poste-recruteur-1.0.0-mac.zip')).toBe('mac');
    expect(platformOfFile('notes.txt')).toBeNull();
  });
});
