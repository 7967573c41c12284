/**
 * `npm run audit:electron`: Electronegativity (Doyensec's checker of Electron's security checklist)
 * over the built desktop app (`out/main`, `out/preload`, `out/renderer/index.html`; run
 * `npm run build:electron` first). Every HIGH or MEDIUM finding must be explained below, with the
 * test that shows the guard; an unexplained one, or a finding that no longer appears, fails the audit.
 * Offline: the Electron version is given, and the online release check is left out.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Reviewed findings: check, a piece of the flagged code, and why it is safe (with its test). */
export const EXPLAINED = [
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    sample: 'isSafeExternalUrl(url)',
    reason:
      'Liens ouverts hors de l’application : seulement https:, mailto: et tel:, longueur bornée (trusted-url.ts, trusted-url.test.ts) ; toute autre fenêtre est refusée.',
  },
  {
    check: 'OPEN_EXTERNAL_JS_CHECK',
    sample: 'openExternal: (url) => shell.openExternal(url)',
    reason:
      'Dépendance du gestionnaire IPC shell:openExternal, qui vérifie l’URL avant (ipc/shell.ts, handlers.test.ts : refus des autres protocoles et des valeurs non textuelles).',
  },
  {
    check: 'PRELOAD_JS_CHECK',
    sample: 'preload: preloadPath',
    reason:
      'Préchargement en bac à sable, isolation de contexte : il n’expose que les fonctions du contrat IPC, chacune un appel invoke (preload/index.test.ts), et vérifie les navigations reçues.',
  },
  {
    check: 'PROTOCOL_HANDLER_JS_CHECK',
    sample: 'setAsDefaultProtocolClient(DEEP_LINK_SCHEME)',
    reason:
      'Liens recrutement:// : une seule forme acceptée, recrutement://offre/<numéro> (deep-link.ts, deep-link.test.ts), le reste ignoré ; l’offre est cherchée dans la réplique locale.',
  },
];

/**
 * Electronegativity's CSV, one finding a record. Its `sample` field is code and is not escaped (a
 * quote in it breaks CSV quoting, and a multi-line sample, such as a policy string written over
 * several lines, spans several lines of the file), so a record starts at a line that begins with a
 * check name and a severity, and any other line continues the record before it. Only the first five
 * fields are read as fields; `sample` is the rest of the record (sample, description and link),
 * which is what the explanations are matched against.
 */
const RECORD_START = /^[A-Z0-9_]+,"?(HIGH|MEDIUM|LOW|INFORMATIONAL)"?,/;
const FINDING = /^([A-Z0-9_]+),"?([A-Z]+)"?,"?([A-Z]+)"?,"?([^",]*)"?,"?([^",]*)"?,(.*)$/s;

export function parseFindings(csv) {
  const records = [];
  for (const line of csv.split(/\r?\n/).slice(1)) {
    if (RECORD_START.test(line)) records.push(line);
    else if (records.length > 0) records[records.length - 1] += `\n${line}`;
    else if (line.trim() !== '') throw new Error(`Ligne du rapport illisible : ${line.slice(0, 200)}`);
  }
  return records.map((record) => {
    const m = FINDING.exec(record.trimEnd());
    if (!m) throw new Error(`Ligne du rapport illisible : ${record.slice(0, 200)}`);
    const [, check, severity, confidence, file, location, sample] = m;
    return { check, severity, confidence, file, location, sample, description: '' };
  });
}

/** Findings that fail the audit, and explanations that no longer match anything. */
export function judge(findings, explained = EXPLAINED) {
  const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  const unexplained = serious.filter(
    (f) => !explained.some((e) => e.check === f.check && (f.sample ?? '').includes(e.sample)),
  );
  const stale = explained.filter(
    (e) => !serious.some((f) => f.check === e.check && (f.sample ?? '').includes(e.sample)),
  );
  return { serious, unexplained, stale };
}

function main() {
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((p) =>
    join(ROOT, p),
  );
  const missing = built.filter((p) => !existsSync(p));
  if (missing.length > 0) {
    console.error(
      `Audit impossible : application de bureau non construite (${missing.join(', ')}) : lancez npm run build:electron.`,
    );
    process.exit(1);
  }
  const scan = mkdtempSync(join(tmpdir(), 'audit-electron-'));
  try {
    for (const dir of ['main', 'preload', 'renderer']) mkdirSync(join(scan, dir));
    cpSync(built[0], join(scan, 'main', 'index.js'));
    cpSync(built[1], join(scan, 'preload', 'index.js'));
    cpSync(built[2], join(scan, 'renderer', 'index.html'));
    const electronVersion = JSON.parse(
      readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
    ).version;
    const report = join(scan, 'report.csv');
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        join(ROOT, 'scripts', 'electronegativity-typescript.cjs'),
        join(ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js'),
        '-i',
        scan,
        '-e',
        electronVersion,
        '-x',
        'AvailableSecurityFixesGlobalCheck',
        '-r',
        '-v',
        'false',
        '-o',
        report,
      ],
      { encoding: 'utf8', env: { ...process.env, ELECTRONEGATIVITY_REPORT: report } },
    );
    if (!existsSync(report)) {
      console.error(
        `Audit impossible : Electronegativity n’a pas produit de rapport (code ${run.status}).\n${run.stdout}\n${run.stderr}`,
      );
      process.exit(1);
    }
    const findings = parseFindings(readFileSync(report, 'utf8'));
    const { serious, unexplained, stale } = judge(findings);
    console.log(
      `Electronegativity (Electron ${electronVersion}) : ${findings.length} constat(s), dont ${serious.length} de gravité moyenne ou haute.`,
    );
    for (const f of findings) {
      const known = EXPLAINED.find((e) => e.check === f.check && (f.sample ?? '').includes(e.sample));
      console.log(
        `  ${f.severity.padEnd(6)} ${f.check} ${f.file}:${f.location}${known ? `\n         expliqué : ${known.reason}` : ''}`,
      );
    }
    if (unexplained.length > 0 || stale.length > 0) {
      for (const f of unexplained)
        console.error(
          `✖ Constat non expliqué : ${f.check} (${f.severity}) ${f.file}:${f.location} — ${f.sample}`,
        );
      for (const e of stale)
        console.error(
          `✖ Explication sans constat (à retirer de scripts/audit-electron.mjs) : ${e.check} « ${e.sample} »`,
        );
      process.exit(1);
    }
    console.log('Aucun constat moyen ou haut sans explication.');
  } finally {
    rmSync(scan, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
