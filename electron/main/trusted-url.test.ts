import { describe, expect, it } from 'vitest';
import { appOriginFromUrl, isAppNavigation, isSafeExternalUrl } from './trusted-url';

describe('isSafeExternalUrl', () => {
  it.each([
    'https://www.francetravail.fr/',
    'https://example.com/offres?id=42#haut',
    'HTTPS://EXAMPLE.COM/',
    'mailto:recrutement@example.fr',
    'mailto:recrutement@example.fr?subject=Candidature%20spontan%C3%A9e',
    'tel:+33123456789',
    'tel:01-23-45-67-89',
    'tel:01%2023%2045%2067%2089',
  ])('accepts %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });

  it.each([
    ['http (not encrypted)', 'http://example.com/'],
    ['javascript', 'javascript:alert(1)'],
    ['javascript with tab', 'java\tscript:alert(1)'],
    ['javascript uppercase', 'JAVASCRIPT:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['file', 'file:///etc/passwd'],
    ['file on Windows', 'file:///C:/Windows/System32/calc.exe'],
    ['UNC path', '\\\\serveur\\partage\\x.exe'],
    ['smb', 'smb://serveur/partage'],
    ['custom scheme', 'ms-msdt:/id PCWDiagnostic'],
    ['vbscript', 'vbscript:msgbox(1)'],
    ['blob', 'blob:https://example.com/uuid'],
    ['credentials', 'https://user:secret@example.com/'],
    ['user only', 'https://user@example.com/'],
    ['leading space', ' https://example.com/'],
    ['newline inside', 'https://exa\nmple.com/'],
    ['relative', '/offres/42'],
    ['protocol-relative', '//example.com/'],
    ['empty', ''],
    ['empty mailto', 'mailto:'],
    ['mailto without @', 'mailto:recrutement'],
    ['empty tel', 'tel:'],
    ['tel with letters', 'tel:appelez-moi'],
    ['not a URL', 'pas une adresse'],
    ['too long', `https://example.com/${'a'.repeat(3000)}`],
  ])('refuses %s', (_label, url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });

  it.each([undefined, null, 42, {}, ['https://example.com/'], { toString: () => 'https://example.com/' }])(
    'refuses a non-string (%s)',
    (value) => {
      expect(isSafeExternalUrl(value)).toBe(false);
    },
  );
});

describe('appOriginFromUrl', () => {
  it('keeps only the origin of an http(s) URL', () => {
    expect(appOriginFromUrl('http://localhost:5173/index.html?x=1#/offres')).toBe('http://localhost:5173');
  });

  it('keeps the directory of a file URL', () => {
    expect(appOriginFromUrl('file:///opt/Poste%20recruteur/resources/app.asar/out/renderer/index.html')).toBe(
      'file:///opt/Poste%20recruteur/resources/app.asar/out/renderer/',
    );
  });
});

describe('isAppNavigation', () => {
  const dev = 'http://localhost:5173';
  const built = 'file:///opt/poste/out/renderer/';

  it('accepts pages of the dev server origin', () => {
    expect(isAppNavigation('http://localhost:5173/', dev)).toBe(true);
    expect(isAppNavigation('http://localhost:5173/index.html#/offres/42', dev)).toBe(true);
  });

  it('refuses other origins, ports, protocols and credentials in dev', () => {
    expect(isAppNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAppNavigation('https://localhost:5173/', dev)).toBe(false);
    expect(isAppNavigation('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isAppNavigation('http://evil.com/?http://localhost:5173/', dev)).toBe(false);
    expect(isAppNavigation('http://user@localhost:5173/', dev)).toBe(false);
    expect(isAppNavigation('https://example.com/', dev)).toBe(false);
    expect(isAppNavigation('file:///opt/poste/out/renderer/index.html', dev)).toBe(false);
  });

  it('accepts files inside the built renderer directory', () => {
    expect(isAppNavigation('file:///opt/poste/out/renderer/index.html', built)).toBe(true);
    expect(isAppNavigation('file:///opt/poste/out/renderer/index.html#/offres', built)).toBe(true);
  });

  it('refuses files outside the renderer directory, including through dot segments', () => {
    expect(isAppNavigation('file:///etc/passwd', built)).toBe(false);
    expect(isAppNavigation('file:///opt/poste/out/renderer-evil/index.html', built)).toBe(false);
    expect(isAppNavigation('file:///opt/poste/out/renderer/../main/index.js', built)).toBe(false);
    expect(isAppNavigation('file:///opt/poste/out/renderer/%2e%2e/main/index.js', built)).toBe(false);
    expect(isAppNavigation('file:///opt/poste/out/renderer/..%2f..%2fsecret', built)).toBe(false);
    expect(isAppNavigation('file:///opt/poste/out/renderer/', built)).toBe(false);
    expect(isAppNavigation('file://serveur/opt/poste/out/renderer/index.html', built)).toBe(false);
    expect(isAppNavigation('https://example.com/', built)).toBe(false);
  });

  it('refuses garbage', () => {
    expect(isAppNavigation('', dev)).toBe(false);
    expect(isAppNavigation('pas une adresse', built)).toBe(false);
    expect(isAppNavigation(undefined, dev)).toBe(false);
    expect(isAppNavigation('http://localhost:5173/', 'pas une origine')).toBe(false);
    expect(isAppNavigation('javascript:alert(1)', 'javascript:')).toBe(false);
  });
});
