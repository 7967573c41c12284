import { type ChildProcess, fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from './harness';
import { serverEntry } from './server-bundle';

/** The sync server as a child process, as in production, on a test database (`--demo`). */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Child {
  process: ChildProcess;
  url: string;
  log: string[];
}

/** Starts it and waits until it answers `/api/health`; `env` adds to (or overrides) the defaults. */
export async function startChild(database: TestDatabase, extraEnv: NodeJS.ProcessEnv = {}): Promise<Child> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  delete env.DATA_DIR;
  delete env.PUBLIC_URL;
  if (database.options.databaseUrl) env.DATABASE_URL = database.options.databaseUrl;
  else env.DATA_DIR = database.options.dataDir;
  const server = serverEntry();
  Object.assign(env, server.env, extraEnv);
  const child = fork(server.entry, ['--demo'], {
    cwd: ROOT,
    execArgv: server.execArgv,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log: string[] = [];
  child.stdout?.on('data', (c: Buffer) => log.push(c.toString()));
  child.stderr?.on('data', (c: Buffer) => log.push(c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serveur non prêt après 60 s :\n${log.join('')}`)),
      60_000,
    );
    child.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'ready' && m.url) {
        clearTimeout(timer);
        resolve(m.url);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`le serveur s’est arrêté au démarrage (${code ?? signal}) :\n${log.join('')}`));
    });
  });
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 100) throw new Error('/api/health ne répond pas');
    await sleep(100);
  }
  return { process: child, url, log };
}
