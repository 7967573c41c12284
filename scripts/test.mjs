// npm test: installs what the tests need (Chromium), then typecheck, lint, unit and
// integration tests (PGlite, and PostgreSQL when TEST_DATABASE_URL is set), builds, E2E.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const results = [];
const reports = join(root, 'out', 'test-reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const counts = { passed: 0, failed: 0, skipped: 0 };

function readCounts(file, kind) {
  if (!existsSync(file)) return;
  const r = JSON.parse(readFileSync(file, 'utf8'));
  if (kind === 'vitest') {
    counts.passed += r.numPassedTests ?? 0;
    counts.failed += r.numFailedTests ?? 0;
    counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  } else {
    counts.passed += (r.stats?.expected ?? 0) + (r.stats?.flaky ?? 0);
    counts.failed += r.stats?.unexpected ?? 0;
    counts.skipped += r.stats?.skipped ?? 0;
  }
}
const vitestArgs = (name) => [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${join(reports, `${name}.json`)}`,
];

function step(label, cmd, args, env = {}) {
  console.log(`\n━━━ ${label} ━━━`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ label, ok: r.status === 0, seconds });
  if (r.status !== 0) {
    summary();
    console.error(`\n✖ Échec : ${label}`);
    process.exit(r.status ?? 1);
  }
}

function summary() {
  console.log('\n━━━ Résumé ━━━');
  for (const r of results) console.log(`${r.ok ? '✔' : '✖'} ${r.label} (${r.seconds} s)`);
  readCounts(join(reports, 'vitest-pglite.json'), 'vitest');
  readCounts(join(reports, 'vitest-postgres.json'), 'vitest');
  readCounts(join(reports, 'playwright.json'), 'playwright');
  console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
}

function ensureChromium() {
  if (existsSync(chromium)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = existsSync('/usr/bin/apt-get');
  if (isRoot && hasApt) {
    console.log('Chromium absent : installation avec apt-get (paquet Debian « chromium »)…');
    const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (update.status === 0 && install.status === 0 && existsSync(chromium)) return;
  }
  console.error(
    `Chromium est nécessaire aux tests de bout en bout et n’a pas été trouvé (${chromium}).\n` +
      (hasApt
        ? 'Installez-le avec : sudo apt-get update && sudo apt-get install -y chromium\n'
        : 'Installez Chromium avec le gestionnaire de paquets de votre système.\n') +
      'Ou indiquez son chemin : CHROMIUM_PATH=/chemin/vers/chromium npm test',
  );
  process.exit(1);
}

ensureChromium();
const bin = (name) => join(root, 'node_modules', '.bin', name);
step('Vérification des types (TypeScript)', bin('tsc'), ['-b']);
step('Lint et format (Biome)', bin('biome'), ['check', '.']);
step('Référentiels (communes, NAF)', 'npm', ['run', '--silent', 'build:reference']);
step('Tests unitaires et d’intégration (PGlite)', bin('vitest'), vitestArgs('vitest-pglite'), {
  TEST_DB: 'pglite',
});
if (process.env.TEST_DATABASE_URL) {
  step(
    'Tests d’intégration du serveur (PostgreSQL)',
    bin('vitest'),
    [...vitestArgs('vitest-postgres'), 'sync-server/test'],
    {
      TEST_DB: 'postgres',
    },
  );
} else {
  console.log(
    '\nℹ Suites PostgreSQL ignorées : définissez TEST_DATABASE_URL (URL d’administration, ex. ' +
      'postgres://postgres:postgres@127.0.0.1:5432/postgres) pour les lancer aussi sur PostgreSQL.',
  );
}
step('Construction (portail, poste web, application de bureau)', 'npm', ['run', '--silent', 'build']);
step('Audit de sécurité Electron (Electronegativity)', 'npm', ['run', '--silent', 'audit:electron']);
step('Tests de bout en bout (Chromium)', bin('playwright'), ['test'], {
  CHROMIUM_PATH: chromium,
  PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'playwright.json'),
});
summary();
