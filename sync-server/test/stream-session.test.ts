import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offersCollection } from '../src/domain/offers';
import { api, startTestServer, type TestServer } from './harness';
import { readSse, waitFor } from './rx-client';

/** A live stream follows the session: memberships that change, sessions that end. */

const BAKERY = '0b0e0000-0000-4000-8000-000000000001';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

async function newMember(): Promise<{ id: string; token: string }> {
  const email = `membre-${randomUUID().slice(0, 8)}@demo.test`;
  const res = await api<{ token: string; user: { id: string } }>(`${server.url}/api/auth/register`, {
    body: {
      lastName: 'Petit',
      firstName: 'Léa',
      jobTitle: 'Assistante RH',
      email,
      password: 'un-long-mot-de-passe',
    },
  });
  expect(res.status).toBe(201);
  await server.db.query(
    "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')",
    [res.body.user.id, BAKERY],
  );
  return { id: res.body.user.id, token: res.body.token };
}

/** The server itself gives one of the bakery's draft offers a new title (a change for its streams); its id. */
async function retitleBakeryDraft(title: string): Promise<string> {
  const { rows } = await server.db.query<{ doc: Record<string, unknown> }>(
    "select doc from offers where doc->>'organisationId' = $1 and doc->>'status' = 'brouillon' limit 1",
    [BAKERY],
  );
  await server.db.transaction((tx) =>
    server.app.engine.write(tx, offersCollection, { ...rows[0]!.doc, title } as never, false),
  );
  return String(rows[0]!.doc.id);
}

function openStream(token: string) {
  const events: unknown[] = [];
  const controller = new AbortController();
  let ended = false;
  const done = readSse({
    url: `${server.url}/api/sync/offers/v${offersCollection.version}/stream`,
    token,
    signal: controller.signal,
    onEvent: (e) => events.push(e),
  }).finally(() => {
    ended = true;
  });
  return { events, controller, done, ended: () => ended };
}

describe('flux en direct et session', () => {
  it('un membre retiré reçoit RESYNC et plus rien de l’organisation', async () => {
    const member = await newMember();
    const stream = openStream(member.token);
    await waitFor(() => stream.events.length >= 1, { timeout: 5000, message: 'RESYNC initial' });
    const admin = await server.login('recruteur1@demo.test');
    const removed = await api(`${server.url}/api/organisations/${BAKERY}/members/${member.id}`, {
      method: 'DELETE',
      token: admin,
    });
    expect(removed.status).toBeLessThan(300);
    await waitFor(() => stream.events.filter((e) => e === 'RESYNC').length >= 2, {
      timeout: 5000,
      message: 'RESYNC après retrait',
    });
    // A change of the organisation's offers no longer reaches the removed member.
    const before = stream.events.length;
    await retitleBakeryDraft('Changé après le départ H/F');
    await new Promise((r) => setTimeout(r, 500));
    const leaked = stream.events
      .slice(before)
      .filter((e) => typeof e === 'object' && JSON.stringify(e).includes('Changé après le départ'));
    expect(leaked).toEqual([]);
    stream.controller.abort();
  });

  it('le flux se ferme quand la session se termine (déconnexion)', async () => {
    const member = await newMember();
    const stream = openStream(member.token);
    await waitFor(() => stream.events.length >= 1, { timeout: 5000, message: 'RESYNC initial' });
    const out = await api(`${server.url}/api/auth/logout`, { method: 'POST', token: member.token });
    expect(out.status).toBe(204);
    // Any change wakes the stream, which finds the session gone and closes.
    await server.db.query("select pg_notify('sync_changes', 'offers')");
    await waitFor(() => stream.ended(), { timeout: 5000, message: 'fermeture du flux' });
    stream.controller.abort();
  });
});

describe('un seul flux pour toutes les collections', () => {
  it('chaque page porte sa collection ; un seul RESYNC vaut pour toutes', async () => {
    const member = await newMember();
    const events: unknown[] = [];
    const controller = new AbortController();
    void readSse({
      url: `${server.url}/api/sync/stream?collections=${encodeURIComponent(`offers:v${offersCollection.version},notices:v0`)}`,
      token: member.token,
      signal: controller.signal,
      onEvent: (e) => events.push(e),
    }).catch(() => undefined);
    await waitFor(() => events.includes('RESYNC'), { timeout: 5000, message: 'RESYNC initial' });
    const offerId = await retitleBakeryDraft('Flux commun H/F');
    await waitFor(
      () => events.some((e) => typeof e === 'object' && JSON.stringify(e).includes('Flux commun H/F')),
      { timeout: 5000, message: 'page de la collection offers' },
    );
    const page = events.find(
      (e) => typeof e === 'object' && JSON.stringify(e).includes('Flux commun H/F'),
    ) as {
      collection: string;
      documents: { id: string }[];
      checkpoint: unknown;
    };
    expect(page.collection).toBe('offers');
    expect(page.documents.map((d) => d.id)).toContain(offerId);
    expect(page.checkpoint).toBeTruthy();
    controller.abort();
  });

  it('répond 400 sur une liste mal écrite, 404 sur une collection inconnue, 426 sur une version dépassée', async () => {
    const member = await newMember();
    const get = (q: string) =>
      api(`${server.url}/api/sync/stream?collections=${encodeURIComponent(q)}`, { token: member.token });
    const bad = await get('offers');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('collections');
    expect((await get('inconnue:v0')).status).toBe(404);
    if (offersCollection.version > 0) expect((await get('offers:v0')).status).toBe(426);
    expect((await api(`${server.url}/api/sync/stream`, { token: member.token })).status).toBe(400);
  });
});

describe('lectures partagées entre flux', () => {
  it('40 flux réveillés par une écriture : une requête de sessions, les changements lus une fois, chacun voit ce que son audience peut voir', async () => {
    // Five audiences (a user's own notices make each user an audience): 4 members of the bakery with
    // 9 streams each (several workstations and tabs), and recruteur2 with 4.
    const members = await Promise.all([newMember(), newMember(), newMember(), newMember()]);
    const other = await server.login('recruteur2@demo.test');
    const streams = [
      ...members.flatMap((m) => Array.from({ length: 9 }, () => openStream(m.token))),
      ...Array.from({ length: 4 }, () => openStream(other)),
    ];
    await waitFor(() => streams.every((s) => s.events.includes('RESYNC')), {
      timeout: 10_000,
      message: 'RESYNC initial de chaque flux',
    });
    await new Promise((r) => setTimeout(r, 300));
    const before = { ...server.app.streamReads.stats };
    const feed = server.app.liveFeeds.of(offersCollection);
    const rowsBefore = feed.stats.rows;
    await retitleBakeryDraft('Lue une fois H/F');
    const bakeryStreams = streams.slice(0, 36);
    await waitFor(() => bakeryStreams.every((s) => JSON.stringify(s.events).includes('Lue une fois H/F')), {
      timeout: 10_000,
      message: 'la page reçue par chaque flux de la boulangerie',
    });
    await new Promise((r) => setTimeout(r, 300));
    const after = server.app.streamReads.stats;
    // Every stream checked its session, in a few shared queries (one per turn)...
    expect(after.sessionChecks - before.sessionChecks).toBeGreaterThanOrEqual(40);
    expect(after.sessionQueries - before.sessionQueries).toBeLessThanOrEqual(4);
    // ...and the change was read once for all, by the feed (how many looks it took depends on the
    // transactions running meanwhile, on PostgreSQL in every database of the cluster).
    expect(feed.stats.rows - rowsBefore).toBe(1);
    expect(after.pageReads - before.pageReads).toBe(0);
    // The other organisation's streams never see the bakery's offer.
    for (const s of streams.slice(36)) expect(JSON.stringify(s.events)).not.toContain('Lue une fois H/F');
    for (const s of streams) s.controller.abort();
  });

  it('une session fermée parmi d’autres partageant la même lecture : seul son flux se ferme', async () => {
    const [a, b] = await Promise.all([newMember(), newMember()]);
    const sa = openStream(a.token);
    const sb = openStream(b.token);
    await waitFor(() => sa.events.includes('RESYNC') && sb.events.includes('RESYNC'), {
      timeout: 5000,
      message: 'RESYNC initial',
    });
    expect((await api(`${server.url}/api/auth/logout`, { method: 'POST', token: a.token })).status).toBe(204);
    await retitleBakeryDraft('Après la déconnexion H/F');
    await waitFor(() => sa.ended(), { timeout: 5000, message: 'fermeture du flux déconnecté' });
    await waitFor(() => JSON.stringify(sb.events).includes('Après la déconnexion H/F'), {
      timeout: 5000,
      message: 'la page reçue par l’autre flux',
    });
    expect(JSON.stringify(sa.events)).not.toContain('Après la déconnexion H/F');
    expect(sb.ended()).toBe(false);
    sb.controller.abort();
  });
});
