import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, normalizeServerUrl, resolveServerUrl } from './server-url';

describe('normalizeServerUrl', () => {
  it('keeps https URLs, and http to this computer only, without trailing slashes', () => {
    expect(normalizeServerUrl('https://sync.example.fr/')).toBe('https://sync.example.fr');
    expect(normalizeServerUrl(' https://10.0.0.5:3000/poste// ')).toBe('https://10.0.0.5:3000/poste');
    expect(normalizeServerUrl('http://localhost:3000/')).toBe('http://localhost:3000');
    expect(normalizeServerUrl('http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(normalizeServerUrl('http://[::1]:3000')).toBe('http://[::1]:3000');
  });

  it.each(['http://10.0.0.5:3000', 'http://sync.example.fr', 'http://localhost.example.fr'])(
    'refuses %s: the session token would cross the network in clear',
    (value) => {
      expect(normalizeServerUrl(value)).toBeNull();
    },
  );

  it.each([
    'ftp://example.fr',
    'file:///etc',
    'javascript:alert(1)',
    'https://user:pw@example.fr',
    'https://example.fr/?token=x',
    'https://example.fr/#x',
    'localhost:3000',
    '',
    '   ',
  ])('refuses %s', (value) => {
    expect(normalizeServerUrl(value)).toBeNull();
  });

  it('refuses non-strings', () => {
    expect(normalizeServerUrl(3000)).toBeNull();
    expect(normalizeServerUrl(null)).toBeNull();
  });
});

describe('resolveServerUrl', () => {
  const settings = JSON.stringify({ serverUrl: 'https://from-settings.example.fr/' });

  it('prefers the environment variable', () => {
    expect(
      resolveServerUrl({
        env: { WORKSTATION_SERVER_URL: 'https://from-env.example.fr' },
        settingsText: settings,
      }),
    ).toEqual({ url: 'https://from-env.example.fr', source: 'env', warnings: [] });
  });

  it('falls back to the settings file, then the default', () => {
    expect(resolveServerUrl({ env: {}, settingsText: settings })).toMatchObject({
      url: 'https://from-settings.example.fr',
      source: 'settings',
    });
    expect(resolveServerUrl({ env: {}, settingsText: null })).toEqual({
      url: DEFAULT_SERVER_URL,
      source: 'default',
      warnings: [],
    });
    expect(resolveServerUrl({ env: {}, settingsText: '{"theme":"sombre"}' }).source).toBe('default');
  });

  it('warns about and skips unusable values', () => {
    const result = resolveServerUrl({
      env: { WORKSTATION_SERVER_URL: 'pas-une-url' },
      settingsText: '{"serverUrl":"file:///etc/passwd"}',
    });
    expect(result.url).toBe(DEFAULT_SERVER_URL);
    expect(result.warnings).toHaveLength(2);
    expect(resolveServerUrl({ env: {}, settingsText: '{oups' }).warnings[0]).toMatch(/JSON/);
  });
});
