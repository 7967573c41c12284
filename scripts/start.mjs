// npm start: builds the web apps, starts the sync server on PGlite with demo data,
// and opens the Electron workstation where an Electron binary exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, cmd, args) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`✖ Échec : ${label}`);
    process.exit(r.status ?? 1);
  }
}

function electronBinary() {
  try {
    const require = createRequire(import.meta.url);
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const exe = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(exe) ? exe : null;
  } catch {
    return null;
  }
}

run('Référentiels (communes, NAF)', 'npm', ['run', '--silent', 'build:reference']);
run('Construction du portail et du poste de travail web', 'npm', ['run', '--silent', 'build:web']);

const port = process.env.PORT ?? '3000';
const server = spawn(bin('tsx'), ['sync-server/src/index.ts', '--demo'], {
  cwd: root,
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, PORT: port },
});

let electron = null;
server.on('message', (msg) => {
  if (msg?.type !== 'ready') return;
  const exe = electronBinary();
  if (!exe) {
    console.log(
      `\nBinaire Electron absent sur cette machine : l’application de bureau n’est pas lancée.\n` +
        `Utilisez le poste de travail web : ${msg.url}/workstation/\n`,
    );
    return;
  }
  run('Construction de l’application de bureau', 'npm', ['run', '--silent', 'build:electron']);
  electron = spawn(exe, [root], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, WORKSTATION_SERVER_URL: msg.url },
  });
  electron.on('exit', () =>
    console.log('Fenêtre Electron fermée ; le serveur continue (Ctrl+C pour tout arrêter).'),
  );
});

const stop = (signal) => {
  electron?.kill(signal);
  server.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
server.on('exit', (code) => process.exit(code ?? 0));
