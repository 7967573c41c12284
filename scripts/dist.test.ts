import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { electronAvailability, electronCacheDirs, electronZipName, targetPlatforms } from './dist.mjs';

/** `npm run dist`: without Electron's binary, a clear French message instead of a stack trace. */

const cache = mkdtempSync(join(tmpdir(), 'recrutement-electron-cache-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('empaquetage : le binaire d’Electron', () => {
  it('cibles et noms comme electron-builder', () => {
    expect(targetPlatforms([], 'linux')).toEqual(['linux']);
    expect(targetPlatforms(['--win', '--mac'], 'linux')).toEqual(['win32', 'darwin']);
    expect(electronZipName('45.4.1', 'linux', 'x64')).toBe('electron-v45.4.1-linux-x64.zip');
    expect(electronCacheDirs({ ELECTRON_CACHE: '/c' })).toEqual(['/c']);
    expect(electronCacheDirs({}, '/home/claire', 'linux')).toEqual(['/home/claire/.cache/electron']);
  });

  it('introuvable et non téléchargeable : dit quoi faire, en français', async () => {
    const probed: string[] = [];
    const result = await electronAvailability({
      version: '45.4.1',
      platforms: ['linux'],
      arch: 'x64',
      env: { ELECTRON_CACHE: cache },
      probe: async (url) => {
        probed.push(url);
        return false;
      },
    });
    expect(probed).toEqual([
      'https://github.com/electron/electron/releases/download/v45.4.1/electron-v45.4.1-linux-x64.zip',
    ]);
    expect(result.ok).toBe(false);
    const message = (result as { message: string }).message;
    expect(message).toMatch(/^Empaquetage impossible : le binaire d’Electron 45\.4\.1 \(linux, x64\)/);
    expect(message).toContain(`placez electron-v45.4.1-linux-x64.zip dans ${cache}`);
    expect(message).toContain('ELECTRON_MIRROR');
    expect(message).not.toMatch(/at .*\.js:\d+/);
  });

  it('en cache (à plat ou dans un dossier de hachage), par un miroir joignable ou un Electron décompressé : on continue', async () => {
    const never = async () => false;
    const nested = join(cache, 'abc123');
    mkdirSync(nested);
    writeFileSync(join(nested, 'electron-v45.4.1-linux-x64.zip'), 'zip');
    expect(
      await electronAvailability({
        version: '45.4.1',
        platforms: ['linux'],
        arch: 'x64',
        env: { ELECTRON_CACHE: cache },
        probe: never,
      }),
    ).toEqual({ ok: true });
    const mirrorSeen: string[] = [];
    expect(
      await electronAvailability({
        version: '45.4.1',
        platforms: ['win32'],
        arch: 'x64',
        env: { ELECTRON_CACHE: cache, ELECTRON_MIRROR: 'https://miroir.exemple.fr/electron' },
        probe: async (url) => {
          mirrorSeen.push(url);
          return true;
        },
      }),
    ).toEqual({ ok: true });
    expect(mirrorSeen).toEqual(['https://miroir.exemple.fr/electron/v45.4.1/electron-v45.4.1-win32-x64.zip']);
    expect(
      await electronAvailability({
        version: '45.4.1',
        platforms: ['darwin'],
        arch: 'arm64',
        env: { ELECTRON_CACHE: cache, ELECTRON_BUILDER_ELECTRON_DIST: cache },
        probe: never,
      }),
    ).toEqual({ ok: true });
  });
});
