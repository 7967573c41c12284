import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeDoc, OfferDoc } from '../../shared/schemas';
import { api, onPostgres, settle, startTestServer, type TestServer } from './harness';
import { createRxClient, type RxClient, rawDocs, readSse, waitFor as waitForStreamOnly } from './rx-client';

/**
 * Conformance with RxDB's own replication client (DESIGN §5): two workstations of recruteur1,
 * each an RxDB memory database replicating `offers` and `notices` over pull, push and the SSE
 * stream, converge with the server through creates, edits, soft deletes, refusals and offline
 * conflicts.
 */

const ORG1 = '0b0e0000-0000-4000-8000-000000000001';
const R1_ID = '0a0c0000-0000-4000-8000-000000000001';
const LOCAL_ONLY = ['_meta', '_rev', '_attachments', '_deleted'];

let server: TestServer;
let token: string;
const clients: RxClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  token = await server.login('recruteur1@demo.test');
});

afterEach(async () => {
  while (clients.length > 0) await clients.pop()!.close();
});

afterAll(async () => {
  await server?.stop();
});

async function client(
  name: string,
  options: { sameFieldPolicy?: 'master' | 'mine' } = {},
): Promise<RxClient> {
  const c = await createRxClient({ url: server.url, token, name, ...options });
  clients.push(c);
  await c.awaitInSync();
  return c;
}

function newOffer(overrides: Partial<OfferDoc> = {}): OfferDoc {
  return {
    id: randomUUID(),
    organisationId: ORG1,
    title: 'Boulanger de nuit H/F',
    jobTitle: 'Boulanger / Boulangère',
    city: 'Carcassonne',
    companyName: 'Boulangeries Martin',
    contactPhone: '04 68 11 22 33',
    seasonal: false,
    contractTypes: ['CDI'],
    description: 'Préparation des pains et viennoiseries, travail de nuit en équipe de trois personnes.',
    status: 'brouillon',
    createdAt: '2001-01-01T00:00:00.000Z',
    updatedAt: '2001-01-01T00:00:00.000Z',
    ...overrides,
  };
}

async function serverRow(
  id: string,
): Promise<{ doc: Record<string, unknown>; deleted: boolean; seq: string } | undefined> {
  const { rows } = await server.db.query<{ doc: Record<string, unknown>; deleted: boolean; seq: string }>(
    'select doc, deleted, seq::text as seq from offers where id = $1',
    [id],
  );
  return rows[0];
}

async function localDoc(c: RxClient, id: string): Promise<Record<string, unknown> | null> {
  const d = await c.offers.findOne(id).exec();
  return d ? strip(d.toJSON(true) as Record<string, unknown>) : null;
}

function strip(doc: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(doc).filter(([k, v]) => !LOCAL_ONLY.includes(k) && v !== undefined),
  );
}

/** Every visible, non-deleted offer of org 1 on the server, by id. */
async function serverOrg1(): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await server.db.query<{ id: string; doc: Record<string, unknown> }>(
    'select id, doc from offers where not deleted and $1 = any(keys)',
    [`org:${ORG1}`],
  );
  return new Map(rows.map((r) => [r.id, r.doc]));
}

async function replicaState(c: RxClient): Promise<Map<string, Record<string, unknown>>> {
  const docs = await c.offers.find().exec();
  return new Map(docs.map((d) => [d.primary, strip(d.toJSON(true) as Record<string, unknown>)]));
}

/**
 * Polls `check`, asking every open client to pull once a second: the live stream alone may stall
 * on PostgreSQL (see the stream tests below), and these tests are about convergence.
 */
function waitFor<T>(check: () => Promise<T>, options: { message?: string } = {}) {
  let last = Date.now();
  return waitForStreamOnly(async () => {
    if (Date.now() - last > 1000) {
      last = Date.now();
      for (const c of clients) c.reSync();
    }
    return check();
  }, options);
}

async function expectConverged(...cs: RxClient[]) {
  for (const c of cs) await c.awaitInSync();
  // On a shared PostgreSQL server a transaction of another suite may hold a change back for a
  // moment (see settle in harness.ts): wait for every replica to reach the master, then compare.
  await settle(server.db);
  const converged = async () => {
    const master = await serverOrg1();
    for (const c of cs) {
      try {
        expect(await replicaState(c)).toEqual(master);
      } catch {
        return false;
      }
    }
    return true;
  };
  await waitFor(converged, { message: 'répliques égales au maître' }).catch(() => undefined);
  const master = await serverOrg1();
  for (const c of cs) expect(await replicaState(c)).toEqual(master);
}

describe('réplication RxDB ↔ serveur', () => {
  it('deux postes convergent : création, modification, suppression logique, champs serveur', async () => {
    const a = await client('poste-a');
    const b = await client('poste-b');
    await expectConverged(a, b);
    expect((await replicaState(a)).size).toBeGreaterThanOrEqual(10);

    // Create on A: server-assigned fields come back to the author's replica.
    const offer = newOffer();
    await a.offers.insert(offer);
    const created = await waitFor(
      async () => {
        const d = await localDoc(a, offer.id);
        return d?.number ? d : null;
      },
      { message: 'numéro attribué sur le poste A' },
    );
    expect(created.number).toMatch(/^\d{6}[A-Z]$/);
    expect(created.authorId).toBe(R1_ID);
    expect(created.createdAt).not.toBe(offer.createdAt);
    expect(created.updatedAt).not.toBe(offer.updatedAt);
    const row = await serverRow(offer.id);
    expect(row?.deleted).toBe(false);
    expect(row?.doc).toEqual(created);

    await waitFor(async () => (await localDoc(b, offer.id))?.number === created.number, {
      message: 'offre reçue par B',
    });

    // Edit on B reaches the server and A.
    const docB = await b.offers.findOne(offer.id).exec();
    await docB!.incrementalPatch({
      title: 'Boulanger / Boulangère de nuit H/F',
      salaryMin: 1900,
      salaryMax: 2100,
      salaryPeriod: 'mensuel',
    });
    await waitFor(async () => (await localDoc(a, offer.id))?.title === 'Boulanger / Boulangère de nuit H/F', {
      message: 'modification reçue par A',
    });
    expect((await serverRow(offer.id))?.doc.salaryPeriod).toBe('mensuel');

    // Soft delete on A: status supprimee keeping the previous status.
    const docA = await a.offers.findOne(offer.id).exec();
    await docA!.incrementalPatch({ status: 'supprimee' });
    await waitFor(async () => (await localDoc(b, offer.id))?.status === 'supprimee', {
      message: 'suppression reçue par B',
    });
    const deletedRow = await serverRow(offer.id);
    expect(deletedRow?.deleted).toBe(false);
    expect(deletedRow?.doc).toMatchObject({
      status: 'supprimee',
      previousStatus: 'brouillon',
      number: created.number,
    });

    await expectConverged(a, b);
    expect(a.errors.filter((e) => !String(e).includes('hors ligne'))).toEqual([]);
  });

  it('le flux SSE seul apporte les changements d’un autre poste (sans tirage)', async () => {
    const a = await client('poste-a');
    const b = await client('poste-b');
    const bPulls = b.requests.pull;
    const offer = newOffer({ title: 'Reçue par le flux H/F' });
    await a.offers.insert(offer);
    // Further writes from A, once a second, nudge the stream in case one notification found
    // nothing to send (the PostgreSQL stall shown in the next test).
    let last = Date.now();
    const received = await waitForStreamOnly(
      async () => {
        if (Date.now() - last > 1000) {
          last = Date.now();
          await a.offers.insert(newOffer({ title: 'Relance du flux H/F' }));
        }
        const d = await localDoc(b, offer.id);
        return d?.number ? d : null;
      },
      { message: 'offre reçue par B via le flux' },
    );
    expect(b.requests.pull).toBe(bPulls);
    expect(received).toEqual((await serverRow(offer.id))!.doc);
  });

  it.runIf(onPostgres)(
    'PostgreSQL : le flux livre un changement validé pendant qu’une transaction plus ancienne était ouverte (bogue)',
    async () => {
      const events: unknown[] = [];
      const abort = new AbortController();
      const done = readSse({
        url: `${server.url}/api/sync/offers/v1/stream`,
        token,
        signal: abort.signal,
        onEvent: (e) => events.push(e),
      });
      try {
        await waitForStreamOnly(() => events.length > 0, { message: 'RESYNC initial' });
        // An older transaction (any writer, a report, pg_dump…) holds back pg_snapshot_xmin.
        let release!: () => void;
        const held = new Promise<void>((r) => {
          release = r;
        });
        const blocker = server.db.transaction(async (tx) => {
          await tx.query('select pg_current_xact_id()');
          await held;
        });
        await new Promise((r) => setTimeout(r, 100));
        const offer = {
          ...newOffer({ title: 'Validée derrière une transaction ouverte H/F' }),
          _deleted: false,
        };
        const res = await api(`${server.url}/api/sync/offers/v1/push`, {
          token,
          body: [{ assumedMasterState: null, newDocumentState: offer }],
        });
        expect(res.body).toEqual([]);
        await new Promise((r) => setTimeout(r, 300));
        release();
        await blocker;
        // No other write follows: the stream must still deliver the change by itself.
        const seen = () =>
          events.some(
            (e) =>
              typeof e === 'object' &&
              (e as { documents: { id: string }[] }).documents.some((d) => d.id === offer.id),
          );
        await new Promise((r) => setTimeout(r, 3000));
        expect(
          seen(),
          'sync-server/src/sync/routes.ts openStream/drain : une page vide (xmin retenu) n’est jamais retentée',
        ).toBe(true);
      } finally {
        abort.abort();
        await done.catch(() => undefined);
      }
    },
  );

  it('un effacement définitif (remove) est refusé : l’offre revient avec un avis', async () => {
    const a = await client('poste-a');
    const offer = newOffer({ title: 'Offre à ne pas effacer H/F' });
    await a.offers.insert(offer);
    await waitFor(async () => (await localDoc(a, offer.id))?.number, { message: 'offre créée' });
    const before = await serverRow(offer.id);

    const doc = await a.offers.findOne(offer.id).exec();
    await doc!.remove();
    const back = await waitFor(async () => localDoc(a, offer.id), { message: 'offre revenue sur le poste' });
    expect(back).toEqual(before!.doc);
    const after = await serverRow(offer.id);
    expect(after?.deleted).toBe(false);
    expect(after?.seq).toBe(before!.seq);

    const notice = await waitFor(
      async () => {
        const n = await rawDocs<NoticeDoc>(a.notices as never, { documentId: offer.id });
        return n.length > 0 ? n : null;
      },
      { message: 'avis de refus' },
    );
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatchObject({
      kind: 'refus',
      documentCollection: 'offers',
      title: 'Suppression refusée',
      userId: R1_ID,
    });
    await expectConverged(a);
  });

  it('modifications hors ligne de champs différents : les deux sont fusionnées', async () => {
    const a = await client('poste-a');
    const b = await client('poste-b');
    const offer = newOffer({ title: 'Vendeur / Vendeuse H/F' });
    await a.offers.insert(offer);
    await waitFor(async () => (await localDoc(b, offer.id))?.number, { message: 'offre reçue par B' });

    a.setOnline(false);
    b.setOnline(false);
    await (await a.offers.findOne(offer.id).exec())!.incrementalPatch({
      title: 'Vendeur / Vendeuse en boulangerie H/F',
    });
    await (await b.offers.findOne(offer.id).exec())!.incrementalPatch({
      city: 'Limoux',
      postalCode: '11300',
    });
    await new Promise((r) => setTimeout(r, 400)); // pushes fail while offline
    expect((await serverRow(offer.id))?.doc.title).toBe('Vendeur / Vendeuse H/F');

    a.setOnline(true);
    await a.awaitInSync();
    await waitFor(
      async () => (await serverRow(offer.id))?.doc.title === 'Vendeur / Vendeuse en boulangerie H/F',
    );
    b.setOnline(true);
    await b.awaitInSync();
    const merged = await waitFor(
      async () => {
        const d = (await serverRow(offer.id))?.doc;
        return d?.city === 'Limoux' ? d : null;
      },
      { message: 'fusion sur le serveur' },
    );
    expect(merged).toMatchObject({
      title: 'Vendeur / Vendeuse en boulangerie H/F',
      city: 'Limoux',
      postalCode: '11300',
    });
    await waitFor(async () => (await localDoc(a, offer.id))?.city === 'Limoux', {
      message: 'fusion reçue par A',
    });
    expect(b.lostEdits).toEqual([]);
    expect(a.lostEdits).toEqual([]);
    await expectConverged(a, b);
  });

  it('même champ modifié hors ligne des deux côtés : le maître l’emporte, l’édition perdue est signalée', async () => {
    const a = await client('poste-a');
    const b = await client('poste-b');
    const offer = newOffer({ title: 'Pâtissier H/F' });
    await a.offers.insert(offer);
    await waitFor(async () => (await localDoc(b, offer.id))?.number, { message: 'offre reçue par B' });

    a.setOnline(false);
    b.setOnline(false);
    await (await a.offers.findOne(offer.id).exec())!.incrementalPatch({ title: 'Pâtissier (A) H/F' });
    await (await b.offers.findOne(offer.id).exec())!.incrementalPatch({
      title: 'Pâtissier (B) H/F',
      seasonal: true,
    });
    a.setOnline(true);
    await a.awaitInSync();
    await waitFor(async () => (await serverRow(offer.id))?.doc.title === 'Pâtissier (A) H/F');
    b.setOnline(true);
    await b.awaitInSync();
    // B's other field is merged; its title loses against the master's and is recorded.
    await waitFor(async () => (await serverRow(offer.id))?.doc.seasonal === true, {
      message: 'champ seasonal fusionné',
    });
    expect((await serverRow(offer.id))?.doc.title).toBe('Pâtissier (A) H/F');
    expect(b.lostEdits).toEqual([
      {
        collection: 'offers',
        id: offer.id,
        field: 'title',
        mine: 'Pâtissier (B) H/F',
        master: 'Pâtissier (A) H/F',
      },
    ]);
    await expectConverged(a, b);
    expect((await localDoc(b, offer.id))?.title).toBe('Pâtissier (A) H/F');
  });

  it('même champ, politique « mine » (celle du poste de travail) : la dernière édition envoyée l’emporte', async () => {
    const a = await client('poste-a');
    const b = await client('poste-b', { sameFieldPolicy: 'mine' });
    const offer = newOffer({ title: 'Livreur H/F' });
    await a.offers.insert(offer);
    await waitFor(async () => (await localDoc(b, offer.id))?.number, { message: 'offre reçue par B' });
    a.setOnline(false);
    b.setOnline(false);
    await (await a.offers.findOne(offer.id).exec())!.incrementalPatch({ title: 'Livreur (A) H/F' });
    await (await b.offers.findOne(offer.id).exec())!.incrementalPatch({ title: 'Livreur (B) H/F' });
    a.setOnline(true);
    await a.awaitInSync();
    await waitFor(async () => (await serverRow(offer.id))?.doc.title === 'Livreur (A) H/F');
    b.setOnline(true);
    await b.awaitInSync();
    await waitFor(async () => (await serverRow(offer.id))?.doc.title === 'Livreur (B) H/F', {
      message: 'titre de B',
    });
    expect(b.lostEdits).toEqual([]);
    await expectConverged(a, b);
  });

  it('une soumission incomplète est refusée : le poste reprend l’état maître et reçoit un avis nommant les champs', async () => {
    const a = await client('poste-a');
    const offer = newOffer({ title: 'Commis de cuisine H/F' });
    await a.offers.insert(offer);
    const master = await waitFor(async () => {
      const d = await localDoc(a, offer.id);
      return d?.number ? d : null;
    });

    const doc = await a.offers.findOne(offer.id).exec();
    await doc!.incrementalPatch({ status: 'en_attente', jobTitle: '', description: 'Trop court.' });
    const notices = await waitFor(
      async () => {
        const n = await rawDocs<NoticeDoc>(a.notices as never, { documentId: offer.id });
        return n.length > 0 ? n : null;
      },
      { message: 'avis de refus' },
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.title).toBe('Offre incomplète');
    expect(notices[0]!.fields?.map((f) => f.field).sort()).toEqual(['description', 'jobTitle']);
    for (const f of notices[0]!.fields ?? []) expect(f.message).toMatch(/\S/);
    await waitFor(async () => (await localDoc(a, offer.id))?.status === 'brouillon', {
      message: 'retour à l’état maître',
    });
    expect(await localDoc(a, offer.id)).toEqual(master);
    expect((await serverRow(offer.id))?.doc).toEqual(master);

    // A new offer submitted incomplete: the master is a tombstone, the replica drops it.
    const bad = newOffer({ status: 'en_attente', city: '', companyName: '' });
    await a.offers.insert(bad);
    const n2 = await waitFor(async () => {
      const n = await rawDocs<NoticeDoc>(a.notices as never, { documentId: bad.id });
      return n.length > 0 ? n[0]! : null;
    });
    expect(n2.fields?.map((f) => f.field).sort()).toEqual(['city', 'companyName']);
    await waitFor(async () => (await a.offers.findOne(bad.id).exec()) === null, {
      message: 'offre refusée retirée',
    });
    expect(await serverRow(bad.id)).toBeUndefined();
    await expectConverged(a);
  });

  it('les avis se lisent par l’API de documents de RxDB (champ « collection » réservé : bogue)', async () => {
    const a = await client('poste-a');
    const offer = newOffer({ title: 'Offre à effacer H/F' });
    await a.offers.insert(offer);
    await waitFor(async () => (await localDoc(a, offer.id))?.number, { message: 'offre créée' });
    await (await a.offers.findOne(offer.id).exec())!.remove();
    await waitFor(async () => (await rawDocs(a.notices as never, { documentId: offer.id })).length === 1, {
      message: 'avis répliqué',
    });
    // A top-level field named like an RxDocument property (`collection`) would make building
    // an RxDocument for a notice throw (RxDB dev-mode rejects such schemas with SC17).
    let error: unknown = null;
    let titles: string[] = [];
    try {
      titles = (await a.notices.find({ selector: { documentId: offer.id } }).exec()).map((d) => d.title);
    } catch (e) {
      error = e;
    }
    expect(
      String(error ?? 'aucune erreur'),
      'un champ du schéma des avis porte le nom d’une propriété réservée de RxDocument',
    ).toBe('aucune erreur');
    expect(titles).toEqual(['Suppression refusée']);
  });

  it('un envoi répété des mêmes lignes est sans effet (ni doublon d’avis, ni modification)', async () => {
    const url = `${server.url}/api/sync/offers/v1/push`;
    const count = async (id: string) =>
      Number(
        (
          await server.db.query<{ n: string }>(
            "select count(*)::text as n from notices where doc->>'documentId' = $1",
            [id],
          )
        ).rows[0]!.n,
      );

    // A create, sent twice: written once, the second answer is the master, nothing else changes.
    const offer = { ...newOffer(), _deleted: false };
    const first = await api<unknown[]>(url, {
      token,
      body: [{ assumedMasterState: null, newDocumentState: offer }],
    });
    expect(first.status).toBe(200);
    expect(first.body).toEqual([]);
    const written = await serverRow(offer.id);
    const second = await api<Record<string, unknown>[]>(url, {
      token,
      body: [{ assumedMasterState: null, newDocumentState: offer }],
    });
    expect(second.status).toBe(200);
    expect(second.body).toEqual([{ ...written!.doc, _deleted: false }]);
    expect(await serverRow(offer.id)).toEqual(written);
    const maxNumber = async () =>
      (
        await server.db.query<{ n: string }>(
          "select count(*)::text as n from offers where doc->>'title' = $1",
          [offer.title],
        )
      ).rows[0]!.n;
    const titled = await maxNumber();

    // A refused row (incomplete submission), sent three times: one notice, no write.
    const master = { ...written!.doc, _deleted: false };
    const refused = { ...master, status: 'en_attente', description: 'court' };
    for (let i = 0; i < 3; i++) {
      const res = await api<Record<string, unknown>[]>(url, {
        token,
        body: [{ assumedMasterState: master, newDocumentState: refused }],
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual([master]);
    }
    expect(await count(offer.id)).toBe(1);
    expect(await serverRow(offer.id)).toEqual(written);
    expect(await maxNumber()).toBe(titled);

    // An accepted edit, sent twice: the second is a conflict answered with the (edited) master.
    const edited = { ...master, title: 'Titre modifié une seule fois H/F' };
    const e1 = await api<unknown[]>(url, {
      token,
      body: [{ assumedMasterState: master, newDocumentState: edited }],
    });
    expect(e1.body).toEqual([]);
    const afterEdit = await serverRow(offer.id);
    const e2 = await api<Record<string, unknown>[]>(url, {
      token,
      body: [{ assumedMasterState: master, newDocumentState: edited }],
    });
    expect(e2.body).toEqual([{ ...afterEdit!.doc, _deleted: false }]);
    expect(await serverRow(offer.id)).toEqual(afterEdit);
    expect(await count(offer.id)).toBe(1);
  });
});
