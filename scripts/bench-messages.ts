/**
 * Messaging benchmark (issue 7): `npm run bench:messages -- [--conversations 20000]
 * [--messages 200000] [--runs 50] [--candidates 300] [--profile]`.
 *
 * Starts the sync server (PGlite in a temporary folder, or a scratch database on DATABASE_URL)
 * with the demo data and the built web workstation (`npm run build:web` first), gives Claire
 * Martin's organisation (Boulangeries Martin) N conversations and M messages (≈ M/N each, both
 * directions, some unread) with synthetic candidate accounts, written in batches in the engine's
 * table layout, then drives the real « Mes messages » screen in Chromium (/usr/bin/chromium,
 * headless):
 * - the initial sync of the two collections (until the local database holds every document);
 * - open the inbox: click « Mes messages » from another screen, until the first rows are shown
 *   (next frame; goal < 100 ms);
 * - open a conversation: click a row, until its messages are shown (next frame; goal < 100 ms);
 * - unread counts live: a candidate writes through the REST API (`POST
 *   /api/me/conversations/:id/messages`, bearer of their own session), timed from the API call's
 *   return until the nav badge and the inbox's unread count show the new count (includes the
 *   server's SSE propagation and the replica's pull);
 * - the search in messages: a word typed, until the results are shown; the first time (the local
 *   index of the messages' text built from the field's focus), then 5 times with the index ready.
 * With `--profile` (or BENCH_PROFILE=1), a Chromium CPU profile of each measured phase is written
 * and summarised. Prints figures; exits 0 unless it cannot run (a measurement, not a test).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium';
import { type ConversationDoc, conversationSchema, inboxKeyFor } from '../shared/schemas/conversation.schema';
import { type MessageDoc, messageSchema } from '../shared/schemas/message.schema';
import { loadUser } from '../sync-server/src/auth/sessions';
import { readConfig } from '../sync-server/src/config';
import type { Queryable } from '../sync-server/src/db/database';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../sync-server/src/db/seed-demo';
import { startServer } from '../sync-server/src/server';
import { CHANGES_CHANNEL, CURRENT_TXID } from '../sync-server/src/sync/engine';
import { compileSchema, validationErrors } from '../sync-server/src/sync/validation';
import { createScratchPostgres } from '../sync-server/test/harness';
import { type CpuProfile, fmtMs, log, option, percentile, summariseProfile } from './bench-cli';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONVERSATIONS = option('conversations', 20_000);
const MESSAGES = Math.max(option('messages', 200_000), CONVERSATIONS);
const RUNS = option('runs', 50);
const CANDIDATES = Math.min(option('candidates', 300), CONVERSATIONS);
const PROFILE = process.argv.includes('--profile') || !!process.env.BENCH_PROFILE;
const GOAL_MS = 100;
/** The word searched once: only in some messages' bodies. */
const SEARCH_WORD = 'fournil';

const FIRST = ['Inès', 'Julien', 'Camille', 'Karim', 'Sofia', 'Lucas', 'Aïcha', 'Nathan', 'Chloé', 'Théo'];
const LAST = ['Benali', 'Roux', 'Lefèvre', 'Haddad', 'Marques', 'Petit', 'Diallo', 'Morel', 'Fournier'];
const JOBS = [
  'vendeur·se en boulangerie',
  'boulanger·ère',
  'pâtissier·ère',
  'apprenti·e boulanger',
  'responsable de magasin',
  'livreur·se',
];
const SUBJECTS = [
  (job: string) => `Votre candidature au poste de ${job}`,
  (job: string) => `Entretien pour le poste de ${job}`,
  (job: string) => `Question sur l’offre de ${job}`,
  () => 'Disponibilités pour un entretien',
  () => 'Documents pour votre dossier',
  () => 'Horaires et lieu de travail',
  () => 'Relance au sujet de ma candidature',
  () => 'Période d’essai et date de démarrage',
];
const FROM_CANDIDATE = [
  'Bonjour, je vous remercie pour votre réponse. Je suis disponible dès lundi prochain.',
  'Bonjour Madame, pourriez-vous me préciser les horaires du poste ? Je prends le premier bus à 5 h 40.',
  'Je vous joins mon attestation de formation, n’hésitez pas si d’autres documents vous manquent.',
  'Merci beaucoup, je serai présent mardi à 14 h. Faut-il apporter une tenue de travail ?',
  'J’ai travaillé trois ans au fournil d’une boulangerie artisanale à Narbonne, la cuisson au four à sole ne me fait pas peur.',
  'Bonjour, avez-vous pu étudier ma candidature ? Je reste très motivé par ce poste.',
  'Je préfère un contrat à temps partiel le matin, est-ce envisageable ?',
  'Je n’ai pas le permis pour le moment mais j’habite à dix minutes à pied du magasin.',
];
const FROM_ORGANISATION = [
  'Bonjour, merci pour votre candidature. Seriez-vous disponible pour un entretien cette semaine ?',
  'Le poste est à pourvoir au magasin de la Cité, du mardi au samedi, de 6 h à 13 h.',
  'Pouvez-vous nous envoyer une copie de votre pièce d’identité et votre attestation de sécurité sociale ?',
  'Nous vous proposons une journée d’essai au fournil le jeudi 12, à partir de 5 h.',
  'Merci pour votre venue, nous revenons vers vous d’ici la fin de la semaine.',
  'Bonne nouvelle : nous souhaitons vous proposer le poste. Quand pourriez-vous commencer ?',
  'La tenue est fournie, prévoyez simplement des chaussures de sécurité.',
  'Le salaire est de 1 850 € brut par mois, avec une prime de fin d’année.',
];

interface SeededConversation {
  id: string;
  subject: string;
  candidate: number;
  unread: boolean;
  hasWord: boolean;
}

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'workstation', 'index.html'))) {
    console.error('Le poste de travail web n’est pas construit : lancez « npm run build:web » d’abord.');
    process.exit(2);
  }
  console.log(
    `Banc de la messagerie : ${CONVERSATIONS.toLocaleString('fr-FR')} conversations, ${MESSAGES.toLocaleString('fr-FR')} messages, ${RUNS} mesures.`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'recrutement-bench-messages-'));
  const admin = process.env.DATABASE_URL?.trim();
  const scratch = admin ? await createScratchPostgres(admin, 'bench_messages') : null;
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
    let t = performance.now();
    const seeded = await server.db.transaction((tx) => seed(tx, orgId));
    const seedMs = performance.now() - t;
    log(
      `${CONVERSATIONS.toLocaleString('fr-FR')} conversations, ${MESSAGES.toLocaleString('fr-FR')} messages et ${CANDIDATES} comptes candidats écrits en ${fmtMs(seedMs)} (${Math.round((MESSAGES + CONVERSATIONS) / (seedMs / 1000)).toLocaleString('fr-FR')} documents/s)`,
    );
    const counts = await server.db.query<{ c: number; m: number }>(
      `select (select count(*)::int from conversations where $1 = any(keys)) as c,
              (select count(*)::int from messages where $1 = any(keys)) as m`,
      [`org:${orgId}`],
    );
    const expected = { conversations: counts.rows[0]!.c, messages: counts.rows[0]!.m };

    // The candidates who write during the measure of the live counts: one session each (a
    // candidate may send 20 messages an hour), on read conversations, distinct candidates.
    const writers: { conversationId: string; token: string }[] = [];
    const used = new Set<number>();
    for (const c of seeded) {
      if (writers.length >= RUNS) break;
      if (c.unread || used.has(c.candidate)) continue;
      used.add(c.candidate);
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: candidateEmail(c.candidate), password: DEMO_PASSWORD }),
      });
      if (!res.ok)
        throw new Error(`connexion du candidat ${c.candidate} : ${res.status} ${await res.text()}`);
      const { token } = (await res.json()) as { token: string };
      writers.push({ conversationId: c.id, token });
    }

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    cleanups.unshift(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    page.on('pageerror', (e) => console.error(`  [page] ${e.message}`));
    await page.goto(`${server.url}/workstation/`);
    await page.getByLabel('E-mail').fill(DEMO_ACCOUNTS[0].email);
    await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
    t = performance.now();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    let syncMs = { conversations: 0, messages: 0 };
    for (;;) {
      const local = await localCounts(page);
      const elapsed = performance.now() - t;
      if (!syncMs.conversations && local.conversations >= expected.conversations)
        syncMs = { ...syncMs, conversations: elapsed };
      if (!syncMs.messages && local.messages >= expected.messages) syncMs = { ...syncMs, messages: elapsed };
      if (syncMs.conversations && syncMs.messages) break;
      if (elapsed > 1_800_000)
        throw new Error(`synchronisation initiale inachevée : ${JSON.stringify(local)}`);
      await page.waitForTimeout(250);
    }
    const syncAll = Math.max(syncMs.conversations, syncMs.messages);
    const rate = (n: number, ms: number) =>
      `${Math.round(n / (ms / 1000)).toLocaleString('fr-FR')} documents/s`;
    log(
      `connexion et synchronisation initiale : conversations (${expected.conversations.toLocaleString('fr-FR')}) en ${fmtMs(syncMs.conversations)}, messages (${expected.messages.toLocaleString('fr-FR')}) en ${fmtMs(syncMs.messages)} ; ${rate(expected.conversations + expected.messages, syncAll)}`,
    );

    const nav = page.getByRole('navigation', { name: 'Menu principal' });
    const other = nav.getByRole('button', { name: /^Avis/ });
    const messagesNav = nav.getByRole('button', { name: /^Mes messages/ });
    await messagesNav.click();
    await page.getByTestId('inbox-row').first().waitFor();

    // 1. Open the inbox from another screen.
    const openInbox = await phase(context, page, 'bench-messages-boite', async () => {
      const out: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        await other.click();
        await page.getByRole('heading', { level: 1, name: 'Avis' }).waitFor();
        await page.getByTestId('inbox-row').first().waitFor({ state: 'detached' });
        await page.waitForTimeout(50);
        out.push(await clickUntil(page, 'inbox', i));
      }
      return out;
    });

    // 2. Open a conversation: the i-th row of the inbox.
    const openConversation = await phase(context, page, 'bench-messages-conversation', async () => {
      const out: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        out.push(await clickUntil(page, 'conversation', i));
        await page.waitForTimeout(50);
      }
      return out;
    });

    // 3. Unread counts live, with the inbox shown (no conversation open).
    await other.click();
    await messagesNav.click();
    await page.getByTestId('inbox-row').first().waitFor();
    await page.waitForTimeout(500);
    const live = await phase(context, page, 'bench-messages-non-lus', async () => {
      const out: { api: number; shown: number }[] = [];
      for (const [i, w] of writers.entries()) {
        out.push(await candidateWrites(page, w, i));
        await page.waitForTimeout(100);
      }
      return out;
    });

    // 4. The search in messages: the first one reads the replica's messages into the local index
    //    (started when the field takes the focus), the next ones use it.
    const expectedFound = countMatches(seeded);
    const search = await phase(context, page, 'bench-messages-recherche', async () => [
      await searchOnce(page, SEARCH_WORD, expectedFound),
    ]);
    const searchAgain: number[] = [];
    for (let i = 0; i < 5; i++) {
      await clearSearch(page);
      searchAgain.push(await searchOnce(page, SEARCH_WORD, expectedFound));
    }

    // The server's share of a live update: one pull of each collection from the newest position
    // (what the replica asks after each change the SSE stream announces).
    const claireUser = await loadUser(server.db, DEMO_ACCOUNTS[0].id);
    const pulls: Record<string, number[]> = {};
    for (const name of ['conversations', 'messages']) {
      const def = server.app.engine.collection(name)!;
      const head = await server.app.engine.head(claireUser!, def);
      pulls[name] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await server.app.engine.pullJson(claireUser!, def, head, 1000);
        pulls[name].push(performance.now() - t0);
      }
    }

    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );

    console.log('');
    console.log('| Mesure | p50 | p95 | max | Objectif |');
    console.log('|---|---|---|---|---|');
    console.log(
      `| Écriture des ${CONVERSATIONS.toLocaleString('fr-FR')} conversations et ${MESSAGES.toLocaleString('fr-FR')} messages (serveur) | ${fmtMs(seedMs)} | | | |`,
    );
    console.log(
      `| Synchronisation initiale : conversations | ${fmtMs(syncMs.conversations)} | | | ${rate(expected.conversations, syncMs.conversations)} |`,
    );
    console.log(
      `| Synchronisation initiale : conversations et messages | ${fmtMs(syncAll)} | | | ${rate(expected.conversations + expected.messages, syncAll)} |`,
    );
    const line = (label: string, v: number[], goal: number | null) =>
      console.log(
        `| ${label} (${v.length} mesure${v.length > 1 ? 's' : ''}) | ${fmtMs(percentile(v, 50))} | ${fmtMs(percentile(v, 95))} | ${fmtMs(Math.max(...v))} | ${goal === null ? '' : `p95 < ${goal} ms ${percentile(v, 95) < goal ? '✔' : '✘'}`} |`,
      );
    line('Clic « Mes messages » → premières lignes affichées', openInbox, GOAL_MS);
    line('Clic sur une conversation → ses messages affichés', openConversation, GOAL_MS);
    line(
      'Message d’un candidat (API) → compteurs de non-lus à jour (retour de l’API → affichage, propagation SSE comprise)',
      live.map((m) => m.shown),
      null,
    );
    line(
      'Message d’un candidat : durée de l’appel à l’API',
      live.map((m) => m.api),
      null,
    );
    line(
      `Première recherche « ${SEARCH_WORD} » (texte des messages indexé à la volée) → ${expectedFound} conversations trouvées affichées`,
      search,
      null,
    );
    line(`Recherches suivantes « ${SEARCH_WORD} » (index prêt)`, searchAgain, null);
    for (const [name, v] of Object.entries(pulls))
      line(
        `Serveur : lecture des changements de « ${name} » depuis la dernière position (pull à jour)`,
        v,
        null,
      );
    if (heap) console.log(`\nTas JavaScript de la page : ${(heap / 1024 / 1024).toFixed(0)} Mo`);
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}

const candidateEmail = (i: number) => `banc.candidat${i}@exemple.fr`;

/**
 * Candidate accounts, conversations and messages for the organisation, in batches: `insert …
 * select … from unnest(…)` stamped as `SyncEngine.write` does (writing transaction's id, global
 * sequence, audience `org:<id>`). Every document is checked against its schema first.
 */
async function seed(tx: Queryable, orgId: string): Promise<SeededConversation[]> {
  const claire = DEMO_ACCOUNTS[0];
  const claireName = `${claire.firstName} ${claire.lastName}`;
  const { rows } = await tx.query<{ password_hash: string }>(
    'select password_hash from accounts where lower(email) = $1',
    ['candidat@demo.test'],
  );
  const hash = rows[0]!.password_hash;
  const cands = Array.from({ length: CANDIDATES }, (_, i) => ({
    id: randomUUID(),
    email: candidateEmail(i),
    first: FIRST[i % FIRST.length]!,
    last: `${LAST[Math.floor(i / FIRST.length) % LAST.length]!}`,
  }));
  await tx.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, email_confirmed_at)
     select u.id, u.email, $5, 'candidate', u.f, u.l, now()
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as u(id, email, f, l)`,
    [
      cands.map((c) => c.id),
      cands.map((c) => c.email),
      cands.map((c) => c.first),
      cands.map((c) => c.last),
      hash,
    ],
  );

  const validConversation = compileSchema(conversationSchema);
  const validMessage = compileSchema(messageSchema);
  const check = (valid: ReturnType<typeof compileSchema>, doc: unknown, what: string) => {
    if (!valid(doc)) throw new Error(`${what} invalide : ${JSON.stringify(validationErrors(valid, doc))}`);
  };
  // The newest conversation's last message two hours ago (outside the candidates' hourly limit).
  const newest = Date.now() - 2 * 3_600_000;
  const out: SeededConversation[] = [];
  const convRows: { id: string; doc: string }[] = [];
  let msgRows: { id: string; doc: string }[] = [];
  const keys = [`org:${orgId}`];
  const flushMessages = async () => {
    if (msgRows.length === 0) return;
    await insertBatch(tx, 'messages', msgRows, keys);
    msgRows = [];
  };
  const base = Math.floor(MESSAGES / CONVERSATIONS);
  const extra = MESSAGES % CONVERSATIONS;
  for (let i = 0; i < CONVERSATIONS; i++) {
    const id = randomUUID();
    const ci = i % CANDIDATES;
    const cand = cands[ci]!;
    const candidateName = `${cand.first} ${cand.last}`;
    const n = base + (i < extra ? 1 : 0);
    const lastAt = newest - i * 7 * 60_000;
    const startedBy: 'candidate' | 'organisation' = i % 3 === 0 ? 'candidate' : 'organisation';
    const job = JOBS[i % JOBS.length]!;
    const subject = SUBJECTS[i % SUBJECTS.length]!(job);
    let candidateLastAt: string | undefined;
    let lastBody = '';
    let lastFrom: 'candidate' | 'organisation' = startedBy;
    let hasWord = false;
    let firstAt = '';
    for (let j = 0; j < n; j++) {
      const at = new Date(lastAt - (n - 1 - j) * 3 * 3_600_000).toISOString();
      if (j === 0) firstAt = at;
      const fromCandidate = (j % 2 === 0) === (startedBy === 'candidate');
      const bodies = fromCandidate ? FROM_CANDIDATE : FROM_ORGANISATION;
      const body = `${bodies[(i * 7 + j) % bodies.length]!}${fromCandidate ? `\n\n${candidateName}` : `\n\n${claireName}, Boulangeries Martin`}`;
      hasWord ||= body.includes(SEARCH_WORD);
      const m: MessageDoc = {
        id: randomUUID(),
        conversationId: id,
        organisationId: orgId,
        candidateId: cand.id,
        authorKind: fromCandidate ? 'candidate' : 'organisation',
        authorId: fromCandidate ? cand.id : claire.id,
        authorName: fromCandidate ? candidateName : claireName,
        body,
        attachments: [],
        via: fromCandidate ? (j % 5 === 4 ? 'email' : 'portal') : 'workstation',
        createdAt: at,
        sentAt: at,
      };
      if (i < 50) check(validMessage, m, 'message');
      msgRows.push({ id: m.id, doc: JSON.stringify(m) });
      if (fromCandidate) candidateLastAt = at;
      lastBody = body;
      lastFrom = m.authorKind;
    }
    const lastIso = new Date(lastAt).toISOString();
    // About one conversation in eight unread: the candidate wrote last, after Claire's last read.
    const unread = lastFrom === 'candidate' && i % 8 < 3;
    const preview = lastBody.replace(/\s+/g, ' ').trim();
    const c: ConversationDoc = {
      id,
      organisationId: orgId,
      organisationName: 'Boulangeries Martin',
      candidateId: cand.id,
      candidateName,
      aboutKind: 'none',
      subject,
      startedBy,
      createdAt: firstAt,
      lastMessageAt: lastIso,
      inboxKey: inboxKeyFor(lastIso, id),
      lastMessagePreview: preview.length > 160 ? `${preview.slice(0, 159)}…` : preview,
      lastMessageFrom: lastFrom,
      messageCount: n,
      ...(candidateLastAt ? { candidateLastAt, candidateReadAt: lastIso } : {}),
      readBy: unread
        ? n > 1
          ? [{ accountId: claire.id, at: new Date(lastAt - 3 * 3_600_000).toISOString() }]
          : []
        : [{ accountId: claire.id, at: lastIso }],
      hiddenBy: [],
      updatedAt: lastIso,
    };
    if (i < 50 || unread) check(validConversation, c, 'conversation');
    convRows.push({ id, doc: JSON.stringify(c) });
    hasWord ||= preview.includes(SEARCH_WORD);
    out.push({ id, subject, candidate: ci, unread, hasWord });
    if (msgRows.length >= 5000) await flushMessages();
  }
  await flushMessages();
  for (let i = 0; i < convRows.length; i += 5000) {
    await insertBatch(tx, 'conversations', convRows.slice(i, i + 5000), keys);
  }
  await tx.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, 'conversations']);
  await tx.query('select pg_notify($1, $2)', [CHANGES_CHANNEL, 'messages']);
  return out;
}

async function insertBatch(
  tx: Queryable,
  table: 'conversations' | 'messages',
  rows: { id: string; doc: string }[],
  keys: string[],
) {
  await tx.query(
    `insert into ${table} (id, doc, keys, deleted, txid, seq)
     select u.id, u.doc::jsonb, $3::text[], false, ${CURRENT_TXID}, nextval('sync_seq')
       from unnest($1::text[], $2::text[]) with ordinality as u(id, doc, n) order by u.n`,
    [rows.map((r) => r.id), rows.map((r) => r.doc), keys],
  );
}

/** Conversations the search finds: the word in a message, or in the subject or the candidate's name. */
function countMatches(seeded: SeededConversation[]): number {
  return seeded.filter((c) => c.hasWord || c.subject.toLowerCase().includes(SEARCH_WORD)).length;
}

/** Documents in the page's local database (RxDB on IndexedDB through Dexie), per collection. */
async function localCounts(page: Page): Promise<{ conversations: number; messages: number }> {
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  return (await page.evaluate(`(async () => {
    const out = { conversations: 0, messages: 0 };
    const dbs = await indexedDB.databases();
    for (const info of dbs) {
      const m = /--(conversations|messages)$/.exec(info.name || '');
      if (!m) continue;
      const n = await new Promise((resolve) => {
        const req = indexedDB.open(info.name);
        req.onerror = () => resolve(0);
        req.onsuccess = () => {
          const db = req.result;
          const store = [...db.objectStoreNames].find((s) => s.includes('docs'));
          if (!store) { db.close(); resolve(0); return; }
          const c = db.transaction(store, 'readonly').objectStore(store).count();
          c.onsuccess = () => { db.close(); resolve(c.result); };
          c.onerror = () => { db.close(); resolve(0); };
        };
      });
      out[m[1]] = Math.max(out[m[1]], n);
    }
    return out;
  })()`)) as { conversations: number; messages: number };
}

/**
 * Clicks, in the page, « Mes messages » (what = inbox) or the i-th row of the inbox (what =
 * conversation), and measures until the first rows / the opened conversation's messages are in
 * the page, at the next frame.
 */
async function clickUntil(page: Page, what: 'inbox' | 'conversation', i: number): Promise<number> {
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const what = ${JSON.stringify(what)};
    const before = document.querySelector('[data-testid="conversation"]');
    let target;
    if (what === 'inbox') {
      const nav = document.querySelector('nav[aria-label="Menu principal"]');
      target = [...nav.querySelectorAll('button')].find((b) => b.textContent.startsWith('Mes messages'));
    } else {
      const rows = document.querySelectorAll('[data-testid="inbox-row"] [data-row-open]');
      target = rows[${i} % rows.length];
    }
    if (!target) { reject(new Error('rien à cliquer (' + what + ')')); return; }
    const done = () => {
      if (what === 'inbox') return !!document.querySelector('[data-testid="inbox-row"]');
      const c = document.querySelector('[data-testid="conversation"]');
      return !!c && c !== before && !!c.querySelector('[data-testid="message"]');
    };
    let t0 = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      obs.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - t0));
    };
    const obs = new MutationObserver(() => { if (done()) finish(); });
    obs.observe(document.body, { subtree: true, childList: true });
    setTimeout(() => { if (!finished) { obs.disconnect(); reject(new Error('rien affiché après le clic (' + what + ')')); } }, 30000);
    t0 = performance.now();
    target.click();
    if (done()) finish();
  })`)) as number;
}

/**
 * A candidate writes in their conversation through the REST API, from the page (bearer of the
 * candidate's session, no cookie): measured from the API call's return until the nav badge shows
 * one more unread conversation and the inbox's count says the same, at the next frame.
 */
async function candidateWrites(
  page: Page,
  w: { conversationId: string; token: string },
  i: number,
): Promise<{ api: number; shown: number }> {
  return (await page.evaluate(`(async () => {
    const countOf = (sel) => {
      const el = document.querySelector(sel);
      if (!el) return 0;
      const m = /(\\d+)/.exec(el.textContent);
      return m ? Number(m[1]) : 0;
    };
    const before = countOf('[data-testid="messages-unread"]');
    const expected = before + 1;
    const ok = () => countOf('[data-testid="messages-unread"]') === expected && countOf('[data-testid="inbox-unread"]') === expected;
    let shownAt = 0;
    const seen = new Promise((resolve, reject) => {
      const obs = new MutationObserver(() => {
        if (!ok()) return;
        obs.disconnect();
        requestAnimationFrame(() => { shownAt = performance.now(); resolve(); });
      });
      obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      setTimeout(() => { obs.disconnect(); reject(new Error('compteur non mis à jour : ' + countOf('[data-testid="messages-unread"]') + ' au lieu de ' + expected)); }, 30000);
    });
    const t0 = performance.now();
    const res = await fetch('/api/me/conversations/' + ${JSON.stringify(w.conversationId)} + '/messages', {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + ${JSON.stringify(w.token)} },
      body: JSON.stringify({ body: 'Bonjour, je reviens vers vous au sujet de ma candidature (message ' + ${i + 1} + ').' }),
    });
    const t1 = performance.now();
    if (res.status !== 201) throw new Error('API : ' + res.status + ' ' + (await res.text()));
    await seen;
    return { api: t1 - t0, shown: Math.max(0, shownAt - t1) };
  })()`)) as { api: number; shown: number };
}

/** Empties « Rechercher dans mes messages » until the inbox shows every conversation again. */
async function clearSearch(page: Page): Promise<void> {
  await page.getByLabel('Rechercher dans mes messages').fill('');
  await page.waitForFunction(() =>
    [...document.querySelectorAll('[role="status"]')].every(
      (s) => !/trouvées?$/.test(s.textContent?.trim() ?? ''),
    ),
  );
}

/** Types a word in « Rechercher dans mes messages », until the live count of results says `expected`. */
async function searchOnce(page: Page, word: string, expected: number): Promise<number> {
  const input = page.getByLabel('Rechercher dans mes messages');
  await input.focus();
  return (await page.evaluate(`new Promise((resolve, reject) => {
    const input = document.getElementById('messages-search');
    const want = ${expected} + ' ' + (${expected} > 1 ? 'conversations trouvées' : 'conversation trouvée');
    const status = () => [...document.querySelectorAll('[role="status"]')].some((s) => s.textContent.trim() === want);
    let t0 = 0;
    const obs = new MutationObserver(() => {
      if (!status()) return;
      obs.disconnect();
      requestAnimationFrame(() => resolve(performance.now() - t0));
    });
    obs.observe(document.body, { subtree: true, childList: true, characterData: true });
    setTimeout(() => { obs.disconnect(); reject(new Error('résultats non affichés (attendu : ' + want + ')')); }, 60000);
    t0 = performance.now();
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    setter.call(input, ${JSON.stringify(word)});
    input.dispatchEvent(new Event('input', { bubbles: true }));
  })`)) as number;
}

/** Runs a measured phase, under a Chromium CPU profile when asked (`--profile`). */
async function phase<T>(
  context: BrowserContext,
  page: Page,
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  if (!PROFILE) return run();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await cdp.send('Profiler.stop');
    summariseProfile(profile as unknown as CpuProfile, name);
    await cdp.detach();
  }
}

main().catch((err) => {
  console.error(`Le banc n’a pas pu aller au bout : ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
