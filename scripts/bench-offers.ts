/**
 * Offers-table benchmark: `npm run bench:offers -- [--offers 50000] [--companies 200] [--runs 3] [--pages 60]`.
 *
 * Builds a page with Vite (scripts/bench/offers-page.*) that opens the workstation's real
 * database (RxDB + Dexie + z-schema, renderer/src/db/database.ts) in Chromium, stores N
 * generated offers of an agency spread over its company profiles, and renders the real « Mes
 * offres » screen. Measures:
 *   1. time to first render of the table (database reopened: IndexedDB read, RxDB query, first
 *      paint), and again with the query warm;
 *   2. filtering by title (typing, one measure per keystroke) and by status: median and p95,
 *      goal under 100 ms from the input to the painted result;
 *   3. scroll smoothness: the table scrolled through N pages, one step per frame.
 * Prints a French table; always exits 0 (a measurement, not a test).
 */

import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { log, option, percentile } from './bench-cli';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const OFFERS = option('offers', 50_000);
const COMPANIES = option('companies', 200);
const RUNS = option('runs', 3);
const PAGES = option('pages', 60);
/** Title queries typed one character at a time (each keystroke is a measure). */
const QUERIES = ['vendeur', 'n° 4999', 'electricien', 'zzz'];
const GOAL_MS = 100;
/** Diagnostics: `--profile` runs Chrome's CPU profiler over the filters and the scroll. */
const PROFILE = process.argv.includes('--profile');
/** Diagnostics: `--profile-mount` profiles the first warm remount of the screen. */
const PROFILE_MOUNT = process.argv.includes('--profile-mount');

const fmtMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;

const median = (v: number[]) => percentile(v, 50);

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const file = normalize(join(dir, path === '/' ? 'offers-page.html' : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
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
    plugins: [react()],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // Readable function names in CPU profiles.
      minify: !PROFILE && !PROFILE_MOUNT,
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: join(ROOT, 'scripts', 'bench', 'offers-page.html') },
    },
  });
}

interface Row {
  metric: string;
  measured: string;
  goal: string;
  pass: boolean | null;
}

async function openPage(page: Page, url: string) {
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'Prêt');
}

async function main() {
  console.log(
    `Banc de la table des offres : ${OFFERS.toLocaleString('fr-FR')} offres locales, ${COMPANIES} entreprises, ` +
      `${RUNS} passes de mesure, défilement sur ${PAGES} pages.`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'recrutement-bench-offres-'));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const rows: Row[] = [];
  try {
    const t = performance.now();
    const built = join(dir, 'page');
    await buildPage(built);
    log(`page de mesure construite (Vite) en ${fmtMs(performance.now() - t)}`);
    const site = await serve(built);
    cleanups.unshift(site.close);
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    cleanups.unshift(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`  [page] ${m.text()}`);
    });
    page.on('pageerror', (e) => console.error(`  [page] ${e.message}`));
    const name = `benchoffres${Date.now().toString(36)}`;

    // Setup: store the offers (and company profiles) in IndexedDB.
    await openPage(page, site.url);
    log(`insertion de ${OFFERS.toLocaleString('fr-FR')} offres (bulkInsert, validation z-schema)…`);
    const setup = await page.evaluate(([n, o, c]) => window.offersBench.setup(n, o, c), [
      name,
      OFFERS,
      COMPANIES,
    ] as const);
    log(
      `   ${setup.offers.toLocaleString('fr-FR')} offres en ${fmtMs(setup.insertMs)} (comme reçues du serveur ; ` +
        `une écriture locale validée par z-schema coûte ${fmtMs(setup.validatedMsPerDoc)} par offre) ; ` +
        `${setup.companyProfiles} fiches entreprise${setup.companyProfiles === 0 ? ' (collection « companies » absente de cette version)' : ''}`,
    );

    // The replica's query alone, on a reopened database.
    await openPage(page, site.url);
    const query = await page.evaluate((n) => window.offersBench.queryOnly(n), name);
    log(
      `   requête RxDB seule (base rouverte) : ${fmtMs(query.queryMs)} par organisation, puis ${fmtMs(query.allMs)} sans sélecteur ` +
        `(IndexedDB getAll() des mêmes documents : ${fmtMs(query.getAllMs)}) ; copie des documents : ` +
        `toJSON() ${fmtMs(query.toJsonMs)}, _data ${fmtMs(query.dataMs)}`,
    );

    // 1. First render, cold (fresh page, database reopened), then warm (remount).
    const cold: number[] = [];
    const coldRows: number[] = [];
    const warm: number[] = [];
    let domRows = 0;
    for (let k = 0; k < RUNS; k++) {
      await openPage(page, site.url);
      const first = await page.evaluate((n) => window.offersBench.mount(n), name);
      cold.push(first.paintMs);
      coldRows.push(first.rowsMs);
      domRows = first.rowsInDom;
      await page.evaluate(() => window.offersBench.unmount());
      const mountCdp = PROFILE_MOUNT && k === 0 ? await context.newCDPSession(page) : null;
      if (mountCdp) {
        await mountCdp.send('Profiler.enable');
        await mountCdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await mountCdp.send('Profiler.start');
      }
      const again = await page.evaluate((n) => window.offersBench.mount(n), name);
      if (mountCdp) summariseProfile((await mountCdp.send('Profiler.stop')).profile as unknown as CpuProfile);
      warm.push(again.paintMs);
    }
    log(
      `1. premier affichage : ${cold.map(fmtMs).join(', ')} (requête en cache : ${warm.map(fmtMs).join(', ')})`,
    );
    const heights = await page.evaluate(() => window.offersBench.rowHeights());
    log(
      `   ${domRows} lignes dans le DOM pour ${OFFERS.toLocaleString('fr-FR')} offres ; hauteurs de ligne : ` +
        `${heights.heights.join(', ')} px ; aria-rowcount=${heights.ariaRowCount}`,
    );
    rows.push(
      {
        metric: `1. Premier affichage de la table (base rouverte, ${OFFERS.toLocaleString('fr-FR')} offres)`,
        measured: fmtMs(median(cold)),
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   dont requête RxDB + lecture IndexedDB',
        measured: fmtMs(query.queryMs),
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   réaffichage, requête en cache',
        measured: fmtMs(median(warm)),
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   lignes présentes dans le DOM',
        measured: String(domRows),
        goal: '≤ 80',
        pass: domRows <= 80,
      },
    );

    const cdp = PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    // 2. Filters.
    const title: { dom: number; paint: number }[] = [];
    const status: { dom: number; paint: number }[] = [];
    const company: { dom: number; paint: number }[] = [];
    const sort: { dom: number; paint: number }[] = [];
    for (let k = 0; k < RUNS; k++) {
      title.push(...(await page.evaluate((q) => window.offersBench.typeQueries(q), QUERIES)));
      status.push(...(await page.evaluate(() => window.offersBench.chooseStatuses(1))));
      company.push(...(await page.evaluate(() => window.offersBench.chooseCompanies(10))));
      sort.push(...(await page.evaluate(() => window.offersBench.sortBy('title', 2))));
    }
    const filterRows = (label: string, runs: { dom: number; paint: number }[], goal: boolean) => {
      if (runs.length === 0) return;
      const paints = runs.map((r) => r.paint);
      const doms = runs.map((r) => r.dom);
      const p95 = percentile(paints, 95);
      rows.push(
        {
          metric: `${label} : médiane saisie → image (${runs.length} mesures)`,
          measured: fmtMs(median(paints)),
          goal: goal ? `< ${GOAL_MS} ms` : '(info)',
          pass: goal ? median(paints) < GOAL_MS : null,
        },
        {
          metric: '   p95 saisie → image',
          measured: fmtMs(p95),
          goal: goal ? `< ${GOAL_MS} ms` : '(info)',
          pass: goal ? p95 < GOAL_MS : null,
        },
        {
          metric: '   médiane / p95 saisie → DOM à jour',
          measured: `${fmtMs(median(doms))} / ${fmtMs(percentile(doms, 95))}`,
          goal: '(info)',
          pass: null,
        },
      );
    };
    filterRows('2a. Filtre par titre (frappe)', title, true);
    filterRows('2b. Filtre par statut', status, true);
    filterRows('2c. Filtre par entreprise', company, false);
    filterRows('2d. Tri par titre (clic sur l’en-tête)', sort, false);
    log(
      `2. filtres : titre ${title.length} frappes, statut ${status.length} choix, entreprise ${company.length} choix, tri ${sort.length} clics`,
    );

    // 3. Scroll.
    const idle = await page.evaluate(() => window.offersBench.idleFrames(60));
    const frame = median(idle);
    const scroll = await page.evaluate(([p]) => window.offersBench.scroll(p, 4), [PAGES] as const);
    const control = await page.evaluate(([p]) => window.offersBench.scrollControl(p, 4), [PAGES] as const);
    const stats = (d: number[]) => {
      const avg = d.reduce((a, b) => a + b, 0) / d.length;
      const dropped = d.reduce((n, x) => n + Math.max(0, Math.round(x / frame) - 1), 0);
      return {
        avg,
        p95: percentile(d, 95),
        long: d.filter((x) => x > 50).length,
        dropped,
        droppedShare: dropped / Math.max(1, d.length + dropped),
      };
    };
    const ours = stats(scroll.deltas);
    const base = stats(control.deltas);
    log(
      `3. défilement : ${scroll.frames} images pour ${PAGES} pages (${Math.round(scroll.scrolledPx).toLocaleString('fr-FR')} px), ` +
        `intervalle au repos ${fmtMs(frame)}, au plus ${scroll.maxRowsInDom} lignes dans le DOM ; ` +
        `témoin figé : ${fmtMs(base.avg)} par image, ${base.dropped} images perdues, ${base.long} longues`,
    );
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
    rows.push(
      {
        metric: `3. Défilement : ${PAGES} pages, 4 pas par page, un pas par image`,
        measured: `${scroll.frames} images`,
        goal: '',
        pass: null,
      },
      {
        metric: '   temps moyen par image (témoin figé sans React)',
        measured: `${fmtMs(ours.avg)} (${fmtMs(base.avg)})`,
        goal: '≤ témoin + 25 %',
        pass: ours.avg <= base.avg * 1.25,
      },
      {
        metric: '   p95 du temps par image (témoin)',
        measured: `${fmtMs(ours.p95)} (${fmtMs(base.p95)})`,
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   images perdues, intervalle > 1 image (témoin)',
        measured: `${ours.dropped} = ${pct(ours.droppedShare)} (${pct(base.droppedShare)})`,
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   images longues > 50 ms (témoin)',
        measured: `${ours.long} (${base.long})`,
        goal: '≤ témoin',
        pass: ours.long <= base.long,
      },
      {
        metric: '   images sans ligne visible au milieu',
        measured: String(scroll.blankFrames),
        goal: '0',
        pass: scroll.blankFrames === 0,
      },
    );
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      summariseProfile(profile as unknown as CpuProfile);
    }
    await page.evaluate(() => window.offersBench.close());
  } catch (err) {
    console.error(
      `\nLe banc s’est interrompu : ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
  printTable(rows);
  process.exit(0);
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function over the profile (top entries). */
function summariseProfile(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonyme)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    self.set(name(id), (self.get(name(id)) ?? 0) + ms);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = name(cur);
      if (seen.has(k)) continue;
      seen.add(k);
      total.set(k, (total.get(k) ?? 0) + ms);
    }
  });
  const print = (title: string, m: Map<string, number>, n: number) => {
    console.log(`  profil CPU (${title}) :`);
    for (const [k, v] of [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n))
      console.log(`   ${v.toFixed(0).padStart(7)} ms  ${k}`);
  };
  print('temps propre', self, 25);
  print('temps total', total, 40);
}

function printTable(rows: Row[]) {
  if (rows.length === 0) return;
  const w1 = Math.max(...rows.map((r) => r.metric.length), 7);
  const w2 = Math.max(...rows.map((r) => r.measured.length), 6);
  const w3 = Math.max(...rows.map((r) => r.goal.length), 8);
  const line = `${'─'.repeat(w1 + 2)}┼${'─'.repeat(w2 + 2)}┼${'─'.repeat(w3 + 2)}┼──────`;
  console.log(
    `\nRésultats (Chromium sans interface, ${OFFERS.toLocaleString('fr-FR')} offres, ${COMPANIES} entreprises)`,
  );
  console.log(` ${'Mesure'.padEnd(w1)} │ ${'Mesuré'.padEnd(w2)} │ ${'Objectif'.padEnd(w3)} │ État`);
  console.log(line);
  for (const r of rows) {
    const state = r.pass === null ? '' : r.pass ? 'PASS' : 'MISS';
    console.log(` ${r.metric.padEnd(w1)} │ ${r.measured.padStart(w2)} │ ${r.goal.padEnd(w3)} │ ${state}`);
  }
}

void main();
