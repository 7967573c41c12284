/**
 * Offers-table benchmark page (built with Vite, driven by scripts/bench-offers.ts through
 * Playwright): the workstation's real database (renderer/src/db/database.ts: RxDB + Dexie +
 * z-schema, every collection of collectionCreators) and the real « Mes offres » screen
 * (renderer/src/features/offers/OffersScreen.tsx) in a minimal session, with N generated offers
 * spread over the company profiles of an agency.
 */
import { createElement, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createRevision, getDefaultRxDocumentMeta, now } from 'rxdb';
import { type Session, SessionContext } from '../../renderer/src/app/session-context';
import type { WorkstationDatabase } from '../../renderer/src/db/collections';
import { openUserDatabase } from '../../renderer/src/db/database';
import { SyncController } from '../../renderer/src/db/replication';
import { OffersScreen } from '../../renderer/src/features/offers/offers-screen-entry';
import type { Membership, SessionUser } from '../../shared/domain/account';
import { OFFER_STATUSES, type OfferStatus } from '../../shared/domain/offer';
import type { OfferDoc } from '../../shared/schemas';

const ORG_ID = 'bench-agence-0000-0000-000000000001';
const USER_ID = 'bench-user-0000-0000-000000000001';

// ─── Deterministic data ─────────────────────────────────────────────────────────────────────
/** Mulberry32: the same offers on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const JOBS = [
  ['Vendeur / Vendeuse en boulangerie-pâtisserie', 'D1106'],
  ['Boulanger / Boulangère', 'D1102'],
  ['Électricien / Électricienne du bâtiment', 'F1602'],
  ['Aide-soignant / Aide-soignante', 'J1501'],
  ['Cariste', 'N1101'],
  ['Serveur / Serveuse en restauration', 'G1803'],
  ['Comptable', 'M1203'],
  ['Développeur / Développeuse informatique', 'M1805'],
  ['Chauffeur / Chauffeuse poids lourd', 'N4101'],
  ['Agent / Agente d’entretien', 'K2204'],
  ['Maçon / Maçonne', 'F1703'],
  ['Assistant / Assistante de direction', 'M1604'],
] as const;
const CITIES = [
  ['Carcassonne', '11000'],
  ['Narbonne', '11100'],
  ['Limoux', '11300'],
  ['Castelnaudary', '11400'],
  ['Toulouse', '31000'],
  ['Montpellier', '34000'],
  ['Perpignan', '66000'],
  ['Béziers', '34500'],
] as const;
const CONTRACTS = [['CDI'], ['CDD'], ['INTERIM'], ['CDI', 'CDD'], ['ALTERNANCE']] as const;
const STATUS_WEIGHTS: [OfferStatus, number][] = [
  ['brouillon', 14],
  ['en_attente', 8],
  ['publiee', 40],
  ['refusee', 4],
  ['expiree', 14],
  ['pourvue', 10],
  ['archivee', 6],
  ['supprimee', 4],
];

function pickStatus(r: number): OfferStatus {
  let x = r * 100;
  for (const [s, w] of STATUS_WEIGHTS) {
    if (x < w) return s;
    x -= w;
  }
  return 'publiee';
}

function companyName(i: number): string {
  const kinds = [
    'Boulangeries',
    'Transports',
    'Bâtiment',
    'Clinique',
    'Restaurant',
    'Cabinet',
    'Garage',
    'Hôtel',
  ];
  return `${kinds[i % kinds.length]} ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) + 1} Occitanie`;
}

function makeOffers(count: number, companies: number): OfferDoc[] {
  const rnd = prng(20250501);
  const base = Date.UTC(2024, 0, 1);
  const out: OfferDoc[] = [];
  for (let i = 0; i < count; i++) {
    const [jobTitle, romeCode] = JOBS[Math.floor(rnd() * JOBS.length)]!;
    const [city, postalCode] = CITIES[Math.floor(rnd() * CITIES.length)]!;
    const c = Math.floor(rnd() * companies);
    const status = pickStatus(rnd());
    const created = new Date(base + Math.floor(rnd() * 480) * 86_400_000 + i * 1000).toISOString();
    const updated = new Date(Date.parse(created) + Math.floor(rnd() * 30) * 86_400_000).toISOString();
    const doc: OfferDoc = {
      id: `bench-offer-${String(i).padStart(8, '0')}`,
      organisationId: ORG_ID,
      number: `${String(100000 + i).slice(-6)}${String.fromCharCode(65 + (i % 26))}`,
      title: `${jobTitle.split(' / ')[0]} n° ${i} H/F`,
      jobTitle,
      romeCode,
      city,
      postalCode,
      companyId: `bench-company-${String(c).padStart(4, '0')}`,
      companyName: companyName(c),
      contactPhone: '04 68 11 22 33',
      seasonal: rnd() < 0.1,
      contractTypes: [...CONTRACTS[Math.floor(rnd() * CONTRACTS.length)]!],
      description:
        'Offre générée par le banc de mesure de la table des offres : missions, profil recherché et conditions de travail.',
      status,
      authorId: USER_ID,
      createdAt: created,
      updatedAt: updated,
    };
    if (status === 'supprimee') doc.previousStatus = 'brouillon';
    if (status === 'refusee') doc.moderationReason = 'La mention H/F doit figurer dans le titre.';
    out.push(doc);
  }
  return out;
}

// ─── Session ────────────────────────────────────────────────────────────────────────────────
const membership: Membership = {
  organisationId: ORG_ID,
  organisationName: 'Agence Emploi Occitanie',
  kind: 'agency',
  role: 'admin',
  verified: true,
};
const user: SessionUser = {
  id: USER_ID,
  email: 'banc@demo.test',
  firstName: 'Banc',
  lastName: 'Mesure',
  kind: 'recruiter',
  emailConfirmed: true,
  memberships: [membership],
};

let db: WorkstationDatabase | null = null;
let sync: SyncController | null = null;
let root: Root | null = null;

async function database(name: string): Promise<WorkstationDatabase> {
  if (!db) db = await openUserDatabase(name);
  return db;
}

const nextFrame = () => new Promise<number>((r) => requestAnimationFrame((t) => r(t)));
/** After the next frame has been produced (rAF, then a task after it). */
const afterPaint = () =>
  new Promise<void>((r) =>
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => r();
      ch.port2.postMessage(null);
    }),
  );

function waitFor(predicate: () => boolean, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tick = () => {
      if (predicate()) resolve();
      else if (performance.now() - t0 > timeoutMs) reject(new Error('délai dépassé'));
      else setTimeout(tick, 1);
    };
    tick();
  });
}

const countText = () => document.querySelector('[data-testid="offer-count"]')?.textContent ?? '';
const rowsInDom = () => document.querySelectorAll('[data-testid="offer-row"]').length;

function setValue(el: HTMLInputElement | HTMLSelectElement, value: string) {
  const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(el, value);
  el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
}

/** One filter change: until the DOM shows it (React commits synchronously), then until painted. */
async function timeChange(el: HTMLInputElement | HTMLSelectElement, value: string) {
  const before = countText();
  const t0 = performance.now();
  setValue(el, value);
  // A discrete event: React renders it in a microtask queued during the event, before this one.
  await Promise.resolve();
  if (countText() === before) await Promise.resolve();
  const tDom = performance.now();
  await afterPaint();
  return { dom: tDom - t0, paint: performance.now() - t0 };
}

async function scrollThrough(el: HTMLElement, pages: number, stepsPerPage: number) {
  el.scrollTop = 0;
  await afterPaint();
  await afterPaint();
  const step = el.clientHeight / stepsPerPage;
  const total = pages * stepsPerPage;
  const stamps: number[] = [];
  const maxRows: number[] = [];
  let blank = 0;
  await new Promise<void>((resolve) => {
    let k = 0;
    const frame = (t: number) => {
      stamps.push(t);
      // A row under the middle of the visible area: a frame without one shows a blank table.
      const rect = el.getBoundingClientRect();
      const probe = document.elementFromPoint(rect.left + 40, rect.top + rect.height / 2);
      if (k > 0 && !probe?.closest('[data-testid="offer-row"]')) blank++;
      maxRows.push(el.querySelectorAll('[data-testid="offer-row"]').length);
      if (k++ >= total) {
        resolve();
        return;
      }
      el.scrollTop += step;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const deltas = stamps.slice(1).map((t, i) => t - stamps[i]!);
  return {
    frames: deltas.length,
    deltas,
    scrolledPx: el.scrollTop,
    viewport: el.clientHeight,
    blankFrames: blank,
    maxRowsInDom: Math.max(...maxRows),
  };
}

const bench = {
  /** Creates the database and stores the offers (and company profiles, when the collection exists). */
  async setup(name: string, count: number, companies: number) {
    const d = await database(name);
    const offers = makeOffers(count, companies);
    const existing = await d.offers.count().exec();
    let insertMs = 0;
    let validatedMsPerDoc = 0;
    if (existing < count) {
      // As the replica receives them from the server (pull: trusted, not validated again) ...
      const local = Math.min(200, Math.floor(count / 10));
      const pulled = offers.slice(0, count - local);
      const t0 = performance.now();
      for (let i = 0; i < pulled.length; i += 5000) {
        const rows = pulled.slice(i, i + 5000).map((doc) => ({
          document: {
            ...doc,
            _deleted: false,
            _attachments: {},
            _meta: { ...getDefaultRxDocumentMeta(), lwt: now() },
            _rev: createRevision(d.token),
          },
        }));
        const res = await d.offers.storageInstance.bulkWrite(rows as never, 'replication-downstream-bench');
        if (res.error.length > 0)
          throw new Error(`bulkWrite : ${JSON.stringify(res.error[0]).slice(0, 400)}`);
      }
      insertMs = performance.now() - t0;
      // ... and, for the record, what a local write costs with z-schema validation.
      const sample = offers.slice(count - local);
      const t1 = performance.now();
      const res = await d.offers.bulkInsert(sample);
      if (res.error.length > 0) throw new Error(`bulkInsert : ${JSON.stringify(res.error[0]).slice(0, 400)}`);
      validatedMsPerDoc = sample.length > 0 ? (performance.now() - t1) / sample.length : 0;
    }
    let companyProfiles = 0;
    const col = (
      d.collections as unknown as Record<
        string,
        { bulkInsert: (docs: unknown[]) => Promise<{ error: unknown[] }> } | undefined
      >
    ).companies;
    if (col) {
      const now = new Date().toISOString();
      const docs = Array.from({ length: companies }, (_, i) => ({
        id: `bench-company-${String(i).padStart(4, '0')}`,
        organisationId: ORG_ID,
        name: companyName(i),
        published: true,
        jobs: [],
        createdAt: now,
        updatedAt: now,
      }));
      const res = await col.bulkInsert(docs);
      companyProfiles = docs.length - res.error.length;
    }
    return { insertMs, validatedMsPerDoc, offers: await d.offers.count().exec(), companyProfiles };
  },

  /** The replica's query alone, on a freshly opened database (cold), and the cost of copying documents. */
  async queryOnly(name: string) {
    const d = await database(name);
    const t0 = performance.now();
    const docs = await d.offers.find({ selector: { organisationId: ORG_ID } }).exec();
    const queryMs = performance.now() - t0;
    let t = performance.now();
    const copies = docs.map((x) => x.toJSON());
    const toJsonMs = performance.now() - t;
    t = performance.now();
    const data = docs.map((x) => x._data);
    const dataMs = performance.now() - t;
    t = performance.now();
    const everything = await d.offers.find().exec();
    const allMs = performance.now() - t;
    // For comparison: the same documents read from IndexedDB in one getAll() (Dexie toArray), as a
    // storage wrapper could do for unbounded queries instead of RxDB's one cursor step per document.
    const internals = (await (d.offers.storageInstance as unknown as { internals: Promise<unknown> })
      .internals) as { dexieTable: { toArray: () => Promise<unknown[]> } };
    t = performance.now();
    const raw = await internals.dexieTable.toArray();
    const getAllMs = performance.now() - t;
    return {
      queryMs,
      allMs,
      getAllMs,
      toJsonMs,
      dataMs,
      count: copies.length + data.length - docs.length,
      all: everything.length,
      raw: raw.length,
    };
  },

  /** Mounts « Mes offres » (database already open or not) until the first rows are painted. */
  async mount(name: string) {
    const t0 = performance.now();
    const d = await database(name);
    const tDb = performance.now();
    if (!sync) sync = new SyncController(d, USER_ID);
    const session: Session = {
      user,
      db: d,
      sync,
      organisation: membership,
      announce: () => undefined,
      navigate: () => undefined,
      refreshUser: async () => undefined,
      switchOrganisation: () => undefined,
      signOut: async () => undefined,
    };
    const container = document.getElementById('root')!;
    root = createRoot(container);
    root.render(
      createElement(
        StrictMode,
        null,
        createElement(SessionContext.Provider, { value: session }, createElement(OffersScreen)),
      ),
    );
    await waitFor(() => rowsInDom() > 0);
    const tRows = performance.now();
    await afterPaint();
    return {
      openDbMs: tDb - t0,
      rowsMs: tRows - t0,
      paintMs: performance.now() - t0,
      rowsInDom: rowsInDom(),
      count: countText(),
    };
  },

  async unmount() {
    root?.unmount();
    root = null;
    await afterPaint();
  },

  /** Every row of the table has the height the window computes with. */
  rowHeights() {
    const heights = new Set<number>();
    for (const tr of document.querySelectorAll<HTMLElement>('[data-testid="offer-row"]'))
      heights.add(Math.round(tr.getBoundingClientRect().height * 100) / 100);
    const table = document.querySelector('[data-testid="offers-table"]');
    return { heights: [...heights], ariaRowCount: table?.getAttribute('aria-rowcount') ?? null };
  },

  /** Types each query one character at a time; each keystroke is one measure. Clears at the end. */
  async typeQueries(queries: string[]) {
    const input = document.getElementById('offer-search') as HTMLInputElement;
    const runs: { dom: number; paint: number; value: string; count: string; rows: number }[] = [];
    for (const q of queries) {
      for (let i = 1; i <= q.length; i++) {
        const r = await timeChange(input, q.slice(0, i));
        runs.push({ ...r, value: q.slice(0, i), count: countText(), rows: rowsInDom() });
      }
      const r = await timeChange(input, '');
      runs.push({ ...r, value: '', count: countText(), rows: rowsInDom() });
    }
    return runs;
  },

  async chooseStatuses(rounds: number) {
    const select = document.getElementById('offer-status-filter') as HTMLSelectElement;
    const runs: { dom: number; paint: number; value: string; count: string }[] = [];
    for (let k = 0; k < rounds; k++) {
      for (const s of [...OFFER_STATUSES, '']) {
        if (select.value === s) continue;
        const r = await timeChange(select, s);
        runs.push({ ...r, value: s, count: countText() });
      }
    }
    return runs;
  },

  async chooseCompanies(count: number) {
    const select = document.getElementById('offer-company-filter') as HTMLSelectElement | null;
    if (!select || select.options.length < 2) return [];
    const runs: { dom: number; paint: number }[] = [];
    for (let k = 1; k <= count && k < select.options.length; k++) {
      runs.push(await timeChange(select, select.options[k]!.value));
    }
    runs.push(await timeChange(select, ''));
    return runs;
  },

  async sortBy(column: string, rounds: number) {
    const runs: { dom: number; paint: number }[] = [];
    for (let k = 0; k < rounds; k++) {
      const button = document.querySelector<HTMLButtonElement>(`th.col-${column} .sort-button`);
      if (!button) return runs;
      const before = document.querySelector('[data-testid="offer-row"]')?.getAttribute('data-offer-id');
      const t0 = performance.now();
      button.click();
      await Promise.resolve();
      const after = document.querySelector('[data-testid="offer-row"]')?.getAttribute('data-offer-id');
      const tDom = performance.now();
      await afterPaint();
      if (after !== undefined && before !== undefined)
        runs.push({ dom: tDom - t0, paint: performance.now() - t0 });
    }
    return runs;
  },

  /** Scrolls the table through `pages` pages, `stepsPerPage` steps per page, one step per frame. */
  async scroll(pages: number, stepsPerPage: number) {
    const el = document.querySelector<HTMLElement>('[data-testid="offers-scroll"]')!;
    return scrollThrough(el, pages, stepsPerPage);
  },

  /**
   * The control: the same table frozen (a copy of its DOM without React, rows repeated to cover
   * the same distance) scrolled the same way. What it costs is the browser's own work (style,
   * layout, paint, raster), which no table code can avoid.
   */
  async scrollControl(pages: number, stepsPerPage: number) {
    const src = document.querySelector<HTMLElement>('[data-testid="offers-scroll"]')!;
    const copy = src.cloneNode(true) as HTMLElement;
    copy.removeAttribute('data-testid');
    const tbody = copy.querySelector('tbody')!;
    for (const sp of tbody.querySelectorAll('.spacer-row')) sp.remove();
    const model = [...tbody.querySelectorAll('tr')];
    const needed = Math.ceil(((pages + 2) * src.clientHeight) / 72);
    for (let i = model.length; i < needed; i++) tbody.appendChild(model[i % model.length]!.cloneNode(true));
    src.style.display = 'none';
    src.after(copy);
    try {
      return await scrollThrough(copy, pages, stepsPerPage);
    } finally {
      copy.remove();
      src.style.display = '';
    }
  },

  /** Frame interval of an idle page (the display rate this browser runs at). */
  async idleFrames(n: number) {
    const stamps: number[] = [];
    for (let i = 0; i <= n; i++) stamps.push(await nextFrame());
    return stamps.slice(1).map((t, i) => t - stamps[i]!);
  },

  async close() {
    await bench.unmount();
    await db?.remove();
    db = null;
  },
};

declare global {
  interface Window {
    offersBench: typeof bench;
  }
}

window.offersBench = bench;
document.getElementById('state')!.textContent = 'Prêt';
