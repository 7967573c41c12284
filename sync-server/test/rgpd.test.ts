import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SyncCheckpoint } from '../../shared/sync/protocol';
import { clock } from '../src/clock';
import { makePng } from '../src/files/sample-files';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Issue 4 « RGPD » (seeds 003, 004): export of all the candidate's data, deletion of the account
 * leaving no personal data in any table, log or replica, and erasure after 2 years of inactivity
 * with a warning 30 days before.
 */

const CANDIDATE_ID = '0a0c0000-0000-4000-8000-000000000006';
const CANDIDATE = 'candidat@demo.test';
const DAY = 24 * 3600 * 1000;
/** Collections whose documents carry the candidate's data to recruiter replicas. */
const REPLICATED = ['cvs', 'applications'];
const RECRUITERS = ['recruteur1@demo.test', 'recruteur2@demo.test'];

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
});

beforeEach(async () => {
  clock.reset();
  await server.reset();
  token = await server.login(CANDIDATE);
});

afterAll(async () => {
  clock.reset();
  await server?.stop();
});

async function exportZip(): Promise<{ json: Record<string, unknown>; entries: Record<string, Uint8Array> }> {
  const res = await fetch(`${server.url}/api/candidate/export`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('application/zip');
  expect(res.headers.get('content-disposition')).toMatch(
    /attachment; filename="mes-donnees-\d{4}-\d{2}-\d{2}\.zip"/,
  );
  const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
  const json = JSON.parse(strFromU8(entries['donnees.json']!)) as Record<string, unknown>;
  return { json, entries };
}

/** What identifies the candidate: id, e-mail, names, phone numbers found in their export. */
async function needlesOf(json: Record<string, unknown>): Promise<string[]> {
  const text = JSON.stringify(json);
  const phones = new Set<string>();
  for (const m of text.matchAll(/(?:\+33 ?|0)[1-9](?:[ .-]?\d{2}){4}/g)) {
    phones.add(m[0]);
    phones.add(m[0].replace(/\D/g, ''));
  }
  return [CANDIDATE_ID, CANDIDATE, 'Garcia', 'Thomas Garcia', ...phones].map((n) => n.toLowerCase());
}

/** Every table (and column, as text) that still holds one of the needles. */
async function leaks(needles: string[]): Promise<string[]> {
  const { rows: tables } = await server.db.query<{ name: string }>(
    `select tablename as name from pg_tables where schemaname = current_schema() order by tablename`,
  );
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows } = await server.db.query<{ row: string }>(
      `select left(x::text, 300) as row from "${name}" x
        where exists (select 1 from unnest($1::text[]) n where position(n in lower(x::text)) > 0) limit 3`,
      [needles],
    );
    for (const r of rows) found.push(`${name}: ${r.row}`);
  }
  return found;
}

interface Pulled {
  id: string;
  _deleted: boolean;
  [key: string]: unknown;
}

async function pullAll(tokenOf: string, collection: string, from: SyncCheckpoint | null) {
  const def = server.app.engine.collection(collection);
  if (!def) throw new Error(`la collection « ${collection} » n’est pas (encore) enregistrée sur le serveur`);
  await settle(server.db);
  const docs = new Map<string, Pulled>();
  let checkpoint = from;
  for (let pages = 0; pages < 100; pages++) {
    const q = new URLSearchParams({ batchSize: '50' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await api<{ documents: Pulled[]; checkpoint: SyncCheckpoint | null }>(
      `${server.url}/api/sync/${collection}/v${def.version}/pull?${q}`,
      { token: tokenOf },
    );
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set(d.id, d);
    checkpoint = res.body.checkpoint;
  }
  return { docs, checkpoint };
}

const contains = (doc: unknown, needles: string[]) => {
  const text = JSON.stringify(doc).toLowerCase();
  return needles.some((n) => text.includes(n));
};

async function saveSearch() {
  const res = await api(`${server.url}/api/candidate/alerts`, {
    token,
    body: { name: 'Boulanger à Nantes', criteria: { keywords: 'boulanger', contractTypes: ['CDI'] } },
  });
  expect(res.status).toBe(201);
}

/** The candidate uploads a photo and puts it on their profile: a file of theirs to export and erase. */
async function addPhoto(): Promise<string> {
  const res = await fetch(`${server.url}/api/candidate/files?purpose=photo`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: makePng({ width: 40, height: 40 }),
  });
  expect(res.status).toBe(201);
  const { sha256 } = (await res.json()) as { sha256: string };
  const current = await api<{ profile: Record<string, unknown> }>(`${server.url}/api/candidate/profile`, {
    token,
  });
  const put = await api(`${server.url}/api/candidate/profile`, {
    token,
    method: 'PUT',
    // (The demo profile's ROME appellation may be missing from the test reference: not our subject here.)
    body: {
      ...current.body.profile,
      search: { ...(current.body.profile.search as Record<string, unknown>), appellations: [] },
      photo: sha256,
    },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return sha256;
}

describe('export', () => {
  it('is a zip with donnees.json holding the account (no password hash) and every area, and the files listed', async () => {
    await saveSearch();
    const photo = await addPhoto();
    const { json, entries } = await exportZip();
    const account = json.compte as Record<string, unknown>;
    expect(account.email).toBe(CANDIDATE);
    expect(account.id).toBe(CANDIDATE_ID);
    expect(account).not.toHaveProperty('password_hash');
    expect(JSON.stringify(json)).not.toMatch(/scrypt|argon|\$2[aby]\$/i);
    for (const area of ['profil', 'cv', 'candidatures', 'alertes']) expect(json, area).toHaveProperty(area);
    expect(json.alertes).toEqual([
      expect.objectContaining({
        nom: 'Boulanger à Nantes',
        criteres: { keywords: 'boulanger', contractTypes: ['CDI'] },
      }),
    ]);
    for (const area of ['profil', 'cv', 'candidatures'])
      expect(json[area], `${area} (other helpers' step)`).not.toBeNull();
    const files = json.fichiers as string[];
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) expect(entries[name], name).toBeDefined();
    const { rows } = await server.db.query<{ bytes: Uint8Array }>(
      'select bytes from files where sha256 = $1',
      [photo],
    );
    expect(
      files.some((name) => Buffer.compare(Buffer.from(entries[name]!), Buffer.from(rows[0]!.bytes)) === 0),
    ).toBe(true);
    expect(Object.keys(entries).sort()).toEqual(['donnees.json', ...files].sort());
  });

  it('is for a signed-in candidate only', async () => {
    expect((await api(`${server.url}/api/candidate/export`)).status).toBe(401);
    const recruiter = await server.login('recruteur1@demo.test');
    expect((await api(`${server.url}/api/candidate/export`, { token: recruiter })).status).toBe(403);
  });
});

describe('deletion', () => {
  it('asks for the password and changes nothing when it is wrong', async () => {
    for (const body of [{}, { password: '' }, { password: 42 }, { password: 'pas-le-bon-mot-de-passe' }]) {
      const res = await api<{ error: { fields?: { field: string }[] } }>(
        `${server.url}/api/candidate/account`,
        {
          token,
          method: 'DELETE',
          body,
        },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.fields?.[0]?.field).toBe('password');
    }
    const { rows } = await server.db.query('select 1 from accounts where id = $1', [CANDIDATE_ID]);
    expect(rows).toHaveLength(1);
  });

  it('leaves no personal data of the candidate in any table, log or replica (tombstones and audit keep none)', async () => {
    await saveSearch();
    const photo = await addPhoto();
    const { json } = await exportZip();
    const needles = await needlesOf(json);
    // Something to find before: an alert e-mail, a failed sign-in, the recruiters' replicas.
    await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: CANDIDATE, password: 'mauvais-mot-de-passe' }),
    });
    await server.app.scheduler.runAll();
    expect((await leaks(needles)).length).toBeGreaterThan(0);

    const replicas: {
      who: string;
      collection: string;
      token: string;
      docs: Map<string, Pulled>;
      checkpoint: SyncCheckpoint | null;
    }[] = [];
    for (const who of RECRUITERS) {
      const t = await server.login(who);
      for (const collection of REPLICATED) {
        const { docs, checkpoint } = await pullAll(t, collection, null);
        replicas.push({ who, collection, token: t, docs, checkpoint });
      }
    }
    const withData = replicas.flatMap((r) =>
      [...r.docs.values()]
        .filter((d) => !d._deleted && contains(d, needles))
        .map((d) => `${r.who}/${r.collection}/${d.id}`),
    );
    expect(
      withData.length,
      'the demo candidate’s CVs or applications reach a recruiter replica',
    ).toBeGreaterThan(0);

    const res = await api(`${server.url}/api/candidate/account`, {
      token,
      method: 'DELETE',
      body: { password: 'demo-demo-demo' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie') ?? '').toMatch(/session=;/);

    expect(await leaks(needles)).toEqual([]);
    const files = await server.db.query('select 1 from files where sha256 = $1', [photo]);
    expect(files.rows, 'the photo only they uploaded is gone').toEqual([]);
    // Replicas: pulling from where they were leaves no document with the candidate's data.
    for (const r of replicas) {
      const { docs: changes } = await pullAll(r.token, r.collection, r.checkpoint);
      const state = new Map(r.docs);
      for (const [id, d] of changes) state.set(id, d);
      const left = [...state.values()].filter((d) => !d._deleted && contains(d, needles)).map((d) => d.id);
      expect(left, `${r.who} / ${r.collection}`).toEqual([]);
    }
    // The audit log says an account was erased, without saying whose.
    const { rows: audit } = await server.db.query<{ action: string; document_id: string; detail: unknown }>(
      `select action, document_id, detail from audit_log where action = 'account-erased'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]!.document_id).not.toBe(CANDIDATE_ID);
    // The session is gone; signing in again is impossible.
    expect((await api(`${server.url}/api/candidate/alerts`, { token })).status).toBe(401);
    const again = await api(`${server.url}/api/auth/login`, {
      body: { email: CANDIDATE, password: 'demo-demo-demo' },
    });
    expect(again.status).toBe(401);
  });
});

describe('retention after 2 years of inactivity', () => {
  const inactiveSince = async (days: number) =>
    server.db.query('update accounts set last_active_at = $2 where id = $1', [
      CANDIDATE_ID,
      new Date(clock.now().getTime() - days * DAY).toISOString(),
    ]);
  const warnings = async () =>
    (
      await server.db.query<{ to_address: string; body_text: string }>(
        `select to_address, body_text from email_outbox where dedupe_key like 'rgpd-retention-warning|%'`,
      )
    ).rows;
  const exists = async () =>
    (await server.db.query('select 1 from accounts where id = $1', [CANDIDATE_ID])).rows.length === 1;

  it('warns 30 days before, then erases at 2 years, once', async () => {
    await saveSearch();
    const { json } = await exportZip();
    const needles = await needlesOf(json);
    await server.db.query('delete from sessions where account_id = $1', [CANDIDATE_ID]);
    await inactiveSince(2 * 365 - 40);
    await server.app.scheduler.runAll();
    expect(await warnings()).toEqual([]);

    clock.advance(11 * DAY); // 29 days before the 2 years
    await server.app.scheduler.runAll();
    await server.app.scheduler.runAll();
    const [warning, ...more] = await warnings();
    expect(more).toEqual([]);
    expect(warning!.to_address).toBe(CANDIDATE);
    expect(warning!.body_text).toContain('2 ans');
    expect(warning!.body_text).toContain('/connexion');
    expect(await exists()).toBe(true);

    clock.advance(29 * DAY); // 2 years reached, but the warning is not yet 30 days old
    await server.app.scheduler.runAll();
    expect(await exists()).toBe(true);

    clock.advance(2 * DAY);
    const results = await server.app.scheduler.runAll();
    expect(results['rgpd-retention']).toMatchObject({ erased: 1 });
    expect(await exists()).toBe(false);
    expect(await leaks(needles)).toEqual([]);
    const again = await server.app.scheduler.runAll();
    expect(again['rgpd-retention']).toMatchObject({ erased: 0, warned: 0 });
    const { rows } = await server.db.query(`select 1 from audit_log where action = 'account-erased'`);
    expect(rows).toHaveLength(1);
  });

  it('erases an account suspended by the moderators once suspended and inactive for 2 years, unwarned', async () => {
    const since = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();
    await server.db.query('update accounts set disabled_at = $2, last_active_at = $2 where id = $1', [
      CANDIDATE_ID,
      since(365),
    ]);
    await server.app.scheduler.runAll();
    expect(await exists()).toBe(true);
    clock.advance(365 * DAY + 2 * DAY);
    const results = await server.app.scheduler.runAll();
    expect(results['rgpd-retention']).toMatchObject({ erased: 1 });
    expect(await exists()).toBe(false);
    // Suspended people cannot sign in: no warning inviting them to.
    expect(await warnings()).toEqual([]);
  });

  it('never erases a candidate who came back after the warning, and never without a warning first', async () => {
    await inactiveSince(3 * 365); // long inactive: warned first, not erased on the spot
    await server.app.scheduler.runAll();
    expect(await warnings()).toHaveLength(1);
    expect(await exists()).toBe(true);

    clock.advance(10 * DAY);
    await server.login(CANDIDATE); // back
    clock.advance(40 * DAY);
    await server.app.scheduler.runAll();
    expect(await exists()).toBe(true);
    expect(await warnings()).toHaveLength(1);

    // Using the portal with a session also counts as activity (at most one update a day).
    await inactiveSince(2 * 365 - 35);
    const session = await server.login(CANDIDATE);
    await inactiveSince(2 * 365 - 35);
    expect((await api(`${server.url}/api/candidate/alerts`, { token: session })).status).toBe(200);
    const { rows } = await server.db.query<{ last_active_at: Date }>(
      'select last_active_at from accounts where id = $1',
      [CANDIDATE_ID],
    );
    expect(clock.now().getTime() - new Date(rows[0]!.last_active_at).getTime()).toBeLessThan(DAY);
    await server.app.scheduler.runAll();
    expect(await warnings()).toHaveLength(1);
  });
});
