import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OfferStatus } from '../../../shared/domain/offer';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import { type Database, openDatabase } from '../db/database';
import { getPublishedOffer, listPublishedOffers, registerPublicOfferRoutes } from './public-offers';

const ORG = '0b7e0d1e-0000-4000-8000-000000000001';
/** Ids chosen so that the tie on publishedAt between B and C is broken by id (C > B). */
const ID = {
  a: '00000000-0000-4000-8000-00000000000a',
  b: '00000000-0000-4000-8000-00000000000b',
  c: '00000000-0000-4000-8000-00000000000c',
  deletedPublished: '00000000-0000-4000-8000-0000000000d0',
  draft: '00000000-0000-4000-8000-0000000000d1',
  pending: '00000000-0000-4000-8000-0000000000d2',
  refused: '00000000-0000-4000-8000-0000000000d3',
  expired: '00000000-0000-4000-8000-0000000000d4',
  filled: '00000000-0000-4000-8000-0000000000d5',
  archived: '00000000-0000-4000-8000-0000000000d6',
  softDeleted: '00000000-0000-4000-8000-0000000000d7',
};

/** Every secret that must never leave through the public API. */
const SECRETS = [
  'Ginette Secrète',
  '06 12 34 56 78',
  '0612345678',
  'ginette.secrete@exemple.fr',
  'Motif de refus confidentiel',
  'auteur-interne',
];

function offer(id: string, number: string, status: OfferStatus, extra: Partial<OfferDoc> = {}): OfferDoc {
  return {
    id,
    organisationId: ORG,
    number,
    title: `Offre ${number}`,
    jobTitle: 'Agent d’entretien',
    romeCode: 'K2204',
    city: 'Clermont-Ferrand',
    postalCode: '63000',
    companyName: 'Propreté Auvergne',
    contactPhone: '0612345678',
    seasonal: false,
    contractTypes: ['CDI'],
    description: 'Entretien des locaux.\nHoraires du matin.\n\nPermis B souhaité.',
    status,
    authorId: 'auteur-interne',
    createdAt: '2024-01-01T08:00:00.000Z',
    updatedAt: '2024-01-01T08:00:00.000Z',
    ...extra,
  };
}

const published = (day: string) => ({
  publishedAt: `2024-03-${day}T09:00:00.000Z`,
  expiresAt: `2024-05-${day}T09:00:00.000Z`,
});

const ROWS: Array<{ doc: OfferDoc; deleted?: boolean }> = [
  { doc: offer(ID.a, 'O-0001', 'publiee', published('01')) },
  {
    doc: offer(ID.b, 'O-0002', 'publiee', {
      ...published('05'),
      contactName: 'Ginette Secrète',
      contactPhone: '06 12 34 56 78',
      contactEmail: 'ginette.secrete@exemple.fr',
      moderationReason: 'Motif de refus confidentiel',
      submittedAt: '2024-03-04T09:00:00.000Z',
      salaryMin: 1800,
      salaryMax: 2100,
      salaryPeriod: 'mensuel',
      seasonal: true,
      contractTypes: ['CDD', 'INTERIM'],
      startDate: '2024-04-02',
    }),
  },
  { doc: offer(ID.c, 'O-0003', 'publiee', published('05')) },
  { doc: offer(ID.deletedPublished, 'O-0004', 'publiee', published('20')), deleted: true },
  { doc: offer(ID.draft, 'O-0005', 'brouillon') },
  { doc: offer(ID.pending, 'O-0006', 'en_attente', { submittedAt: '2024-03-10T09:00:00.000Z' }) },
  {
    doc: offer(ID.refused, 'O-0007', 'refusee', { moderationReason: 'Motif de refus confidentiel' }),
  },
  { doc: offer(ID.expired, 'O-0008', 'expiree', published('25')) },
  { doc: offer(ID.filled, 'O-0009', 'pourvue', published('26')) },
  { doc: offer(ID.archived, 'O-0010', 'archivee', published('27')) },
  { doc: offer(ID.softDeleted, 'O-0011', 'supprimee', { ...published('28'), previousStatus: 'publiee' }) },
];

let db: Database;
let app: FastifyInstance;

beforeAll(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  await db.query(`create table offers (
    id text primary key,
    doc jsonb not null,
    keys text[] not null,
    deleted boolean not null,
    txid bigint not null,
    seq bigint not null
  )`);
  let seq = 0;
  for (const { doc, deleted } of ROWS) {
    seq += 1;
    await db.query(
      `insert into offers (id, doc, keys, deleted, txid, seq)
       values ($1, $2::jsonb, $3, $4, pg_current_xact_id()::text::bigint, $5)`,
      [doc.id, JSON.stringify(doc), [`org:${ORG}`], deleted ?? false, seq],
    );
  }
  app = Fastify();
  await registerPublicOfferRoutes(app, { db });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

async function get(url: string) {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json(), text: res.body, headers: res.headers };
}

function expectNoSecret(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
  for (const field of [
    'contactName',
    'contactPhone',
    'contactEmail',
    'moderationReason',
    'authorId',
    'status',
  ]) {
    expect(text).not.toContain(`"${field}"`);
  }
}

describe('GET /api/public/offers', () => {
  it('lists only published, non-deleted offers, newest first, ties by id', async () => {
    const res = await get('/api/public/offers');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(3);
    expect(res.body.page).toBe(1);
    expect(res.body.pageSize).toBe(20);
    expect(res.body.items.map((o: { id: string }) => o.id)).toEqual([ID.c, ID.b, ID.a]);
    expectNoSecret(res.text);
  });

  it('keeps the public fields of an offer', async () => {
    const res = await get('/api/public/offers');
    const b = res.body.items.find((o: { id: string }) => o.id === ID.b);
    expect(b).toEqual({
      id: ID.b,
      number: 'O-0002',
      title: 'Offre O-0002',
      jobTitle: 'Agent d’entretien',
      romeCode: 'K2204',
      city: 'Clermont-Ferrand',
      postalCode: '63000',
      companyName: 'Propreté Auvergne',
      salaryMin: 1800,
      salaryMax: 2100,
      salaryPeriod: 'mensuel',
      startDate: '2024-04-02',
      seasonal: true,
      contractTypes: ['CDD', 'INTERIM'],
      description: 'Entretien des locaux.\nHoraires du matin.\n\nPermis B souhaité.',
      publishedAt: '2024-03-05T09:00:00.000Z',
      expiresAt: '2024-05-05T09:00:00.000Z',
    });
  });

  it('paginates with the total of every page', async () => {
    const p1 = await get('/api/public/offers?page=1&pageSize=2');
    const p2 = await get('/api/public/offers?page=2&pageSize=2');
    const p3 = await get('/api/public/offers?page=3&pageSize=2');
    expect(p1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(p1.body.items.map((o: { id: string }) => o.id)).toEqual([ID.c, ID.b]);
    expect(p2.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(p2.body.items.map((o: { id: string }) => o.id)).toEqual([ID.a]);
    expect(p3.status).toBe(200);
    expect(p3.body).toEqual({ items: [], total: 3, page: 3, pageSize: 2 });
    const max = await get('/api/public/offers?pageSize=50');
    expect(max.body.items).toHaveLength(3);
  });

  it.each([
    ['page=0', ['page']],
    ['page=-1', ['page']],
    ['page=abc', ['page']],
    ['page=1.5', ['page']],
    ['page=', ['page']],
    ['page=1&page=2', ['page']],
    ['page=99999999', ['page']],
    ['pageSize=0', ['pageSize']],
    ['pageSize=51', ['pageSize']],
    ['pageSize=1e1', ['pageSize']],
    ['page=0&pageSize=100', ['page', 'pageSize']],
  ])('answers 400 validation to ?%s', async (query, fields) => {
    const res = await get(`/api/public/offers?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    expect(res.body.error.message).toMatch(/pagination/);
    expect(res.body.error.fields.map((f: { field: string }) => f.field)).toEqual(fields);
    for (const f of res.body.error.fields) expect(f.message).toMatch(/nombre entier entre 1 et/);
  });

  it('returns an empty first page when nothing is published', async () => {
    const empty = await listPublishedOffers(
      { query: async <T>() => ({ rows: [{ total: 0, doc: null }] as T[] }) },
      1,
      20,
    );
    expect(empty).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
  });
});

describe('GET /api/public/offers/:id', () => {
  it('finds a published offer by id and by number, without its contact', async () => {
    const byId = await get(`/api/public/offers/${ID.b}`);
    expect(byId.status).toBe(200);
    expect(byId.body.id).toBe(ID.b);
    expect(byId.body.title).toBe('Offre O-0002');
    expectNoSecret(byId.text);
    const byNumber = await get('/api/public/offers/O-0002');
    expect(byNumber.status).toBe(200);
    expect(byNumber.body).toEqual(byId.body);
    expectNoSecret(byNumber.text);
  });

  it.each([
    ['a draft', ID.draft],
    ['an offer awaiting moderation', ID.pending],
    ['a refused offer', ID.refused],
    ['an expired offer', ID.expired],
    ['a filled offer', ID.filled],
    ['an archived offer', ID.archived],
    ['a soft-deleted offer', ID.softDeleted],
    ['a deleted row', ID.deletedPublished],
    ['the number of a draft', 'O-0005'],
    ['an unknown id', '00000000-0000-4000-8000-ffffffffffff'],
    ['an overlong id', 'x'.repeat(60)],
    ['quotes', "' or 1=1 --"],
  ])('answers 404 for %s', async (_what, id) => {
    const res = await get(`/api/public/offers/${encodeURIComponent(id)}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: { code: 'not-found', message: 'Cette offre n’existe pas ou n’est plus en ligne.' },
    });
    expectNoSecret(res.text);
  });

  it('exposes the same rules as plain functions', async () => {
    expect(await getPublishedOffer(db, ID.draft)).toBeNull();
    const a = await getPublishedOffer(db, 'O-0001');
    expect(a?.id).toBe(ID.a);
    expect(a && 'contactPhone' in a).toBe(false);
  });
});
