/**
 * Sync benchmark: `npm run bench:sync -- --docs 10000 [--batch 1000] [--edits 1000] [--live 200]`.
 *
 * Starts a sync server in this process (PGlite in a temporary directory, or PostgreSQL when
 * DATABASE_URL is set: a temporary database is created on it and dropped at the end), seeds N
 * offers for recruteur1's organisation directly in SQL, and measures in Chromium (real RxDB + Dexie):
 *   a. initial sync into an empty replica vs bulkInsert of the same documents;
 *   b. 1,000 offline edits, then reconnect: time until every push is acknowledged;
 *   c. live propagation client → client over SSE (p50, p95);
 *   d. server pull throughput vs a raw SQL paging loop over the same rows.
 * Prints a table with the goals; always exits 0 (a measurement, not a test).
 * Diagnostics: --trace, --profile (step b), --profile-sync (step a), --at-rest, and --drop-meta (step a
 * without RxDB's per-document replication records: what the sync would cost without them).
 */

import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { PULL_BATCH_SIZE, PUSH_BATCH_SIZE } from '../renderer/src/db/sync-settings';
import type { PullResponse, SyncCheckpoint } from '../shared/sync/protocol';
import { userForToken } from '../sync-server/src/auth/sessions';
import { readConfig } from '../sync-server/src/config';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../sync-server/src/db/seed-demo';
import { type RunningServer, startServer } from '../sync-server/src/server';
import { createScratchPostgres } from '../sync-server/test/harness';
import { type CpuProfile, log, percentile, summariseProfile } from './bench-cli';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// ─── Options ──────────────────────────────────────────────────────────────────────────────
function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i === -1) return fallback;
  const raw = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`Option --${name} invalide : « ${raw} » (entier positif attendu).`);
    process.exit(2);
  }
  return n;
}
const DOCS = option('docs', 10_000);
const BATCH = Math.min(option('batch', PULL_BATCH_SIZE), 1000);
// Half the seeded offers are drafts, the ones the edits touch.
const EDITS = Math.min(option('edits', 1000), Math.floor(DOCS / 2));
const LIVE = option('live', 200);
const PUSH_BATCH = Math.min(option('push-batch', PUSH_BATCH_SIZE), 500);
/** Diagnostics (off by default): `--trace` times storage calls in the page, `--profile` runs Chrome's CPU profiler over step b. */
const TRACE = process.argv.includes('--trace');
/** `--at-rest`: the replica encrypts the offers' sensitive fields as the desktop does (renderer/src/db/at-rest.ts). */
const AT_REST = process.argv.includes('--at-rest');
const PROFILE = process.argv.includes('--profile');
/** `--drop-meta` (diagnostic): the initial sync without writing the replication's per-document records. */
const DROP_META = process.argv.includes('--drop-meta');
/** Diagnostics: Chrome's CPU profiler over step a (the initial sync). */
const PROFILE_SYNC = process.argv.includes('--profile-sync');

/** With --trace: start and duration of each proxied API call (server time as the proxy sees it). */
const proxyTimes: { path: string; at: number; ms: number }[] = [];
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const fmtRate = (n: number) => `${Math.round(n).toLocaleString('fr-FR')} docs/s`;

// ─── Database ─────────────────────────────────────────────────────────────────────────────
async function temporaryDatabase(): Promise<{
  databaseUrl?: string;
  dataDir: string;
  cleanup: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'recrutement-bench-'));
  const admin = process.env.DATABASE_URL?.trim();
  if (!admin) return { dataDir, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const scratch = await createScratchPostgres(admin, 'bench');
  return {
    databaseUrl: scratch.url,
    dataDir,
    async cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      await scratch.drop();
    },
  };
}

const STATUSES = ['brouillon', 'brouillon', 'publiee', 'en_attente'] as const;
const CITIES = ['Carcassonne', 'Narbonne', 'Limoux', 'Castelnaudary', 'Gruissan'];

/** N offers for the organisation, in SQL: unnest, positions from the transaction id and sync_seq. */
async function seedOffers(server: RunningServer, organisationId: string, authorId: string, n: number) {
  const chunk = 2000;
  const base = Date.now() - 90 * 24 * 3600 * 1000;
  for (let start = 0; start < n; start += chunk) {
    const ids: string[] = [];
    const docs: string[] = [];
    for (let i = start; i < Math.min(n, start + chunk); i++) {
      const status = STATUSES[i % STATUSES.length]!;
      const at = new Date(base + i * 1000).toISOString();
      const id = randomUUID();
      const doc: Record<string, unknown> = {
        id,
        organisationId,
        title: `Vendeur / Vendeuse n° ${i} H/F`,
        jobTitle: 'Vendeur / Vendeuse en boulangerie-pâtisserie',
        romeCode: 'D1106',
        city: CITIES[i % CITIES.length],
        postalCode: '11000',
        companyName: 'Boulangeries Martin',
        salaryMin: 1800 + (i % 400),
        salaryMax: 2300 + (i % 400),
        salaryPeriod: 'mensuel',
        contactName: 'Claire Martin',
        contactPhone: '04 68 11 22 33',
        contactEmail: 'recrutement@demo.test',
        seasonal: i % 5 === 0,
        contractTypes: i % 3 === 0 ? ['CDD'] : ['CDI'],
        description:
          'Vous accueillez la clientèle, conseillez sur les produits, tenez la caisse et veillez à la bonne ' +
          'présentation de la vitrine. Horaires en matinée, un week-end sur deux. Poste à pourvoir dès que ' +
          `possible ; offre de charge numéro ${i}, générée par le banc de mesure de la synchronisation.`,
        status,
        authorId,
        createdAt: at,
        updatedAt: at,
      };
      if (status !== 'brouillon') doc.submittedAt = at;
      if (status === 'publiee') {
        doc.publishedAt = at;
        doc.expiresAt = new Date(base + i * 1000 + 60 * 24 * 3600 * 1000).toISOString();
      }
      ids.push(id);
      docs.push(JSON.stringify(doc));
    }
    await server.db.query(
      `insert into offers (id, doc, keys, deleted, txid, seq)
       select u.id,
              jsonb_set(u.doc::jsonb, '{number}', to_jsonb(nextval('offer_number_seq')::text)),
              array['org:' || (u.doc::jsonb->>'organisationId')]
                || case u.doc::jsonb->>'status' when 'publiee' then array['published']
                                                 when 'en_attente' then array['moderation']
                                                 else array[]::text[] end,
              false, pg_current_xact_id()::text::bigint, nextval('sync_seq')
         from unnest($1::text[], $2::text[]) with ordinality as u(id, doc, n)
        order by u.n`,
      [ids, docs],
    );
  }
  await server.db.query('analyze offers');
}

// ─── HTTP helpers ─────────────────────────────────────────────────────────────────────────
async function login(url: string, email: string): Promise<{ token: string; userId: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`connexion de ${email} impossible : ${res.status}`);
  const body = (await res.json()) as { token: string; user: { id: string } };
  return { token: body.token, userId: body.user.id };
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** Serves the built bench page and forwards /api (streaming, SSE included) to the sync server. */
function startProxy(pageDir: string, upstream: string): Promise<{ url: string; close: () => Promise<void> }> {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path.startsWith('/api/')) {
      const started = performance.now();
      const forward = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          if (TRACE && !path.endsWith('/stream'))
            answer.on('end', () => proxyTimes.push({ path, at: started, ms: performance.now() - started }));
        },
      );
      forward.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(forward);
      res.on('close', () => forward.destroy());
      return;
    }
    const file = normalize(join(pageDir, path === '/' ? 'page.html' : path));
    if (!file.startsWith(pageDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            agent.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: join(ROOT, 'scripts', 'bench'),
    base: './',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // Profiles name the functions they measure.
      minify: !(PROFILE || PROFILE_SYNC),
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: join(ROOT, 'scripts', 'bench', 'page.html') },
    },
  });
}

// ─── Server pull vs raw SQL ───────────────────────────────────────────────────────────────
/**
 * Pages through `GET …/pull` as a client would. The bench's client shares the server's process and
 * event loop, so what it does is counted against the server: with `parse`, it reads each page with
 * `fetch` and `JSON.parse`s it (a megabyte), as a browser would; without, it reads the text over a
 * keep-alive `node:http` connection and takes only the checkpoint at its end, so that what is
 * measured is the server's work and the transfer (as for a client on another machine).
 */
async function pullThroughput(url: string, token: string, parse: boolean) {
  const t0 = performance.now();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let checkpoint: SyncCheckpoint | null = null;
  let docs = 0;
  try {
    for (;;) {
      const q = new URLSearchParams({ batchSize: '1000' });
      if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
      const path = `${url}/api/sync/offers/v1/pull?${q}`;
      const headers = { authorization: `Bearer ${token}` };
      if (parse) {
        const res = await fetch(path, { headers });
        if (!res.ok) throw new Error(`pull : ${res.status}`);
        const page = (await res.json()) as PullResponse<unknown>;
        if (page.documents.length === 0) break;
        docs += page.documents.length;
        checkpoint = page.checkpoint;
      } else {
        const body = await httpGetBytes(path, headers, agent);
        if (body.subarray(0, EMPTY_PAGE.length).toString('latin1') === EMPTY_PAGE) break;
        docs += countDocuments(body);
        const tail = body.subarray(body.lastIndexOf('"checkpoint":') + 13, body.length - 1);
        checkpoint = JSON.parse(tail.toString('utf8')) as SyncCheckpoint;
      }
    }
  } finally {
    agent.destroy();
  }
  return { docs, ms: performance.now() - t0 };
}

const EMPTY_PAGE = '{"documents":[]';

/** The body's bytes (not decoded: the client's work is the server's loss in this process). */
function httpGetBytes(url: string, headers: Record<string, string>, agent: http.Agent): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) reject(new Error(`pull : ${res.statusCode} ${body.subarray(0, 200)}`));
        else resolve(body);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Documents in a pull answer: each starts with `{"_deleted":` (engine.pullJson). */
function countDocuments(body: string | Buffer): number {
  let n = 0;
  for (let i = body.indexOf('{"_deleted":'); i !== -1; i = body.indexOf('{"_deleted":', i + 12)) n++;
  return n;
}

/** The same pages through the engine in this process (no HTTP, no parse): where the pull's time goes. */
async function enginePullThroughput(server: RunningServer, token: string) {
  const user = await userForToken(server.db, token);
  if (!user) throw new Error('utilisateur introuvable');
  const collection = server.app.engine.collection('offers')!;
  const t0 = performance.now();
  let checkpoint: SyncCheckpoint | null = null;
  let docs = 0;
  let bytes = 0;
  for (;;) {
    const body = await server.app.engine.pullJson(user, collection, checkpoint, 1000);
    bytes += body.length;
    // Only the checkpoint is read back (at the end of the text), not the documents.
    const tail = body.slice(body.lastIndexOf('"checkpoint":') + 13, -1);
    const next = JSON.parse(tail) as SyncCheckpoint | null;
    if (body.startsWith('{"documents":[]')) break;
    docs += countDocuments(body);
    checkpoint = next;
  }
  return { docs, ms: performance.now() - t0, bytes };
}

async function rawThroughput(server: RunningServer) {
  const t0 = performance.now();
  let last: { txid: string; seq: string } | null = null;
  let docs = 0;
  const ids = new Set<string>();
  for (;;) {
    type Raw = { id: string; doc: unknown; txid: string | number; seq: string | number };
    const { rows }: { rows: Raw[] } = last
      ? await server.db.query(
          `select id, doc, txid, seq from offers where (txid, seq) > ($1::bigint, $2::bigint)
            order by txid, seq limit 1000`,
          [last.txid, last.seq],
        )
      : await server.db.query('select id, doc, txid, seq from offers order by txid, seq limit 1000');
    if (rows.length === 0) break;
    docs += rows.length;
    for (const r of rows) ids.add(r.id);
    const end: Raw = rows[rows.length - 1]!;
    if (process.env.BENCH_DEBUG)
      console.log('   page', rows.length, rows[0]!.txid, rows[0]!.seq, '→', end.txid, end.seq);
    last = { txid: String(end.txid), seq: String(end.seq) };
  }
  const ms = performance.now() - t0;
  if (ids.size !== docs) log(`   ⚠ SELECT brut : ${docs} lignes lues, ${ids.size} distinctes`);
  return { docs, ms };
}

// ─── Main ─────────────────────────────────────────────────────────────────────────────────
interface Row {
  metric: string;
  measured: string;
  goal: string;
  pass: boolean | null;
}

async function main() {
  if (TRACE || PROFILE || PROFILE_SYNC || DROP_META)
    console.log(
      `Options de diagnostic : ${[TRACE && '--trace', PROFILE && '--profile', PROFILE_SYNC && '--profile-sync', DROP_META && '--drop-meta (sans les registres de réplication : pas le produit)'].filter(Boolean).join(' ')}`,
    );
  console.log(
    `Banc de synchronisation : ${DOCS.toLocaleString('fr-FR')} offres, lots de pull de ${BATCH}, ` +
      `${EDITS} modifications hors ligne (push par ${PUSH_BATCH}), ${LIVE} modifications en direct` +
      `${AT_REST ? ', contact interne chiffré au repos (--at-rest)' : ''}.`,
  );
  const database = await temporaryDatabase();
  const pageDir = mkdtempSync(join(tmpdir(), 'recrutement-bench-page-'));
  const emptyWebRoot = join(pageDir, 'no-web');
  mkdirSync(emptyWebRoot);
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(pageDir, { recursive: true, force: true })];
  const rows: Row[] = [];
  try {
    const config = readConfig(['--demo'], {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: database.dataDir,
      DATABASE_URL: database.databaseUrl ?? '',
      WEB_ROOT: emptyWebRoot,
      PUBLIC_URL: '',
    });
    const server = await startServer(config);
    cleanups.unshift(() => server.stop());
    log(`serveur : ${server.url} (${server.db.kind})`);

    const orgId = DEMO_ORGANISATIONS.boulangerie.id;
    const r1 = await login(server.url, 'recruteur1@demo.test');
    let t = performance.now();
    await seedOffers(server, orgId, r1.userId, DOCS);
    // As autovacuum would shortly after such a load: without statistics, PostgreSQL's planner takes
    // the organisation's key as rare and reads every remaining row of the scope for each page (a
    // bitmap scan and a sort) instead of walking the position index (20,000 offers: 28 ms a page
    // instead of 3.5 ms).
    await server.db.query('analyze offers');
    log(`${DOCS.toLocaleString('fr-FR')} offres insérées en SQL en ${fmtMs(performance.now() - t)}`);

    t = performance.now();
    const builtDir = join(pageDir, 'page');
    await buildPage(builtDir);
    log(`page de mesure construite (Vite) en ${fmtMs(performance.now() - t)}`);
    const proxy = await startProxy(builtDir, server.url);
    cleanups.unshift(proxy.close);

    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    cleanups.unshift(() => browser.close());
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`  [page] ${m.text()}`);
    });
    page.on('pageerror', (e) => console.error(`  [page] ${e.message}`));
    const flags = [TRACE && 'trace', AT_REST && 'atrest', DROP_META && 'dropmeta'].filter(Boolean).join('&');
    await page.goto(`${proxy.url}/${flags ? `?${flags}` : ''}`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'Prêt');

    // a. initial sync vs bulkInsert
    log('a. synchronisation initiale…');
    const cdpSync = PROFILE_SYNC ? await context.newCDPSession(page) : null;
    if (cdpSync) {
      await cdpSync.send('Profiler.enable');
      await cdpSync.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdpSync.send('Profiler.start');
    }
    const sync = await page.evaluate(([tk, b]) => window.bench.initialSync('', tk, b), [
      r1.token,
      BATCH,
    ] as const);
    if (cdpSync) {
      const { profile } = await cdpSync.send('Profiler.stop');
      summariseProfile(profile as unknown as CpuProfile, 'bench-sync-a');
    }
    log(
      `   ${sync.count} documents en ${fmtMs(sync.ms)} (dont ${sync.firstDocs} écrits par la première synchronisation en ${fmtMs(sync.firstMs)}, puis la réplication RxDB)`,
    );
    const bulk = await page.evaluate(() => window.bench.bulkInsert());
    const bulkRaw = await page.evaluate(() => window.bench.bulkInsert(undefined, 0, false));
    const bulkPaged = await page.evaluate((b) => window.bench.bulkInsert(undefined, b), BATCH);
    log(`   bulkInsert par lots de ${BATCH} : ${fmtMs(bulkPaged.ms)}`);
    log(
      `   bulkInsert : ${fmtMs(bulk.ms)} (un appel, ${bulk.count} docs), ${fmtMs(bulkRaw.ms)} sans validation z-schema`,
    );
    const ratio = sync.ms / bulk.ms;
    rows.push(
      {
        metric: `a. Sync initiale (${sync.count} docs, lots de ${BATCH})`,
        measured: fmtMs(sync.ms),
        goal: '',
        pass: null,
      },
      { metric: '   bulkInsert des mêmes docs (1 appel)', measured: fmtMs(bulk.ms), goal: '', pass: null },
      {
        metric: `   bulkInsert par lots de ${BATCH}`,
        measured: fmtMs(bulkPaged.ms),
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   rapport sync / bulkInsert',
        measured: `${ratio.toFixed(2)}×`,
        goal: '≤ 1,3×',
        pass: ratio <= 1.3,
      },
      {
        metric: '   bulkInsert sans validation z-schema',
        measured: fmtMs(bulkRaw.ms),
        goal: '(info)',
        pass: null,
      },
    );
    if (bulk.errors > 0 || bulk.count !== sync.count)
      log(`   ⚠ bulkInsert : ${bulk.count} docs, ${bulk.errors} erreurs`);

    // b. offline edits, then reconnect
    log(`b. ${EDITS} modifications hors ligne puis reconnexion…`);
    proxyTimes.length = 0;
    const bStart = performance.now();
    const cdp = PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    // The workstation path: a live replication, the network lost (the browser goes offline),
    // edits made meanwhile, then the network back; timed from reconnection to acknowledgement.
    await page.evaluate(([tk, pb]) => window.bench.goLive(tk, pb), [r1.token, PUSH_BATCH] as const);
    await context.setOffline(true);
    const made = await page.evaluate((n) => window.bench.editWhileOffline(n), EDITS);
    await context.setOffline(false);
    const acked = await page.evaluate(() => window.bench.awaitAcknowledged());
    const edits = { ...made, ...acked };
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      summariseProfile(profile as unknown as CpuProfile, 'bench-sync-b');
    }
    if (edits.trace) {
      console.log(JSON.stringify(edits.trace, null, 1));
      for (const p of proxyTimes)
        console.log(
          `   proxy ${p.path.split('/').pop()} @${Math.round(p.at - bStart)} ms: ${p.ms.toFixed(0)} ms`,
        );
    }
    // Check the server has the edits.
    const { rows: check } = await server.db.query<{ n: number }>(
      `select count(*)::int as n from offers where id = any($1::text[]) and doc->>'title' like 'Modifié hors ligne %'`,
      [edits.ids],
    );
    const allOnServer = check[0]!.n === edits.edited;
    log(
      `   saisies locales ${fmtMs(edits.editMs)} ; après reconnexion : ${edits.ackedRows} lignes acquittées en ${fmtMs(edits.ackMs)}, ` +
        `réplique à jour (éditions revenues par pull) en ${fmtMs(edits.ms)} ; ${check[0]!.n}/${edits.edited} sur le serveur`,
    );
    rows.push({
      metric: `b. ${edits.edited} modifs hors ligne → tout acquitté`,
      measured: fmtMs(edits.ackMs) + (allOnServer ? '' : ` (${check[0]!.n} reçues !)`),
      goal: '< 2 s',
      pass: edits.ackMs < 2000 && allOnServer && edits.ackedRows >= edits.edited,
    });
    rows.push({
      metric: '   réplique de nouveau à jour (pull compris)',
      measured: fmtMs(edits.ms),
      goal: '(info)',
      pass: null,
    });

    if (TRACE) {
      for (const limit of [100, 1000]) {
        const scan = await page.evaluate((l) => window.bench.scanChanges(l), limit);
        log(`   lecture de tout le réplica par getChangedDocumentsSince : ${JSON.stringify(scan)}`);
      }
    }

    // c. live propagation A → B (recruteur2: a small organisation, the stream carries only its changes)
    log(`c. propagation en direct (${LIVE} modifications)…`);
    const r2 = await login(server.url, 'recruteur2@demo.test');
    await page.evaluate((tk) => window.bench.startLiveClients(tk), r2.token);
    const latencies = await page.evaluate(([org, n]) => window.bench.liveLatency(org, n), [
      DEMO_ORGANISATIONS.transports.id,
      LIVE,
    ] as const);
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    const max = Math.max(...latencies);
    rows.push(
      { metric: `c. Direct client → client (SSE), p50`, measured: fmtMs(p50), goal: '', pass: null },
      {
        metric: `   p95 (${latencies.length} modifs, max ${fmtMs(max)})`,
        measured: fmtMs(p95),
        goal: '< 250 ms',
        pass: p95 < 250,
      },
    );
    await page.evaluate(() => window.bench.stopAll());

    // d. server pull vs raw SQL
    log('d. débit du pull serveur…');
    await pullThroughput(server.url, r1.token, false); // warm-up
    const pull = await pullThroughput(server.url, r1.token, false);
    const pullParsed = await pullThroughput(server.url, r1.token, true);
    await rawThroughput(server);
    const raw = await rawThroughput(server);
    const inProcess = await enginePullThroughput(server, r1.token);
    const pullRate = (pull.docs / pull.ms) * 1000;
    const rawRate = (raw.docs / raw.ms) * 1000;
    rows.push(
      {
        metric: `d. GET …/pull, lots de 1000 (${pull.docs} docs)`,
        measured: fmtRate(pullRate),
        goal: '',
        pass: null,
      },
      {
        metric: '   client analysant le JSON dans le même processus',
        measured: fmtRate((pullParsed.docs / pullParsed.ms) * 1000),
        goal: '(info)',
        pass: null,
      },
      {
        metric: `   dont moteur seul, sans HTTP (${(inProcess.bytes / 1024 / 1024).toFixed(0)} Mo de JSON)`,
        measured: fmtRate((inProcess.docs / inProcess.ms) * 1000),
        goal: '(info)',
        pass: null,
      },
      {
        metric: `   SELECT brut paginé (${raw.docs} lignes)`,
        measured: fmtRate(rawRate),
        goal: '',
        pass: null,
      },
      {
        metric: '   rapport pull / SELECT brut',
        measured: `${(pullRate / rawRate).toFixed(2)}×`,
        goal: '≥ 0,5×',
        pass: pullRate / rawRate >= 0.5,
      },
    );
  } catch (err) {
    console.error(
      `\nLe banc s’est interrompu : ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
    await database.cleanup().catch(() => undefined);
  }
  printTable(rows);
  process.exit(0);
}

function printTable(rows: Row[]) {
  if (rows.length === 0) return;
  const w1 = Math.max(...rows.map((r) => r.metric.length), 7);
  const w2 = Math.max(...rows.map((r) => r.measured.length), 6);
  const w3 = Math.max(...rows.map((r) => r.goal.length), 8);
  const line = `${'─'.repeat(w1 + 2)}┼${'─'.repeat(w2 + 2)}┼${'─'.repeat(w3 + 2)}┼──────`;
  console.log(
    `\nRésultats (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}, ${DOCS.toLocaleString('fr-FR')} offres${AT_REST ? ', chiffrement au repos' : ''})`,
  );
  console.log(` ${'Mesure'.padEnd(w1)} │ ${'Mesuré'.padEnd(w2)} │ ${'Objectif'.padEnd(w3)} │ État`);
  console.log(line);
  for (const r of rows) {
    const state = r.pass === null ? '' : r.pass ? 'PASS' : 'MISS';
    console.log(` ${r.metric.padEnd(w1)} │ ${r.measured.padStart(w2)} │ ${r.goal.padEnd(w3)} │ ${state}`);
  }
}

void main();
