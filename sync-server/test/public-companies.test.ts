import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  PublicCompanyDetail,
  PublicCompanyPage,
  PublicPrescriberPage,
} from '../../shared/domain/company-profile';
import type { CompanyDoc } from '../../shared/schemas/company.schema';
import type { ApiErrorBody } from '../../shared/sync/errors';
import { hashPassword } from '../src/auth/password';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { DEMO_COMPANY_IDS } from '../src/db/seed-demo-companies';
import { companiesCollection } from '../src/domain/companies';
import type { Doc } from '../src/sync/types';
import { api, startTestServer, type TestServer } from './harness';

/** The portal's directories and company pages (seeds 001, 003): `GET /api/public/companies…`, `…/prescribers`. */

let server: TestServer;
const TRANSPORTS = DEMO_ORGANISATIONS.transports.id;
const SHA = 'cd'.repeat(32);

beforeAll(async () => {
  server = await startTestServer();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const companies = (query = '') => api<PublicCompanyPage>(`${server.url}/api/public/companies${query}`);
const company = (id: string) => api<PublicCompanyDetail>(`${server.url}/api/public/companies/${id}`);
const prescribers = (query = '') => api<PublicPrescriberPage>(`${server.url}/api/public/prescribers${query}`);
const names = (page: PublicCompanyPage | PublicPrescriberPage) => page.items.map((i) => i.name);

/** Writes a profile as the server would store it (the sync path is covered by companies.test.ts). */
async function writeCompany(patch: Partial<CompanyDoc> & { organisationId: string; name: string }) {
  const now = new Date().toISOString();
  const doc = {
    id: randomUUID(),
    sector: 'H',
    address: {
      postalCode: '31000',
      city: 'Toulouse',
      communeCode: '31555',
      latitude: 43.6045,
      longitude: 1.444,
    },
    published: true,
    jobs: [],
    createdBy: DEMO_ACCOUNTS[1].id,
    createdAt: now,
    updatedAt: now,
    ...patch,
  };
  await server.db.transaction((tx) => server.app.engine.write(tx, companiesCollection, doc as Doc, false));
  return doc;
}

describe('GET /api/public/companies', () => {
  it('lists the published profiles by name with their published offer count', async () => {
    const res = await companies();
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    expect(names(res.body)).toEqual([
      'Boulangeries Martin',
      'Domaine des Corbières',
      'Hôtel de la Cité',
      'Transports Garonne',
    ]);
    expect(res.body.total).toBe(4);
    const { rows } = await server.db.query<{ n: number }>(
      `select count(*)::int as n from offers
        where not deleted and doc->>'status' = 'publiee' and doc->>'organisationId' = $1`,
      [TRANSPORTS],
    );
    const transports = res.body.items.find((i) => i.name === 'Transports Garonne')!;
    expect(transports.offerCount).toBe(Number(rows[0]!.n));
    expect(transports.offerCount).toBeGreaterThan(0);
    expect(transports).toMatchObject({ sector: 'H', city: 'Toulouse', postalCode: '31000' });
    expect(transports.excerpt).toMatch(/^Transporteur régional/);
    expect(transports.excerpt).not.toContain('<');
    // Never internal fields.
    expect(JSON.stringify(res.body)).not.toMatch(/createdBy|organisationId|createdAt|updatedAt/);
  });

  it('searches names without caring for accents, case or word order', async () => {
    expect(names((await companies('?q=hotel')).body)).toEqual(['Hôtel de la Cité']);
    expect(names((await companies('?q=CITE%20h%C3%B4tel')).body)).toEqual(['Hôtel de la Cité']);
    expect(names((await companies('?q=corbieres')).body)).toEqual(['Domaine des Corbières']);
    expect(names((await companies('?q=boulangerie%20inconnue')).body)).toEqual([]);
    expect((await companies('?q=%25')).body.total).toBe(4);
  });

  it('filters by sector (NAF section)', async () => {
    expect(names((await companies('?sector=I')).body)).toEqual(['Hôtel de la Cité']);
    expect(names((await companies('?sector=c')).body)).toEqual(['Boulangeries Martin']);
    expect((await companies('?sector=U')).body).toMatchObject({ items: [], total: 0 });
  });

  it('searches around a commune, nearest first, within the radius', async () => {
    // Carcassonne (11069): the bakery and the hotel are there, the Corbières about 33 km east.
    const near = await companies('?commune=11069&radius=20');
    expect(names(near.body).sort()).toEqual(['Boulangeries Martin', 'Hôtel de la Cité']);
    for (const item of near.body.items) expect(item.distanceKm).toBeLessThan(5);

    const wider = await companies('?commune=11069&radius=50');
    expect(names(wider.body).at(-1)).toBe('Domaine des Corbières');
    const domaine = wider.body.items.at(-1)!;
    expect(domaine.distanceKm).toBeGreaterThan(25);
    expect(domaine.distanceKm).toBeLessThan(45);

    // Toulouse (31555): the carrier only; with the default radius (30 km) too.
    expect(names((await companies('?commune=31555&radius=10')).body)).toEqual(['Transports Garonne']);
    expect(names((await companies('?commune=31555')).body)).toEqual(['Transports Garonne']);
    // Combined with a sector and a name.
    expect(names((await companies('?commune=11069&radius=50&sector=A&q=domaine')).body)).toEqual([
      'Domaine des Corbières',
    ]);
  });

  it('paginates', async () => {
    const first = await companies('?pageSize=3');
    expect(first.body).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(first.body.items).toHaveLength(3);
    const second = await companies('?pageSize=3&page=2');
    expect(names(second.body)).toEqual(['Transports Garonne']);
    const beyond = await companies('?pageSize=3&page=9');
    expect(beyond.body).toMatchObject({ items: [], total: 4, page: 9 });
  });

  it('answers 400 with French field errors for bad criteria', async () => {
    const res = await api<ApiErrorBody>(
      `${server.url}/api/public/companies?sector=ZZ&commune=99999&radius=1000&page=0&pageSize=500&q=${'a'.repeat(101)}`,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation');
    expect(res.body.error.fields?.map((f) => f.field).sort()).toEqual(
      ['commune', 'page', 'pageSize', 'q', 'radius', 'sector'].sort(),
    );
    const commune = res.body.error.fields!.find((f) => f.field === 'commune')!;
    expect(commune.message).toContain('Commune inconnue');
    expect((await api(`${server.url}/api/public/companies?q=a&q=b`)).status).toBe(400);
  });

  it('hides the published profile of an organisation a moderator has not verified yet', async () => {
    const orgId = randomUUID();
    await server.db.query(
      `insert into organisations (id, kind, name, verified) values ($1, 'employer', 'Nouvelle SARL', false)`,
      [orgId],
    );
    const doc = await writeCompany({ organisationId: orgId, name: 'Nouvelle SARL' });
    expect(names((await companies('?q=nouvelle')).body)).toEqual([]);
    expect((await company(doc.id)).status).toBe(404);
    await server.db.query('update organisations set verified = true where id = $1', [orgId]);
    expect(names((await companies('?q=nouvelle')).body)).toEqual(['Nouvelle SARL']);
    await server.db.query('update companies set deleted = true where id = $1', [doc.id]);
  });
});

describe('GET /api/public/companies/:id', () => {
  it('gives the profile without internal fields, its published offers and fiches de poste', async () => {
    const res = await company(DEMO_COMPANY_IDS.boulangerie);
    expect(res.status).toBe(200);
    const { company: c, offers, jobs, offerCount } = res.body;
    expect(c).toMatchObject({
      id: DEMO_COMPANY_IDS.boulangerie,
      name: 'Boulangeries Martin',
      sector: 'C',
      companyType: 'pme',
      employeeCount: 48,
      foundedOn: '1987-03-02',
      phone: '04 68 11 22 33',
      address: { street: '12 rue de Verdun', postalCode: '11000', city: 'Carcassonne' },
      links: { website: 'https://www.boulangeries-martin.test' },
    });
    for (const key of ['createdBy', 'createdAt', 'updatedAt', 'organisationId', 'published', 'jobs', 'siret'])
      expect(c, key).not.toHaveProperty(key);
    expect(c.description).toContain('<h2>Qui sommes-nous ?</h2>');
    expect(offers.length).toBe(offerCount);
    expect(offerCount).toBeGreaterThan(0);
    for (const o of offers) {
      expect(o.companyName).toBe('Boulangeries Martin');
      expect(o).not.toHaveProperty('contactPhone');
      expect(o).not.toHaveProperty('authorId');
    }
    const dates = offers.map((o) => o.publishedAt ?? '');
    expect([...dates].sort().reverse()).toEqual(dates);
    // Only the published fiches de poste, by title.
    expect(jobs.map((j) => j.jobTitle)).toEqual([
      'Boulanger / Boulangère',
      'Vendeur / Vendeuse en boulangerie-pâtisserie',
    ]);
    expect(jobs[0]).toEqual({
      id: '0c0d0000-0000-4000-8000-000000000001',
      jobTitle: 'Boulanger / Boulangère',
      appellationCode: '11573',
      romeCode: 'D1102',
      description: 'Fabrication des pains de tradition et des viennoiseries, travail de nuit en équipe.',
    });
  });

  it('lists the offers that name the profile by companyId, and no others', async () => {
    const second = await writeCompany({ organisationId: TRANSPORTS, name: 'Garonne Logistique' });
    const before = (await company(DEMO_COMPANY_IDS.transports)).body.offerCount;
    const { rows } = await server.db.query<{ id: string }>(
      `select id from offers where doc->>'organisationId' = $1 and doc->>'status' = 'publiee' and not deleted
        order by id limit 1`,
      [TRANSPORTS],
    );
    const offerId = rows[0]!.id;
    await server.db.query(
      `update offers set doc = jsonb_set(doc, '{companyId}', to_jsonb($2::text)) where id = $1`,
      [offerId, second.id],
    );
    const moved = await company(second.id);
    expect(moved.body.offers.map((o) => o.id)).toEqual([offerId]);
    const original = await company(DEMO_COMPANY_IDS.transports);
    expect(original.body.offerCount).toBe(before - 1);
    expect(original.body.offers.map((o) => o.id)).not.toContain(offerId);
    const listed = (await companies('?q=garonne')).body.items;
    expect(listed.find((i) => i.id === second.id)?.offerCount).toBe(1);
  });

  it('serves description images through the public file route', async () => {
    const doc = await writeCompany({
      organisationId: TRANSPORTS,
      name: 'Garonne Images',
      logo: SHA,
      description: `<p>Notre dépôt</p><img src="/api/files/${SHA}" alt="Le dépôt" />`,
    });
    const res = await company(doc.id);
    expect(res.body.company.logo).toBe(SHA);
    expect(res.body.company.description).toBe(
      `<p>Notre dépôt</p><img src="/api/public/files/${SHA}" alt="Le dépôt" />`,
    );
  });

  it('answers 404 in French for an unpublished, deleted or unknown profile', async () => {
    for (const id of [DEMO_COMPANY_IDS.conserverie, randomUUID(), 'x'.repeat(80), 'é']) {
      const res = await api<ApiErrorBody>(`${server.url}/api/public/companies/${encodeURIComponent(id)}`);
      expect(res.status, id).toBe(404);
      expect(res.body.error).toEqual({
        code: 'not-found',
        message: 'Cette fiche entreprise n’existe pas ou n’est pas en ligne.',
      });
    }
  });
});

describe('GET /api/public/prescribers', () => {
  beforeAll(async () => {
    const add = async (name: string, subtype: string, verified: boolean, address: object | null) => {
      await server.db.query(
        `insert into organisations (id, kind, subtype, name, verified, address, phone)
         values ($1, 'prescriber', $2, $3, $4, $5, '04 68 00 00 00')`,
        [randomUUID(), subtype, name, verified, address ? JSON.stringify(address) : null],
      );
    };
    await add('Cap emploi de l’Aude', 'cap_emploi', true, {
      street: '1 rue Jean-Jaurès',
      postalCode: '11000',
      city: 'Carcassonne',
      latitude: 43.2121,
      longitude: 2.3536,
    });
    await add('Mission locale de Narbonne', 'mission_locale', true, {
      postalCode: '11100',
      city: 'Narbonne',
      latitude: 43.1839,
      longitude: 3.0042,
    });
    // Entered with its commune only: the position comes from the communes referential (Limoux).
    await add('Mission locale de Limoux', 'mission_locale', true, {
      postalCode: '11300',
      city: 'Limoux',
      communeCode: '11206',
    });
    await add('Prescripteur non habilité', 'association', false, {
      postalCode: '11000',
      city: 'Carcassonne',
      latitude: 43.213,
      longitude: 2.349,
    });
    // A signed-up prescriber whose account lives here too (sign-in still works).
    await server.db.query(
      `insert into accounts (id, email, password_hash, kind, first_name, last_name) values ($1, $2, $3, 'recruiter', 'A', 'B')`,
      [randomUUID(), 'autre@prescripteur.test', await hashPassword(DEMO_PASSWORD)],
    );
  });

  it('lists verified prescriber organisations with subtype labels', async () => {
    const res = await prescribers();
    expect(res.status).toBe(200);
    expect(names(res.body)).toContain('Cap emploi de l’Aude');
    expect(names(res.body)).toContain('Mission locale de Narbonne');
    expect(names(res.body)).not.toContain('Prescripteur non habilité');
    expect(names(res.body)).not.toContain('Boulangeries Martin');
    const cap = res.body.items.find((p) => p.name === 'Cap emploi de l’Aude')!;
    expect(cap).toMatchObject({
      subtype: 'cap_emploi',
      subtypeLabel: 'Cap emploi',
      city: 'Carcassonne',
      postalCode: '11000',
      street: '1 rue Jean-Jaurès',
      phone: '04 68 00 00 00',
    });
  });

  it('searches by name or subtype and around a commune, nearest first', async () => {
    expect(names((await prescribers('?q=mission%20narbonne')).body)).toEqual(['Mission locale de Narbonne']);
    expect(names((await prescribers('?q=cap%20emploi')).body)).toEqual(['Cap emploi de l’Aude']);
    const near = names((await prescribers('?commune=11069&radius=10')).body);
    expect(near).toContain('Cap emploi de l’Aude');
    expect(near).not.toContain('Mission locale de Limoux');
    expect(near).not.toContain('Mission locale de Narbonne');
    const limoux = (await prescribers('?commune=11069&radius=30')).body.items.find(
      (p) => p.city === 'Limoux',
    );
    expect(limoux?.name).toBe('Mission locale de Limoux');
    expect(limoux?.distanceKm).toBeGreaterThan(15);
    expect(limoux?.distanceKm).toBeLessThan(30);
    const wide = (await prescribers('?commune=11069&radius=100')).body.items;
    expect(wide.map((p) => p.name)).toEqual(expect.arrayContaining(['Mission locale de Narbonne']));
    const distances = wide.map((p) => p.distanceKm ?? Number.NaN);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(wide.at(-1)?.name).toBe('Mission locale de Narbonne');
  });

  it('refuses bad criteria in French', async () => {
    const res = await api<ApiErrorBody>(`${server.url}/api/public/prescribers?commune=abc&radius=0`);
    expect(res.status).toBe(400);
    expect(res.body.error.fields?.map((f) => f.field).sort()).toEqual(['commune', 'radius']);
  });
});
