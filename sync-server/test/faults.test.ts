import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncCheckpoint } from '../../shared/sync/protocol';
import { openDatabase } from '../src/db/database';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { canonicalJson } from '../src/sync/canonical';
import { type FaultProxy, startFaultProxy } from './fault-proxy';
import { createTestDatabase, onPostgres, settle } from './harness';
import { prng } from './naive-checkpoint';
import { type Child, startChild } from './server-process';

/**
 * DESIGN §5, guarantees 2 and 5 under a bad network: three workstations edit offers through a
 * proxy that drops requests and responses, delays and duplicates them, and cuts live streams;
 * in the middle the server is killed (SIGKILL on PostgreSQL, a clean stop on PGlite, whose data
 * directory an unclean exit can damage) and started again on the same database. Afterwards
 * every acknowledged write is on the server, and every replica equals the server.
 *
 * Each edit appends a unique token to the offer's description, on top of the master it was
 * based on; a conflict rebases the client's own tokens on the new master. So compare-and-write
 * means: every token of an acknowledged push is in the final document, and none twice.
 * Replay a run with FAULT_SEED=<seed>.
 */

const JOB_TITLE = 'Essai de pannes';
type Offer = Record<string, unknown> & { id: string; title: string; description: string };

// ------------------------------------------------------------------------------------------
// The server as a child process, as in production.

/**
 * Stops the server. A clean stop (SIGTERM) that is still running after 5 s gets its live
 * streams cut by `unstick` (the test records it), then has 15 s more.
 */
async function stopChild(
  child: Child,
  signal: 'SIGKILL' | 'SIGTERM',
  unstick?: () => void,
): Promise<{ ms: number; stuck: boolean }> {
  const started = Date.now();
  if (child.process.exitCode !== null || child.process.signalCode !== null) return { ms: 0, stuck: false };
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.kill(signal);
  const within = (ms: number) => Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
  let stuck = false;
  if (!(await within(5000))) {
    stuck = true;
    unstick?.();
    if (!(await within(15_000))) {
      child.process.kill('SIGKILL');
      await exited;
      throw new Error(
        `le serveur ne s’est pas arrêté dans les 20 s après ${signal} :\n${child.log.join('')}`,
      );
    }
  }
  return { ms: Date.now() - started, stuck };
}

async function login(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`connexion de ${email} : ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

function withoutDeleted(doc: Record<string, unknown>): string {
  const { _deleted, ...rest } = doc;
  return canonicalJson(rest);
}

/** Everything a user may pull, from scratch, straight from the server (no proxy). */
async function fullPull(url: string, token: string): Promise<Map<string, string>> {
  const docs = new Map<string, string>();
  let checkpoint: SyncCheckpoint | null = null;
  for (;;) {
    const cp = checkpoint ? `checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}&` : '';
    const res = await fetch(`${url}/api/sync/offers/v1/pull?${cp}batchSize=500`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!res.ok) throw new Error(`pull : ${res.status}`);
    const page = (await res.json()) as { documents: Offer[]; checkpoint: SyncCheckpoint | null };
    if (page.documents.length === 0) return docs;
    for (const d of page.documents) {
      if (d._deleted) docs.delete(d.id);
      else docs.set(d.id, withoutDeleted(d));
    }
    checkpoint = page.checkpoint;
  }
}

const tokensOf = (description: string) => description.split('|').filter((t) => t.length > 0);

// ------------------------------------------------------------------------------------------
// A tiny replication client: a local replica, the masters it knows, a queue of changes that
// keeps a row until a push of it got a 200 without conflict.

class MiniClient {
  readonly local = new Map<string, Offer>();
  readonly master = new Map<string, Offer>();
  readonly pending = new Set<string>();
  checkpoint: SyncCheckpoint | null = null;
  /** Rows a 200 answer acknowledged: the tokens they carried. */
  readonly acked: { id: string; tokens: string[] }[] = [];
  readonly unexpected: string[] = [];
  readonly stats = {
    edits: 0,
    creates: 0,
    pushes: 0,
    pushFailures: 0,
    pulls: 0,
    pullFailures: 0,
    conflicts: 0,
    events: 0,
  };
  private counter = 0;
  private wake = false;
  private readonly streamAbort = new AbortController();

  constructor(
    readonly name: string,
    readonly proxyUrl: string,
    readonly token: string,
    readonly organisationId: string,
    readonly random: () => number,
  ) {}

  private async request(path: string, body?: unknown): Promise<unknown> {
    try {
      const res = await fetch(`${this.proxyUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(5000),
      });
      const text = await res.text();
      if (res.status !== 200) {
        if (res.status !== 502 && res.status !== 503)
          this.unexpected.push(`${path} : ${res.status} ${text.slice(0, 200)}`);
        return undefined;
      }
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  /** One local change: a new offer, or a new token on an offer of the organisation. */
  edit() {
    const token = `${this.name}${++this.counter}`;
    const candidates = [...this.local.values()].filter(
      (d) => d.jobTitle === JOB_TITLE && d.organisationId === this.organisationId,
    );
    if (candidates.length < 3 || this.random() < 0.25) {
      const now = new Date().toISOString();
      const doc: Offer = {
        id: randomUUID(),
        organisationId: this.organisationId,
        title: token,
        jobTitle: JOB_TITLE,
        city: '',
        companyName: '',
        contactPhone: '',
        seasonal: false,
        contractTypes: [],
        description: `|${token}`,
        status: 'brouillon',
        createdAt: now,
        updatedAt: now,
      };
      this.local.set(doc.id, doc);
      this.pending.add(doc.id);
      this.stats.creates++;
      return;
    }
    const d = candidates[Math.floor(this.random() * candidates.length)]!;
    this.local.set(d.id, { ...d, title: token, description: `${d.description}|${token}` });
    this.pending.add(d.id);
    this.stats.edits++;
  }

  /** Puts this client's tokens that the master lacks on top of the master. */
  private rebase(id: string, master: Offer) {
    const mine = this.local.get(id);
    const known = new Set(tokensOf(master.description));
    const missing = mine ? tokensOf(mine.description).filter((t) => !known.has(t)) : [];
    if (missing.length === 0) {
      this.local.set(id, master);
      this.pending.delete(id);
    } else {
      this.local.set(id, {
        ...master,
        title: missing[missing.length - 1]!,
        description: `${master.description}|${missing.join('|')}`,
      });
    }
  }

  async push(): Promise<boolean> {
    const ids = [...this.pending].slice(0, 5);
    if (ids.length === 0) return true;
    const rows = ids.map((id) => {
      const assumed = this.master.get(id);
      return {
        assumedMasterState: assumed ? { ...assumed, _deleted: false } : null,
        newDocumentState: { ...this.local.get(id)!, _deleted: false },
      };
    });
    this.stats.pushes++;
    const answer = (await this.request('/api/sync/offers/v1/push', rows)) as
      | (Offer & { _deleted: boolean })[]
      | undefined;
    if (!answer) {
      this.stats.pushFailures++;
      return false;
    }
    const conflicts = new Map(answer.map((d) => [d.id, d]));
    for (const row of rows) {
      const { _deleted, ...pushed } = row.newDocumentState;
      const id = pushed.id;
      const conflict = conflicts.get(id);
      if (!conflict) {
        this.acked.push({ id, tokens: tokensOf(pushed.description) });
        // Like RxDB: what was pushed is the assumed master until a pull brings the real one.
        this.master.set(id, pushed);
        if (canonicalJson(this.local.get(id)) === canonicalJson(pushed)) this.pending.delete(id);
        continue;
      }
      this.stats.conflicts++;
      if (conflict._deleted) {
        this.unexpected.push(`${this.name} : ${id} refusée (tombstone)`);
        this.pending.delete(id);
        continue;
      }
      const { _deleted: d, ...master } = conflict;
      this.master.set(id, master);
      this.rebase(id, master);
    }
    return true;
  }

  /** One page; answers its size, or -1 when the request failed. */
  async pull(batchSize = 20): Promise<number> {
    const cp = this.checkpoint ? `checkpoint=${encodeURIComponent(JSON.stringify(this.checkpoint))}&` : '';
    this.stats.pulls++;
    const page = (await this.request(`/api/sync/offers/v1/pull?${cp}batchSize=${batchSize}`)) as
      | { documents: (Offer & { _deleted: boolean })[]; checkpoint: SyncCheckpoint | null }
      | undefined;
    if (!page) {
      this.stats.pullFailures++;
      return -1;
    }
    for (const doc of page.documents) {
      const { _deleted, ...master } = doc;
      if (_deleted) {
        this.master.delete(doc.id);
        if (!this.pending.has(doc.id)) this.local.delete(doc.id);
        continue;
      }
      this.master.set(doc.id, master);
      if (this.pending.has(doc.id)) this.rebase(doc.id, master);
      else this.local.set(doc.id, master);
    }
    this.checkpoint = page.checkpoint;
    return page.documents.length;
  }

  /** The live stream only wakes the client up (RxDB answers RESYNC with a pull). */
  async watch() {
    while (!this.streamAbort.signal.aborted) {
      try {
        const res = await fetch(`${this.proxyUrl}/api/sync/offers/v1/stream`, {
          headers: { authorization: `Bearer ${this.token}` },
          signal: this.streamAbort.signal,
        });
        if (res.ok && res.body) {
          for await (const chunk of res.body) {
            if (String(Buffer.from(chunk)).includes('data:')) {
              this.stats.events++;
              this.wake = true;
            }
          }
        }
      } catch {
        // cut by the proxy or the server went away: reconnect
      }
      await sleep(200);
    }
  }

  stopWatching() {
    this.streamAbort.abort();
  }

  /** Edits, pushes and pulls, one step at a time, until `until()` says stop. */
  async run(until: () => boolean) {
    while (!until()) {
      if (this.random() < 0.7) this.edit();
      const pushed = await this.push();
      const pulled = await this.pull();
      if (!pushed || pulled < 0) await sleep(50 + this.random() * 150);
      else if (!this.wake) await sleep(this.random() * 40);
      this.wake = false;
    }
  }

  /** After the storm: push the queue empty (conflicts rebase and push again). */
  async drainQueue(deadline: number) {
    while (this.pending.size > 0 && Date.now() < deadline) {
      if (!(await this.push())) await sleep(50);
    }
  }

  /** Pulls until an empty page. */
  async pullToEnd(deadline: number) {
    while (Date.now() < deadline) {
      const n = await this.pull(100);
      if (n === 0) return;
      if (n < 0) await sleep(50);
    }
  }

  /** The replica without local-only bookkeeping, for comparison with the server. */
  replica(): Map<string, string> {
    return new Map([...this.local].map(([id, d]) => [id, canonicalJson(d)]));
  }
}

// ------------------------------------------------------------------------------------------

describe(`pannes réseau et redémarrage du serveur (${onPostgres ? 'PostgreSQL, arrêt brutal SIGKILL' : 'PGlite, arrêt propre'})`, () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('chaque écriture acquittée est sur le serveur, chaque réplique égale au serveur', async () => {
    const started = Date.now();
    const database = await createTestDatabase({ persistent: true });
    cleanups.push(() => database.destroy());
    let server = await startChild(database);
    cleanups.push(() => stopChild(server, 'SIGKILL'));
    const bootMs = Date.now() - started;

    const proxy: FaultProxy = await startFaultProxy({ target: server.url });
    cleanups.push(() => proxy.close());
    const seed = proxy.seed;
    console.log(`[pannes] graine FAULT_SEED=${seed}`);
    const random = prng(seed ^ 0x5eed);

    const [r1, r2] = [DEMO_ACCOUNTS[0], DEMO_ACCOUNTS[1]];
    const org1 = DEMO_ORGANISATIONS.boulangerie.id;
    const org2 = DEMO_ORGANISATIONS.transports.id;
    const tokens = {
      a: await login(server.url, r1.email),
      b: await login(server.url, r2.email),
      c: await login(server.url, r1.email),
    };
    const clients = [
      new MiniClient('a', proxy.url, tokens.a, org1, prng(seed + 1)),
      new MiniClient('b', proxy.url, tokens.b, org2, prng(seed + 2)),
      new MiniClient('c', proxy.url, tokens.c, org1, prng(seed + 3)),
    ];
    const watching = clients.map((c) => c.watch());
    cleanups.push(async () => {
      for (const c of clients) c.stopWatching();
      await Promise.all(watching);
    });

    // The storm: phase 1, restart, phase 2.
    let storm = true;
    const running = clients.map((c) => c.run(() => !storm));
    await sleep(8000 + random() * 2000);
    const restartStarted = Date.now();
    const stuckStops: string[] = [];
    const unstick = (when: string) => () => stuckStops.push(`${when} : ${proxy.cutStreams()} flux coupés`);
    const stop = await stopChild(server, onPostgres ? 'SIGKILL' : 'SIGTERM', unstick('redémarrage'));
    const stopMs = stop.ms;
    server = await startChild(database);
    proxy.target = server.url;
    const restartMs = Date.now() - restartStarted;
    await sleep(8000);
    storm = false;
    await Promise.all(running);

    // Calm: no more faults; every client pushes its queue and pulls to the end.
    proxy.faults = false;
    const drainStarted = Date.now();
    await Promise.all(clients.map((c) => c.drainQueue(Date.now() + 30_000)));
    // On PostgreSQL a pull hands out changes only below the oldest transaction still running in
    // the whole cluster: wait until the transactions of other suites running meanwhile are done.
    // (PGlite's data directory belongs to the running server process alone.)
    if (onPostgres) {
      const probe = await openDatabase(database.options);
      await settle(probe, 30_000).finally(() => probe.close());
    }
    // Only once every queue is empty can a client pull to the end of everyone's writes.
    await Promise.all(clients.map((c) => c.pullToEnd(Date.now() + 30_000)));
    const drainMs = Date.now() - drainStarted;

    const context = `(FAULT_SEED=${seed}, proxy ${JSON.stringify(proxy.stats)})`;
    const serverBy: Record<string, Map<string, string>> = {
      [org1]: await fullPull(server.url, tokens.a),
      [org2]: await fullPull(server.url, tokens.b),
    };
    for (const c of clients) {
      console.log(
        `[pannes] client ${c.name} : ${JSON.stringify(c.stats)}, ${c.acked.length} lignes acquittées`,
      );
      expect(c.unexpected, `réponses inattendues ${context}`).toEqual([]);
      expect(c.pending.size, `file du client ${c.name} non vidée ${context}`).toBe(0);
    }
    console.log(
      `[pannes] proxy : ${JSON.stringify(proxy.stats)} ; démarrage ${bootMs} ms, arrêt ${stopMs} ms, ` +
        `redémarrage ${restartMs} ms, resynchronisation ${drainMs} ms, total ${Date.now() - started} ms`,
    );

    // Every acknowledged token is in the final document, and no token is there twice.
    for (const c of clients) {
      const docs = serverBy[c.organisationId]!;
      for (const { id, tokens: acked } of c.acked) {
        const doc = docs.get(id);
        expect(doc, `offre acquittée ${id} absente du serveur ${context}`).toBeDefined();
        const onServer = new Set(tokensOf((JSON.parse(doc!) as Offer).description));
        const lost = acked.filter((t) => !onServer.has(t));
        expect(lost, `écritures acquittées perdues sur ${id} ${context}`).toEqual([]);
      }
    }
    for (const docs of Object.values(serverBy)) {
      for (const doc of docs.values()) {
        const offer = JSON.parse(doc) as Offer;
        if (offer.jobTitle !== JOB_TITLE) continue;
        const t = tokensOf(offer.description);
        expect(t.length, `jeton en double dans ${offer.id} ${context}`).toBe(new Set(t).size);
      }
    }

    // Every replica equals the server for its scope. An empty page can come early while some
    // transaction elsewhere in the cluster holds the visibility line back: pull again for a
    // while (a skipped change would never come back, so this cannot hide one).
    const differing = (c: MiniClient) => {
      const server = serverBy[c.organisationId]!;
      const replica = c.replica();
      return [...new Set([...server.keys(), ...replica.keys()])].filter(
        (id) => server.get(id) !== replica.get(id),
      );
    };
    for (let i = 0; i < 50 && clients.some((c) => differing(c).length > 0); i++) {
      await sleep(200);
      await Promise.all(clients.map((c) => c.pullToEnd(Date.now() + 5000)));
    }
    for (const c of clients) {
      expect(differing(c), `réplique du client ${c.name} différente du serveur ${context}`).toEqual([]);
    }

    // The storm did happen.
    expect(proxy.stats.droppedRequests).toBeGreaterThan(0);
    expect(proxy.stats.droppedResponses).toBeGreaterThan(0);
    expect(proxy.stats.duplicated).toBeGreaterThan(0);
    expect(proxy.stats.upstreamErrors + proxy.stats.droppedRequests).toBeGreaterThan(0);
    expect(clients.reduce((n, c) => n + c.acked.length, 0)).toBeGreaterThan(50);

    // The database itself, read directly after a clean stop: what the pulls said is what is stored.
    // Clients are still connected to their live streams, as workstations would be.
    await stopChild(server, 'SIGTERM', unstick('arrêt final'));
    const db = await openDatabase(database.options);
    try {
      const { rows } = await db.query<{ id: string; doc: Offer; keys: string[] }>(
        'select id, doc, keys from offers where not deleted',
      );
      for (const [org, docs] of Object.entries(serverBy)) {
        const stored = new Map(
          rows.filter((r) => r.keys.includes(`org:${org}`)).map((r) => [r.id, canonicalJson(r.doc)]),
        );
        expect(stored, `base et lecture complète différentes pour ${org} ${context}`).toEqual(docs);
      }
      // The demo data was seeded once, not again at the restart.
      const seeded = await db.query<{ n: string }>(
        `select count(*)::text as n from accounts where email = $1`,
        [r1.email],
      );
      expect(seeded.rows[0]!.n).toBe('1');
    } finally {
      await db.close();
    }

    // Known server bug (reported): SIGTERM never completes while a live stream is open,
    // because app.close() waits for hijacked SSE responses that nothing ends.
    expect(
      stuckStops,
      'arrêt propre (SIGTERM) bloqué par les flux SSE ouverts : app.close() ne les ferme pas',
    ).toEqual([]);
  }, 150_000);

  it('une création reçue deux fois en même temps avec des contenus différents n’est acquittée qu’une fois', async () => {
    // A create retried while the first attempt is still running (timeout, then the user edited),
    // or the proxy's duplicate at once: both rows assume "no master". Compare-and-write must
    // write one and answer the other with the master, never acknowledge both.
    const database = await createTestDatabase({ persistent: true });
    cleanups.push(() => database.destroy());
    const server = await startChild(database);
    cleanups.push(() => stopChild(server, 'SIGKILL'));
    const token = await login(server.url, DEMO_ACCOUNTS[0].email);
    const bothAcked: string[] = [];
    for (let i = 0; i < 20; i++) {
      const id = randomUUID();
      const now = new Date().toISOString();
      const row = (title: string) => ({
        assumedMasterState: null,
        newDocumentState: {
          id,
          organisationId: DEMO_ORGANISATIONS.boulangerie.id,
          title,
          jobTitle: JOB_TITLE,
          city: '',
          companyName: '',
          contactPhone: '',
          seasonal: false,
          contractTypes: [],
          description: '',
          status: 'brouillon',
          createdAt: now,
          updatedAt: now,
          _deleted: false,
        },
      });
      const push = (title: string) =>
        fetch(`${server.url}/api/sync/offers/v1/push`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify([row(title)]),
        }).then((r) => r.json() as Promise<unknown[]>);
      const [first, second] = await Promise.all([push('Appareil 1'), push('Appareil 2')]);
      if (first.length === 0 && second.length === 0) bothAcked.push(id);
    }
    await stopChild(server, 'SIGTERM');
    // Known server bug on PostgreSQL (reported): the second insert of a new id waits on the
    // first one's unique key, then `on conflict do update` overwrites it without comparing.
    expect(
      bothAcked,
      'créations concurrentes du même id toutes deux acquittées (la première est écrasée)',
    ).toEqual([]);
  }, 90_000);
});
