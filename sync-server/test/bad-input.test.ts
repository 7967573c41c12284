import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOfferContent } from '../../shared/domain/offer';
import { sequenceFromOfferNumber } from '../../shared/domain/offer-number';
import { noticeSchema, offerSchema } from '../../shared/schemas';
import { MAX_BODY_BYTES } from '../../shared/sync/protocol';
import { compileSchema, validationErrors } from '../src/sync/validation';
import { api, startTestServer, type TestServer } from './harness';
import { offerDraft } from './offer-draft';

/**
 * Broken or hostile input (DESIGN §5): a request that is not a well-formed batch gets a 4xx with
 * a French `{ error: { code, message, fields? } }`; a well-formed row that fails validation or
 * rights is answered with the master state (or a tombstone) plus a notice. Never a 500, never a
 * partial write.
 */

const ORG1 = '0b0e0000-0000-4000-8000-000000000001';
const ORG2 = '0b0e0000-0000-4000-8000-000000000002';
const R1_ID = '0a0c0000-0000-4000-8000-000000000001';
const R2_ID = '0a0c0000-0000-4000-8000-000000000002';

type ErrorBody = { error: { code: string; message: string; fields?: { field: string; message: string }[] } };
type Row = Record<string, unknown> & { id: string; _deleted: boolean };

let server: TestServer;
let token: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.login('recruteur1@demo.test');
});

afterAll(async () => {
  await server?.stop();
});

const versionOf = (collection: string) => server.app.engine.collection(collection)?.version ?? 0;
const push = (body: unknown, collection = 'offers', version = versionOf(collection)) =>
  api<unknown>(`${server.url}/api/sync/${collection}/v${version}/push`, { token, body });
const pushRaw = (rawBody: string) =>
  api<unknown>(`${server.url}/api/sync/offers/v${versionOf('offers')}/push`, { token, rawBody });
const get = (path: string) => api<unknown>(`${server.url}${path}`, { token });

const FRENCH =
  /[éèêàùçœ’«»]|\b(le|la|les|un|une|de|du|des|est|et|entre|doit|pas|votre|vous|attendu|invalide)\b/i;

function expectError(res: { status: number; body: unknown }, status: number, code: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  const body = res.body as ErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(FRENCH);
  for (const f of body.error.fields ?? []) {
    expect(typeof f.field).toBe('string');
    expect(f.message).toMatch(FRENCH);
  }
  return body.error;
}

function draft(extra: Record<string, unknown> = {}): Row {
  return offerDraft(ORG1, extra) as Row;
}

/** The whole state that a refused request must leave untouched. */
async function snapshot() {
  const offers = await server.db.query<{ id: string; doc: unknown; deleted: boolean; seq: string }>(
    'select id, doc, deleted, seq::text as seq from offers order by id',
  );
  const notices = await server.db.query<{ n: string }>('select count(*)::text as n from notices');
  return { offers: offers.rows, notices: Number(notices.rows[0]!.n) };
}

async function row(id: string) {
  const { rows } = await server.db.query<{ doc: Record<string, unknown>; deleted: boolean; seq: string }>(
    'select doc, deleted, seq::text as seq from offers where id = $1',
    [id],
  );
  return rows[0];
}

async function noticesFor(documentId: string) {
  const { rows } = await server.db.query<{
    doc: { title: string; fields?: { field: string; message: string }[] };
  }>("select doc from notices where doc->>'userId' = $1 and doc->>'documentId' = $2", [R1_ID, documentId]);
  return rows.map((r) => r.doc);
}

function expectTombstone(doc: unknown, id: string) {
  expect(doc).toMatchObject({ id, _deleted: true, title: '', contactPhone: '', organisationId: '' });
}

async function anR1Draft(): Promise<Row> {
  const d = draft();
  const res = await push([{ assumedMasterState: null, newDocumentState: d }]);
  expect(res.body).toEqual([]);
  return { ...(await row(d.id))!.doc, _deleted: false } as Row;
}

describe('requêtes mal formées : 4xx en français, rien d’écrit', () => {
  it('corps qui n’est pas un lot bien formé', async () => {
    const before = await snapshot();
    expectError(await pushRaw('{pas du json'), 400, 'invalid-json');
    expectError(await pushRaw('[{"newDocumentState": {"id": "a"}'), 400, 'invalid-json');
    expectError(await pushRaw(''), 400, 'invalid-json');
    for (const body of [{}, 'texte', 42, null, true, { 0: { newDocumentState: draft() } }]) {
      expectError(await pushRaw(JSON.stringify(body)), 400, 'bad-request');
    }
    const good = draft();
    const badRows: unknown[] = [
      1,
      null,
      'ligne',
      [],
      {},
      { assumedMasterState: null },
      { newDocumentState: null },
      { newDocumentState: [] },
      { newDocumentState: 'doc' },
      { newDocumentState: {} },
      { newDocumentState: { id: 5 } },
      { newDocumentState: { id: '' } },
      { newDocumentState: { id: 'x'.repeat(37) } },
      { newDocumentState: { ...draft(), id: ['a'] } },
      { assumedMasterState: 'maître', newDocumentState: draft() },
      { assumedMasterState: [], newDocumentState: draft() },
      { assumedMasterState: 3, newDocumentState: draft() },
    ];
    for (const bad of badRows) {
      // The good row comes first: the whole request is refused, the good row is not written either.
      const err = expectError(
        await push([{ assumedMasterState: null, newDocumentState: good }, bad]),
        400,
        'validation',
      );
      expect(err.fields?.[0]?.field).toBe('[1].newDocumentState');
    }
    expect(await row(good.id)).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it('corps trop volumineux (> 4 Mio) et lot de plus de 500 lignes : 413', async () => {
    const before = await snapshot();
    const huge = draft({ description: 'x'.repeat(MAX_BODY_BYTES + 1024) });
    expectError(await push([{ assumedMasterState: null, newDocumentState: huge }]), 413, 'payload-too-large');
    const many = Array.from({ length: 501 }, () => ({ assumedMasterState: null, newDocumentState: draft() }));
    const err = expectError(await push(many), 413, 'payload-too-large');
    expect(err.message).toContain('500');
    expect(await snapshot()).toEqual(before);
  });

  it('collection inconnue : 404 sur pull, push et stream', async () => {
    for (const name of [
      'inconnue',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'accounts',
      'sessions',
    ]) {
      expectError(await get(`/api/sync/${name}/v0/pull`), 404, 'unknown-collection');
      expectError(await get(`/api/sync/${name}/v0/stream`), 404, 'unknown-collection');
      expectError(
        await api(`${server.url}/api/sync/${name}/v0/push`, { token, body: [{ newDocumentState: draft() }] }),
        404,
        'unknown-collection',
      );
    }
  });

  it('version de schéma : inconnue ou invalide → 400, plus ancienne que celle du serveur → 426', async () => {
    for (const v of ['2', '3', '-1', 'abc', '0.5', '1e3', '99999999999999999999999']) {
      const res = await get(`/api/sync/offers/v${v}/pull`);
      expect(res.status, `v${v}`).toBeGreaterThanOrEqual(400);
      expect(res.status, v).toBeLessThan(500);
      if (res.status !== 404) expectError(res, 400, 'bad-request');
    }
    expect((await get('/api/sync/offers/v1/pull?batchSize=1')).status).toBe(200);

    // Version 0 of offers is outdated since version 1 (lifecycle fields).
    const before = await snapshot();
    const err = expectError(await get('/api/sync/offers/v0/pull'), 426, 'outdated-client');
    expect(err.message).toMatch(/mettez-la à jour/);
    expectError(await get('/api/sync/offers/v0/stream'), 426, 'outdated-client');
    expectError(
      await push([{ assumedMasterState: null, newDocumentState: draft() }], 'offers', 0),
      426,
      'outdated-client',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('version vide ou non décimale (« v », « v0x0 ») : 400, pas la version 0 (bogue)', async () => {
    for (const v of ['', '0x0', ' 0']) {
      const res = await get(`/api/sync/offers/v${encodeURIComponent(v)}/pull?batchSize=1`);
      expect(
        res.status,
        `« v${v} » est lu comme v0 : Number('${v}') === 0 dans resolveCollection (sync-server/src/sync/routes.ts)`,
      ).toBe(400);
    }
  });

  it('point de reprise (checkpoint) invalide : 400', async () => {
    const bad = [
      '{',
      '"texte"',
      '[]',
      '42',
      '{}',
      '{"txid":"abc","seq":1}',
      '{"txid":1,"seq":1}',
      '{"txid":"1","seq":-1}',
      '{"txid":"1","seq":1.5}',
      '{"txid":"1","seq":"1"}',
      '{"txid":"123456789012345678901","seq":1}',
      JSON.stringify({ txid: '1', seq: 1, pad: 'x'.repeat(300) }),
    ];
    for (const cp of bad) {
      const err = expectError(
        await get(`/api/sync/offers/v1/pull?checkpoint=${encodeURIComponent(cp)}`),
        400,
        'bad-request',
      );
      expect(err.message).toMatch(/checkpoint/);
    }
    expectError(await get('/api/sync/offers/v1/pull?checkpoint=1&checkpoint=2'), 400, 'bad-request');
    // A valid but far-future checkpoint is simply empty.
    const future = await get(
      `/api/sync/offers/v1/pull?checkpoint=${encodeURIComponent('{"txid":"999999999999","seq":1}')}`,
    );
    expect(future.status).toBe(200);
    expect(future.body).toEqual({ documents: [], checkpoint: { txid: '999999999999', seq: 1 } });
  });

  it('point de reprise hors de la plage des identifiants de transaction : 400, jamais 500', async () => {
    // Once PGlite raised « out of range » (500) and PostgreSQL 15 saturated silently (200).
    for (const txid of ['99999999999999999999', '18446744073709551616', '9223372036854775808']) {
      const res = await get(
        `/api/sync/offers/v1/pull?checkpoint=${encodeURIComponent(JSON.stringify({ txid, seq: 0 }))}`,
      );
      expect(res.status, `txid ${txid} — shared/sync/protocol.ts isCheckpoint doit borner txid`).toBe(400);
    }
  });

  it('taille de lot (batchSize) invalide : 400 avec le champ', async () => {
    for (const b of ['0', '-1', '1001', 'abc', '1.5', '', '1e9', '1&batchSize=2']) {
      const err = expectError(await get(`/api/sync/offers/v1/pull?batchSize=${b}`), 400, 'validation');
      expect(err.fields?.map((f) => f.field)).toEqual(['batchSize']);
    }
    const one = await get('/api/sync/offers/v1/pull?batchSize=1');
    expect((one.body as { documents: unknown[] }).documents).toHaveLength(1);
  });
});

describe('lignes bien formées mais invalides : état maître + avis, jamais d’erreur', () => {
  const cases: [string, (d: Row) => Row, string][] = [
    ['titre numérique', (d) => ({ ...d, title: 42 }), 'title'],
    ['oui/non en texte', (d) => ({ ...d, seasonal: 'oui' }), 'seasonal'],
    ['liste attendue', (d) => ({ ...d, contractTypes: 'CDI' }), 'contractTypes'],
    ['champ inconnu', (d) => ({ ...d, champInconnu: 'x' }), 'champInconnu'],
    ['titre trop long', (d) => ({ ...d, title: 'T'.repeat(151) }), 'title'],
    ['description trop longue', (d) => ({ ...d, description: 'd'.repeat(20001) }), 'description'],
    ['statut inconnu', (d) => ({ ...d, status: 'validee' }), 'status'],
    ['type de contrat inconnu', (d) => ({ ...d, contractTypes: ['CDI', 'BENEVOLAT'] }), 'contractTypes.1'],
    [
      'période de salaire inconnue',
      (d) => ({ ...d, salaryMin: 10, salaryPeriod: 'semaine' }),
      'salaryPeriod',
    ],
    ['salaire négatif', (d) => ({ ...d, salaryMin: -5, salaryPeriod: 'horaire' }), 'salaryMin'],
    ['salaire démesuré', (d) => ({ ...d, salaryMax: 1e308, salaryPeriod: 'annuel' }), 'salaryMax'],
    [
      'champ obligatoire absent',
      (d) => {
        const { city: _c, ...rest } = d;
        return rest as Row;
      },
      'city',
    ],
    [
      'identifiant d’organisation trop long',
      (d) => ({ ...d, organisationId: 'o'.repeat(37) }),
      'organisationId',
    ],
  ];

  it.each(cases)('création : %s', async (_name, mutate, field) => {
    const before = await snapshot();
    const doc = mutate(draft());
    const res = await push([{ assumedMasterState: null, newDocumentState: doc }]);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expectTombstone((res.body as Row[])[0], doc.id);
    expect(await row(doc.id)).toBeUndefined();
    const notices = await noticesFor(doc.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.fields?.map((f) => f.field)).toContain(field);
    const after = await snapshot();
    expect(after.offers).toEqual(before.offers);
    expect(after.notices).toBe(before.notices + 1);
  });

  it('modification invalide d’une offre existante : le maître revient, inchangé', async () => {
    const master = await anR1Draft();
    const stored = await row(master.id);
    for (const [, mutate, field] of cases.slice(0, 6)) {
      const res = await push([{ assumedMasterState: master, newDocumentState: mutate({ ...master }) }]);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([master]);
      expect((await noticesFor(master.id)).some((n) => n.fields?.some((f) => f.field === field))).toBe(true);
    }
    expect(await row(master.id)).toEqual(stored);
  });

  it('champs serveur forgés à la création : ignorés et remplacés par les valeurs du serveur', async () => {
    const forged = draft({
      number: '1',
      authorId: R2_ID,
      createdAt: '2000-01-01T00:00:00.000Z',
      updatedAt: '2000-01-01T00:00:00.000Z',
      submittedAt: '2000-01-01T00:00:00.000Z',
      publishedAt: '2000-01-02T00:00:00.000Z',
      expiresAt: '2099-01-01T00:00:00.000Z',
      moderationReason: 'aucun',
      previousStatus: 'publiee',
    });
    const t0 = Date.now();
    const res = await push([{ assumedMasterState: null, newDocumentState: forged }]);
    expect(res.body).toEqual([]);
    const stored = (await row(forged.id))!.doc;
    expect(stored.number).toMatch(/^\d{6}[A-Z]$/);
    expect(sequenceFromOfferNumber(String(stored.number))).toBeGreaterThan(100040);
    expect(stored.authorId).toBe(R1_ID);
    expect(Date.parse(String(stored.createdAt))).toBeGreaterThanOrEqual(t0 - 5000);
    expect(stored.updatedAt).toBe(stored.createdAt);
    for (const k of ['submittedAt', 'publishedAt', 'expiresAt', 'moderationReason', 'previousStatus']) {
      expect(stored[k], k).toBeUndefined();
    }
    const {
      _deleted,
      number,
      authorId,
      createdAt,
      updatedAt,
      submittedAt,
      publishedAt,
      expiresAt,
      moderationReason,
      previousStatus,
      ...content
    } = forged;
    expect(stored).toMatchObject(content);
  });

  it('statut « publiée » (ou autre statut serveur) à la création : refusé, rien d’écrit', async () => {
    for (const status of ['publiee', 'refusee', 'expiree', 'pourvue', 'archivee', 'supprimee']) {
      const doc = draft({ status, publishedAt: new Date().toISOString() });
      const res = await push([{ assumedMasterState: null, newDocumentState: doc }]);
      expectTombstone((res.body as Row[])[0], doc.id);
      expect(await row(doc.id)).toBeUndefined();
      expect((await noticesFor(doc.id))[0]?.fields?.map((f) => f.field)).toEqual(['status']);
    }
  });

  it('champs serveur forgés sur une modification : les valeurs du maître sont gardées', async () => {
    const master = await anR1Draft();
    const res = await push([
      {
        assumedMasterState: master,
        newDocumentState: {
          ...master,
          title: 'Titre modifié H/F',
          number: '7',
          authorId: R2_ID,
          createdAt: '2000-01-01T00:00:00.000Z',
          publishedAt: '2000-01-01T00:00:00.000Z',
          expiresAt: '2099-01-01T00:00:00.000Z',
        },
      },
    ]);
    expect(res.body).toEqual([]);
    const stored = (await row(master.id))!.doc;
    expect(stored).toMatchObject({
      title: 'Titre modifié H/F',
      number: master.number,
      authorId: R1_ID,
      createdAt: master.createdAt,
    });
    expect(stored.publishedAt).toBeUndefined();
    expect(stored.expiresAt).toBeUndefined();
    expect(stored.updatedAt).not.toBe(master.updatedAt);

    // Publishing oneself is refused; the master stays as it was.
    const current = { ...stored, _deleted: false } as Row;
    const before = await row(master.id);
    const pub = await push([
      { assumedMasterState: current, newDocumentState: { ...current, status: 'publiee' } },
    ]);
    expect(pub.body).toEqual([current]);
    expect(await row(master.id)).toEqual(before);
  });

  it('un lot avec une bonne et une mauvaise ligne écrit la bonne en entier et refuse l’autre', async () => {
    const master = await anR1Draft();
    const good = draft({
      title: 'Bonne ligne H/F',
      salaryMin: 1800,
      salaryMax: 2000,
      salaryPeriod: 'mensuel',
    });
    const bad = draft({ title: 'Mauvaise ligne H/F', seasonal: 'peut-être' });
    const stale = { ...master, title: 'Ancien titre' };
    const res = await push([
      { assumedMasterState: null, newDocumentState: good },
      { assumedMasterState: null, newDocumentState: bad },
      { assumedMasterState: stale, newDocumentState: { ...master, title: 'Écrasement' } },
      { assumedMasterState: master, newDocumentState: { ...master, city: 'Limoux' } },
    ]);
    expect(res.status).toBe(200);
    const answer = res.body as Row[];
    expect(answer).toHaveLength(2);
    expectTombstone(answer[0], bad.id);
    expect(answer[1]).toEqual(master);
    const { _deleted, createdAt, updatedAt, ...content } = good;
    expect((await row(good.id))!.doc).toMatchObject(content);
    expect(await row(bad.id)).toBeUndefined();
    expect((await row(master.id))!.doc).toMatchObject({ title: master.title, city: 'Limoux' });
  });

  it('avis : impossible d’en forger un pour autrui ou d’en changer le texte ; la lecture est enregistrée', async () => {
    const now = new Date().toISOString();
    const forged = {
      id: randomUUID(),
      userId: R2_ID,
      kind: 'refus',
      title: 'Faux',
      message: 'Faux avis',
      createdAt: now,
      _deleted: false,
    };
    const res = await push([{ assumedMasterState: null, newDocumentState: forged }], 'notices');
    expect((res.body as Row[])[0]).toMatchObject({ id: forged.id, _deleted: true, userId: '', title: '' });
    expect((await server.db.query('select 1 from notices where id = $1', [forged.id])).rows).toHaveLength(0);

    const mine = (
      await server.db.query<{ doc: Row }>("select doc from notices where doc->>'userId' = $1 limit 1", [
        R1_ID,
      ])
    ).rows[0]!.doc;
    const master = { ...mine, _deleted: false };
    const changed = await push(
      [{ assumedMasterState: master, newDocumentState: { ...master, title: 'Réécrit' } }],
      'notices',
    );
    expect(changed.body).toEqual([master]);
    const read = await push(
      [{ assumedMasterState: master, newDocumentState: { ...master, readAt: now } }],
      'notices',
    );
    expect(read.body).toEqual([]);
    expect(
      (await server.db.query<{ doc: Row }>('select doc from notices where id = $1', [mine.id])).rows[0]!.doc,
    ).toEqual({
      ...mine,
      readAt: now,
    });
  });
});

describe('caractères que PostgreSQL refuse (U+0000, demi-surrogate isolé) : jamais de 500 (bogue)', () => {
  it.each([
    [
      'U+0000 dans un titre',
      () => JSON.stringify([{ newDocumentState: draft({ title: 'Vendeur\u0000H/F' }) }]),
    ],
    [
      'U+0000 dans l’identifiant',
      () => JSON.stringify([{ newDocumentState: draft({ id: `a\u0000${randomUUID().slice(2)}` }) }]),
    ],
    [
      'demi-surrogate isolé dans un titre',
      () => JSON.stringify([{ newDocumentState: draft({ title: 'TITRE' }) }]).replace('TITRE', '\\ud800'),
    ],
  ])('%s', async (_name, body) => {
    const before = await snapshot();
    const res = await pushRaw(body());
    expect(
      res.status,
      `${JSON.stringify(res.body)} — voir le rapport : sync-server/src/sync/engine.ts pushRow`,
    ).toBeLessThan(500);
    expect((await snapshot()).offers).toEqual(before.offers);
  });
});

describe('une ligne qui fait échouer PostgreSQL ne coûte pas les autres lignes du lot (bogue U+0000)', () => {
  it('lot [bonne ligne, ligne avec U+0000] : la bonne est écrite, la réponse n’est pas un 500', async () => {
    const good = draft({ title: 'Ligne saine H/F' });
    const poisoned = draft({ title: 'Ligne\u0000empoisonnée' });
    const res = await push([
      { assumedMasterState: null, newDocumentState: good },
      { assumedMasterState: null, newDocumentState: poisoned },
    ]);
    expect(await row(poisoned.id)).toBeUndefined();
    expect((await row(good.id))?.doc.title).toBe('Ligne saine H/F');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectTombstone((res.body as Row[])[0], poisoned.id);
  });
});

describe('propriété : des lignes JSON aléatoires', () => {
  it('ne produisent jamais de 5xx ni de ligne qui viole le schéma', async () => {
    const validateOffer = compileSchema(offerSchema);
    const validateNotice = compileSchema(noticeSchema);
    const existing = (
      await server.db.query<{ id: string }>(
        "select id from offers where doc->>'organisationId' in ($1, $2) and not deleted order by id limit 6",
        [ORG1, ORG2],
      )
    ).rows.map((r) => r.id);
    const org2Before = (
      await server.db.query('select id, doc, seq::text from offers where $1 = any(keys) order by id', [
        `org:${ORG2}`,
      ])
    ).rows;
    const newIds = Array.from({ length: 4 }, () => randomUUID());
    const keys = Object.keys(offerSchema.properties);

    const value = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        'brouillon',
        'en_attente',
        'publiee',
        'supprimee',
        ORG1,
        ORG2,
        'CDI',
        ['CDI'],
        '',
        0,
        -1,
        true,
      ),
    );
    const doc = fc
      .tuple(
        fc.oneof(fc.constantFrom(...existing, ...newIds, 'x'.repeat(36)), fc.uuid()),
        fc.oneof(
          fc.constant({}),
          fc.dictionary(fc.constantFrom(...keys, 'inconnu', '_deleted', '_meta', '_rev'), value, {
            maxKeys: 4,
          }),
        ),
        fc.boolean(),
      )
      .map(([id, patch, fromValid]) => (fromValid ? { ...draft(), ...patch, id } : { ...patch, id }));
    const pushRow = fc.record(
      {
        assumedMasterState: fc.oneof(
          fc.constant(null),
          fc.constant('MASTER'),
          doc,
          fc.jsonValue({ maxDepth: 1 }),
        ),
        newDocumentState: fc.oneof(
          { weight: 4, arbitrary: doc },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
        ),
      },
      { requiredKeys: ['newDocumentState'] },
    );
    // Creations that are valid but for random text: most are written.
    const validCreate = fc
      .record({
        id: fc.uuid(),
        title: fc.string({ minLength: 1, maxLength: 150 }),
        city: fc.string({ maxLength: 120 }),
      })
      .map((r) => ({ assumedMasterState: null, newDocumentState: draft(r) }));
    const body = fc.oneof(
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      {
        weight: 6,
        arbitrary: fc.array(
          fc.oneof(
            { weight: 6, arbitrary: pushRow },
            { weight: 2, arbitrary: validCreate },
            { weight: 1, arbitrary: fc.jsonValue() },
          ),
          { maxLength: 4 },
        ),
      },
    );

    let written = 0;
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        // `MASTER` stands for the current master, so that some edits really apply.
        if (Array.isArray(b)) {
          for (const r of b as Record<string, unknown>[]) {
            if (r && typeof r === 'object' && r.assumedMasterState === 'MASTER') {
              const id = (r.newDocumentState as { id?: unknown } | null)?.id;
              const current = typeof id === 'string' ? await row(id) : undefined;
              r.assumedMasterState = current && !current.deleted ? { ...current.doc, _deleted: false } : null;
            }
          }
        }
        const res = await push(b);
        expect(res.status, JSON.stringify(b).slice(0, 500)).toBeLessThan(500);
        if (res.status === 200) {
          expect(Array.isArray(res.body)).toBe(true);
          if (Array.isArray(b)) written += b.length - (res.body as unknown[]).length;
        } else {
          expect((res.body as ErrorBody).error.message).toMatch(FRENCH);
        }
      }),
      { numRuns: 100 },
    );
    expect(written).toBeGreaterThan(5);

    const offers = await server.db.query<{ doc: Record<string, unknown>; deleted: boolean }>(
      'select doc, deleted from offers',
    );
    for (const o of offers.rows) {
      expect(validationErrors(validateOffer, o.doc), JSON.stringify(o.doc)).toEqual([]);
      if (!o.deleted && o.doc.status !== 'supprimee') {
        expect(validateOfferContent(o.doc, o.doc.status === 'en_attente'), JSON.stringify(o.doc)).toEqual([]);
      }
    }
    const notices = await server.db.query<{ doc: Record<string, unknown> }>('select doc from notices');
    for (const n of notices.rows) expect(validationErrors(validateNotice, n.doc)).toEqual([]);
    const org2After = (
      await server.db.query('select id, doc, seq::text from offers where $1 = any(keys) order by id', [
        `org:${ORG2}`,
      ])
    ).rows;
    expect(org2After).toEqual(org2Before);
  });
});
