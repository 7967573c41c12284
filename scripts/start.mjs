// npm start: builds the web apps, starts the sync server on PGlite with demo data,
// and opens the Electron workstation where an Electron binary exists.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
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

/** Whether a TCP port is free on this host (the SMTP receiver's default 2525). */
function portIsFree(port, host) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

// Replies by e-mail to the messaging (issue 7): the SMTP receiver on 2525 when that port is free
// (SMTP_INBOUND_PORT set by hand wins; empty disables it).
let inboundPort = process.env.SMTP_INBOUND_PORT;
if (inboundPort === undefined) {
  if (await portIsFree(2525, process.env.HOST ?? '127.0.0.1')) inboundPort = '2525';
  else
    console.log(
      'Port 2525 occupé : le récepteur SMTP des réponses par e-mail n’est pas lancé (SMTP_INBOUND_PORT).',
    );
}

const port = process.env.PORT ?? '3000';
const server = spawn(bin('tsx'), ['sync-server/src/index.ts', '--demo'], {
  cwd: root,
  stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
  env: {
    ...process.env,
    PORT: port,
    ...(inboundPort !== undefined ? { SMTP_INBOUND_PORT: inboundPort } : {}),
  },
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
