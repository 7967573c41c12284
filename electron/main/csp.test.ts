import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy, withContentSecurityPolicy } from './csp';

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name ?? '', sources];
    }),
  );
}

describe('buildContentSecurityPolicy', () => {
  it('is strict in production and lets the renderer reach the sync server', () => {
    const policy = directives(buildContentSecurityPolicy({ serverUrl: 'https://sync.example.fr/base/' }));
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'", 'https://sync.example.fr']);
    expect(policy.get('img-src')).toContain('https://sync.example.fr');
    expect(policy.get('object-src')).toEqual(["'none'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    const all = [...policy.values()].flat();
    expect(all).not.toContain("'unsafe-eval'");
    expect(all).not.toContain('*');
  });

  it('allows the dev server and its HMR socket only when a dev URL is given', () => {
    const policy = directives(
      buildContentSecurityPolicy({
        serverUrl: 'http://localhost:3000',
        devServerUrl: 'http://localhost:5173',
      }),
    );
    expect(policy.get('script-src')).toEqual(["'self'", "'unsafe-inline'", 'http://localhost:5173']);
    expect(policy.get('connect-src')).toEqual([
      "'self'",
      'http://localhost:3000',
      'http://localhost:5173',
      'ws://localhost:5173',
    ]);
  });

  it('ignores a server URL that is not http(s)', () => {
    const policy = directives(buildContentSecurityPolicy({ serverUrl: "javascript:alert('x')" }));
    expect(policy.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('withContentSecurityPolicy', () => {
  it('replaces an existing policy whatever its case and keeps other headers', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' },
      "default-src 'self'",
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': ["default-src 'self'"],
    });
  });

  it('works without headers', () => {
    expect(withContentSecurityPolicy(undefined, "default-src 'self'")).toEqual({
      'Content-Security-Policy': ["default-src 'self'"],
    });
  });
});
