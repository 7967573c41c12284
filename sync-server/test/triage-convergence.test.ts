import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  APPLICATION_STATUS_RECRUITER_LABELS,
  APPLICATION_STATUSES,
  type ApplicationStatus,
} from '../../shared/domain/application';
import { evaluationIdFor } from '../../shared/domain/evaluation';
import { REFUSAL_REASONS } from '../../shared/domain/refusal';
import type { ApplicationDoc, EvaluationDoc, NoticeDoc, OfferDoc } from '../../shared/schemas';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { offersCollection } from '../src/domain/offers';
import { makePdf } from '../src/files/sample-files';
import type { Doc } from '../src/sync/types';
import { api, onPostgres, settle, startTestServer, type TestServer } from './harness';
import { prng } from './naive-checkpoint';
import { deepEqual } from './rx-client';
import type {
  OfferSnapshots,
  TriageClientConfig,
  TriageDump,
  TriageOp,
  TriageOpResult,
  TriageRequest,
  TriageResponse,
} from './triage-client';

/**
 * Issue 6 acceptance: three workstations triaging the same applicants offline converge.
 *
 * The bakery's administrator (recruteur1) on two devices and a colleague (co-recruiter of two
 * offers), each an RxDB replica in its own process (triage-client.ts) with the workstation's
 * conflict resolvers, go offline together with the offers' portal applicants; each runs a seeded
 * random script: fair captures (some people captured by both colleagues), ratings, notes and
 * tags, and status changes on shared applicants (among them two moves from the same status that
 * can both stand, and two that cannot). They come back one by one in a random order, editing
 * again in between (offline and online), and finally all at once. Then:
 * - every replica's applications, evaluations and notices equal the server's;
 * - every note ever written is in its evaluation exactly once; each author's last rating won;
 *   the tags are united; no evaluation push was refused;
 * - every status change is in the server's history (by its author), or was made identically by
 *   someone else, or came back to its author as a notice naming it (« modifiée entre-temps » when
 *   a colleague moved it first);
 * - every capture is on the server (none refused) and two captures of the same person are
 *   linked by `duplicateOf` (never to another person).
 *
 * Seeds: TRIAGE_SEEDS=11,12 (or TRIAGE_SEED=11) replays; default 5 fixed seeds. TRIAGE_KINDS=status,note
 * keeps only those operations (to narrow a failure down).
 */

const BAKERY = DEMO_ORGANISATIONS.boulangerie;
const R1 = DEMO_ACCOUNTS[0];
const COLLEAGUE = { firstName: 'Camille', lastName: 'Lefèvre', email: 'camille.lefevre@demo.test' };
const PASSWORD = 'un-long-mot-de-passe';
const CLIENT_SCRIPT = fileURLToPath(new URL('./triage-client.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SEEDS = (process.env.TRIAGE_SEEDS ?? process.env.TRIAGE_SEED ?? '1,2,3,4,5')
  .split(',')
  .map((s) => Number.parseInt(s.trim(), 10))
  .filter((n) => Number.isFinite(n));
/** For narrowing a failure down: TRIAGE_KINDS=status,rate runs only those operations (default all). */
const KINDS = new Set(
  (process.env.TRIAGE_KINDS ?? 'status,rate,note,tag,capture').split(',').map((k) => k.trim()),
);

// ---------------------------------------------------------------------------------------------
// A workstation in its own process

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

class Workstation {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }
  >();
  readonly log: string[] = [];
  private exited = false;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: TriageResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.error));
    });
    child.stdout?.on('data', (c: Buffer) => this.log.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => this.log.push(c.toString()));
    child.on('exit', (code) => {
      this.exited = true;
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error(`poste arrêté (code ${code}) :\n${this.log.join('').slice(-2000)}`));
      }
      this.pending.clear();
    });
  }

  static async start(): Promise<Workstation> {
    const child = fork(CLIENT_SCRIPT, [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const w = new Workstation(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`poste non prêt après 60 s :\n${w.log.join('')}`)),
        60_000,
      );
      w.pending.set(0, {
        resolve: () => resolve(),
        reject,
        timer,
      });
    });
    return w;
  }

  private request<T>(message: WithoutId<TriageRequest>, timeoutMs = 30_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error('poste arrêté'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`« ${message.cmd} » sans réponse après ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ ...message, id });
    });
  }

  open(config: TriageClientConfig) {
    return this.request<null>({ cmd: 'open', config }, 60_000);
  }
  goOffline() {
    return this.request<null>({ cmd: 'goOffline' });
  }
  goOnline() {
    return this.request<null>({ cmd: 'goOnline' });
  }
  do(ops: TriageOp[]) {
    return this.request<TriageOpResult[]>({ cmd: 'do', ops });
  }
  waitIdle() {
    return this.request<null>({ cmd: 'waitIdle' });
  }
  dump() {
    return this.request<TriageDump>({ cmd: 'dump' });
  }
  async stop(): Promise<void> {
    if (this.exited) return;
    await this.request({ cmd: 'close' }, 10_000).catch(() => undefined);
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.disconnect();
    await Promise.race([gone, sleep(5_000)]);
    if (!this.exited) this.child.kill();
  }
}

// ---------------------------------------------------------------------------------------------
// The people

interface Person {
  key: string;
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
}

/** Portal applicants (one application each). */
const APPLICANTS: Person[] = [
  {
    key: 'p-rousseau',
    firstName: 'Léa',
    lastName: 'Rousseau',
    email: 'lea.rousseau@exemple.test',
    phone: '',
  },
  { key: 'p-nguyen', firstName: 'Minh', lastName: 'Nguyen', email: 'minh.nguyen@exemple.test', phone: '' },
  { key: 'p-diallo', firstName: 'Aminata', lastName: 'Diallo', email: 'a.diallo@exemple.test', phone: '' },
  { key: 'p-garnier', firstName: 'Hugo', lastName: 'Garnier', email: 'hugo.garnier@exemple.test', phone: '' },
  { key: 'p-ferreira', firstName: 'Inês', lastName: 'Ferreira', email: 'ines.f@exemple.test', phone: '' },
];

/** Walk-ins met at the fair: two ways of writing each (as two colleagues would type them). */
const WALK_INS: [Person, Person][] = [
  [
    {
      key: 'w-dupont',
      firstName: 'Marie-Hélène',
      lastName: 'Dupont',
      email: 'mh.dupont@exemple.test',
      phone: '06 47 29 81 53',
    },
    { key: 'w-dupont', firstName: 'DUPONT', lastName: 'Marie Hélène', email: '', phone: '+33 6 47 29 81 53' },
  ],
  [
    {
      key: 'w-lefebvre',
      firstName: 'Noël',
      lastName: 'Lefebvre',
      email: 'noel.lefebvre@exemple.test',
      phone: '',
    },
    {
      key: 'w-lefebvre',
      firstName: 'Noel',
      lastName: 'Lefèbvre',
      email: 'NOEL.Lefebvre@exemple.test',
      phone: '07.98.76.54.32',
    },
  ],
  [
    { key: 'w-ouedraogo', firstName: 'Issa', lastName: 'Ouédraogo', email: '', phone: '0033 6 55 44 33 22' },
    {
      key: 'w-ouedraogo',
      firstName: 'Issa',
      lastName: 'Ouedraogo',
      email: 'issa.o@exemple.test',
      phone: '06 55 44 33 22',
    },
  ],
  [
    {
      key: 'w-le-goff',
      firstName: 'Yann',
      lastName: 'Le Goff',
      email: 'yann.legoff@exemple.test',
      phone: '',
    },
    {
      key: 'w-le-goff',
      firstName: 'Yann',
      lastName: 'Le-Goff',
      email: 'yann.legoff@exemple.test',
      phone: '',
    },
  ],
  [
    {
      key: 'w-moreau',
      firstName: 'Chloé',
      lastName: 'Moreau',
      email: 'chloe.moreau@exemple.test',
      phone: '06 01 02 03 04',
    },
    {
      key: 'w-moreau',
      firstName: 'Chloe',
      lastName: 'MOREAU',
      email: 'chloe.moreau@exemple.test',
      phone: '',
    },
  ],
  [
    {
      key: 'w-haddad',
      firstName: 'Sami',
      lastName: 'Haddad',
      email: 'sami.haddad@exemple.test',
      phone: '07 11 22 33 44',
    },
    { key: 'w-haddad', firstName: 'Haddad', lastName: 'Sami', email: '', phone: '+33 7 11 22 33 44' },
  ],
];

const TAGS = ['motivé', 'Motivé', 'mobile', 'à rappeler', 'permis B', 'expérimenté', 'bilingue', 'nuit OK'];
const NOTES = [
  'Très à l’aise à l’oral.',
  'Disponible tout de suite.',
  'Expérience en boulangerie artisanale.',
  'À revoir pour le poste du week-end.',
  'A apporté son CV papier.',
  'Souhaite un temps partiel.',
];

// ---------------------------------------------------------------------------------------------
// The server side

let server: TestServer;
const stations: Workstation[] = [];

interface World {
  offers: OfferDoc[];
  snapshots: OfferSnapshots;
  colleagueId: string;
  colleagueName: string;
  r1Name: string;
  tokens: { r1a: string; r1b: string; colleague: string };
  /** Application id → the person it is about (portal applicants, captures; demo ones by id). */
  personOf: Map<string, string>;
  portal: string[];
}

async function serverDocs<T>(table: 'applications' | 'evaluations'): Promise<T[]> {
  const { rows } = await server.db.query<{ doc: T }>(
    `select doc from ${table} where not deleted and keys && $1::text[] order by id`,
    [[`org:${BAKERY.id}`]],
  );
  return rows.map((r) => r.doc);
}

async function serverNotices(userId: string): Promise<NoticeDoc[]> {
  const { rows } = await server.db.query<{ doc: NoticeDoc }>(
    `select doc from notices where not deleted and doc->>'userId' = $1 order by id`,
    [userId],
  );
  return rows.map((r) => r.doc);
}

async function setUp(): Promise<World> {
  await server.reset();
  // The colleague: a recruiter account of the bakery (as accepted invitations end).
  const reg = await api<{ user: { id: string } }>(`${server.url}/api/auth/register`, {
    body: { ...COLLEAGUE, jobTitle: 'Chargée de recrutement', password: PASSWORD },
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const colleagueId = reg.body.user.id;
  await server.db.query(
    "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')",
    [colleagueId, BAKERY.id],
  );
  // Two published offers of recruteur1 that take applications on the portal; the colleague co-recruits them.
  const { rows } = await server.db.query<{ doc: OfferDoc }>(
    `select doc from offers where not deleted and doc->>'organisationId' = $1 and doc->>'authorId' = $2
        and doc->>'status' = 'publiee' and coalesce(doc->>'applicationMode', 'portail') = 'portail'
      order by doc->>'number' limit 2`,
    [BAKERY.id, R1.id],
  );
  expect(rows).toHaveLength(2);
  const offers = rows.map((r) => ({ ...r.doc, coRecruiterIds: [colleagueId] }) as OfferDoc);
  await server.db.transaction(async (tx) => {
    for (const o of offers) await server.app.engine.write(tx, offersCollection, o as unknown as Doc, false);
  });
  // Portal applicants (seed 004: without an account).
  const upload = await fetch(`${server.url}/api/public/application-files?purpose=cv`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: makePdf(),
  });
  expect(upload.status).toBe(201);
  const file = ((await upload.json()) as { sha256: string }).sha256;
  const personOf = new Map<string, string>();
  const portal: string[] = [];
  for (const [i, p] of APPLICANTS.entries()) {
    const res = await api<{ application: { id: string } }>(`${server.url}/api/public/applications`, {
      body: {
        firstName: p.firstName,
        lastName: p.lastName,
        email: p.email,
        consent: true,
        file,
        offerId: offers[i % 2]!.id,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    personOf.set(res.body.application.id, p.key);
    portal.push(res.body.application.id);
  }
  for (const a of await serverDocs<ApplicationDoc>('applications'))
    if (!personOf.has(a.id)) personOf.set(a.id, `demo:${a.id}`);
  await settle(server.db);
  const login = (email: string, password?: string) => server.login(email, password);
  return {
    offers,
    snapshots: offers.map((o) => [
      o.id,
      {
        title: o.title,
        ...(o.number ? { number: o.number } : {}),
        companyName: o.companyName ?? BAKERY.name,
        ...(o.city ? { city: o.city } : {}),
        ...(o.postalCode ? { postalCode: o.postalCode } : {}),
      },
    ]),
    colleagueId,
    colleagueName: `${COLLEAGUE.firstName} ${COLLEAGUE.lastName}`,
    r1Name: `${R1.firstName} ${R1.lastName}`,
    tokens: {
      r1a: await login(R1.email),
      r1b: await login(R1.email),
      colleague: await login(COLLEAGUE.email, PASSWORD),
    },
    personOf,
    portal,
  };
}

// ---------------------------------------------------------------------------------------------
// The scripts

interface Actor {
  station: Workstation;
  name: string;
  userId: string;
}

interface Logged {
  actor: number;
  userId: string;
  result: TriageOpResult;
}

function shuffle<T>(rng: () => number, items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
const pickOf = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
const uint = (rng: () => number) => Math.floor(rng() * 1_000_000);

function randomOps(rng: () => number, count: number, tag: string): TriageOp[] {
  const ops: TriageOp[] = [];
  for (let i = 0; i < count; i++) {
    const r = rng();
    if (r < 0.25) {
      ops.push({
        kind: 'status',
        pick: uint(rng),
        targets: shuffle(rng, [...APPLICATION_STATUSES]),
        refusalReason: pickOf(rng, REFUSAL_REASONS).label,
      });
    } else if (r < 0.5) ops.push({ kind: 'rate', pick: uint(rng), rating: 1 + Math.floor(rng() * 5) });
    else if (r < 0.75)
      ops.push({
        kind: 'note',
        pick: uint(rng),
        noteId: randomUUID(),
        text: `${pickOf(rng, NOTES)} (${tag}-${i})`,
      });
    else ops.push({ kind: 'tag', pick: uint(rng), tag: pickOf(rng, TAGS) });
  }
  return ops;
}

function captureOp(
  rng: () => number,
  person: Person,
  world: World,
  extra: { rating?: number | null; note?: string } = {},
): TriageOp {
  const offers = rng() < 0.5 ? [world.offers[0]!.id] : world.offers.map((o) => o.id);
  return {
    kind: 'capture',
    person: person.key,
    input: {
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      phone: person.phone,
      jobSought: 'Vendeur en boulangerie',
      offerIds: offers,
      rating: extra.rating === undefined ? (rng() < 0.6 ? 1 + Math.floor(rng() * 5) : null) : extra.rating,
      note: extra.note ?? (rng() < 0.5 ? `Rencontré au salon (${person.key}, ${uint(rng)}).` : ''),
      consent: true,
    },
    offers: world.snapshots,
  };
}

// ---------------------------------------------------------------------------------------------
// Convergence and checks

const byId = <T extends { id: string }>(docs: T[]) =>
  Object.fromEntries([...docs].sort((a, b) => (a.id < b.id ? -1 : 1)).map((d) => [d.id, d]));

/** What differs between a replica and the server (empty when equal). */
function differences(label: string, mine: { id: string }[], master: { id: string }[]): string[] {
  const a = byId(mine);
  const b = byId(master);
  const out: string[] = [];
  for (const id of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!(id in a)) out.push(`${label} ${id} : absent du poste`);
    else if (!(id in b)) out.push(`${label} ${id} : absent du serveur`);
    else if (!deepEqual(a[id], b[id]))
      out.push(`${label} ${id} : poste ${JSON.stringify(a[id])} ≠ serveur ${JSON.stringify(b[id])}`);
  }
  return out;
}

async function converge(actors: Actor[], timeoutMs = 45_000): Promise<TriageDump[]> {
  const start = Date.now();
  let last: string[] = [];
  for (;;) {
    await Promise.all(actors.map((a) => a.station.waitIdle()));
    await settle(server.db);
    const [apps, evals] = await Promise.all([
      serverDocs<ApplicationDoc>('applications'),
      serverDocs<EvaluationDoc>('evaluations'),
    ]);
    const dumps = await Promise.all(actors.map((a) => a.station.dump()));
    last = [];
    for (const [i, d] of dumps.entries()) {
      const notices = await serverNotices(actors[i]!.userId);
      last.push(
        ...[
          ...differences('candidature', d.applications, apps),
          ...differences('évaluation', d.evaluations, evals),
          ...differences('avis', d.notices, notices),
        ].map((x) => `${actors[i]!.name} : ${x}`),
      );
    }
    if (last.length === 0) return dumps;
    if (Date.now() - start > timeoutMs)
      throw new Error(`pas de convergence après ${timeoutMs} ms :\n${last.slice(0, 20).join('\n')}`);
    await sleep(150);
  }
}

const sameTag = (a: string, b: string) => a.localeCompare(b, 'fr', { sensitivity: 'base' }) === 0;

interface Figures {
  seed: number;
  ms: number;
  ops: number;
  statusReapplied: number;
  statusSameOutcome: number;
  statusSurfaced: number;
  captures: number;
  duplicatesFlagged: number;
  notes: number;
}
const figures: Figures[] = [];

async function check(seed: number, world: World, log: Logged[]): Promise<Omit<Figures, 'seed' | 'ms'>> {
  const apps = new Map((await serverDocs<ApplicationDoc>('applications')).map((a) => [a.id, a]));
  const evals = new Map((await serverDocs<EvaluationDoc>('evaluations')).map((e) => [e.id, e]));
  const users = [R1.id, world.colleagueId];
  const notices = new Map<string, NoticeDoc[]>();
  for (const u of users) notices.set(u, await serverNotices(u));
  const problems: string[] = [];

  // No evaluation push refused, no capture refused.
  const captureIds = new Set(
    log.flatMap((l) => (l.result.kind === 'capture' ? l.result.applicationIds : [])),
  );
  for (const [u, list] of notices)
    for (const n of list) {
      if (n.documentCollection === 'evaluations')
        problems.push(`évaluation refusée pour ${u} : ${n.title} — ${n.message}`);
      // A capture itself refused (a status change refused on it is checked with the status changes below).
      if (
        n.documentCollection === 'applications' &&
        n.documentId &&
        captureIds.has(n.documentId) &&
        /^(Saisie|Candidature) refusée$/.test(n.title)
      )
        problems.push(`saisie refusée pour ${u} : ${n.title} — ${n.message}`);
    }

  // Notes: each exactly once, in the author's evaluation of the applicant.
  const expectedNotes: { userId: string; applicationId: string; noteId: string; text: string }[] = [];
  const ratings = new Map<string, { rating: number; at: string }>();
  const tags = new Map<string, string[]>();
  const rate = (userId: string, applicationId: string, rating: number, at: string) => {
    const k = evaluationIdFor(userId, applicationId);
    const r = ratings.get(k);
    if (!r || at > r.at || (at === r.at && rating > r.rating)) ratings.set(k, { rating, at });
  };
  let captures = 0;
  for (const { userId, result } of log) {
    if (result.kind === 'note')
      expectedNotes.push({
        userId,
        applicationId: result.applicationId,
        noteId: result.noteId,
        text: result.text,
      });
    if (result.kind === 'rate') rate(userId, result.applicationId, result.rating, result.at);
    if (result.kind === 'tag') {
      const k = evaluationIdFor(userId, result.applicationId);
      tags.set(k, [...(tags.get(k) ?? []), result.tag]);
    }
    if (result.kind === 'capture') {
      captures++;
      for (const [i, id] of result.applicationIds.entries()) {
        if (result.rating !== null) rate(userId, id, result.rating, result.at);
        const noteId = result.noteIds[i];
        if (noteId) expectedNotes.push({ userId, applicationId: id, noteId, text: result.note });
      }
    }
  }
  const expectedNoteIds = new Set(expectedNotes.map((n) => n.noteId));
  for (const n of expectedNotes) {
    const ev = evals.get(evaluationIdFor(n.userId, n.applicationId));
    const found = ev?.notes.filter((x) => x.id === n.noteId) ?? [];
    if (found.length !== 1 || found[0]!.text !== n.text)
      problems.push(
        `note ${n.noteId} de ${n.userId} sur ${n.applicationId} : ${found.length} exemplaire(s) (${JSON.stringify(found)}), attendu 1 « ${n.text} »`,
      );
  }
  for (const ev of evals.values())
    for (const n of ev.notes)
      if (!expectedNoteIds.has(n.id)) problems.push(`note inattendue ${n.id} dans ${ev.id} : « ${n.text} »`);
  for (const [k, r] of ratings) {
    const ev = evals.get(k);
    if (ev?.rating !== r.rating)
      problems.push(`note (1–5) de ${k} : ${ev?.rating} au serveur, attendu ${r.rating} (donnée à ${r.at})`);
  }
  for (const [k, given] of tags) {
    const have = evals.get(k)?.tags ?? [];
    const classes: string[] = [];
    for (const t of given) if (!classes.some((c) => sameTag(c, t))) classes.push(t);
    const missing = classes.filter((c) => !have.some((h) => sameTag(h, c)));
    if (missing.length > 0 || have.length !== classes.length)
      problems.push(
        `étiquettes de ${k} : ${JSON.stringify(have)}, attendu l’union de ${JSON.stringify(given)}`,
      );
  }

  // Status changes: in the history, made identically by someone else, or surfaced to their author.
  let statusReapplied = 0;
  let statusSameOutcome = 0;
  let statusSurfaced = 0;
  for (const { userId, result } of log) {
    if (result.kind !== 'status' || !result.applied) continue;
    const app = apps.get(result.applicationId);
    const history = app?.history ?? [];
    if (history.some((h) => h.to === result.to && h.at >= result.at && h.by === userId)) {
      statusReapplied++;
      continue;
    }
    // The same move made by someone else (before or after): nothing to push, nothing lost.
    if (history.some((h) => h.to === result.to && (h.at >= result.at || h.from === result.from))) {
      statusSameOutcome++;
      continue;
    }
    const label = APPLICATION_STATUS_RECRUITER_LABELS[result.to];
    const answer = (notices.get(userId) ?? []).find(
      (n) =>
        n.documentId === result.applicationId &&
        n.createdAt >= result.at.slice(0, 19) &&
        `${n.title} ${n.message}`.includes(label),
    );
    if (!answer) {
      problems.push(
        `changement de statut perdu : ${userId} a passé ${result.applicationId} de « ${result.from} » à « ${result.to} » à ${result.at} ; historique ${JSON.stringify(app?.history)} ; avis ${JSON.stringify((notices.get(userId) ?? []).filter((n) => n.documentId === result.applicationId))}`,
      );
      continue;
    }
    statusSurfaced++;
    // A colleague moved it first: the notice says so (« modifiée entre-temps »), with both versions.
    const before = (app?.history ?? []).filter((h) => h.at <= answer.createdAt).at(-1);
    if (before?.by && before.by !== userId) {
      const text = `${answer.title} ${answer.message}`;
      if (!/entre-temps/i.test(text) || !text.includes(APPLICATION_STATUS_RECRUITER_LABELS[before.to]))
        problems.push(
          `avis sans « modifiée entre-temps » ni les deux versions pour ${result.applicationId} (${result.from} → ${result.to}, déjà « ${before.to} » par ${before.by}) : ${text}`,
        );
    }
  }

  // Captures: all on the server; the same person captured twice is flagged, never another person.
  const captureResults = log.flatMap((l) => (l.result.kind === 'capture' ? [l.result] : []));
  for (const c of captureResults)
    for (const id of c.applicationIds) {
      world.personOf.set(id, c.person);
      const doc = apps.get(id);
      if (!doc) problems.push(`saisie absente du serveur : ${id} (${c.person})`);
      else if (doc.captureId !== c.captureId || doc.source !== 'salon')
        problems.push(`saisie ${id} : captureId ${doc.captureId}, source ${doc.source}`);
    }
  let duplicatesFlagged = 0;
  for (const doc of apps.values()) {
    if (!doc.duplicateOf || !captureIds.has(doc.id)) continue;
    const mine = world.personOf.get(doc.id);
    const theirs = world.personOf.get(doc.duplicateOf);
    if (mine !== theirs)
      problems.push(`${doc.id} (${mine}) signalée doublon de ${doc.duplicateOf} (${theirs}) : fausse alerte`);
  }
  const byPerson = new Map<string, (typeof captureResults)[number][]>();
  // (Among the captures that reached the server: a missing one is reported above.)
  for (const c of captureResults)
    if (c.applicationIds.every((id) => apps.has(id)))
      byPerson.set(c.person, [...(byPerson.get(c.person) ?? []), c]);
  for (const [person, list] of byPerson) {
    if (list.length < 2) continue;
    const flagged = list.filter((c) =>
      c.applicationIds.some((id) => {
        const target = apps.get(id)?.duplicateOf;
        return !!target && list.some((o) => o !== c && o.applicationIds.includes(target));
      }),
    );
    if (flagged.length < list.length - 1)
      problems.push(
        `${person} saisi ${list.length} fois : ${flagged.length} saisie(s) signalée(s) doublon (${JSON.stringify(list.map((c) => c.applicationIds.map((id) => ({ id, duplicateOf: apps.get(id)?.duplicateOf, reasons: apps.get(id)?.duplicateReasons }))))})`,
      );
    else duplicatesFlagged += flagged.length;
  }

  expect(problems, `graine ${seed} (rejouer : TRIAGE_SEED=${seed})`).toEqual([]);
  return {
    ops: log.length,
    statusReapplied,
    statusSameOutcome,
    statusSurfaced,
    captures,
    duplicatesFlagged,
    notes: expectedNotes.length,
  };
}

// ---------------------------------------------------------------------------------------------
// One run

async function runSeed(seed: number): Promise<Figures> {
  const started = Date.now();
  const rng = prng(seed);
  const world = await setUp();
  const actors: Actor[] = [
    { station: stations[0]!, name: 'r1-bureau', userId: R1.id },
    { station: stations[1]!, name: 'r1-portable', userId: R1.id },
    { station: stations[2]!, name: 'collegue', userId: world.colleagueId },
  ];
  const config = (i: number): TriageClientConfig => ({
    url: server.url,
    token: [world.tokens.r1a, world.tokens.r1b, world.tokens.colleague][i]!,
    name: `${actors[i]!.name}-${seed}`,
    userId: actors[i]!.userId,
    userName: i === 2 ? world.colleagueName : world.r1Name,
    organisationId: BAKERY.id,
    organisationName: BAKERY.name,
    offerIds: world.offers.map((o) => o.id),
  });
  await Promise.all(actors.map((a, i) => a.station.open(config(i))));
  const first = await Promise.all(actors.map((a) => a.station.dump()));
  for (const [i, d] of first.entries())
    for (const id of world.portal)
      expect(
        d.applications.some((a) => a.id === id),
        `${actors[i]!.name} a reçu la candidature ${id}`,
      ).toBe(true);

  const log: Logged[] = [];
  const run = async (i: number, ops: TriageOp[]) => {
    const results = await actors[i]!.station.do(ops.filter((op) => KINDS.has(op.kind)));
    for (const result of results) log.push({ actor: i, userId: actors[i]!.userId, result });
  };

  // 1. Everyone offline.
  await Promise.all(actors.map((a) => a.station.goOffline()));

  // Conflicts on purpose: the administrator (on one of her devices) and the colleague move the same
  // applicants from « Nouvelle »: once two moves that can both stand (the later is re-applied on
  // top), once two that cannot (refused and hired: the later is surfaced to its author).
  const [xa, ya, za] = shuffle(rng, world.portal);
  const r1dev = rng() < 0.5 ? 0 : 1;
  const reason = pickOf(rng, REFUSAL_REASONS).label;
  const planned: TriageOp[][] = [[], [], []];
  const [both1, both2] = shuffle(rng, ['a_l_etude', 'entretien'] as ApplicationStatus[]);
  planned[r1dev]!.push({ kind: 'status', applicationId: xa, targets: [both1!] });
  planned[2]!.push({ kind: 'status', applicationId: xa, targets: [both2!] });
  const [never1, never2] = shuffle(rng, ['refusee', 'embauchee'] as ApplicationStatus[]);
  planned[r1dev]!.push({ kind: 'status', applicationId: ya, targets: [never1!], refusalReason: reason });
  planned[2]!.push({ kind: 'status', applicationId: ya, targets: [never2!], refusalReason: reason });
  // The administrator's two devices on the same applicant: status, rating, notes, tags.
  planned[0]!.push({ kind: 'status', applicationId: za, targets: ['a_l_etude'] });
  planned[1]!.push({ kind: 'status', applicationId: za, targets: ['preselectionnee'] });
  for (const d of [0, 1]) {
    planned[d]!.push({ kind: 'rate', applicationId: za, rating: 1 + Math.floor(rng() * 5) });
    planned[d]!.push({
      kind: 'note',
      applicationId: za,
      noteId: randomUUID(),
      text: `${pickOf(rng, NOTES)} (${d})`,
    });
    planned[d]!.push({ kind: 'tag', applicationId: za, tag: pickOf(rng, TAGS) });
  }
  // Walk-ins: two captured by both colleagues (the administrator on either device), two by one only.
  const walkIns = shuffle(rng, WALK_INS);
  for (const [a, b] of walkIns.slice(0, 2)) {
    planned[rng() < 0.5 ? 0 : 1]!.push(captureOp(rng, a, world));
    planned[2]!.push(captureOp(rng, b, world));
  }
  for (const [a] of walkIns.slice(2, 4)) planned[Math.floor(rng() * 3)]!.push(captureOp(rng, a, world));
  await Promise.all(
    actors.map((_, i) =>
      run(i, shuffle(rng, [...planned[i]!, ...randomOps(rng, 6 + Math.floor(rng() * 6), `s${seed}c${i}`)])),
    ),
  );

  // 2. Back one by one, in a random order, editing in between.
  const order = shuffle(rng, [0, 1, 2]);
  const [o1, o2, o3] = order as [number, number, number];
  await actors[o1].station.goOnline();
  await actors[o1].station.waitIdle();
  await run(o2, randomOps(rng, 3 + Math.floor(rng() * 4), `s${seed}r2`));
  await actors[o2].station.goOnline();
  await actors[o2].station.waitIdle();
  await Promise.all([
    run(o1, randomOps(rng, 3 + Math.floor(rng() * 4), `s${seed}r3a`)),
    run(o3, [
      ...randomOps(rng, 2 + Math.floor(rng() * 3), `s${seed}r3b`),
      ...(rng() < 0.5 ? [captureOp(rng, walkIns[4]![0], world)] : []),
    ]),
  ]);
  await actors[o3].station.goOnline();
  await actors[o3].station.waitIdle();

  // 3. All online, editing at once (captures of the others are evaluated too).
  await Promise.all(
    actors.map((_, i) => run(i, randomOps(rng, 2 + Math.floor(rng() * 4), `s${seed}r4c${i}`))),
  );
  await converge(actors);
  const counts = await check(seed, world, log);
  return { seed, ms: Date.now() - started, ...counts };
}

// ---------------------------------------------------------------------------------------------

beforeAll(async () => {
  [server] = await Promise.all([
    startTestServer(),
    ...[0, 1, 2].map(async () => {
      stations.push(await Workstation.start());
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all(stations.map((s) => s.stop()));
  await server?.stop();
  if (figures.length > 0)
    console.info(
      `triage convergence (${onPostgres ? 'PostgreSQL' : 'PGlite'}) :\n${figures.map((f) => JSON.stringify(f)).join('\n')}`,
    );
}, 60_000);

describe('three offline workstations triaging the same applicants converge', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      figures.push(await runSeed(seed));
    }, 90_000);
  }
});
