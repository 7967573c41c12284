import { describe, expect, it } from 'vitest';
import {
  channelOfFeedFile,
  compareVersions,
  feedFileName,
  isInStagedRollout,
  parseVersion,
  renderFeed,
} from './updates';

describe('versions', () => {
  it('ordre sémantique, pré-versions comprises', () => {
    const sorted = [
      '0.9.0',
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0',
      '1.0.1',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 1; i < sorted.length; i++) {
      expect(compareVersions(sorted[i - 1]!, sorted[i]!), `${sorted[i - 1]} < ${sorted[i]}`).toBeLessThan(0);
      expect(compareVersions(sorted[i]!, sorted[i - 1]!)).toBeGreaterThan(0);
    }
    expect(compareVersions('1.2.3', '1.2.3')).toBe(0);
    for (const bad of ['1.2', '01.2.3', '1.2.3+build', 'v1.2.3', '', '1.2.3-', 42])
      expect(parseVersion(bad)).toBeNull();
    expect(() => compareVersions('1.2', '1.2.0')).toThrow('Version invalide');
  });
});

describe('fichiers du flux', () => {
  it('noms d’electron-updater par canal et plateforme', () => {
    expect(feedFileName('stable', 'linux')).toBe('latest-linux.yml');
    expect(feedFileName('stable', 'win')).toBe('latest.yml');
    expect(feedFileName('stable', 'mac')).toBe('latest-mac.yml');
    expect(feedFileName('beta', 'linux')).toBe('beta-linux.yml');
    expect(feedFileName('beta', 'win')).toBe('beta.yml');
    expect(channelOfFeedFile('beta-mac.yml', 'mac')).toBe('beta');
    expect(channelOfFeedFile('latest-linux.yml', 'mac')).toBeNull();
    expect(channelOfFeedFile('Recrutement-1.0.0.AppImage', 'linux')).toBeNull();
  });

  it('YAML : chaque texte entre guillemets, échappé', () => {
    const text = renderFeed({
      version: '1.10.0',
      files: [{ url: 'Recrutement-1.10.0.AppImage', sha512: 'abc+/=', size: 42 }],
      releaseDate: '2026-12-05T10:00:00.000Z',
      stagingPercentage: 25,
      releaseNotes: 'Notes : « guillemets " » et\nretour',
    });
    expect(text).toContain('version: "1.10.0"');
    expect(text).toContain('stagingPercentage: 25');
    expect(text).toContain('releaseNotes: "Notes : « guillemets \\" » et\\nretour"');
    expect(text).toContain('path: "Recrutement-1.10.0.AppImage"');
  });
});

describe('déploiement progressif', () => {
  it('comme electron-updater : les 4 derniers octets de l’identifiant, en part de 2³²−1', () => {
    expect(isInStagedRollout(undefined, 'x')).toBe(true);
    expect(isInStagedRollout(100, 'x')).toBe(true);
    expect(isInStagedRollout(0, '00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(isInStagedRollout(10, '00000000-0000-4000-8000-000000000000')).toBe(true);
    expect(isInStagedRollout(10, '00000000-0000-4000-8000-0000ffffffff')).toBe(false);
    expect(isInStagedRollout(50, '00000000-0000-4000-8000-00007fffffff')).toBe(true);
    expect(isInStagedRollout(50, '00000000-0000-4000-8000-000080000001')).toBe(false);
    expect(isInStagedRollout(50, 'pas-un-uuid')).toBe(false);
  });
});
