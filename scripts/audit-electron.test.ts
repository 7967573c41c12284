import { describe, expect, it } from 'vitest';
import { EXPLAINED, judge, parseFindings } from './audit-electron.mjs';

/** The Electron security audit's verdict (the run itself is a step of npm test, after the build). */

const HEADER = 'issue, severity, confidence, filename, location, sample, description, url';

describe('audit de sécurité Electron', () => {
  it('lit le rapport, même quand un extrait de code contient des guillemets', () => {
    const csv = [
      HEADER,
      'OPEN_EXTERNAL_JS_CHECK,"MEDIUM","TENTATIVE","main/index.js","575:30","if (isSafeExternalUrl(url)) shell.openExternal(url);","Review the use of openExternal",https://x',
      'NODE_INTEGRATION_JS_CHECK,"HIGH","FIRM","main/index.js","10:2","nodeIntegration: "yes", foo","Disable nodeIntegration",https://y',
      'CSP_GLOBAL_CHECK,"LOW","TENTATIVE","main/index.js","363:1",N/A,"Failed to parse CSP, it may not be valid.",https://z',
      '',
    ].join('\n');
    const findings = parseFindings(csv);
    expect(findings.map((f) => [f.check, f.severity, f.file, f.location])).toEqual([
      ['OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'main/index.js', '575:30'],
      ['NODE_INTEGRATION_JS_CHECK', 'HIGH', 'main/index.js', '10:2'],
      ['CSP_GLOBAL_CHECK', 'LOW', 'main/index.js', '363:1'],
    ]);
    expect(() => parseFindings(`${HEADER}\nn'importe quoi`)).toThrow('Ligne du rapport illisible');
    expect(() => parseFindings(`${HEADER}\nCSP_GLOBAL_CHECK,"LOW",tronqué`)).toThrow(
      'Ligne du rapport illisible',
    );
  });

  it('lit un constat dont l’extrait de code tient sur plusieurs lignes', () => {
    const csv = [
      HEADER,
      'CSP_GLOBAL_CHECK,"LOW","TENTATIVE","main/index.js","455:1","default-src \'self\';',
      "  script-src 'self'",
      '","Failed to',
      'parse CSP, it may not be valid.",https://github.com/doyensec/electronegativity/wiki/CSP_GLOBAL_CHECK',
      'PRELOAD_JS_CHECK,"MEDIUM","FIRM","main/index.js","15923:3","preload: preloadPath,","Review the use of preload scripts",https://x',
      '',
    ].join('\n');
    const findings = parseFindings(csv);
    expect(findings.map((f) => [f.check, f.severity, f.location])).toEqual([
      ['CSP_GLOBAL_CHECK', 'LOW', '455:1'],
      ['PRELOAD_JS_CHECK', 'MEDIUM', '15923:3'],
    ]);
    expect(findings[0]!.sample).toContain("script-src 'self'");
    expect(findings[0]!.sample).toContain('parse CSP');
  });

  it('échoue sur un constat moyen ou haut non expliqué, et sur une explication devenue sans objet', () => {
    const findings = parseFindings(
      [
        HEADER,
        ...EXPLAINED.map(
          (e) => `${e.check},"MEDIUM","FIRM","main/index.js","1:1","… ${e.sample} …","desc",https://x`,
        ),
        'CSP_GLOBAL_CHECK,"LOW","CERTAIN","renderer/index.html","5:0","default-src","desc",https://x',
      ].join('\n'),
    );
    expect(judge(findings)).toMatchObject({ unexplained: [], stale: [] });
    const withNew = [
      ...findings,
      {
        ...findings[0]!,
        check: 'CONTEXT_ISOLATION_JS_CHECK',
        severity: 'HIGH',
        sample: 'contextIsolation: false',
      },
    ];
    expect(judge(withNew).unexplained.map((f) => f.check)).toEqual(['CONTEXT_ISOLATION_JS_CHECK']);
    expect(judge(findings.slice(1)).stale).toEqual([EXPLAINED[0]]);
    // LOW findings are listed, never blocking.
    expect(judge(findings).serious).toHaveLength(EXPLAINED.length);
  });
});
