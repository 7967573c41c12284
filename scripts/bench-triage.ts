/**
 * Triage benchmark (issue 6): `npm run bench:triage -- [--applicants 5000] [--runs 200]`.
 *
 * Starts the sync server (PGlite in a temporary folder, or a scratch database on DATABASE_URL)
 * with the demo data and the built web workstation (`npm run build:web` first), gives one of Claire
 * Martin's offers N applicants, then drives the real « Mes candidats » screen in Chromium
 * (/usr/bin/chromium, headless):
 * - the initial sync of the N applications (time until the table counts them);
 * - keypress to the next applicant shown: `J` pressed, until the panel shows the next person, at the
 *   next frame (goal p95 < 50 ms);
 * - status change persisted locally: `E` (« à l'étude ») pressed, until the local database wrote it
 *   (a User Timing mark, goal < 20 ms), and until the screen shows it; online (each write is pushed
 *   to the server) and offline (as at a fair); keys back to back (10 ms apart, each write queued
 *   behind the work of the key before) and at a fast triager's pace (`--pace 150` ms);
 * - « Préparer le salon » for a salon presenting 20 offers with 2,000 applicants, each with its own
 *   PDF CV: from the click to « Prêt pour le hors-ligne » (every PDF in the local file store).
 * Prints figures; exits 0 unless it cannot run (a measurement, not a test).
 */

import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { DESKTOP_BRIDGE_STAND_IN } from '../e2e/fixtures/desktop-bridge';
import { sha256HexSync } from '../shared/domain/sha256';
import { PdfWriter } from '../shared/export/pdf-writer';
import type { ApplicationDoc } from '../shared/schemas/application.schema';
import type { EventDoc } from '../shared/schemas/event.schema';
import { readConfig } from '../sync-server/src/config';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../sync-server/src/db/seed-demo';
import { applicationsCollection, writeApplication } from '../sync-server/src/domain/applications';
import { eventsCollection } from '../sync-server/src/domain/events';
import { offersCollection } from '../sync-server/src/domain/offers';
import { startServer } from '../sync-server/src/server';
import type { Doc } from '../sync-server/src/sync/types';
import { createScratchPostgres } from '../sync-server/test/harness';
import { type CpuProfile, fmtMs, log, option, percentile, summariseProfile } from './bench-cli';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const APPLICANTS = option('applicants', 5000);
const RUNS = option('runs', 200);
/** A fast triager's pace between two applicants, for the paced measurements. */
const PACE_MS = option('pace', 150);
const FAIR_OFFERS = option('fair-offers', 20);
const FAIR_APPLICANTS = option('fair-applicants', 2000);
/** `--at-rest`: the workstation as on the desktop, its sensitive fields and files encrypted at rest. */
const AT_REST = process.argv.includes('--at-rest');

const FIRST = [
  'Inès',
  'Julien',
  'Camille',
  'Karim',
  'Sofia',
  'Lucas',
  'Aïcha',
  'Nathan',
  'Chloé',
  'Théo',
  'Léa',
  'Hugo',
];
const LAST = [
  'Benali',
  'Roux',
  'Lefèvre',
  'Haddad',
  'Marques',
  'Petit',
  'Diallo',
  'Morel',
  'Fournier',
  'Garnier',
];

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'workstation', 'index.html'))) {
    console.error('Le poste de travail web n’est pas construit : lancez « npm run build:web » d’abord.');
    process.exit(2);
  }
  console.log(
    `Banc du tri des candidats : ${APPLICANTS.toLocaleString('fr-FR')} candidats sur une offre, ${RUNS} mesures` +
      `${AT_REST ? ', données sensibles chiffrées au repos comme sur le poste de bureau (--at-rest)' : ''}.`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'recrutement-bench-triage-'));
  const admin = process.env.DATABASE_URL?.trim();
  const scratch = admin ? await createScratchPostgres(admin, 'bench_triage') : null;
  const cleanups: (() => Promise<unknown>)[] = [
    async () => rmSync(dataDir, { recursive: true, force: true }),
    async () => scratch?.drop(),
  ];
  try {
    const config = readConfig(['--demo'], {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL: scratch?.url ?? '',
      PUBLIC_URL: '',
    });
    const server = await startServer(config);
    cleanups.unshift(() => server.stop());
    log(`serveur : ${server.url} (${server.db.kind})`);

    const orgId = DEMO_ORGANISATIONS.boulangerie.id;
    const { rows } = await server.db.query<{ id: string; title: string }>(
      `select id, doc->>'title' as title from offers
        where doc->>'organisationId' = $1 and doc->>'status' = 'publiee' and not deleted
        order by doc->>'number' limit 1`,
      [orgId],
    );
    const offer = rows[0];
    if (!offer) throw new Error('aucune offre publiée de démonstration');
    let t = performance.now();
    // Newer than the demo's applicants, so that they come first (received last, first shown).
    const base = Date.now() - APPLICANTS * 1000 - 60_000;
    await server.db.transaction(async (tx) => {
      for (let i = 0; i < APPLICANTS; i++) {
        const at = new Date(base + i * 1000).toISOString();
        const first = FIRST[i % FIRST.length]!;
        const last = `${LAST[Math.floor(i / FIRST.length) % LAST.length]!}-${i}`;
        const doc: ApplicationDoc = {
          id: randomUUID(),
          organisationId: orgId,
          offerId: offer.id,
          offer: { title: offer.title, companyName: 'Boulangeries Martin' },
          applicant: {
            firstName: first,
            lastName: last,
            email: `candidat${i}@exemple.fr`,
            phone: `06 ${String(10_000_000 + i).slice(0, 2)} ${String(i % 100).padStart(2, '0')} 00 00`,
          },
          message: 'Bonjour, votre offre m’intéresse, je suis disponible rapidement.',
          status: 'nouvelle',
          history: [{ at, to: 'nouvelle' }],
          source: i % 7 === 0 ? 'salon' : 'portail',
          createdAt: at,
          updatedAt: at,
        };
        await server.app.engine.write(tx, applicationsCollection, doc as unknown as Doc, false);
      }
    });
    log(`${APPLICANTS.toLocaleString('fr-FR')} candidatures écrites en ${fmtMs(performance.now() - t)}`);

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    cleanups.unshift(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    page.on('pageerror', (e) => console.error(`  [page] ${e.message}`));
    if (AT_REST) await context.addInitScript(DESKTOP_BRIDGE_STAND_IN);
    await page.goto(`${server.url}/workstation/`);
    if (AT_REST && !(await page.evaluate(() => 'workstation' in window)))
      throw new Error('--at-rest : le pont du poste de bureau n’a pas été installé dans la page.');
    await page.getByLabel('E-mail').fill(DEMO_ACCOUNTS[0].email);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    t = performance.now();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('button', { name: 'Mes candidats' }).click();
    await page.getByLabel('Offre', { exact: true }).selectOption(offer.id);
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="filter-toutes"] .count')?.textContent) >= n,
      APPLICANTS,
      { timeout: 600_000, polling: 250 },
    );
    const syncMs = performance.now() - t;
    log(`connexion et synchronisation initiale des candidatures : ${fmtMs(syncMs)}`);
    await page.getByTestId('filter-toutes').click();
    await page.getByTestId('applicant-row').first().locator('[data-col="name"]').focus();

    const next = await measure(page, 'j', RUNS, '[data-testid="applicant-name"]');
    const cdp = process.env.BENCH_PROFILE ? await context.newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const status = await measure(page, 'e', Math.min(RUNS, 100), '[data-testid="applicant-status"]', 'j');
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      summariseProfile(profile as unknown as CpuProfile, 'bench-triage-statut');
    }
    // The same keys offline, as at a fair with no network: no push to the server after each write,
    // and no server copy written back into the same store right after (the next write waits for it).
    await context.setOffline(true);
    const statusOffline = await measure(
      page,
      'e',
      Math.min(RUNS, 100),
      '[data-testid="applicant-status"]',
      'j',
    );
    // At a fast triager's pace (a key every 150 ms or so), each write no longer queues behind the
    // work the previous key started.
    const statusOfflinePaced = await measure(
      page,
      'e',
      Math.min(RUNS, 100),
      '[data-testid="applicant-status"]',
      'j',
      PACE_MS,
    );
    await context.setOffline(false);
    await page.waitForTimeout(2000);
    const statusPaced = await measure(
      page,
      'e',
      Math.min(RUNS, 100),
      '[data-testid="applicant-status"]',
      'j',
      PACE_MS,
    );
    // « Préparer le salon »: 20 offers, 2,000 applicants with their PDFs.
    t = performance.now();
    await seedFair(server, orgId, offer.id);
    log(
      `salon de ${FAIR_OFFERS} offres et ${FAIR_APPLICANTS.toLocaleString('fr-FR')} candidats avec CV PDF écrit en ${fmtMs(performance.now() - t)}`,
    );
    // The replica first receives the new offers and applications (live): measured apart.
    t = performance.now();
    await page.getByLabel('Offre', { exact: true }).selectOption('');
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid="filter-toutes"] .count')?.textContent) >= n,
      APPLICANTS + FAIR_APPLICANTS,
      { timeout: 600_000, polling: 250 },
    );
    const replicaMs = performance.now() - t;
    await page.getByRole('button', { name: 'Salons et sessions' }).click();
    await page.getByText('Salon du banc de mesure').first().click();
    await page.getByRole('heading', { level: 1, name: 'Salon du banc de mesure' }).waitFor();
    const clicked = performance.now();
    await page.getByRole('button', { name: 'Préparer le salon', exact: true }).click();
    await page.getByTestId('prepare-ready').waitFor({ state: 'visible', timeout: 900_000 });
    const prepareMs = performance.now() - clicked;
    const prepared = await page.getByTestId('prepare-count').textContent();
    log(
      `préparer le salon : ${fmtMs(prepareMs)} (${prepared}) ; réplique des ${FAIR_APPLICANTS} candidatures : ${fmtMs(replicaMs)}`,
    );

    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );

    console.log('');
    console.log('| Mesure | p50 | p95 | max | Objectif |');
    console.log('|---|---|---|---|---|');
    console.log(`| Synchronisation initiale (${APPLICANTS} candidatures) | ${fmtMs(syncMs)} | | | |`);
    const line = (label: string, v: number[], goal: number) =>
      console.log(
        `| ${label} (${v.length} mesures) | ${fmtMs(percentile(v, 50))} | ${fmtMs(percentile(v, 95))} | ${fmtMs(Math.max(...v))} | p95 < ${goal} ms ${percentile(v, 95) < goal ? '✔' : '✘'} |`,
      );
    line(
      'Touche J → candidat suivant affiché',
      next.map((m) => m.shown),
      50,
    );
    line(
      'Touche E → statut écrit, touches enchaînées (10 ms)',
      status.map((m) => m.saved ?? Number.NaN).filter(Number.isFinite),
      20,
    );
    line(
      'Touche E → nouveau statut affiché',
      status.map((m) => m.shown),
      50,
    );
    line(
      `Touche E → statut écrit, au rythme d’un trieur (${PACE_MS} ms entre deux candidats)`,
      statusPaced.map((m) => m.saved ?? Number.NaN).filter(Number.isFinite),
      20,
    );
    line(
      `Hors ligne, au rythme d’un trieur : touche E → statut écrit`,
      statusOfflinePaced.map((m) => m.saved ?? Number.NaN).filter(Number.isFinite),
      20,
    );
    line(
      'Hors ligne, touches enchaînées : touche E → statut écrit',
      statusOffline.map((m) => m.saved ?? Number.NaN).filter(Number.isFinite),
      20,
    );
    line(
      'Hors ligne : touche E → nouveau statut affiché',
      statusOffline.map((m) => m.shown),
      50,
    );
    if (heap) console.log(`\nTas JavaScript de la page : ${(heap / 1024 / 1024).toFixed(0)} Mo`);
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}

/** A one-page PDF CV of its own for each applicant (content-addressed: every file differs). */
function cvPdf(i: number): Uint8Array {
  const w = new PdfWriter({ info: { title: `CV ${i}`, creationDate: new Date(2026, 11, 4) } });
  w.heading(`Candidat n° ${i}`, 1);
  w.paragraph('Vendeur en boulangerie, cinq ans d’expérience, accueil, caisse, mise en rayon.');
  w.keyValue(
    'Téléphone',
    `06 00 ${String(i)
      .padStart(6, '0')
      .replace(/(\d\d)(\d\d)(\d\d)/, '$1 $2 $3')}`,
  );
  return w.toBytes();
}

/** The salon: FAIR_OFFERS published offers (copies of `template`), FAIR_APPLICANTS applicants with PDFs. */
async function seedFair(
  server: Awaited<ReturnType<typeof startServer>>,
  orgId: string,
  template: string,
): Promise<void> {
  const { rows } = await server.db.query<{ doc: Record<string, unknown> }>(
    'select doc from offers where id = $1',
    [template],
  );
  const base = rows[0]!.doc;
  const offerIds: string[] = [];
  const eventId = randomUUID();
  await server.db.transaction(async (tx) => {
    for (let o = 0; o < FAIR_OFFERS; o++) {
      const id = randomUUID();
      offerIds.push(id);
      const doc = {
        ...base,
        id,
        number: `B${String(o).padStart(6, '0')}`,
        title: `Offre du salon n° ${o + 1} H/F`,
      };
      await server.app.engine.write(tx, offersCollection, doc as unknown as Doc, false);
    }
    const now = Date.now();
    for (let i = 0; i < FAIR_APPLICANTS; i++) {
      const bytes = cvPdf(i);
      const sha256 = sha256HexSync(bytes);
      await tx.query(
        `insert into files (sha256, mime, size, bytes, purpose, uploaded_by)
         values ($1, 'application/pdf', $2, $3, 'cv', $4) on conflict (sha256) do nothing`,
        [sha256, bytes.length, bytes, DEMO_ACCOUNTS[0].id],
      );
      const at = new Date(now - (FAIR_APPLICANTS - i) * 1000).toISOString();
      const offerId = offerIds[i % FAIR_OFFERS]!;
      const doc: ApplicationDoc = {
        id: randomUUID(),
        organisationId: orgId,
        offerId,
        offer: {
          title: `Offre du salon n° ${(i % FAIR_OFFERS) + 1} H/F`,
          companyName: 'Boulangeries Martin',
        },
        applicant: {
          firstName: FIRST[i % FIRST.length]!,
          lastName: `Salon-${i}`,
          email: `salon${i}@exemple.fr`,
        },
        cvFile: sha256,
        status: 'nouvelle',
        history: [{ at, to: 'nouvelle' }],
        source: 'portail',
        createdAt: at,
        updatedAt: at,
      };
      await writeApplication(tx, server.app.engine, doc);
    }
    const today = new Date().toISOString().slice(0, 10);
    const event: EventDoc = {
      id: eventId,
      organisationId: orgId,
      kind: 'salon',
      status: 'planifiee',
      name: 'Salon du banc de mesure',
      date: today,
      startTime: '09:00',
      endTime: '17:00',
      place: { label: 'Halle aux grains', city: 'Carcassonne', postalCode: '11000' },
      offerIds,
      colleagueIds: [],
      public: false,
      createdBy: DEMO_ACCOUNTS[0].id,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
    await server.app.engine.write(tx, eventsCollection, event as unknown as Doc, false);
  });
}

/**
 * Presses `key` `runs` times and measures, in the page, from the keydown (dispatched on the
 * focused element, as the browser does) to the frame after the element `selector` changed.
 * `between` (optional) is pressed, unmeasured, after each run.
 */
async function measure(
  page: Page,
  key: string,
  runs: number,
  selector: string,
  between?: string,
  /** Pause after each run: 10 ms presses keys back to back; 150 ms is a fast triager's pace. */
  pauseMs = 10,
): Promise<{ shown: number; saved: number | null }[]> {
  const out: { shown: number; saved: number | null }[] = [];
  for (let i = 0; i < runs; i++) {
    // A string, not a function: tsx would wrap named functions in a helper the page does not have.
    const ms = (await page.evaluate(`new Promise((resolve, reject) => {
      const sel = ${JSON.stringify(selector)};
      const before = document.querySelector(sel)?.textContent;
      const target = document.activeElement || document.body;
      let t0 = 0;
      const obs = new MutationObserver(() => {
        if (document.querySelector(sel)?.textContent === before) return;
        obs.disconnect();
        requestAnimationFrame(() => {
          const shown = performance.now() - t0;
          const marks = performance.getEntriesByName('triage:statut-enregistre', 'mark');
          const saved = marks.length > 0 && marks[marks.length - 1].startTime >= t0 ? marks[marks.length - 1].startTime - t0 : null;
          resolve({ shown, saved });
        });
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      setTimeout(() => { obs.disconnect(); reject(new Error('rien n’a changé dans ' + sel + ' (focus : ' + target.textContent + ')')); }, 10000);
      t0 = performance.now();
      target.dispatchEvent(new KeyboardEvent('keydown', { key: ${JSON.stringify(key)}, bubbles: true, cancelable: true }));
    })`)) as { shown: number; saved: number | null };
    out.push(ms);
    if (between) await page.keyboard.press(between);
    await page.waitForTimeout(pauseMs);
  }
  return out;
}

main().catch((err) => {
  console.error(`Le banc n’a pas pu aller au bout : ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
