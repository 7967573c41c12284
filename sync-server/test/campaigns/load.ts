/**
 * Load and soak campaign (issue 9, 4): N workstations connected to the live stream of offers, W
 * offers written per second through the push, for S seconds, against a sync server started in its
 * own process (PGlite in a temporary folder, or PostgreSQL with DATABASE_URL). With two instances
 * (PostgreSQL only), writes go to the first and the workstations stream from the second.
 *
 * Measured: errors (failed pushes, streams refused or cut), propagation (from the push's answer to
 * the document's arrival in each stream: every client must see every write), the server's resident
 * memory sampled over time. The load generator runs in this process, on the same machine as the
 * server and the database.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { offerDraft } from '../offer-draft';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export interface LoadOptions {
  clients: number;
  writesPerSecond: number;
  seconds: number;
  /** 2: writes to one instance, streams from another (PostgreSQL only). */
  instances: 1 | 2;
  /** PostgreSQL server (a scratch database is made on it); PGlite without. */
  databaseUrl?: string;
  /**
   * Accounts the workstations sign in with (PostgreSQL only: made in the database, members of the
   * writer's organisation, one session each). 1 (default): ten sessions of the writer's account, as
   * several workstations of one recruiter.
   */
  accounts?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface LoadReport {
  options: Omit<LoadOptions, 'log'>;
  database: 'pglite' | 'postgres';
  writes: number;
  pushErrors: number;
  streamErrors: number;
  /** Deliveries expected (writes × clients) and received. */
  expected: number;
  received: number;
  latency: { p50: number; p95: number; p99: number; max: number };
  /** Server resident memory (MB) every few seconds, per instance. */
  rss: { at: number; mb: number[] }[];
  durationMs: number;
}

interface Server {
  url: string;
  child: ChildProcess;
}

async function startServerProcess(env: Record<string, string>, demo: boolean): Promise<Server> {
  const child = fork(join(ROOT, 'sync-server/src/index.ts'), demo ? ['--demo'] : [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', WEB_ROOT: join(ROOT, 'no-web-root'), ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`serveur non prêt après 120 s\n${stderr}`)), 120_000);
    child.on('message', (m: { type?: string; url?: string }) => {
      if (m?.type === 'ready' && m.url) {
        clearTimeout(timer);
        done(m.url);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`le serveur s’est arrêté (code ${code})\n${stderr}`));
    });
  });
  return { url, child };
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

async function json<T>(
  url: string,
  init: { method?: string; token?: string; body?: unknown; agent?: http.Agent },
): Promise<{ status: number; body: T }> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  return new Promise((done, fail) => {
    const req = http.request(
      url,
      {
        method: init.method ?? (payload ? 'POST' : 'GET'),
        agent: init.agent,
        headers: {
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            // not JSON
          }
          done({ status: res.statusCode ?? 0, body: body as T });
        });
      },
    );
    req.on('error', fail);
    // A write that has no answer in 30 s counts as an error (the campaign never waits for ever).
    req.setTimeout(30_000, () => req.destroy(new Error('pas de réponse en 30 s')));
    if (payload) req.write(payload);
    req.end();
  });
}

/** `count` recruiter accounts of the organisation, each signed in once (made in the database directly). */
async function colleagues(
  databaseUrl: string,
  organisationId: string,
  count: number,
): Promise<{ token: string }[]> {
  const { openDatabase } = await import('../../src/db/database');
  const { createSession } = await import('../../src/auth/sessions');
  const db = await openDatabase({ databaseUrl });
  try {
    const ids = Array.from({ length: count }, () => randomUUID());
    await db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
       select id, 'charge-' || id || '@demo.test', 'sans-mot-de-passe', 'recruiter', 'Poste', 'De charge', 'Recruteur'
         from unnest($1::uuid[]) as id`,
      [ids],
    );
    await db.query(
      `insert into memberships (account_id, organisation_id, role) select id, $2, 'member' from unnest($1::uuid[]) as id`,
      [ids, organisationId],
    );
    const readers: { token: string }[] = [];
    for (const id of ids) readers.push({ token: await createSession(db, id) });
    return readers;
  } finally {
    await db.close();
  }
}

export async function runLoadCampaign(options: LoadOptions): Promise<LoadReport> {
  const log = options.log ?? (() => {});
  if (options.instances === 2 && !options.databaseUrl)
    throw new Error('Deux instances demandent PostgreSQL : indiquez DATABASE_URL.');
  const dataDir = mkdtempSync(join(tmpdir(), 'campagne-charge-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(dataDir, { recursive: true, force: true })];
  let scratch: { url: string; drop: () => Promise<void> } | null = null;
  try {
    if (options.databaseUrl) {
      const { createScratchPostgres } = await import('../harness');
      scratch = await createScratchPostgres(options.databaseUrl, 'charge');
      cleanups.push(() => scratch?.drop());
    }
    const env = { DATA_DIR: dataDir, DATABASE_URL: scratch?.url ?? '', JOBS_INTERVAL_MS: '3600000' };
    log(
      `serveur ${options.instances === 2 ? '1/2' : ''} : démarrage (${scratch ? 'PostgreSQL' : 'PGlite'})…`,
    );
    const first = await startServerProcess(env, true);
    const servers = [first];
    cleanups.unshift(() => void first.child.kill('SIGTERM'));
    if (options.instances === 2) {
      log('serveur 2/2 : démarrage sur la même base…');
      const second = await startServerProcess(env, false);
      servers.push(second);
      cleanups.unshift(() => void second.child.kill('SIGTERM'));
    }
    const writeTo = servers[0]!.url;
    const streamFrom = servers[servers.length - 1]!.url;

    const login = async (email: string) => {
      const res = await json<{ token: string; user: { memberships: { organisationId: string }[] } }>(
        `${writeTo}/api/auth/login`,
        { body: { email, password: 'demo-demo-demo' } },
      );
      if (res.status !== 200) throw new Error(`connexion ${email} : ${res.status}`);
      return res.body;
    };
    const writer = await login('recruteur1@demo.test');
    const organisationId = writer.user.memberships[0]!.organisationId;
    // A few sessions shared by the workstations (each client its own connection), or as many
    // accounts as asked, each with its own session.
    const accounts = Math.min(options.accounts ?? 1, options.clients);
    if (accounts > 1 && !scratch)
      throw new Error('Plusieurs comptes demandent PostgreSQL : indiquez DATABASE_URL.');
    const readers =
      accounts > 1 && scratch
        ? await colleagues(scratch.url, organisationId, accounts)
        : await Promise.all(
            Array.from({ length: Math.min(10, options.clients) }, () => login('recruteur1@demo.test')),
          );

    // The workstations' streams.
    // Per write (by its sequence number): when its push was answered; per client, which arrived
    // (one byte per write: 500 clients × 30,000 writes stay at 15 MB); latencies as a histogram.
    const maxWrites = Math.ceil(options.writesPerSecond * options.seconds * 1.2) + 100;
    const answeredAt = new Float64Array(maxWrites).fill(-1);
    const seen = Array.from({ length: options.clients }, () => new Uint8Array(maxWrites));
    const histogram = new Uint32Array(60_001); // by ms, the last bucket for 60 s and more
    let latencyCount = 0;
    let streamErrors = 0;
    let received = 0;
    const streams: http.ClientRequest[] = [];
    let stopping = false;
    let ready = 0;
    const marker = `charge-${randomUUID().slice(0, 8)}`;
    await new Promise<void>((allReady) => {
      for (let c = 0; c < options.clients; c++) {
        const token = readers[c % readers.length]!.token;
        const req = http.get(
          `${streamFrom}/api/sync/offers/v1/stream`,
          { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
          (res) => {
            if (res.statusCode !== 200) {
              streamErrors++;
              res.resume();
              return;
            }
            let buffer = '';
            let counted = false;
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              if (!counted) {
                counted = true;
                if (++ready === options.clients) allReady();
              }
              buffer += chunk;
              let end = buffer.indexOf('\n\n');
              while (end >= 0) {
                const event = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                end = buffer.indexOf('\n\n');
                const data = event.startsWith('data: ') ? event.slice(6) : '';
                if (!data.includes(marker)) continue;
                const page = JSON.parse(data) as { documents?: { id: string; title?: string }[] };
                const now = performance.now();
                for (const d of page.documents ?? []) {
                  const at = d.title?.indexOf(marker) ?? -1;
                  if (at < 0) continue;
                  const seq = Number.parseInt(d.title!.slice(at + marker.length + 1), 10);
                  if (!(seq >= 0 && seq < maxWrites) || seen[c]![seq]) continue;
                  seen[c]![seq] = 1;
                  received++;
                  // Arrived before the push's answer reached the writer: 0 ms (never negative).
                  const sent = answeredAt[seq]!;
                  histogram[Math.min(60_000, Math.round(sent < 0 ? 0 : Math.max(0, now - sent)))]!++;
                  latencyCount++;
                }
              }
            });
            res.on('error', () => streamErrors++);
            res.on('close', () => {
              if (!stopping) streamErrors++;
            });
          },
        );
        req.on('error', () => {
          if (!stopping) streamErrors++;
        });
        streams.push(req);
      }
    });
    log(
      `${options.clients} postes connectés au flux ; écriture de ${options.writesPerSecond} offres/s pendant ${options.seconds} s…`,
    );

    // The writes: batches every 100 ms, to keep the rate steady.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    let writes = 0;
    let acknowledged = 0;
    let pushErrors = 0;
    const rss: { at: number; mb: number[] }[] = [];
    const t0 = performance.now();
    const sample = () =>
      rss.push({
        at: Math.round((performance.now() - t0) / 1000),
        mb: servers.map((s) => rssMb(s.child.pid)),
      });
    sample();
    const sampler = setInterval(() => {
      sample();
      const last = rss.at(-1)!;
      if (last.at % 30 === 0)
        log(
          `${last.at} s : ${writes} écrites, ${acknowledged} acquittées, ${pushErrors} en erreur, ` +
            `${received} livraisons sur ${acknowledged * options.clients}, mémoire ${last.mb.join(' / ')} Mo`,
        );
    }, 5000);
    // The rate follows the clock, not the ticks: a late tick writes what the time says is due.
    let due = 0;
    const pending: Promise<void>[] = [];
    await new Promise<void>((done) => {
      const tick = setInterval(() => {
        const elapsed = Math.min(performance.now() - t0, options.seconds * 1000);
        const last = elapsed >= options.seconds * 1000;
        if (last) {
          clearInterval(tick);
          done();
        }
        // Up to the end exactly: S seconds at W a second make S × W writes, however late the ticks.
        const target = Math.floor((elapsed / 1000) * options.writesPerSecond);
        const n = Math.max(0, target - due);
        due += n;
        if (n === 0) return;
        const first = writes;
        if (first + n > maxWrites) return;
        const docs = Array.from({ length: n }, () =>
          offerDraft(organisationId, { title: `Vendeur / Vendeuse ${marker} ${writes++} H/F` }),
        );
        pending.push(
          json<unknown[]>(`${writeTo}/api/sync/offers/v1/push`, {
            token: writer.token,
            agent,
            body: docs.map((d) => ({ assumedMasterState: null, newDocumentState: d })),
          }).then(
            (res) => {
              const answered = performance.now();
              if (res.status !== 200 || !Array.isArray(res.body) || res.body.length > 0)
                pushErrors += docs.length;
              else {
                acknowledged += docs.length;
                for (let i = 0; i < docs.length; i++) answeredAt[first + i] = answered;
              }
            },
            () => {
              pushErrors += docs.length;
            },
          ),
        );
      }, 100);
    });
    await Promise.all(pending);
    // Let the last writes arrive (at most 10 s).
    const expected = acknowledged * options.clients;
    const waitUntil = performance.now() + 10_000;
    while (received < expected && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 100));
    clearInterval(sampler);
    sample();
    stopping = true;
    for (const s of streams) s.destroy();
    agent.destroy();
    const percentileMs = (p: number) => {
      const rank = Math.max(1, Math.ceil((p / 100) * latencyCount));
      let count = 0;
      for (let ms = 0; ms < histogram.length; ms++) {
        count += histogram[ms]!;
        if (count >= rank) return ms;
      }
      return 0;
    };
    const maxMs = histogram.findLastIndex((n) => n > 0);
    return {
      options: {
        clients: options.clients,
        writesPerSecond: options.writesPerSecond,
        seconds: options.seconds,
        instances: options.instances,
        accounts,
      },
      database: scratch ? 'postgres' : 'pglite',
      writes,
      pushErrors,
      streamErrors,
      expected,
      received: Math.min(received, expected),
      latency: {
        p50: latencyCount ? percentileMs(50) : 0,
        p95: latencyCount ? percentileMs(95) : 0,
        p99: latencyCount ? percentileMs(99) : 0,
        max: Math.max(0, maxMs),
      },
      rss,
      durationMs: Math.round(performance.now() - t0),
    };
  } finally {
    for (const c of cleanups) await c();
  }
}

/** The report as Markdown, with the memory over time as an SVG line (one per instance). */
export function loadReportMarkdown(r: LoadReport, machine: string): { markdown: string; svg: string } {
  const width = 640;
  const height = 200;
  const maxAt = Math.max(1, ...r.rss.map((s) => s.at));
  const maxMb = Math.max(1, ...r.rss.flatMap((s) => s.mb));
  const colours = ['#1f4e9c', '#b45309'];
  const lines = (r.rss[0]?.mb ?? []).map((_, i) => {
    const points = r.rss
      .map(
        (s) =>
          `${Math.round((s.at / maxAt) * (width - 60)) + 50},${Math.round(height - 30 - (s.mb[i]! / maxMb) * (height - 50))}`,
      )
      .join(' ');
    return `<polyline fill="none" stroke="${colours[i % 2]}" stroke-width="2" points="${points}"/>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">
<title>Mémoire résidente du serveur pendant la campagne de charge</title>
<rect width="100%" height="100%" fill="#fff"/>
<line x1="50" y1="${height - 30}" x2="${width - 10}" y2="${height - 30}" stroke="#999"/>
<line x1="50" y1="20" x2="50" y2="${height - 30}" stroke="#999"/>
<text x="5" y="24">${maxMb} Mo</text><text x="5" y="${height - 32}">0</text>
<text x="${width - 60}" y="${height - 12}">${maxAt} s</text>
<text x="60" y="14">Mémoire résidente du serveur (RSS)${r.rss[0] && r.rss[0].mb.length > 1 ? ' — bleu : instance 1, orange : instance 2' : ''}</text>
${lines.join('\n')}
</svg>`;
  const ok = (b: boolean) => (b ? '✔' : '✘');
  const first = r.rss[0]?.mb ?? [];
  const last = r.rss.at(-1)?.mb ?? [];
  const markdown = `# Campagne de charge — ${new Date().toISOString().slice(0, 10)}

Machine : ${machine}. Base : ${r.database === 'postgres' ? 'PostgreSQL' : 'PGlite'}${r.options.instances === 2 ? ', deux instances du serveur (écritures sur la première, flux depuis la seconde)' : ''}.
Charge : ${r.options.clients} postes connectés au flux des offres, ${r.options.writesPerSecond} offres écrites par seconde pendant ${r.options.seconds} s (${r.writes} écritures, ${(r.durationMs / 1000).toFixed(0)} s).
Comptes : ${(r.options.accounts ?? 1) > 1 ? `${r.options.accounts} comptes de la même organisation, une session chacun` : 'dix sessions d’un même compte réparties entre les postes'}.

| Mesure | Valeur | Objectif |
|---|---|---|
| Erreurs d’écriture | ${r.pushErrors} | 0 ${ok(r.pushErrors === 0)} |
| Flux refusés ou coupés | ${r.streamErrors} | 0 ${ok(r.streamErrors === 0)} |
| Livraisons reçues / attendues | ${r.received} / ${r.expected} | toutes ${ok(r.received === r.expected)} |
| Propagation p50 | ${r.latency.p50} ms | |
| Propagation p95 | ${r.latency.p95} ms | < 250 ms ${ok(r.latency.p95 < 250)} |
| Propagation p99 / max | ${r.latency.p99} / ${r.latency.max} ms | |
| Mémoire du serveur : au démarrage, à 30 s, à la fin | ${first.join(' / ')} Mo, ${(r.rss.find((x) => x.at >= 30)?.mb ?? last).join(' / ')} Mo, ${last.join(' / ')} Mo | plate après la montée |

![Mémoire résidente du serveur](${'charge-rss.svg'})

Mémoire (Mo) toutes les 5 s : ${r.rss.map((s) => `${s.at} s : ${s.mb.join('/')}`).join(' ; ')}.
`;
  return { markdown, svg };
}
