import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFER_STATUSES } from '../../shared/domain/offer';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { offersCollection } from '../src/domain/offers';
import type { Doc } from '../src/sync/types';
import { api, settle, startTestServer, type TestServer } from './harness';
import { readSse, waitFor } from './rx-client';

/** DESIGN §5.3 and §6: each user pulls, streams and pushes only what their roles allow. */

const ORG1 = '0b0e0000-0000-4000-8000-000000000001';
const ORG2 = '0b0e0000-0000-4000-8000-000000000002';
const AGENCY = '0b0e0000-0000-4000-8000-000000000003';
const R1_ID = '0a0c0000-0000-4000-8000-000000000001';

type Row = Record<string, unknown> & { id: string; _deleted: boolean };

let server: TestServer;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['recruteur1', 'recruteur2', 'moderateur', 'conseiller', 'candidat', 'agence']) {
    tokens[who] = await server.login(`${who}@demo.test`);
  }
});

afterAll(async () => {
  await server?.stop();
});

const base = () => `${server.url}/api/sync/offers/v1`;

async function pullPage(
  token: string,
  checkpoint: SyncCheckpoint | null,
  batchSize = 7,
  collection = 'offers',
) {
  const q = new URLSearchParams({ batchSize: String(batchSize) });
  if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
  const res = await api<PullResponse<Row>>(
    `${server.url}/api/sync/${collection}/v${server.app.engine.collection(collection)?.version ?? 0}/pull?${q}`,
    { token },
  );
  expect(res.status).toBe(200);
  return res.body;
}

/** Pulls every page until an empty one; returns the last state of each document and the checkpoint. */
async function pullAll(token: string, from: SyncCheckpoint | null = null, collection = 'offers') {
  // Pulls stop below the oldest running transaction: on a shared PostgreSQL server another suite's
  // transaction may hold the last writes back for a moment.
  await settle(server.db);
  const docs = new Map<string, Row>();
  let checkpoint = from;
  let pages = 0;
  for (;;) {
    const page = await pullPage(token, checkpoint, 7, collection);
    pages++;
    if (page.documents.length === 0) {
      expect(page.checkpoint).toEqual(checkpoint);
      break;
    }
    expect(page.documents.length).toBeLessThanOrEqual(7);
    for (const d of page.documents) docs.set(d.id, d);
    checkpoint = page.checkpoint;
    expect(pages).toBeLessThan(200);
  }
  return { docs, checkpoint };
}

async function idsWhere(where: string, params: unknown[] = []): Promise<Set<string>> {
  const { rows } = await server.db.query<{ id: string }>(`select id from offers where ${where}`, params);
  return new Set(rows.map((r) => r.id));
}

async function row(id: string) {
  const { rows } = await server.db.query<{
    doc: Record<string, unknown>;
    deleted: boolean;
    seq: string;
    keys: string[];
  }>('select doc, deleted, seq::text as seq, keys from offers where id = $1', [id]);
  return rows[0];
}

function draft(org: string, extra: Record<string, unknown> = {}) {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    organisationId: org,
    title: 'Chauffeur-livreur H/F',
    jobTitle: 'Chauffeur-livreur',
    city: 'Toulouse',
    companyName: 'Transports Garonne',
    contactName: 'Karim Benali',
    contactPhone: '05 61 44 55 66',
    seasonal: false,
    contractTypes: ['CDD'],
    description: 'Livraison de colis aux professionnels de l’agglomération, soixante points par jour.',
    status: 'brouillon',
    createdAt: now,
    updatedAt: now,
    _deleted: false,
    ...extra,
  };
}

/** A tombstone carries the id and neutral values only. */
function expectNeutralTombstone(doc: Row | undefined, id: string) {
  expect(doc).toBeDefined();
  expect(doc!._deleted).toBe(true);
  expect(doc!.id).toBe(id);
  for (const k of [
    'title',
    'jobTitle',
    'city',
    'companyName',
    'contactPhone',
    'description',
    'organisationId',
  ]) {
    expect(doc![k], k).toBe('');
  }
  for (const k of ['contactName', 'contactEmail', 'authorId', 'number', 'salaryMin', 'moderationReason']) {
    expect(doc![k], k).toBeUndefined();
  }
}

async function noticesFor(userId: string, documentId: string) {
  const { rows } = await server.db.query<{ doc: Record<string, unknown> }>(
    "select doc from notices where doc->>'userId' = $1 and doc->>'documentId' = $2",
    [userId, documentId],
  );
  return rows.map((r) => r.doc);
}

describe('portée par utilisateur', () => {
  it('recruteur1 ne tire aucune offre de l’organisation 2 (toutes les pages)', async () => {
    const org1 = await idsWhere('not deleted and $1 = any(keys)', [`org:${ORG1}`]);
    const org2 = await idsWhere('$1 = any(keys)', [`org:${ORG2}`]);
    expect(org2.size).toBeGreaterThan(5);
    const { docs } = await pullAll(tokens.recruteur1!);
    const pulled = [...docs.values()];
    expect(new Set(pulled.filter((d) => !d._deleted).map((d) => d.id))).toEqual(org1);
    for (const d of pulled) expect(org2.has(d.id), d.id).toBe(false);
    for (const d of pulled.filter((x) => !x._deleted)) expect(d.organisationId).toBe(ORG1);
    // Every status of its own organisation, drafts included.
    expect(new Set(pulled.map((d) => d.status))).toEqual(new Set(OFFER_STATUSES));
  });

  it('le flux de recruteur1 ne transporte rien de ce qu’écrit recruteur2', async () => {
    const events: unknown[] = [];
    const abort = new AbortController();
    let status = 0;
    const done = readSse({
      url: `${base()}/stream`,
      token: tokens.recruteur1!,
      signal: abort.signal,
      onOpen: (s) => {
        status = s;
      },
      onEvent: (e) => events.push(e),
    });
    try {
      await waitFor(() => events.includes('RESYNC'), { message: 'RESYNC initial' });
      expect(status).toBe(200);
      // recruteur2 creates an offer and edits one of its own.
      const created = draft(ORG2);
      const r2 = await api<unknown[]>(`${base()}/push`, {
        token: tokens.recruteur2!,
        body: [{ assumedMasterState: null, newDocumentState: created }],
      });
      expect(r2.body).toEqual([]);
      const own = (
        await server.db.query<{ doc: Record<string, unknown> }>(
          "select doc from offers where doc->>'organisationId' = $1 and doc->>'status' = 'brouillon' and not deleted limit 1",
          [ORG2],
        )
      ).rows[0]!.doc;
      const edit = await api<unknown[]>(`${base()}/push`, {
        token: tokens.recruteur2!,
        body: [
          {
            assumedMasterState: { ...own, _deleted: false },
            newDocumentState: { ...own, title: 'Titre changé H/F', _deleted: false },
          },
        ],
      });
      expect(edit.body).toEqual([]);
      // Then recruteur1 writes a sentinel: once it arrives, anything sent before it has arrived too.
      // (A new sentinel every second: on PostgreSQL one notification may find nothing to send while
      // another transaction is open, see replication.test.ts.)
      const sentinels: string[] = [];
      let last = 0;
      await waitFor(
        async () => {
          if (Date.now() - last > 1000) {
            last = Date.now();
            const sentinel = draft(ORG1, { companyName: 'Boulangeries Martin' });
            sentinels.push(sentinel.id);
            await api(`${base()}/push`, {
              token: tokens.recruteur1!,
              body: [{ assumedMasterState: null, newDocumentState: sentinel }],
            });
          }
          return events.some(
            (e) =>
              typeof e === 'object' &&
              (e as PullResponse<Row>).documents.some((d) => sentinels.includes(d.id)),
          );
        },
        { message: 'sentinelle reçue' },
      );
      const ids = events.flatMap((e) =>
        typeof e === 'object' ? (e as PullResponse<Row>).documents.map((d) => d.id) : [],
      );
      expect(ids.some((id) => sentinels.includes(id))).toBe(true);
      expect(ids).not.toContain(created.id);
      expect(ids).not.toContain(own.id);
      const org2 = await idsWhere('$1 = any(keys)', [`org:${ORG2}`]);
      for (const id of ids) expect(org2.has(id), id).toBe(false);
    } finally {
      abort.abort();
      await done.catch(() => undefined);
    }
  });

  it('une création pour l’organisation 2 est refusée : pierre tombale, avis, aucune écriture', async () => {
    const forged = draft(ORG2);
    const res = await api<Row[]>(`${base()}/push`, {
      token: tokens.recruteur1!,
      body: [{ assumedMasterState: null, newDocumentState: forged }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expectNeutralTombstone(res.body[0], forged.id);
    expect(await row(forged.id)).toBeUndefined();
    const notices = await noticesFor(R1_ID, forged.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: 'refus',
      documentCollection: 'offers',
      title: 'Organisation non autorisée',
    });
    expect((notices[0]!.fields as { field: string }[]).map((f) => f.field)).toEqual(['organisationId']);
  });

  it('une modification d’une offre de l’organisation 2 (maître supposé forgé) est refusée', async () => {
    const target = (
      await server.db.query<{ id: string }>(
        "select id from offers where doc->>'organisationId' = $1 and doc->>'status' = 'brouillon' and not deleted limit 1",
        [ORG2],
      )
    ).rows[0]!.id;
    const before = await row(target);
    // Even the exact master, copied from the database, does not give access.
    const assumed = { ...before!.doc, _deleted: false };
    for (const newDoc of [
      { ...assumed, title: 'Offre détournée H/F' },
      { ...assumed, organisationId: ORG1 },
      { ...assumed, _deleted: true },
    ]) {
      const res = await api<Row[]>(`${base()}/push`, {
        token: tokens.recruteur1!,
        body: [{ assumedMasterState: assumed, newDocumentState: newDoc }],
      });
      expect(res.status).toBe(200);
      expectNeutralTombstone(res.body[0], target);
    }
    expect(await row(target)).toEqual(before);
    expect((await noticesFor(R1_ID, target)).length).toBeGreaterThanOrEqual(1);
    for (const n of await noticesFor(R1_ID, target))
      expect(JSON.stringify(n)).not.toContain(String(before!.doc.contactPhone));
  });

  it('le modérateur ne voit que les offres en attente, et perd celle qu’il publie au tirage suivant', async () => {
    const pending = await idsWhere("not deleted and doc->>'status' = 'en_attente'");
    expect(pending.size).toBeGreaterThan(0);
    const { docs, checkpoint } = await pullAll(tokens.moderateur!);
    expect(new Set([...docs.values()].filter((d) => !d._deleted).map((d) => d.id))).toEqual(pending);
    for (const d of docs.values()) if (!d._deleted) expect(d.status).toBe('en_attente');

    const chosen = [...pending][0]!;
    const decision = await api<{ offer: Record<string, unknown> }>(
      `${server.url}/api/moderation/offers/${chosen}/decision`,
      {
        token: tokens.moderateur!,
        body: { decision: 'publier' },
      },
    );
    expect(decision.status).toBe(200);
    expect(decision.body.offer.status).toBe('publiee');

    const next = await pullAll(tokens.moderateur!, checkpoint);
    expectNeutralTombstone(next.docs.get(chosen), chosen);
    expect(next.docs.size).toBe(1);
    // The prescriber now gets it, published; recruteur1's replica gets the new status.
    const advisor = await pullAll(tokens.conseiller!);
    expect(advisor.docs.get(chosen)).toMatchObject({ status: 'publiee', _deleted: false });
  });

  it('un recruteur ne peut pas publier par la modération', async () => {
    const pending = [...(await idsWhere("not deleted and doc->>'status' = 'en_attente'"))][0]!;
    const before = await row(pending);
    const res = await api<{ error: { code: string; message: string } }>(
      `${server.url}/api/moderation/offers/${pending}/decision`,
      {
        token: tokens.recruteur1!,
        body: { decision: 'publier' },
      },
    );
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(await row(pending)).toEqual(before);
  });

  it('une offre transférée hors de la portée d’un utilisateur lui parvient en pierre tombale, sans données', async () => {
    const r1 = await pullAll(tokens.recruteur1!);
    const r2 = await pullAll(tokens.recruteur2!);
    const moved = (
      await server.db.query<{ doc: Doc }>(
        "select doc from offers where doc->>'organisationId' = $1 and doc->>'status' = 'brouillon' and not deleted limit 1",
        [ORG1],
      )
    ).rows[0]!.doc;
    expect(moved.contactPhone).toBeTruthy();
    await server.db.transaction((tx) =>
      server.app.engine.write(tx, offersCollection, { ...moved, organisationId: ORG2 }, false),
    );

    const r1next = await pullAll(tokens.recruteur1!, r1.checkpoint);
    expect([...r1next.docs.keys()]).toEqual([moved.id]);
    expectNeutralTombstone(r1next.docs.get(moved.id), moved.id);
    expect(JSON.stringify(r1next.docs.get(moved.id))).not.toContain(String(moved.title));

    const r2next = await pullAll(tokens.recruteur2!, r2.checkpoint);
    expect(r2next.docs.get(moved.id)).toEqual({ ...moved, organisationId: ORG2, _deleted: false });

    // From scratch, recruteur1 no longer sees it at all (or only as a tombstone).
    const fresh = await pullAll(tokens.recruteur1!);
    const seen = fresh.docs.get(moved.id);
    if (seen) expectNeutralTombstone(seen, moved.id);
  });

  it('recordScopeExit : un membre retiré reçoit une pierre tombale pour chaque offre qu’il ne voit plus', async () => {
    // recruteur1 joins the agency, pulls its offers, then is removed from it.
    await server.db.query(
      "insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')",
      [R1_ID, AGENCY],
    );
    const agencyIds = await idsWhere('not deleted and $1 = any(keys)', [`org:${AGENCY}`]);
    expect(agencyIds.size).toBeGreaterThan(3);
    const joined = await pullAll(tokens.recruteur1!);
    for (const id of agencyIds) expect(joined.docs.get(id)?._deleted, id).toBe(false);

    await server.db.transaction(async (tx) => {
      await tx.query('delete from memberships where account_id = $1 and organisation_id = $2', [
        R1_ID,
        AGENCY,
      ]);
      await server.app.engine.recordScopeExit(tx, offersCollection, R1_ID, [...agencyIds]);
    });
    const after = await pullAll(tokens.recruteur1!, joined.checkpoint);
    expect(new Set(after.docs.keys())).toEqual(agencyIds);
    for (const id of agencyIds) expectNeutralTombstone(after.docs.get(id), id);
    // recruteur2 is not concerned.
    const r2 = await pullAll(tokens.recruteur2!);
    for (const id of agencyIds) expect(r2.docs.has(id)).toBe(false);
  });

  it('recordScopeExit pour un document encore visible ne produit pas de fausse pierre tombale', async () => {
    const start = await pullAll(tokens.recruteur1!);
    const stillVisible = [...(await idsWhere('not deleted and $1 = any(keys)', [`org:${ORG1}`]))][0]!;
    await server.db.transaction((tx) =>
      server.app.engine.recordScopeExit(tx, offersCollection, R1_ID, [stillVisible]),
    );
    const next = await pullAll(tokens.recruteur1!, start.checkpoint);
    expect(next.docs.has(stillVisible)).toBe(false);
  });

  it('un prescripteur ne reçoit que les offres publiées, jamais les brouillons', async () => {
    const published = await idsWhere("not deleted and doc->>'status' = 'publiee'");
    const { docs } = await pullAll(tokens.conseiller!);
    const live = [...docs.values()].filter((d) => !d._deleted);
    expect(new Set(live.map((d) => d.id))).toEqual(published);
    for (const d of live) expect(d.status).toBe('publiee');
    const drafts = await idsWhere("doc->>'status' in ('brouillon', 'en_attente', 'refusee', 'supprimee')");
    for (const id of docs.keys()) expect(drafts.has(id), id).toBe(false);
    // And cannot write offers.
    const forged = draft(ORG1);
    const res = await api<Row[]>(`${base()}/push`, {
      token: tokens.conseiller!,
      body: [{ assumedMasterState: null, newDocumentState: forged }],
    });
    expectNeutralTombstone(res.body[0], forged.id);
    expect(await row(forged.id)).toBeUndefined();
  });

  it('sans session : 401 sur toutes les routes de synchronisation', async () => {
    const routes: { url: string; body?: unknown }[] = [
      { url: `${server.url}/api/sync` },
      { url: `${base()}/pull` },
      { url: `${base()}/push`, body: [{ assumedMasterState: null, newDocumentState: draft(ORG1) }] },
      { url: `${base()}/stream` },
      { url: `${server.url}/api/sync/notices/v0/pull` },
    ];
    for (const token of [undefined, 'jeton-invalide-mais-bien-forme-0123456789']) {
      for (const r of routes) {
        const res = await api<{ error: { code: string; message: string } }>(r.url, {
          token,
          ...(r.body ? { body: r.body } : {}),
        });
        expect(res.status, r.url).toBe(401);
        expect(res.body.error.code).toBe('unauthenticated');
        expect(res.body.error.message).toMatch(/connecter/);
      }
    }
    const count = await server.db.query<{ n: string }>('select count(*)::text as n from offers');
    expect(Number(count.rows[0]!.n)).toBeGreaterThan(0);
  });

  it('un candidat n’obtient aucune offre ni aucun avis d’autrui, et ne peut rien écrire', async () => {
    const pull = await api<PullResponse<Row>>(`${base()}/pull?batchSize=1000`, { token: tokens.candidat! });
    expect([200, 401, 403]).toContain(pull.status);
    if (pull.status === 200) expect(pull.body.documents).toEqual([]);
    const notices = await api<PullResponse<Row>>(`${server.url}/api/sync/notices/v0/pull?batchSize=1000`, {
      token: tokens.candidat!,
    });
    if (notices.status === 200)
      for (const n of notices.body.documents) expect(n.userId).toBe('0a0c0000-0000-4000-8000-000000000006');
    const forged = draft(ORG1);
    const push = await api<Row[]>(`${base()}/push`, {
      token: tokens.candidat!,
      body: [{ assumedMasterState: null, newDocumentState: forged }],
    });
    expect([200, 401, 403]).toContain(push.status);
    if (push.status === 200) expectNeutralTombstone(push.body[0], forged.id);
    expect(await row(forged.id)).toBeUndefined();
  });

  it('les avis d’un utilisateur ne sont tirés que par lui', async () => {
    const r1 = await pullAll(tokens.recruteur1!, null, 'notices');
    const r2 = await pullAll(tokens.recruteur2!, null, 'notices');
    expect(r1.docs.size).toBeGreaterThan(0);
    for (const n of r1.docs.values()) expect(n.userId).toBe(R1_ID);
    for (const id of r1.docs.keys()) expect(r2.docs.has(id)).toBe(false);
  });
});
