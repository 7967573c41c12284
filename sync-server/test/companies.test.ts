import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompanyDoc } from '../../shared/schemas/company.schema';
import type { PullResponse, SyncCheckpoint } from '../../shared/sync/protocol';
import { hashPassword } from '../src/auth/password';
import { DEMO_ACCOUNTS, DEMO_ORGANISATIONS, DEMO_PASSWORD } from '../src/db/seed-demo';
import { DEMO_COMPANY_IDS, DEMO_GROUPS } from '../src/db/seed-demo-companies';
import { api, settle, startTestServer, type TestServer } from './harness';

/**
 * Company profiles (seed 001 « Ma fiche entreprise », seed 004 rights) on the sync spine: who
 * pulls and pushes what, validation, sanitisation, deletion, and the groups moderators keep.
 */

type Row = CompanyDoc & { _deleted: boolean };

const BAKERY = DEMO_ORGANISATIONS.boulangerie.id;
const AGENCY = DEMO_ORGANISATIONS.agence.id;
const R1 = DEMO_ACCOUNTS[0].id;

let server: TestServer;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

/** Adds a recruiter account to an organisation (role `member` unless told) and signs it in. */
async function addMember(email: string, organisationId: string, role: 'admin' | 'member' = 'member') {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
     values ($1, $2, $3, 'recruiter', 'Prénom', 'Nom', 'Recruteur')`,
    [id, email, await hashPassword(DEMO_PASSWORD)],
  );
  await server.db.query('insert into memberships (account_id, organisation_id, role) values ($1, $2, $3)', [
    id,
    organisationId,
    role,
  ]);
  return { id, token: await server.login(email) };
}

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['recruteur1', 'recruteur2', 'moderateur', 'conseiller', 'candidat', 'agence']) {
    tokens[who] = await server.login(`${who}@demo.test`);
  }
  for (const who of ['membre', 'collegue']) {
    const m = await addMember(`${who}@boulangerie.test`, BAKERY);
    tokens[who] = m.token;
    ids[who] = m.id;
  }
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

const sync = () => `${server.url}/api/sync/companies/v0`;

async function pullAll(token: string) {
  await settle(server.db);
  const docs = new Map<string, Row>();
  let checkpoint: SyncCheckpoint | null = null;
  for (let i = 0; i < 100; i++) {
    const q = new URLSearchParams({ batchSize: '3' });
    if (checkpoint) q.set('checkpoint', JSON.stringify(checkpoint));
    const res = await api<PullResponse<Row>>(`${sync()}/pull?${q}`, { token });
    expect(res.status).toBe(200);
    if (res.body.documents.length === 0) break;
    for (const d of res.body.documents) docs.set(d.id, d);
    checkpoint = res.body.checkpoint;
  }
  return docs;
}

async function push(token: string, rows: { assumedMasterState: Row | null; newDocumentState: Row }[]) {
  const res = await api<Row[]>(`${sync()}/push`, { token, body: rows });
  expect(res.status).toBe(200);
  return res.body;
}

async function master(id: string): Promise<{ doc: CompanyDoc; deleted: boolean } | undefined> {
  const { rows } = await server.db.query<{ doc: CompanyDoc; deleted: boolean }>(
    'select doc, deleted from companies where id = $1',
    [id],
  );
  return rows[0];
}

async function noticesFor(userId: string, documentId: string) {
  const { rows } = await server.db.query<{ doc: Record<string, unknown> }>(
    "select doc from notices where doc->>'userId' = $1 and doc->>'documentId' = $2 order by seq",
    [userId, documentId],
  );
  return rows.map(
    (r) => r.doc as { title: string; message: string; kind: string; fields?: { field: string }[] },
  );
}

function profile(patch: Partial<Row> = {}): Row {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    organisationId: BAKERY,
    name: 'Fournil du Canal',
    sector: 'C',
    address: { street: '3 quai Riquet', postalCode: '11000', city: 'Carcassonne', communeCode: '11069' },
    published: false,
    jobs: [],
    createdAt: now,
    updatedAt: now,
    _deleted: false,
    ...patch,
  };
}

/** Creates a profile as `token` and returns the stored master (with its server fields). */
async function create(token: string, patch: Partial<Row> = {}): Promise<Row> {
  const doc = profile(patch);
  expect(await push(token, [{ assumedMasterState: null, newDocumentState: doc }])).toEqual([]);
  const m = await master(doc.id);
  expect(m?.deleted).toBe(false);
  return { ...m!.doc, _deleted: false };
}

describe('portée', () => {
  it('each recruiter pulls the profiles of its own organisations only', async () => {
    const r1 = await pullAll(tokens.recruteur1!);
    expect(r1.get(DEMO_COMPANY_IDS.boulangerie)?.name).toBe('Boulangeries Martin');
    for (const d of r1.values()) if (!d._deleted) expect(d.organisationId).toBe(BAKERY);
    expect(r1.has(DEMO_COMPANY_IDS.transports)).toBe(false);

    const agency = await pullAll(tokens.agence!);
    const agencyIds = [...agency.values()].filter((d) => !d._deleted).map((d) => d.id);
    expect(agencyIds.sort()).toEqual(
      [DEMO_COMPANY_IDS.domaine, DEMO_COMPANY_IDS.hotel, DEMO_COMPANY_IDS.conserverie].sort(),
    );

    const advisor = await pullAll(tokens.conseiller!);
    expect([...advisor.values()].filter((d) => !d._deleted)).toEqual([]);
  });

  it('candidates have no replica', async () => {
    const res = await api(`${sync()}/pull`, { token: tokens.candidat! });
    expect(res.status).toBe(403);
  });

  it('a recruiter of another organisation can neither create for it nor edit its profile', async () => {
    const foreign = profile({ name: 'Usurpation' });
    const answer = await push(tokens.recruteur2!, [{ assumedMasterState: null, newDocumentState: foreign }]);
    expect(answer).toHaveLength(1);
    expect(answer[0]!._deleted).toBe(true);
    expect(await master(foreign.id)).toBeUndefined();
    const notices = await noticesFor(DEMO_ACCOUNTS[1].id, foreign.id);
    expect(notices[0]?.title).toBe('Organisation non autorisée');
    expect(notices[0]?.fields?.map((f) => f.field)).toEqual(['organisationId']);

    const bakery = { ...(await master(DEMO_COMPANY_IDS.boulangerie))!.doc, _deleted: false };
    const edit = await push(tokens.recruteur2!, [
      { assumedMasterState: bakery, newDocumentState: { ...bakery, name: 'Piratée' } },
    ]);
    // The answer says nothing of a document this user may not see.
    expect(edit).toEqual([expect.objectContaining({ id: bakery.id, _deleted: true, name: '' })]);
    expect((await master(bakery.id))!.doc.name).toBe('Boulangeries Martin');
  });
});

describe('droits (seed 004 : seul le créateur de la fiche, et les administrateurs)', () => {
  let created: Row;

  it('any recruiter of the organisation creates a profile; the server owns creator and dates', async () => {
    const forged = profile({
      name: 'Fournil du Canal',
      createdBy: R1,
      createdAt: '2000-01-01T00:00:00.000Z',
      updatedAt: '2000-01-01T00:00:00.000Z',
    });
    expect(await push(tokens.membre!, [{ assumedMasterState: null, newDocumentState: forged }])).toEqual([]);
    const stored = (await master(forged.id))!.doc;
    expect(stored.createdBy).toBe(ids.membre);
    expect(stored.createdAt).not.toBe('2000-01-01T00:00:00.000Z');
    expect(Date.now() - Date.parse(stored.updatedAt)).toBeLessThan(60_000);
    created = { ...stored, _deleted: false };
    // The author gets the server's version back through pull.
    const pulled = (await pullAll(tokens.membre!)).get(forged.id);
    expect(pulled?.createdBy).toBe(ids.membre);
  });

  it('its creator edits it', async () => {
    const edited = { ...created, phone: '04 68 00 11 22', published: true };
    expect(await push(tokens.membre!, [{ assumedMasterState: created, newDocumentState: edited }])).toEqual(
      [],
    );
    const stored = (await master(created.id))!.doc;
    expect(stored.phone).toBe('04 68 00 11 22');
    expect(stored.createdBy).toBe(ids.membre);
    created = { ...stored, _deleted: false };
  });

  it('another member is refused with a French notice and gets the master state', async () => {
    const attempt = { ...created, name: 'Modifiée par un collègue' };
    const answer = await push(tokens.collegue!, [{ assumedMasterState: created, newDocumentState: attempt }]);
    expect(answer).toEqual([{ ...created }]);
    expect((await master(created.id))!.doc.name).toBe('Fournil du Canal');
    const notices = await noticesFor(ids.collegue!, created.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'refus', title: 'Modification refusée' });
    expect(notices[0]!.message).toContain('Seuls le recruteur qui a créé cette fiche entreprise');
    // Nor may they delete it.
    const deletion = await push(tokens.collegue!, [
      { assumedMasterState: created, newDocumentState: { ...created, _deleted: true } },
    ]);
    expect(deletion).toEqual([{ ...created }]);
    expect((await master(created.id))!.deleted).toBe(false);
  });

  it('an administrator of the organisation edits it (the way out when the creator leaves)', async () => {
    const edited = { ...created, name: 'Fournil du Canal — Carcassonne', createdBy: R1 };
    expect(
      await push(tokens.recruteur1!, [{ assumedMasterState: created, newDocumentState: edited }]),
    ).toEqual([]);
    const stored = (await master(created.id))!.doc;
    expect(stored.name).toBe('Fournil du Canal — Carcassonne');
    expect(stored.createdBy).toBe(ids.membre);
    created = { ...stored, _deleted: false };
  });

  it('a profile never changes organisation', async () => {
    const moved = { ...created, organisationId: AGENCY };
    const answer = await push(tokens.recruteur1!, [{ assumedMasterState: created, newDocumentState: moved }]);
    expect(answer).toEqual([{ ...created }]);
    expect((await master(created.id))!.doc.organisationId).toBe(BAKERY);
  });

  it('a stale assumed state is answered with the master, nothing written', async () => {
    const stale = { ...created, name: 'Ancien nom' };
    const answer = await push(tokens.membre!, [
      { assumedMasterState: stale, newDocumentState: { ...stale, phone: '04 68 99 99 99' } },
    ]);
    expect(answer).toEqual([{ ...created }]);
    expect((await master(created.id))!.doc.phone).toBe('04 68 00 11 22');
  });

  it('an agency owns as many client profiles as it needs', async () => {
    for (const name of ['Client A', 'Client B', 'Client C']) {
      await create(tokens.agence!, { organisationId: AGENCY, name });
    }
    const { rows } = await server.db.query<{ n: number }>(
      "select count(*)::int as n from companies where not deleted and doc->>'organisationId' = $1",
      [AGENCY],
    );
    expect(Number(rows[0]!.n)).toBe(6);
  });
});

describe('validation', () => {
  it('accepts every demo profile as it is (a recruiter can save it without touching a field)', async () => {
    for (const [id, token] of [
      [DEMO_COMPANY_IDS.boulangerie, tokens.recruteur1!],
      [DEMO_COMPANY_IDS.transports, tokens.recruteur2!],
      [DEMO_COMPANY_IDS.domaine, tokens.agence!],
      [DEMO_COMPANY_IDS.hotel, tokens.agence!],
      [DEMO_COMPANY_IDS.conserverie, tokens.agence!],
    ] as const) {
      const doc = { ...(await master(id))!.doc, _deleted: false };
      expect(await push(token, [{ assumedMasterState: doc, newDocumentState: doc }]), id).toEqual([]);
      const after = (await master(id))!.doc;
      expect({ ...after, updatedAt: doc.updatedAt }).toEqual({
        ...doc,
        _deleted: undefined,
        updatedAt: doc.updatedAt,
      });
    }
  });

  it('refuses a profile with French errors on each field at fault', async () => {
    const bad = profile({
      name: '   ',
      siret: '12345678901234',
      sector: 'Z',
      address: { postalCode: '110', city: '' },
      phone: '12 34',
      email: 'pas-une-adresse',
      companyType: 'geante',
      foundedOn: '2999-01-01',
      logo: 'logo.png',
      banner: 'AB'.repeat(32),
      groupId: randomUUID(),
      links: {
        website: 'javascript:alert(1)',
        twitter: 'https://www.facebook.com/x',
        facebook: 'https://facebook.com.evil.test/x',
        instagram: 'http://instagram.com/ok',
        linkedin: 'https://www.linkedin.com/company/ok',
        youtube: 'https://vimeo.com/1',
      },
      jobs: [
        { id: 'j1', jobTitle: ' ', published: true, createdAt: '2025-01-01T00:00:00.000Z' },
        { id: 'j1', jobTitle: 'Boulanger', appellationCode: 'abc', published: true, createdAt: '' },
      ],
    });
    const answer = await push(tokens.recruteur1!, [{ assumedMasterState: null, newDocumentState: bad }]);
    expect(answer[0]?._deleted).toBe(true);
    expect(await master(bad.id)).toBeUndefined();
    const [notice] = await noticesFor(R1, bad.id);
    expect(notice?.title).toBe('Fiche entreprise incomplète');
    const fields = Object.fromEntries(
      ((notice?.fields ?? []) as { field: string; message: string }[]).map((f) => [f.field, f.message]),
    );
    expect(Object.keys(fields).sort()).toEqual(
      [
        'name',
        'siret',
        'sector',
        'address.city',
        'phone',
        'email',
        'companyType',
        'foundedOn',
        'logo',
        'banner',
        'groupId',
        'links.website',
        'links.twitter',
        'links.facebook',
        'links.youtube',
        'jobs.0.jobTitle',
        'jobs.1.id',
        'jobs.1.appellationCode',
      ].sort(),
    );
    expect(fields.name).toBe('Le nom de l’entreprise est obligatoire.');
    expect(fields['address.city']).toContain('La ville est obligatoire');
    expect(fields.foundedOn).toBe('La date de création ne peut pas être dans le futur.');
    expect(fields['links.twitter']).toContain('twitter.com ou x.com');
    expect(fields.groupId).toContain('n’existe pas');
  });

  it('refuses a date that does not exist, a postal code that is not one and an unknown commune', async () => {
    const bad = profile({
      foundedOn: '2023-02-30',
      address: { postalCode: '1100', city: 'Carcassonne', communeCode: '99999' },
    });
    await push(tokens.recruteur1!, [{ assumedMasterState: null, newDocumentState: bad }]);
    const fields = (await noticesFor(R1, bad.id))[0]?.fields?.map((f) => f.field);
    expect(fields).toEqual(['foundedOn', 'address.postalCode', 'address.communeCode']);
  });

  it('accepts French phone formats, network links, a real group, an unknown file and drops empty optional fields', async () => {
    const sha = 'ab'.repeat(32);
    const stored = await create(tokens.recruteur1!, {
      phone: '+33 (0)4 68 11 22 33',
      email: ' rh@fournil.test ',
      foundedOn: '2001-09-11',
      companyType: 'micro',
      logo: sha,
      groupId: DEMO_GROUPS.artisansOccitanie.id,
      links: {
        website: 'https://fournil.test',
        twitter: 'https://x.com/fournil',
        facebook: 'https://m.facebook.com/fournil',
        youtube: 'https://youtu.be/abc',
        instagram: '',
      },
      banner: '',
      description: '   ',
    });
    expect(stored.email).toBe('rh@fournil.test');
    expect(stored.links).toEqual({
      website: 'https://fournil.test',
      twitter: 'https://x.com/fournil',
      facebook: 'https://m.facebook.com/fournil',
      youtube: 'https://youtu.be/abc',
    });
    expect('banner' in stored).toBe(false);
    expect('description' in stored).toBe(false);
    // The commune chosen by code gets its position from the communes referential.
    expect(stored.address?.latitude).toBeCloseTo(43.21, 1);
    expect(stored.address?.longitude).toBeCloseTo(2.35, 1);
    // The logo's file may arrive later: the reference is recorded for the file routes.
    const refs = await server.db.query('select 1 from file_refs where sha256 = $1 and doc_id = $2', [
      sha,
      stored.id,
    ]);
    expect(refs.rows).toHaveLength(1);
  });

  it('refuses as logo or banner a stored file that is not a jpg or png of 1 Mo at most, whatever it was uploaded for', async () => {
    const store = async (hex: string, mime: string, size: number) => {
      const sha = hex.repeat(64);
      await server.db.query(
        `insert into files (sha256, mime, size, bytes, purpose, uploaded_by) values ($1, $2, $3, $4, 'photo', $5)
         on conflict (sha256) do nothing`,
        [sha, mime, size, Buffer.from('x'), R1],
      );
      return sha;
    };
    const bigPhoto = await store('c', 'image/jpeg', 2 * 1024 * 1024 - 10);
    const pdf = await store('d', 'application/pdf', 2000);
    const fine = await store('e', 'image/png', 1024 * 1024);
    const bad = profile({ logo: bigPhoto, banner: pdf });
    await push(tokens.recruteur1!, [{ assumedMasterState: null, newDocumentState: bad }]);
    expect(await master(bad.id)).toBeUndefined();
    const notice = (await noticesFor(R1, bad.id))[0];
    expect(notice?.fields).toEqual([
      { field: 'logo', message: 'Le logo doit être une image jpg ou png de 1 Mo au plus.' },
      { field: 'banner', message: 'La bannière doit être une image jpg ou png de 1 Mo au plus.' },
    ]);
    const ok = await create(tokens.recruteur1!, { logo: fine, banner: fine });
    expect(ok).toMatchObject({ logo: fine, banner: fine });
  });

  it('keeps each job’s creation date and checks appellations against the ROME referential when present', async () => {
    const withJob = await create(tokens.recruteur1!, {
      jobs: [
        {
          id: 'j1',
          jobTitle: 'Boulanger / Boulangère',
          published: true,
          createdAt: '1999-01-01T00:00:00.000Z',
        },
      ],
    });
    const jobCreated = withJob.jobs[0]!.createdAt;
    expect(jobCreated).not.toBe('1999-01-01T00:00:00.000Z');

    await server.db.query(
      "insert into rome_codes (code, label) values ('D1102', 'Boulangerie') on conflict do nothing",
    );
    await server.db.query(
      `insert into rome_appellations (code_ogr, label, short_label, rome_code, search)
       values ('11573', 'Boulanger / Boulangère', 'Boulanger / Boulangère', 'D1102', 'boulanger / boulangere')
       on conflict do nothing`,
    );
    try {
      const next = {
        ...withJob,
        jobs: [
          { ...withJob.jobs[0]!, appellationCode: '11573', romeCode: 'A1101', createdAt: 'x' },
          { id: 'j2', jobTitle: 'Inconnu', appellationCode: '99999', published: false, createdAt: 'x' },
        ],
      };
      await push(tokens.recruteur1!, [{ assumedMasterState: withJob, newDocumentState: next }]);
      const fields = (await noticesFor(R1, withJob.id)).at(-1)?.fields?.map((f) => f.field);
      expect(fields).toEqual(['jobs.1.appellationCode']);

      const ok = { ...next, jobs: [next.jobs[0]!] };
      expect(await push(tokens.recruteur1!, [{ assumedMasterState: withJob, newDocumentState: ok }])).toEqual(
        [],
      );
      const job = (await master(withJob.id))!.doc.jobs[0]!;
      expect(job).toMatchObject({ appellationCode: '11573', romeCode: 'D1102', createdAt: jobCreated });
    } finally {
      await server.db.query("delete from rome_appellations where code_ogr = '11573'");
    }
  });
});

describe('sanitisation', () => {
  const dirty =
    '<h2>Bienvenue</h2><p>Du <strong>bon</strong> pain.<script>alert("x")</script></p>' +
    '<img src=x onerror=alert(1)><p onclick="alert(2)">Clic</p>' +
    '<a href="javascript:alert(3)">piège</a> <a href="https://www.youtube.com/watch?v=abc">Notre vidéo</a>' +
    '<iframe src="https://www.youtube.com/embed/abc"></iframe><svg onload=alert(4)></svg><style>p{}</style>';

  it('stores and serves only the sanitised description, and tells the author what was removed', async () => {
    const stored = await create(tokens.recruteur1!, {
      name: 'Fournil Propre',
      published: true,
      description: dirty,
    });
    for (const html of [
      stored.description!,
      (await pullAll(tokens.recruteur1!)).get(stored.id)!.description!,
    ]) {
      expect(html).not.toMatch(/<script|onerror|onclick|onload|javascript:|<iframe|<svg|<style/i);
      expect(html).toContain('<h2>Bienvenue</h2><p>Du <strong>bon</strong> pain.</p>');
      expect(html).toContain(
        '<a href="https://www.youtube.com/watch?v=abc" rel="noopener noreferrer nofollow" target="_blank">Notre vidéo</a>',
      );
    }
    const notices = await noticesFor(R1, stored.id);
    expect(notices.at(-1)).toMatchObject({ kind: 'information', title: 'Description nettoyée' });
    expect(notices.at(-1)!.message).toContain('collez plutôt le lien de la vidéo');

    const pub = await api<{ company: { description: string } }>(
      `${server.url}/api/public/companies/${stored.id}`,
    );
    expect(pub.status).toBe(200);
    expect(pub.body.company.description).not.toMatch(
      /<script|onerror|onclick|onload|javascript:|<iframe|<svg/i,
    );
    expect(JSON.stringify(pub.body)).not.toMatch(/<script|onerror=/i);
  });

  it('never serves a dangerous description even if one reached the table by another path', async () => {
    const stored = await create(tokens.recruteur1!, { name: 'Fournil Ancien', published: true });
    await server.db.query(
      `update companies set doc = jsonb_set(doc, '{description}', to_jsonb($2::text)) where id = $1`,
      [stored.id, '<p>ok</p><img src=x onerror=alert(1)><script>alert(1)</script>'],
    );
    const pub = await api<{ company: { description: string } }>(
      `${server.url}/api/public/companies/${stored.id}`,
    );
    expect(pub.body.company.description).toBe('<p>ok</p>');
    const list = await api<{ items: { id: string; excerpt?: string }[] }>(
      `${server.url}/api/public/companies?q=fournil%20ancien`,
    );
    expect(list.body.items.map((i) => i.id)).toEqual([stored.id]);
    expect(list.body.items[0]!.excerpt).toBe('ok');
  });
});

describe('publication sur le portail', () => {
  it('an unpublished profile is invisible on the portal API', async () => {
    const res = await api<{ error: { code: string; message: string } }>(
      `${server.url}/api/public/companies/${DEMO_COMPANY_IDS.conserverie}`,
    );
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe('Cette fiche entreprise n’existe pas ou n’est pas en ligne.');
    const list = await api<{ items: { id: string }[] }>(`${server.url}/api/public/companies?pageSize=50`);
    expect(list.body.items.map((i) => i.id)).not.toContain(DEMO_COMPANY_IDS.conserverie);
    expect(list.body.items.map((i) => i.id)).toContain(DEMO_COMPANY_IDS.hotel);
  });

  it('unpublishing takes a profile off the portal at once', async () => {
    const hotel = { ...(await master(DEMO_COMPANY_IDS.hotel))!.doc, _deleted: false };
    expect(
      await push(tokens.agence!, [
        { assumedMasterState: hotel, newDocumentState: { ...hotel, published: false } },
      ]),
    ).toEqual([]);
    expect((await api(`${server.url}/api/public/companies/${hotel.id}`)).status).toBe(404);
    const back = { ...(await master(hotel.id))!.doc, _deleted: false };
    expect(
      await push(tokens.agence!, [
        { assumedMasterState: back, newDocumentState: { ...back, published: true } },
      ]),
    ).toEqual([]);
    expect((await api(`${server.url}/api/public/companies/${hotel.id}`)).status).toBe(200);
  });
});

describe('suppression', () => {
  it('the creator deletes a profile (a tombstone that leaves replicas and the portal)', async () => {
    const doomed = await create(tokens.membre!, { name: 'Fiche à supprimer', published: true });
    expect((await api(`${server.url}/api/public/companies/${doomed.id}`)).status).toBe(200);
    expect(
      await push(tokens.membre!, [
        { assumedMasterState: doomed, newDocumentState: { ...doomed, _deleted: true } },
      ]),
    ).toEqual([]);
    const m = await master(doomed.id);
    expect(m?.deleted).toBe(true);
    expect(m?.doc.name).toBe('');
    expect((await pullAll(tokens.recruteur1!)).get(doomed.id)?._deleted).toBe(true);
    expect((await api(`${server.url}/api/public/companies/${doomed.id}`)).status).toBe(404);
  });

  it('is refused while an offer in progress names the profile', async () => {
    const used = await create(tokens.recruteur1!, { name: 'Fiche utilisée' });
    const { rows } = await server.db.query<{ id: string }>(
      `select id from offers where doc->>'organisationId' = $1 and doc->>'status' = 'brouillon' and not deleted limit 1`,
      [BAKERY],
    );
    await server.db.query(
      `update offers set doc = jsonb_set(doc, '{companyId}', to_jsonb($2::text)) where id = $1`,
      [rows[0]!.id, used.id],
    );
    const answer = await push(tokens.recruteur1!, [
      { assumedMasterState: used, newDocumentState: { ...used, _deleted: true } },
    ]);
    expect(answer).toEqual([{ ...used }]);
    expect((await master(used.id))!.deleted).toBe(false);
    const notice = (await noticesFor(R1, used.id)).at(-1);
    expect(notice?.title).toBe('Suppression refusée');
    expect(notice?.message).toContain('1 offre en cours');
  });
});

describe('groupes et réseaux (modérateurs)', () => {
  const groups = () => `${server.url}/api/company-groups`;

  it('anyone reads the list, signed in or not', async () => {
    const anonymous = await api<{ items: { id: string; name: string; kind: string }[] }>(groups());
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.items.map((g) => g.name)).toEqual(
      expect.arrayContaining(['Réseau des Entreprises Adaptées', 'Groupe Distribution Ouest']),
    );
    expect((await api(groups(), { token: tokens.recruteur1! })).status).toBe(200);
  });

  it('only moderators create, rename and delete groups', async () => {
    expect((await api(groups(), { method: 'POST', body: { name: 'Groupe X', kind: 'groupe' } })).status).toBe(
      401,
    );
    const refused = await api<{ error: { message: string } }>(groups(), {
      token: tokens.recruteur1!,
      body: { name: 'Groupe X', kind: 'groupe' },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('modérateurs');

    const created = await api<{ id: string; name: string; kind: string }>(groups(), {
      token: tokens.moderateur!,
      body: { name: '  Réseau   Garages de l’Aude ', kind: 'reseau' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Réseau Garages de l’Aude', kind: 'reseau' });

    const duplicate = await api<{ error: { code: string; message: string } }>(groups(), {
      token: tokens.moderateur!,
      body: { name: 'réseau garages de l’aude', kind: 'groupe' },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.message).toBe('Un groupe ou réseau porte déjà ce nom.');

    const invalid = await api<{ error: { fields: { field: string }[] } }>(groups(), {
      token: tokens.moderateur!,
      body: { name: 'x', kind: 'club' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields.map((f) => f.field)).toEqual(['name', 'kind']);

    const renamed = await api<{ name: string; kind: string }>(`${groups()}/${created.body.id}`, {
      method: 'PUT',
      token: tokens.moderateur!,
      body: { name: 'Réseau des garages audois' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Réseau des garages audois', kind: 'reseau' });
    expect(
      (
        await api(`${groups()}/${created.body.id}`, {
          method: 'PUT',
          token: tokens.agence!,
          body: { name: 'Autre' },
        })
      ).status,
    ).toBe(403);

    expect(
      (await api(`${groups()}/${randomUUID()}`, { method: 'DELETE', token: tokens.moderateur! })).status,
    ).toBe(404);
    expect((await api(`${groups()}/pas-un-id`, { method: 'DELETE', token: tokens.moderateur! })).status).toBe(
      404,
    );
    expect(
      (await api(`${groups()}/${created.body.id}`, { method: 'DELETE', token: tokens.moderateur! })).status,
    ).toBe(204);
    const after = await api<{ items: { id: string }[] }>(groups());
    expect(after.body.items.map((g) => g.id)).not.toContain(created.body.id);
  });

  it('a group chosen by a profile cannot be deleted', async () => {
    const res = await api<{ error: { code: string; message: string } }>(
      `${groups()}/${DEMO_GROUPS.artisansOccitanie.id}`,
      { method: 'DELETE', token: tokens.moderateur! },
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('Renommez-le plutôt');
  });

  it('the company page shows its group', async () => {
    const res = await api<{ company: { group?: { name: string; kind: string } } }>(
      `${server.url}/api/public/companies/${DEMO_COMPANY_IDS.boulangerie}`,
    );
    expect(res.body.company.group).toEqual({
      id: DEMO_GROUPS.artisansOccitanie.id,
      name: 'Réseau des artisans d’Occitanie',
      kind: 'reseau',
    });
  });
});
