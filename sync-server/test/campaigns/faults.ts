/**
 * Issue 9, campaign 1: the fault campaign across every replicated collection.
 *
 * Three workstations (the renderer's own replica, replication and write functions, each in its own
 * process: fault-workstation.ts) of two organisations (the bakery's administrator on two computers,
 * the carrier's recruiter on a third) and a candidate on the portal work through a scripted day
 * while a proxy (fault-proxy.ts) drops, delays, duplicates and reorders requests and responses and
 * cuts live streams; workstations go offline for long stretches, and the server is killed (SIGKILL
 * on PostgreSQL; on PGlite, whose data directory an unclean exit may damage, a clean stop) and
 * started again on the same database.
 *
 * A scenario is one seeded stretch of that day (offers written and edited by both computers, fair
 * captures, status changes, ratings, notes and tags, saved lists, searches, messages and read
 * marks, the candidate's messages), then a calm spell (no faults, everyone online) at the end of
 * which the campaign checks:
 * - no lost acknowledged write: for every push row the server answered as written, its effect is
 *   in the server's state (documents exist, an offer field holds the last acknowledged value, a
 *   status change is in the application's history, notes and tags are all there, a list entry
 *   holds the latest acknowledged add or remove, a message is stored as sent), and every message
 *   the portal acknowledged to the candidate is stored;
 * - no divergent replica: every workstation's 12 collections equal what the server gives its user;
 * - every conflict merged by its rule or surfaced: a status change the server did not keep came
 *   back to its author as a notice on that application.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { SessionUser } from '../../../shared/domain/account';
import type { PullResponse, SyncCheckpoint, SyncInfoResponse } from '../../../shared/sync/protocol';
import { canonicalJson } from '../../src/sync/canonical';
import { type FaultProxy, type FaultRates, startFaultProxy } from '../fault-proxy';
import type { TestDatabase } from '../harness';
import { prng } from '../naive-checkpoint';
import { type Child, startChild } from '../server-process';
import type { AnyDoc, FaultOp, OpResult, WorkstationRequest } from './fault-types';
import type { AckRecord, ConflictRecord } from './fault-workstation';

const WORKSTATION_SCRIPT = fileURLToPath(new URL('./fault-workstation.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PASSWORD = 'demo-demo-demo';
/** The campaign's offers (and only they) are edited: a mark in their « Métier ». */
const JOB_TITLE = 'Campagne de pannes';

export interface FaultCampaignOptions {
  scenarios: number;
  seed: number;
  /** PostgreSQL (SIGKILL restarts) when given: a scratch database is made on it; PGlite otherwise. */
  databaseUrl?: string;
  /** A database made by the caller (the test suite's), instead of `databaseUrl`. */
  database?: TestDatabase;
  /** Operations per workstation per scenario (default 8). */
  opsPerScenario?: number;
  /** Share of scenarios with a server restart in the middle (default 0.2; at least one if scenarios ≥ 3). */
  restartRate?: number;
  log?: (line: string) => void;
}

export interface Violation {
  scenario: number;
  kind: 'perte' | 'divergence' | 'non signalé' | 'erreur';
  detail: string;
}

export interface FaultCampaignReport {
  database: 'postgres' | 'pglite';
  seed: number;
  scenarios: number;
  restarts: number;
  /** Stop signal used to restart the server. */
  signal: 'SIGKILL' | 'SIGTERM';
  operations: { applied: number; skipped: number; byKind: Record<string, number> };
  acknowledged: {
    rows: number;
    byCollection: Record<string, number>;
    candidateMessages: number;
    /** Messages the portal refused with its hourly limit (429). */
    candidateLimited: number;
  };
  conflicts: { rows: number; byCollection: Record<string, number> };
  surfaced: number;
  offlineStretches: number;
  proxy: FaultProxy['stats'];
  /** Calm spells: time until every replica equals the server (ms). */
  convergence: { p50: number; p95: number; max: number };
  violations: Violation[];
  durationMs: number;
}

// ---------------------------------------------------------------------------------------------
// A workstation process

export class Workstation {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly log: string[] = [];
  online = true;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly user: SessionUser,
    readonly organisationId: string,
    readonly token: string,
  ) {
    child.on('message', (m: { id: number; ok: boolean; result?: unknown; error?: string }) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.result);
      else w.reject(new Error(`${this.name} : ${m.error}`));
    });
    child.stdout?.on('data', (c: Buffer) => this.log.push(c.toString()));
    child.stderr?.on('data', (c: Buffer) => this.log.push(c.toString()));
    child.on('exit', (code) => {
      for (const w of this.waiting.values())
        w.reject(new Error(`${this.name} arrêté (code ${code}) :\n${this.log.join('').slice(-3000)}`));
      this.waiting.clear();
    });
  }

  static async start(
    name: string,
    url: string,
    login: { token: string; user: SessionUser },
    organisationId: string,
  ): Promise<Workstation> {
    const child = fork(WORKSTATION_SCRIPT, [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const w = new Workstation(name, child, login.user, organisationId, login.token);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} non prêt après 60 s`)), 60_000);
      w.waiting.set(0, {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject,
      });
    });
    await w.send({ cmd: 'open', url, token: login.token, user: login.user, organisationId, name });
    return w;
  }

  /** Sends a command; one that has no answer in 2 minutes fails with the workstation's last output. */
  send<T = unknown>(request: WorkstationRequest): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(
          new Error(
            `${this.name} : pas de réponse à « ${request.cmd} » en 2 minutes :\n${this.log.join('').slice(-3000)}`,
          ),
        );
      }, 120_000);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          (resolve as (v: unknown) => void)(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.child.send({ ...request, id });
    });
  }

  async setOnline(online: boolean) {
    this.online = online;
    await this.send({ cmd: online ? 'online' : 'offline' });
  }

  /** Every acknowledgement and conflict this workstation received, gathered from `take` dumps. */
  readonly acks: AckRecord[] = [];
  readonly conflicts: ConflictRecord[] = [];

  /** The replica and sync state; with `take`, also gathers the new acknowledgements and conflicts. */
  async dump(take = false) {
    const d = await this.send<{
      replica: Record<string, AnyDoc[]>;
      pending: number;
      pendingKeys: string[];
      lastError: string | null;
      acks: AckRecord[];
      conflicts: ConflictRecord[];
      requests: number;
      failures: number;
    }>({ cmd: 'dump', take });
    this.acks.push(...d.acks);
    this.conflicts.push(...d.conflicts);
    return d;
  }

  async close() {
    if (this.child.exitCode !== null) return;
    await Promise.race([this.send({ cmd: 'close' }).catch(() => undefined), sleep(5000)]);
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    // Replica closed: whatever timer it left must not keep the process (nor the campaign) alive.
    if (!(await Promise.race([exited.then(() => true), sleep(2000).then(() => false)]))) {
      this.child.kill('SIGTERM');
      await exited;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The server, straight (no proxy): logins and the reference state.

export async function login(url: string, email: string): Promise<{ token: string; user: SessionUser }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`connexion de ${email} : ${res.status}`);
  return (await res.json()) as { token: string; user: SessionUser };
}

/** Everything this user may pull, every collection, from the start. */
export async function serverState(url: string, token: string): Promise<Record<string, Map<string, AnyDoc>>> {
  const headers = { authorization: `Bearer ${token}` };
  const signal = () => AbortSignal.timeout(30_000);
  const info = (await (
    await fetch(`${url}/api/sync`, { headers, signal: signal() })
  ).json()) as SyncInfoResponse;
  const out: Record<string, Map<string, AnyDoc>> = {};
  for (const { name, version } of info.collections) {
    const docs = new Map<string, AnyDoc>();
    let checkpoint: SyncCheckpoint | null = null;
    for (;;) {
      const cp = checkpoint ? `checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}&` : '';
      const res = await fetch(`${url}/api/sync/${name}/v${version}/pull?${cp}batchSize=500`, {
        headers,
        signal: signal(),
      });
      if (!res.ok) throw new Error(`lecture de ${name} : ${res.status}`);
      const page = (await res.json()) as PullResponse<AnyDoc & { _deleted?: boolean }>;
      if (page.documents.length === 0) break;
      for (const d of page.documents) {
        if (d._deleted) docs.delete(d.id);
        else {
          const { _deleted, ...rest } = d;
          docs.set(d.id, rest as AnyDoc);
        }
      }
      checkpoint = page.checkpoint;
    }
    out[name] = docs;
  }
  return out;
}

/**
 * The documents that differ between a replica and the server (either side may lack one), each
 * with the fields that differ: « poste » is the replica's value, « serveur » the server's.
 */
function differences(
  replica: Record<string, AnyDoc[]>,
  server: Record<string, Map<string, AnyDoc>>,
): string[] {
  const out: string[] = [];
  for (const [name, docs] of Object.entries(server)) {
    const local = new Map((replica[name] ?? []).map((d) => [d.id, d]));
    for (const id of new Set([...docs.keys(), ...local.keys()])) {
      const s = docs.get(id);
      const l = local.get(id);
      if (!s || !l) {
        out.push(`${name}/${id} ${s ? 'absent du poste' : 'absent du serveur'}`);
        continue;
      }
      if (canonicalJson(s) === canonicalJson(l)) continue;
      const fields = [...new Set([...Object.keys(s), ...Object.keys(l)])]
        .filter((k) => canonicalJson(s[k] ?? null) !== canonicalJson(l[k] ?? null))
        .map(
          (k) =>
            `${k} (poste ${canonicalJson(l[k] ?? null).slice(0, 120)}, serveur ${canonicalJson(s[k] ?? null).slice(0, 120)})`,
        );
      out.push(`${name}/${id} : ${fields.join(' ; ')}`);
    }
  }
  return out;
}

/**
 * Why a calm spell is not over yet: a change still pending on a workstation, or a replica that
 * differs from the server. `server` must be read after the replicas were dumped: read before, a
 * change the server commits meanwhile (a refusal's notice, answered as the calm began) is in
 * neither the read nor the replica yet, and passes unseen.
 */
export function unsettled(
  stations: { name: string; replica: Record<string, AnyDoc[]>; pending: number; pendingKeys: string[] }[],
  server: Record<string, Record<string, Map<string, AnyDoc>>>,
): string[] {
  const out: string[] = [];
  for (const s of stations) {
    if (s.pending > 0)
      out.push(`${s.name} : ${s.pending} modification(s) en attente (${s.pendingKeys.join(', ')})`);
    const diff = differences(s.replica, server[s.name]!);
    for (const d of diff.slice(0, 5)) out.push(`${s.name} : ${d}`);
    if (diff.length > 5) out.push(`${s.name} : … ${diff.length - 5} autres`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The day's script

const STATUS_TARGETS = [
  ['a_l_etude', 'entretien'],
  ['entretien', 'preselectionnee'],
  ['refusee'],
  ['preselectionnee', 'a_l_etude'],
  ['archivee', 'a_l_etude'],
];

function dayOps(
  random: () => number,
  n: number,
  name: string,
  counter: { n: number },
  titleField: 'title' | 'description',
): FaultOp[] {
  const ops: FaultOp[] = [];
  const token = () => `${name}${++counter.n}`;
  const int = () => Math.floor(random() * 1_000_000);
  for (let i = 0; i < n; i++) {
    const roll = random();
    if (roll < 0.08) ops.push({ kind: 'offer-create', token: token(), jobTitle: JOB_TITLE });
    else if (roll < 0.22)
      ops.push({ kind: 'offer-edit', token: token(), jobTitle: JOB_TITLE, field: titleField, pick: int() });
    else if (roll < 0.28) ops.push({ kind: 'capture', token: token(), pick: int() });
    else if (roll < 0.4)
      ops.push({ kind: 'status', pick: int(), targets: STATUS_TARGETS[int() % STATUS_TARGETS.length]! });
    else if (roll < 0.46) ops.push({ kind: 'rate', pick: int(), rating: 1 + (int() % 5) });
    else if (roll < 0.54) ops.push({ kind: 'note', token: token(), pick: int() });
    else if (roll < 0.6) ops.push({ kind: 'tag', token: token(), pick: int() });
    else if (roll < 0.63) ops.push({ kind: 'list-create', token: token() });
    else if (roll < 0.73) ops.push({ kind: 'list-add', pick: int(), cvPick: int() });
    else if (roll < 0.77) ops.push({ kind: 'list-remove', pick: int(), cvPick: int() });
    else if (roll < 0.83)
      ops.push({ kind: 'search', token: token(), pick: int(), favourite: random() < 0.5 });
    else if (roll < 0.93) ops.push({ kind: 'message', token: token(), pick: int() });
    else ops.push({ kind: 'read', pick: int() });
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------
// The checks

const time = (iso: unknown) => (typeof iso === 'string' ? Date.parse(iso) || 0 : 0);

interface Acked extends AckRecord {
  station: string;
  userId: string;
}

/** A field value written on a workstation, and when (local time, ms). */
export interface FieldWrite {
  id: string;
  field: string;
  value: string;
  at: number;
}

/**
 * What the acknowledged rows say must be on the server; one line per write that is not. An offer
 * field must hold its last acknowledged value, or a value written after it (whose answer was lost).
 */
export function lostWrites(
  acks: Acked[],
  server: Record<string, Map<string, AnyDoc>>,
  writes: FieldWrite[] = [],
): string[] {
  const writeTime = new Map(writes.map((w) => [`${w.id}/${w.field}/${w.value}`, w.at]));
  const lost: string[] = [];
  const byDoc = new Map<string, Acked[]>();
  for (const a of acks) {
    const key = `${a.collection}/${a.id}`;
    byDoc.set(key, [...(byDoc.get(key) ?? []), a]);
  }
  for (const [key, rows] of byDoc) {
    rows.sort((a, b) => a.ackedAt - b.ackedAt);
    const [collection] = key.split('/') as [string];
    const last = rows[rows.length - 1]!;
    const found = server[collection]?.get(last.id);
    if (last.doc._deleted) {
      if (found) lost.push(`${key} : supprimé (acquitté) mais encore présent`);
      continue;
    }
    if (!found) {
      // The server keeps a bounded search history: a search may go once it is old and not a favourite.
      if (collection !== 'searches')
        lost.push(`${key} : acquitté par ${last.station} mais absent du serveur`);
      continue;
    }
    switch (collection) {
      case 'offers':
        for (const field of ['title', 'description']) {
          const changes = rows.filter((a) => a.doc[field] !== a.assumed?.[field]);
          const latest = changes[changes.length - 1];
          if (!latest || found[field] === latest.doc[field]) continue;
          const since = writeTime.get(`${latest.id}/${field}/${String(latest.doc[field])}`) ?? latest.sentAt;
          const later = writes.some(
            (w) => w.id === latest.id && w.field === field && w.at > since && w.value === found[field],
          );
          if (!later)
            lost.push(
              `${key} : ${field} « ${String(found[field])} » au lieu de « ${String(latest.doc[field])} » (acquitté par ${latest.station})`,
            );
        }
        break;
      case 'applications': {
        const history = (found.history ?? []) as { to?: string; by?: string }[];
        for (const a of rows) {
          if (!a.assumed || a.doc.status === a.assumed.status) continue;
          if (!history.some((h) => h.to === a.doc.status && h.by === a.userId))
            lost.push(
              `${key} : passage à « ${String(a.doc.status)} » acquitté par ${a.station} absent de l’historique`,
            );
        }
        break;
      }
      case 'evaluations': {
        const notes = new Set(((found.notes ?? []) as { id: string }[]).map((n) => n.id));
        const tags = new Set((found.tags ?? []) as string[]);
        for (const a of rows) {
          for (const n of (a.doc.notes ?? []) as { id: string; text: string }[])
            if (!notes.has(n.id)) lost.push(`${key} : note « ${n.text} » acquittée par ${a.station} perdue`);
          for (const t of (a.doc.tags ?? []) as string[])
            if (!tags.has(t)) lost.push(`${key} : étiquette « ${t} » acquittée par ${a.station} perdue`);
        }
        break;
      }
      case 'cvLists': {
        type Entry = { cvId: string; addedAt?: string; removedAt?: string };
        const active = (e: Entry) => e.removedAt === undefined || time(e.addedAt) > time(e.removedAt);
        const stamp = (e: Entry) => Math.max(time(e.addedAt), time(e.removedAt));
        const expected = new Map<string, { entry: Entry; station: string }>();
        for (const a of rows)
          for (const e of (a.doc.entries ?? []) as Entry[]) {
            const seen = expected.get(e.cvId);
            if (!seen || stamp(e) > stamp(seen.entry)) expected.set(e.cvId, { entry: e, station: a.station });
          }
        const final = new Map(((found.entries ?? []) as Entry[]).map((e) => [e.cvId, e]));
        // Each entry is last-writer-wins on its dates: the list must hold the latest acknowledged
        // state of the entry, or a later one (another add or remove, whose answer may have been lost).
        for (const [cvId, { entry, station }] of expected) {
          const f = final.get(cvId);
          const kept = f && (stamp(f) > stamp(entry) || active(f) === active(entry));
          if (!kept)
            lost.push(
              `${key} : CV ${cvId} ${active(entry) ? 'ajouté' : 'retiré'} (acquitté par ${station} : ${JSON.stringify(entry)}), état du serveur ${JSON.stringify(f ?? null)}`,
            );
        }
        break;
      }
      case 'messages':
        if (found.body !== last.doc.body) lost.push(`${key} : message modifié sur le serveur`);
        break;
    }
  }
  return lost;
}

// ---------------------------------------------------------------------------------------------

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runFaultCampaign(options: FaultCampaignOptions): Promise<FaultCampaignReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const violations: Violation[] = [];
  const reported = new Set<string>();
  /** Records a violation once (the checks run over every acknowledged write after each scenario). */
  const violate = (v: Violation) => {
    const key = `${v.kind}|${v.detail}`;
    if (reported.has(key)) return;
    reported.add(key);
    violations.push(v);
    log(`✖ scénario ${v.scenario + 1}, ${v.kind} : ${v.detail}`);
  };
  try {
    // The database and the server.
    let database = options.database;
    if (!database) {
      if (options.databaseUrl) {
        const { createScratchPostgres } = await import('../harness');
        const scratch = await createScratchPostgres(options.databaseUrl, 'pannes');
        database = { options: { databaseUrl: scratch.url }, destroy: scratch.drop };
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'campagne-pannes-'));
        database = {
          options: { dataDir: dir },
          destroy: async () => rmSync(dir, { recursive: true, force: true }),
        };
      }
      const made = database;
      cleanups.push(() => made.destroy());
    }
    const onPostgres = Boolean(database.options.databaseUrl);
    const signal = onPostgres ? 'SIGKILL' : 'SIGTERM';
    const env = { JOBS_INTERVAL_MS: '3600000' };
    log(`serveur : démarrage (${onPostgres ? 'PostgreSQL' : 'PGlite'})…`);
    let server: Child = await startChild(database, env);
    const stopServer = async (sig: NodeJS.Signals) => {
      const s = server.process;
      if (s.exitCode !== null || s.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => s.once('exit', () => resolve()));
      s.kill(sig);
      const timer = setTimeout(() => s.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    };
    cleanups.push(() => stopServer('SIGKILL'));

    const proxy = await startFaultProxy({ target: server.url, seed: options.seed });
    proxy.faults = false;
    cleanups.push(() => proxy.close());

    // The people.
    const [r1a, r1b, r2, candidate] = [
      await login(server.url, 'recruteur1@demo.test'),
      await login(server.url, 'recruteur1@demo.test'),
      await login(server.url, 'recruteur2@demo.test'),
      await login(server.url, 'candidat@demo.test'),
    ];
    const orgOf = (u: SessionUser) => u.memberships[0]!.organisationId;
    log('postes : ouverture des trois répliques…');
    const stations = await Promise.all([
      Workstation.start('bureau', proxy.url, r1a, orgOf(r1a.user)),
      Workstation.start('portable', proxy.url, r1b, orgOf(r1b.user)),
      Workstation.start('transport', proxy.url, r2, orgOf(r2.user)),
    ]);
    cleanups.unshift(() => Promise.all(stations.map((s) => s.close())));
    const fieldOf: Record<string, 'title' | 'description'> = {
      bureau: 'title',
      portable: 'description',
      transport: 'title',
    };

    // The candidate's conversations (the portal's REST routes, through the same bad network).
    const conversations =
      (
        (await (
          await fetch(`${server.url}/api/me/conversations`, {
            headers: { authorization: `Bearer ${candidate.token}` },
          })
        ).json()) as { items?: { id: string }[] }
      ).items?.map((c) => c.id) ?? [];
    const candidateMessages: { id: string; body: string; conversationId: string }[] = [];
    let candidateLimited = 0;

    const counter = { n: 0 };
    const byKind: Record<string, number> = {};
    let applied = 0;
    let skipped = 0;
    let restarts = 0;
    let offlineStretches = 0;
    const convergence: number[] = [];
    const statusOps: { station: Workstation; result: OpResult; scenario: number }[] = [];
    const fieldWrites: FieldWrite[] = [];
    const restartRate = options.restartRate ?? 0.2;
    const opsPer = options.opsPerScenario ?? 8;
    const forcedRestart = options.scenarios >= 3 ? Math.floor(options.scenarios / 2) : -1;

    const converge = async (
      scenario: number,
    ): Promise<Record<string, Record<string, Map<string, AnyDoc>>>> => {
      const calmStarted = Date.now();
      const deadline = calmStarted + 90_000;
      let last: string[] = [];
      const read = async (): Promise<Record<string, Record<string, Map<string, AnyDoc>>>> => {
        const [s1, s2] = await Promise.all([
          serverState(server.url, r1a.token),
          serverState(server.url, r2.token),
        ]);
        return { bureau: s1, portable: s1, transport: s2 };
      };
      for (let round = 0; ; round++) {
        // The replicas first, then the server (see `unsettled`).
        const dumps = await Promise.all(stations.map((s) => s.dump()));
        const states = await read();
        last = unsettled(
          stations.map((s, i) => ({ name: s.name, ...dumps[i]! })),
          states,
        );
        if (last.length === 0) {
          convergence.push(Date.now() - calmStarted);
          return states;
        }
        if (Date.now() > deadline) {
          for (const l of last) violate({ scenario, kind: 'divergence', detail: l });
          if (process.env.FAULT_TRACE === '1') {
            const ids = [
              ...new Set(last.map((l) => /\/([0-9a-f-]{36})/.exec(l)?.[1]).filter(Boolean)),
            ] as string[];
            for (const s of stations)
              for (const t of await s.send<{ id: string; seen: string[] }[]>({ cmd: 'trace', ids }))
                log(`trace ${s.name} ${t.id} :\n    ${t.seen.join('\n    ')}`);
          }
          convergence.push(Date.now() - calmStarted);
          return states;
        }
        if (round % 4 === 0) await Promise.all(stations.map((s) => s.send({ cmd: 'resync' })));
        await sleep(250);
      }
    };

    log('synchronisation initiale…');
    await converge(-1);
    if (violations.length > 0)
      throw new Error(`synchronisation initiale impossible : ${violations.map((v) => v.detail).join(' ; ')}`);

    let checkedAcks = 0;
    for (let scenario = 0; scenario < options.scenarios; scenario++) {
      const random = prng((options.seed * 1_000_003 + scenario * 7919) >>> 0);
      // This scenario's network.
      const rates: FaultRates = {
        dropRequest: random() * 0.15,
        dropResponse: random() * 0.15,
        duplicate: random() * 0.15,
        maxDelayMs: random() * 400,
        cutStream: 0.2 + random() * 0.6,
        reorder: random() * 0.2,
        maxResponseDelayMs: random() * 300,
      };
      proxy.setRates(rates);
      proxy.faults = true;
      const restartAt =
        scenario === forcedRestart || random() < restartRate ? 1 + Math.floor(random() * 2) : -1;
      // Who is offline, and for how long (in batches of the scenario).
      const offlineFrom = stations.map(() => (random() < 0.35 ? Math.floor(random() * 3) : 99));
      const offlineTo = offlineFrom.map((f) => (f === 99 ? 99 : f + 1 + Math.floor(random() * 3)));
      const scripts = stations.map((s) => dayOps(random, opsPer, s.name, counter, fieldOf[s.name]!));
      const batches = 4;
      for (let b = 0; b < batches; b++) {
        await Promise.all(
          stations.map(async (s, i) => {
            const shouldBeOnline = !(b >= offlineFrom[i]! && b < offlineTo[i]!);
            if (s.online !== shouldBeOnline) {
              if (!shouldBeOnline) offlineStretches++;
              await s.setOnline(shouldBeOnline);
            }
            const per = Math.ceil(opsPer / batches);
            const ops = scripts[i]!.slice(b * per, (b + 1) * per);
            if (ops.length === 0) return;
            const results = await s.send<OpResult[]>({ cmd: 'do', ops });
            for (const res of results) {
              byKind[res.kind] = (byKind[res.kind] ?? 0) + (res.applied ? 1 : 0);
              if (res.applied) applied++;
              else skipped++;
              if (res.error) violate({ scenario, kind: 'erreur', detail: `${s.name} : ${res.reason}` });
              if (res.kind === 'status' && res.applied) statusOps.push({ station: s, result: res, scenario });
              for (const w of res.writes ?? []) fieldWrites.push({ id: res.id!, ...w });
            }
          }),
        );
        // The candidate writes from the portal, retrying through the bad network with the same draft id.
        if (conversations.length > 0 && random() < 0.5) {
          const message = {
            id: randomUUID(),
            conversationId: conversations[Math.floor(random() * conversations.length)]!,
            body: `Réponse du candidat ${++counter.n}`,
          };
          for (let attempt = 0; attempt < 5; attempt++) {
            const res = await fetch(`${proxy.url}/api/me/conversations/${message.conversationId}/messages`, {
              method: 'POST',
              headers: { authorization: `Bearer ${candidate.token}`, 'content-type': 'application/json' },
              body: JSON.stringify({ id: message.id, body: message.body }),
              signal: AbortSignal.timeout(5000),
            }).catch(() => null);
            if (res && (res.status === 200 || res.status === 201)) {
              candidateMessages.push(message);
              break;
            }
            // The portal's limit (20 messages an hour per candidate) is an answer, not a fault.
            if (res?.status === 429) {
              candidateLimited++;
              break;
            }
            if (res && res.status >= 400 && res.status < 500)
              violate({
                scenario,
                kind: 'erreur',
                detail: `portail : ${res.status} ${await res.text()}`,
              });
            await sleep(100);
          }
        }
        if (b === restartAt) {
          restarts++;
          log(`scénario ${scenario + 1} : arrêt du serveur (${signal}) et redémarrage…`);
          await stopServer(signal);
          server = await startChild(database, env);
          proxy.target = server.url;
        }
        await sleep(50 + random() * 300);
      }

      // Calm: everyone back online, a good network; then the checks.
      proxy.faults = false;
      await Promise.all(stations.filter((s) => !s.online).map((s) => s.setOnline(true)));
      const states = await converge(scenario);
      await Promise.all(stations.map((s) => s.dump(true)));
      const acks: Acked[] = stations.flatMap((s) =>
        s.acks.map((a) => ({ ...a, station: s.name, userId: s.user.id })),
      );
      const union: Record<string, Map<string, AnyDoc>> = {};
      for (const st of Object.values(states))
        for (const [name, docs] of Object.entries(st)) {
          const m = union[name] ?? new Map<string, AnyDoc>();
          union[name] = m;
          for (const [id, d] of docs) m.set(id, d);
        }
      for (const l of lostWrites(acks, union, fieldWrites)) violate({ scenario, kind: 'perte', detail: l });
      for (const m of candidateMessages) {
        const found = union.messages?.get(m.id);
        if (!found || found.body !== m.body)
          violate({
            scenario,
            kind: 'perte',
            detail: `message du candidat ${m.id} acquitté mais absent`,
          });
      }
      // A status change that did not stand came back to its author as a notice. Only a workstation's
      // last change of an applicant counts: offline, successive changes reach the server as one.
      const notices = [...(union.notices?.values() ?? [])];
      const lastChanges = new Map(
        statusOps.splice(0).map((op) => [`${op.station.name}/${op.result.id}`, op]),
      );
      for (const { station, result } of lastChanges.values()) {
        const app = union.applications?.get(result.id!);
        const history = (app?.history ?? []) as { to?: string; by?: string }[];
        const stood = history.some((h) => h.to === result.value && h.by === station.user.id);
        const told = notices.some((n) => n.documentId === result.id && n.userId === station.user.id);
        if (!stood && !told && process.env.FAULT_TRACE === '1')
          for (const st of stations)
            for (const t of await st.send<{ id: string; seen: string[] }[]>({
              cmd: 'trace',
              ids: [result.id!],
            }))
              log(`trace ${st.name} ${t.id} :\n    ${t.seen.join('\n    ')}`);
        if (!stood && !told)
          violate({
            scenario,
            kind: 'non signalé',
            detail: `${station.name} : passage de ${result.id} à « ${result.value} » ni gardé ni signalé`,
          });
      }
      checkedAcks = acks.length;
      log(
        `scénario ${scenario + 1}/${options.scenarios} : ${acks.length} écritures acquittées, ${violations.length} écart(s), convergence ${convergence[convergence.length - 1]} ms`,
      );
    }

    const dumps = await Promise.all(stations.map((s) => s.dump(true)));
    const ackedBy: Record<string, number> = {};
    const conflictsBy: Record<string, number> = {};
    for (const s of stations) {
      for (const a of s.acks) ackedBy[a.collection] = (ackedBy[a.collection] ?? 0) + 1;
      for (const c of s.conflicts) conflictsBy[c.collection] = (conflictsBy[c.collection] ?? 0) + 1;
    }
    const notices = dumps.reduce((n, d) => n + (d.replica.notices?.length ?? 0), 0);
    return {
      database: onPostgres ? 'postgres' : 'pglite',
      seed: options.seed,
      scenarios: options.scenarios,
      restarts,
      signal,
      operations: { applied, skipped, byKind },
      acknowledged: {
        rows: checkedAcks,
        byCollection: ackedBy,
        candidateMessages: candidateMessages.length,
        candidateLimited,
      },
      conflicts: { rows: Object.values(conflictsBy).reduce((a, b) => a + b, 0), byCollection: conflictsBy },
      surfaced: notices,
      offlineStretches,
      proxy: { ...proxy.stats },
      convergence: {
        p50: percentile(convergence, 50),
        p95: percentile(convergence, 95),
        max: Math.max(0, ...convergence),
      },
      violations,
      durationMs: Date.now() - started,
    };
  } finally {
    for (const c of cleanups) await Promise.resolve(c()).catch(() => undefined);
  }
}

/** The report file (reports/pannes-<base>.md). */
export function faultReportMarkdown(r: FaultCampaignReport, machine: string): string {
  const rows = (o: Record<string, number>) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '—';
  const lines = [
    `# Campagne de pannes (${r.database === 'postgres' ? 'PostgreSQL' : 'PGlite'})`,
    '',
    `Commande : \`npm run campaign:faults -- --scenarios ${r.scenarios} --seed ${r.seed}\`${r.database === 'postgres' ? ' avec `DATABASE_URL`' : ''}.`,
    `Machine : ${machine}.`,
    '',
    '| mesure | valeur |',
    '|---|---|',
    `| scénarios | ${r.scenarios} (graine ${r.seed}) |`,
    `| durée | ${(r.durationMs / 1000).toFixed(0)} s |`,
    `| redémarrages du serveur | ${r.restarts} (${r.signal}) |`,
    `| périodes hors ligne des postes | ${r.offlineStretches} |`,
    `| opérations faites sur les postes | ${r.operations.applied} (${rows(r.operations.byKind)}) ; ${r.operations.skipped} sans objet |`,
    `| lignes acquittées par le serveur | ${r.acknowledged.rows} (${rows(r.acknowledged.byCollection)}) |`,
    `| messages du candidat acquittés (portail) | ${r.acknowledged.candidateMessages} ; ${r.acknowledged.candidateLimited} refusés par la limite horaire (429) |`,
    `| conflits ou refus répondus par le serveur | ${r.conflicts.rows} (${rows(r.conflicts.byCollection)}) |`,
    `| avis reçus par les postes | ${r.surfaced} |`,
    `| requêtes au proxy | ${r.proxy.requests} : ${r.proxy.droppedRequests} perdues à l’aller, ${r.proxy.droppedResponses} au retour, ${r.proxy.duplicated} doublées, ${r.proxy.reordered} réordonnées, ${r.proxy.delayed} retardées, ${r.proxy.upstreamErrors} serveur injoignable ; ${r.proxy.cutStreams}/${r.proxy.streams} flux coupés |`,
    `| convergence après le calme | médiane ${r.convergence.p50} ms, p95 ${r.convergence.p95} ms, max ${r.convergence.max} ms |`,
    `| écritures acquittées perdues | ${r.violations.filter((v) => v.kind === 'perte').length} |`,
    `| répliques divergentes | ${r.violations.filter((v) => v.kind === 'divergence').length} |`,
    `| conflits ni fusionnés ni signalés | ${r.violations.filter((v) => v.kind === 'non signalé').length} |`,
    `| erreurs | ${r.violations.filter((v) => v.kind === 'erreur').length} |`,
  ];
  if (r.violations.length > 0) {
    lines.push('', '## Écarts', '');
    for (const v of r.violations.slice(0, 200))
      lines.push(`- scénario ${v.scenario + 1}, ${v.kind} : ${v.detail}`);
  }
  return `${lines.join('\n')}\n`;
}
