/**
 * CVthèque local search benchmark (issue 5): `npm run bench:cvtheque -- [--cvs 100000] [--runs 60] [--plain-runs 5]`.
 *
 * Builds a page with Vite (scripts/bench-cvtheque/*) and drives it in Chromium
 * (/usr/bin/chromium, headless): an RxDB database on Dexie (IndexedDB) receives N synthetic
 * French CVs, the workstation's `LocalCvIndex` is built from it, then keyword + radius + RQTH
 * searches run on the index (p50/p95, goal p95 < 50 ms) and the same searches with a plain RxDB
 * query (`collection.find({ selector })`, then filtering and ranking in JS) in the same run,
 * with the ratio. Also: index build time and memory, and the first-page render time of a small
 * PDF (generated here with pdfkit) with pdf.js. Prints figures; always exits 0 unless it cannot
 * run (a measurement, not a test).
 */

import { createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import type { CvSearchCriteria } from '../shared/domain/cv-search';
import { fmtMs, log, option, percentile } from './bench-cli';
import { COMMUNES } from './bench-cvtheque/cv-corpus';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const CVS = option('cvs', 100_000);
const RUNS = option('runs', 60);
const PLAIN_RUNS = option('plain-runs', 5);
const GOAL_MS = 50;

const fmtMb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} Mo`;

/** Keyword + radius + RQTH searches, over the corpus' jobs and communes. */
function searches(): CvSearchCriteria[] {
  const keywords = [
    'serveuse',
    'infirmières',
    'boulanger',
    'aide-soignante',
    'électricien habilitation',
    'cariste CACES',
    'chauffeuse poids lourd',
    'comptable',
    'développeuse React',
    'agent d’entretien',
    'cuisinier',
    'préparatrice de commandes',
  ];
  const radii = [10, 30, 50, 100];
  const out: CvSearchCriteria[] = [];
  for (let i = 0; i < keywords.length * radii.length; i++) {
    const c = COMMUNES[(i * 7) % COMMUNES.length]!;
    out.push({
      keywords: keywords[i % keywords.length],
      place: { code: c.code, label: c.name, lat: c.lat, lon: c.lon },
      radiusKm: radii[Math.floor(i / keywords.length) % radii.length],
      rqthOnly: true,
    });
  }
  return out;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.pdf': 'application/pdf',
  '.map': 'application/json',
};

function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const file = normalize(join(dir, path === '/' ? 'page.html' : path));
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
    root: join(ROOT, 'scripts', 'bench-cvtheque'),
    base: './',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 4000,
      rollupOptions: { input: join(ROOT, 'scripts', 'bench-cvtheque', 'page.html') },
    },
  });
}

/** A one-page French CV as a PDF (pdfkit). */
function makePdf(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: 'CV – Camille Martin' } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(22).text('Camille Martin');
    doc.fontSize(14).fillColor('#333').text('Serveuse en restauration – Carcassonne (11)');
    doc.moveDown();
    doc.fontSize(13).fillColor('#000').text('Expériences');
    for (const [when, what] of [
      ['2021 – aujourd’hui', 'Serveuse, Brasserie du Canal : service en salle et en terrasse, encaissement.'],
      ['2018 – 2021', 'Commis de salle, Hôtel de la Cité : mise en place, accueil de la clientèle.'],
      ['2016 – 2018', 'Vendeuse en boulangerie, Boulangerie Martin : conseil, caisse, vitrine.'],
    ])
      doc.fontSize(11).text(`${when} — ${what}`, { paragraphGap: 4 });
    doc.moveDown();
    doc.fontSize(13).text('Formation');
    doc.fontSize(11).text('CAP Commercialisation et services en hôtel-café-restaurant (2016)');
    doc.moveDown();
    doc.fontSize(13).text('Compétences');
    doc
      .fontSize(11)
      .text('Service en salle · Prise de commandes · Encaissement · Anglais (B2) · Espagnol (B1) · Permis B');
    doc.rect(50, 620, 495, 120).stroke('#999');
    doc.fontSize(10).text('Disponible immédiatement. RQTH reconnue.', 60, 630);
    doc.end();
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
    `Banc de la CVthèque locale : ${CVS.toLocaleString('fr-FR')} CV, ${RUNS} recherches indexées, ` +
      `${PLAIN_RUNS} recherches par requête RxDB simple.`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'recrutement-bench-cvtheque-'));
  const cleanups: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const rows: Row[] = [];
  try {
    let t = performance.now();
    const built = join(dir, 'page');
    await buildPage(built);
    const pdf = await makePdf();
    writeFileSync(join(built, 'cv.pdf'), pdf);
    log(
      `page de mesure construite (Vite) en ${fmtMs(performance.now() - t)} ; PDF de ${pdf.length} octets (pdfkit)`,
    );
    const site = await serve(built);
    cleanups.unshift(site.close);
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
    });
    cleanups.unshift(() => browser.close());
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`  [page] ${m.text()}`);
    });
    page.on('pageerror', (e) => console.error(`  [page] ${e.message}`));
    const name = `benchcvtheque${Date.now().toString(36)}`;

    await openPage(page, site.url);
    log(
      `insertion de ${CVS.toLocaleString('fr-FR')} CV dans IndexedDB (RxDB Dexie, comme reçus du serveur)…`,
    );
    const setup = await page.evaluate(([n, c]) => window.cvBench.setup(n, c), [name, CVS] as const);
    log(`   ${setup.cvs.toLocaleString('fr-FR')} CV en ${fmtMs(setup.insertMs)}`);

    // For comparison, on a reopened database: RxDB's query of every CV.
    await openPage(page, site.url);
    const rxRead = await page.evaluate((n) => window.cvBench.rxdbRead(n), name);
    // A fresh page: the index is built from a reopened database, as when the app starts.
    await openPage(page, site.url);
    t = performance.now();
    const b = await page.evaluate((n) => window.cvBench.build(n), name);
    const heapDelta = b.heapBefore !== null && b.heapAfter !== null ? b.heapAfter - b.heapBefore : null;
    log(
      `index construit en ${fmtMs(b.buildMs)}, dont lecture IndexedDB (getAll) ${fmtMs(b.stats.readMs)} ` +
        `(pour comparaison, la requête RxDB des mêmes ${rxRead.count.toLocaleString('fr-FR')} documents, base ` +
        `rouverte : ${fmtMs(rxRead.readMs)}) : ` +
        `${b.stats.cvs.toLocaleString('fr-FR')} CV, ` +
        `${b.stats.stems.toLocaleString('fr-FR')} racines`,
    );
    log(
      `   mémoire : tas JS +${heapDelta === null ? '?' : fmtMb(heapDelta)} (${b.memoryApi}) ; ` +
        `estimation de l’index : ${fmtMb(b.stats.approxBytes)}`,
    );

    // Indexed searches: one warm-up pass, then RUNS measures.
    const all = searches();
    for (const c of all.slice(0, 5)) await page.evaluate((cr) => window.cvBench.search(cr), c);
    const indexed: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c = all[i % all.length]!;
      const r = await page.evaluate((cr) => window.cvBench.search(cr), c);
      indexed.push(r.ms);
      totals.push(r.total);
    }
    const p50 = percentile(indexed, 50);
    const p95 = percentile(indexed, 95);
    log(
      `recherches indexées (mots-clés + rayon + RQTH) : p50 ${fmtMs(p50)}, p95 ${fmtMs(p95)}, max ` +
        `${fmtMs(Math.max(...indexed))} ; résultats par recherche : médiane ${percentile(totals, 50)}, max ${Math.max(...totals)}`,
    );

    // The same searches with a plain RxDB query, and a check that both find the same.
    const plain: number[] = [];
    let same = 0;
    for (let i = 0; i < PLAIN_RUNS; i++) {
      const c = all[(i * 5) % all.length]!;
      const r = await page.evaluate(([n, cr, k]) => window.cvBench.plain(n, cr, k), [name, c, i] as const);
      const ix = await page.evaluate((cr) => window.cvBench.search(cr), c);
      if (ix.total === r.total && ix.first === r.first) same++;
      plain.push(r.ms);
      if (i === 0)
        log(
          `   requête RxDB simple : ${r.read.toLocaleString('fr-FR')} documents lus (RQTH), ${r.total} retenus`,
        );
    }
    const plainP50 = percentile(plain, 50);
    log(
      `requête RxDB simple (find + filtre et classement en JS) : p50 ${fmtMs(plainP50)}, p95 ` +
        `${fmtMs(percentile(plain, 95))} ; mêmes résultats que l’index : ${same}/${PLAIN_RUNS}`,
    );

    // pdf.js: first page of a small PDF (the first opening starts the worker; then it is reused).
    await page.evaluate(() => window.cvBench.close());
    const pdfRuns = [];
    for (let i = 0; i < 6; i++)
      pdfRuns.push(await page.evaluate((u) => window.cvBench.pdf(u), `${site.url}/cv.pdf`));
    const pdfWarm = pdfRuns.slice(1).map((r) => r.totalMs);
    log(
      `pdf.js, première page : ${fmtMs(pdfRuns[0]!.totalMs)} la première fois, démarrage du worker compris (ouverture ${fmtMs(pdfRuns[0]!.openMs)}, ` +
        `rendu ${fmtMs(pdfRuns[0]!.renderMs)}), puis, worker démarré : ${pdfWarm.map(fmtMs).join(', ')}`,
    );

    const n = CVS.toLocaleString('fr-FR');
    rows.push(
      {
        metric: `Recherche indexée p50 (${n} CV, mots-clés + rayon + RQTH)`,
        measured: fmtMs(p50),
        goal: '(info)',
        pass: null,
      },
      { metric: 'Recherche indexée p95', measured: fmtMs(p95), goal: `< ${GOAL_MS} ms`, pass: p95 < GOAL_MS },
      {
        metric: 'Requête RxDB simple p50 (même filtrage)',
        measured: fmtMs(plainP50),
        goal: '(info)',
        pass: null,
      },
      {
        metric: 'Rapport requête simple / index (p50)',
        measured: `× ${(plainP50 / Math.max(p50, 0.001)).toFixed(0)}`,
        goal: '(info)',
        pass: null,
      },
      {
        metric: 'Mêmes résultats (total, premier) index / requête',
        measured: `${same}/${PLAIN_RUNS}`,
        goal: 'tous',
        pass: same === PLAIN_RUNS,
      },
      {
        metric: 'Construction de l’index (lecture IndexedDB comprise)',
        measured: fmtMs(b.buildMs),
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   dont lecture IndexedDB (getAll)',
        measured: fmtMs(b.stats.readMs),
        goal: '(info)',
        pass: null,
      },
      {
        metric: '   lecture par requête RxDB, pour comparaison',
        measured: fmtMs(rxRead.readMs),
        goal: '(info)',
        pass: null,
      },
      {
        metric: `Mémoire du tas JS après construction (${b.memoryApi === 'aucune' ? 'indisponible' : 'performance.memory'})`,
        measured: heapDelta === null ? '?' : fmtMb(heapDelta),
        goal: '(info)',
        pass: null,
      },
      {
        metric: 'Mémoire estimée par l’index (stats())',
        measured: fmtMb(b.stats.approxBytes),
        goal: '(info)',
        pass: null,
      },
      {
        metric: 'PDF : première page, premier PDF (worker pdf.js démarré)',
        measured: fmtMs(pdfRuns[0]!.totalMs),
        goal: '(info)',
        pass: null,
      },
      {
        metric: 'PDF : première page, PDF suivants (médiane)',
        measured: fmtMs(percentile(pdfWarm, 50)),
        goal: '(info)',
        pass: null,
      },
    );
    printTable(rows);
  } catch (err) {
    console.error(`Le banc n’a pas pu aller au bout : ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 1;
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}

function printTable(rows: Row[]) {
  if (rows.length === 0) return;
  const w1 = Math.max(...rows.map((r) => r.metric.length), 7);
  const w2 = Math.max(...rows.map((r) => r.measured.length), 6);
  const w3 = Math.max(...rows.map((r) => r.goal.length), 8);
  const line = `${'─'.repeat(w1 + 2)}┼${'─'.repeat(w2 + 2)}┼${'─'.repeat(w3 + 2)}┼──────`;
  console.log(`\nRésultats (Chromium sans interface, ${CVS.toLocaleString('fr-FR')} CV locaux)`);
  console.log(` ${'Mesure'.padEnd(w1)} │ ${'Mesuré'.padEnd(w2)} │ ${'Objectif'.padEnd(w3)} │ État`);
  console.log(line);
  for (const r of rows) {
    const state = r.pass === null ? '' : r.pass ? 'PASS' : 'MISS';
    console.log(` ${r.metric.padEnd(w1)} │ ${r.measured.padStart(w2)} │ ${r.goal.padEnd(w3)} │ ${state}`);
  }
}

void main();
