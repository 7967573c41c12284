import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEGABYTE } from '../../shared/domain/files';
import { createSession } from '../src/auth/sessions';
import { DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import { pendingFileRefs, recordFileRefs, UPLOAD_BODY_LIMIT } from '../src/files/routes';
import { makePdf, makePng, sampleJpeg } from '../src/files/sample-files';
import { startTestServer, type TestServer } from './harness';

/** Issue 3, "image upload limits and content checks"; DESIGN §4 "Files": uploads, rights, public logos. */

const ORG1 = DEMO_ORGANISATIONS.boulangerie.id;
const IMAGE_REFUSED =
  'Format refusé : seules les images JPG ou PNG sont acceptées (le contenu du fichier a été vérifié, pas son nom).';

let server: TestServer;
const tokens: Record<string, string> = {};

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface ErrorBody {
  error: { code: string; message: string; fields?: { field: string; message: string }[] };
}

async function put(
  hash: string,
  body: BodyInit | null,
  options: { token?: string; purpose?: string; contentType?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.contentType !== '') headers['content-type'] = options.contentType ?? 'application/octet-stream';
  const query = options.purpose === '' ? '' : `?purpose=${options.purpose ?? 'logo'}`;
  const res = await fetch(`${server.url}/api/files/${hash}${query}`, {
    method: 'PUT',
    headers,
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as ErrorBody & Record<string, unknown>,
  };
}

async function get(path: string, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function upload(bytes: Buffer<ArrayBuffer>, token: string, purpose = 'logo') {
  const res = await put(sha(bytes), bytes, { token, purpose });
  expect([200, 201]).toContain(res.status);
  return sha(bytes);
}

/** A new account that is a plain member of an organisation, with a session token. */
async function memberOf(organisationId: string): Promise<string> {
  const id = randomUUID();
  await server.db.query(
    `insert into accounts (id, email, password_hash, kind, first_name, last_name, job_title)
     values ($1, $2, 'not-a-hash', 'recruiter', 'Camille', 'Membre', 'Assistante RH')`,
    [id, `membre-${id}@demo.test`],
  );
  await server.db.query(
    `insert into memberships (account_id, organisation_id, role) values ($1, $2, 'member')`,
    [id, organisationId],
  );
  return createSession(server.db, id);
}

/** A replicated row written directly (as `engine.write` would leave it) in `table`. */
async function insertReplicated(
  table: string,
  doc: Record<string, unknown> & { id: string },
  keys: string[],
) {
  await server.db.query(
    `insert into ${table} (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, 1, nextval('sync_seq'))`,
    [doc.id, JSON.stringify(doc), keys],
  );
}

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['recruteur1', 'recruteur2', 'agence'])
    tokens[who] = await server.login(`${who}@demo.test`);
  tokens.member = await memberOf(ORG1);
});

afterAll(async () => {
  await server?.stop();
});

describe('PUT /api/files/:sha256', () => {
  it('refuses an anonymous upload (401) before reading it', async () => {
    const png = makePng();
    const res = await put(sha(png), png);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('stores a PNG once: 201, then 200 without rewriting it', async () => {
    const png = makePng({ width: 7, height: 3 });
    const hash = sha(png);
    const first = await put(hash, png, { token: tokens.recruteur1 });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ sha256: hash, mime: 'image/png', size: png.length, created: true });
    const before = await server.db.query<{ version: string; created_at: string }>(
      'select xmin::text as version, created_at::text from files where sha256 = $1',
      [hash],
    );
    const again = await put(hash, png, { token: tokens.recruteur1 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ sha256: hash, created: false });
    const after = await server.db.query(
      'select xmin::text as version, created_at::text from files where sha256 = $1',
      [hash],
    );
    expect(after.rows).toEqual(before.rows);
    expect(before.rows).toHaveLength(1);
  });

  it('stores a JPEG as image/jpeg, judged by its content', async () => {
    const jpeg = sampleJpeg();
    const res = await put(sha(jpeg), jpeg, { token: tokens.recruteur1, purpose: 'banner' });
    expect(res.status).toBe(201);
    expect(res.body.mime).toBe('image/jpeg');
  });

  it('answers 400 when the bytes do not match the SHA-256 of the URL', async () => {
    const png = makePng();
    const other = sha(makePng({ rgb: [1, 2, 3] }));
    const res = await put(other, png, { token: tokens.recruteur1 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('ne correspond pas à son empreinte SHA-256');
    const stored = await server.db.query('select 1 from files where sha256 = $1', [other]);
    expect(stored.rows).toHaveLength(0);
  });

  it('answers 400 for a malformed hash or an unknown purpose', async () => {
    const png = makePng();
    const badHash = await put('ABC', png, { token: tokens.recruteur1 });
    expect(badHash.status).toBe(400);
    expect(badHash.body.error.message).toContain('64 caractères hexadécimaux');
    const badPurpose = await put(sha(png), png, { token: tokens.recruteur1, purpose: 'avatar' });
    expect(badPurpose.status).toBe(400);
    expect(badPurpose.body.error.fields?.[0]?.field).toBe('purpose');
    const noPurpose = await put(sha(png), png, { token: tokens.recruteur1, purpose: '' });
    expect(noPurpose.status).toBe(400);
  });

  it('answers 413 with the French message for a logo over 1 Mo', async () => {
    const big = makePng({ totalBytes: MEGABYTE + 1 });
    const res = await put(sha(big), big, { token: tokens.recruteur1, purpose: 'logo' });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload-too-large', message: 'Le fichier dépasse 1 Mo.' });
    // The same bytes are a fine photo (2 Mo).
    const photo = await put(sha(big), big, { token: tokens.recruteur1, purpose: 'photo' });
    expect(photo.status).toBe(201);
    // Exactly 1 Mo is accepted as a logo.
    const exact = makePng({ totalBytes: MEGABYTE, rgb: [9, 9, 9] });
    expect((await put(sha(exact), exact, { token: tokens.recruteur1 })).status).toBe(201);
  });

  it('answers 413 for a banner over 1 Mo too', async () => {
    const big = makePng({ totalBytes: MEGABYTE + 1, rgb: [4, 4, 4] });
    const res = await put(sha(big), big, { token: tokens.recruteur1, purpose: 'banner' });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe('Le fichier dépasse 1 Mo.');
  });

  it('answers 413 for a streamed body larger than any use allows (no length announced)', async () => {
    const size = UPLOAD_BODY_LIMIT + 1024;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        const chunk = new Uint8Array(Math.min(256 * 1024, size - sent));
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const res = await put('0'.repeat(64), stream, { token: tokens.recruteur1, purpose: 'cv' });
    expect(res.status).toBe(413);
    expect(res.body.error.message).toBe('Le fichier dépasse 5 Mo.');
  });

  it('answers 415 for HTML or SVG named like an image, and for a PDF as a logo', async () => {
    for (const content of [
      '<!doctype html><html><body><script>alert(1)</script></body></html>',
      '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>',
    ]) {
      const bytes = Buffer.from(content);
      const res = await put(sha(bytes), bytes, { token: tokens.recruteur1 });
      expect(res.status).toBe(415);
      expect(res.body.error.message).toBe(IMAGE_REFUSED);
      expect(res.body.error.fields).toEqual([{ field: 'file', message: IMAGE_REFUSED }]);
    }
    const pdf = makePdf();
    expect((await put(sha(pdf), pdf, { token: tokens.recruteur1 })).status).toBe(415);
    expect((await put(sha(pdf), pdf, { token: tokens.recruteur1, purpose: 'cv' })).status).toBe(201);
    const truncated = makePng({ width: 40, height: 40 }).subarray(0, 60);
    const cut = await put(sha(truncated), truncated, { token: tokens.recruteur1 });
    expect(cut.status).toBe(415);
    expect(cut.body.error.message).toContain('incomplet ou endommagé');
  });

  it('answers 415 in French when the body is not sent as application/octet-stream', async () => {
    const png = makePng();
    const res = await put(sha(png), png, { token: tokens.recruteur1, contentType: 'image/png' });
    expect(res.status).toBe(415);
    expect(res.body.error.message).toContain('application/octet-stream');
    const json = await put(sha(png), JSON.stringify({ a: 1 }), {
      token: tokens.recruteur1,
      contentType: 'application/json',
    });
    expect(json.status).toBe(415);
    const empty = await put(sha(png), null, { token: tokens.recruteur1, contentType: '' });
    expect(empty.status).toBe(415);
  });
});

describe('GET /api/files/:sha256', () => {
  it('serves the uploader, with content type, caching and safety headers', async () => {
    const png = makePng({ rgb: [200, 10, 10] });
    const hash = await upload(png, tokens.recruteur1);
    const res = await get(`/api/files/${hash}`, tokens.recruteur1);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(png)).toBe(true);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toBe('inline');
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(res.headers.get('etag')).toBe(`"${hash}"`);
    const cached = await get(`/api/files/${hash}`, tokens.recruteur1, { 'if-none-match': `"${hash}"` });
    expect(cached.status).toBe(304);
    expect(cached.bytes.length).toBe(0);
  });

  it('sends documents as attachments', async () => {
    const pdf = makePdf();
    const hash = await upload(pdf, tokens.recruteur1, 'cv');
    const res = await get(`/api/files/${hash}`, tokens.recruteur1);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[0-9a-f]{16}\.pdf"$/);
  });

  it('answers 404, never 403, to anyone else, exactly as for a missing file', async () => {
    const png = makePng({ rgb: [10, 200, 10] });
    const hash = await upload(png, tokens.recruteur1);
    const other = await get(`/api/files/${hash}`, tokens.recruteur2);
    const missing = await get(`/api/files/${'f'.repeat(64)}`, tokens.recruteur2);
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.bytes.toString()).toBe(missing.bytes.toString());
    expect((await get(`/api/files/${hash}`)).status).toBe(401);
  });

  it('serves a member of the organisation whose document refers to the file, while it does', async () => {
    const png = makePng({ rgb: [10, 10, 200] });
    const hash = await upload(png, tokens.recruteur1);
    expect((await get(`/api/files/${hash}`, tokens.member)).status).toBe(404);
    const offerId = randomUUID();
    await insertReplicated('offers', { id: offerId, organisationId: ORG1 }, [`org:${ORG1}`]);
    await recordFileRefs(server.db, 'offers', offerId, [hash]);

    expect((await get(`/api/files/${hash}`, tokens.member)).status).toBe(200);
    expect((await get(`/api/files/${hash}`, tokens.recruteur2)).status).toBe(404);
    expect((await get(`/api/files/${hash}`, tokens.agence)).status).toBe(404);

    // Deleted document: the member loses the file; the uploader keeps it.
    await server.db.query('update offers set deleted = true where id = $1', [offerId]);
    expect((await get(`/api/files/${hash}`, tokens.member)).status).toBe(404);
    await server.db.query('update offers set deleted = false where id = $1', [offerId]);
    expect((await get(`/api/files/${hash}`, tokens.member)).status).toBe(200);
    // The document no longer refers to it.
    await recordFileRefs(server.db, 'offers', offerId, []);
    expect((await get(`/api/files/${hash}`, tokens.member)).status).toBe(404);
    expect((await get(`/api/files/${hash}`, tokens.recruteur1)).status).toBe(200);
  });

  it('a second user who uploads the same bytes may read them too', async () => {
    const png = makePng({ rgb: [77, 77, 77] });
    const hash = await upload(png, tokens.recruteur1);
    expect((await get(`/api/files/${hash}`, tokens.recruteur2)).status).toBe(404);
    const again = await put(hash, png, { token: tokens.recruteur2 });
    expect(again.status).toBe(200);
    expect(again.body.created).toBe(false);
    expect((await get(`/api/files/${hash}`, tokens.recruteur2)).status).toBe(200);
  });
});

describe('references recorded before their file', () => {
  it('records the reference, reports it pending, and the status follows the upload', async () => {
    const png = makePng({ rgb: [1, 100, 1] });
    const hash = sha(png);
    const offerId = randomUUID();
    await insertReplicated('offers', { id: offerId, organisationId: ORG1 }, [`org:${ORG1}`]);
    await server.db.transaction((tx) =>
      recordFileRefs(tx, 'offers', offerId, [hash, hash, 'pas-un-hash', null]),
    );
    expect(await pendingFileRefs(server.db, 'offers', offerId)).toEqual([hash]);

    const status = (token: string) =>
      fetch(`${server.url}/api/files/${hash}/status`, { headers: { authorization: `Bearer ${token}` } });
    expect(await (await status(tokens.member)).json()).toEqual({ present: false });

    await upload(png, tokens.recruteur1);
    expect(await pendingFileRefs(server.db, 'offers', offerId)).toEqual([]);
    expect(await (await status(tokens.member)).json()).toEqual({ present: true });
    expect(await (await status(tokens.recruteur1)).json()).toEqual({ present: true });
    // Someone who may not read it is not told it exists.
    expect(await (await status(tokens.recruteur2)).json()).toEqual({ present: false });
    expect((await fetch(`${server.url}/api/files/${hash}/status`)).status).toBe(401);
  });

  it('replaces a document’s references', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((x) => x.repeat(64));
    await recordFileRefs(server.db, 'companies', 'doc-1', [a, b]);
    await recordFileRefs(server.db, 'companies', 'doc-1', [b, c]);
    await recordFileRefs(server.db, 'companies', 'doc-2', [a]);
    const { rows } = await server.db.query<{ sha256: string; doc_id: string }>(
      `select sha256, doc_id from file_refs where collection = 'companies' order by doc_id, sha256`,
    );
    expect(rows.map((r) => `${r.doc_id}:${r.sha256[0]}`)).toEqual(['doc-1:b', 'doc-1:c', 'doc-2:a']);
  });
});

describe('GET /api/public/files/:sha256', () => {
  /** Company profiles live in the replicated `companies` table (id, doc, keys, deleted, txid, seq). */
  const company = (doc: Record<string, unknown>) => {
    const id = randomUUID();
    return insertReplicated('companies', { id, organisationId: ORG1, name: 'Boulangeries Martin', ...doc }, [
      `org:${ORG1}`,
    ]).then(() => id);
  };

  it('serves the logo and banner of a published company profile, without an account', async () => {
    const logo = makePng({ rgb: [31, 78, 156] });
    const banner = sampleJpeg();
    const logoHash = await upload(logo, tokens.recruteur1, 'logo');
    const bannerHash = await upload(banner, tokens.recruteur1, 'banner');
    const companyId = await company({ published: true, logo: logoHash, banner: bannerHash });
    const res = await get(`/api/public/files/${logoHash}`);
    expect(res.status).toBe(200);
    expect(res.bytes.equals(logo)).toBe(true);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('etag')).toBe(`"${logoHash}"`);
    const bannerRes = await get(`/api/public/files/${bannerHash}`);
    expect(bannerRes.status).toBe(200);
    expect(bannerRes.headers.get('content-type')).toBe('image/jpeg');

    // Unpublished, or deleted: nothing public any more.
    await server.db.query(`update companies set doc = jsonb_set(doc, '{published}', 'false') where id = $1`, [
      companyId,
    ]);
    expect((await get(`/api/public/files/${logoHash}`)).status).toBe(404);
    await server.db.query(
      `update companies set doc = jsonb_set(doc, '{published}', 'true'), deleted = true where id = $1`,
      [companyId],
    );
    expect((await get(`/api/public/files/${logoHash}`)).status).toBe(404);
  });

  it('serves the images a published profile refers to (its description), not those of a draft', async () => {
    const image = makePng({ rgb: [250, 200, 0] });
    const hash = await upload(image, tokens.recruteur1, 'photo');
    const draft = await company({ published: false });
    await recordFileRefs(server.db, 'companies', draft, [hash]);
    expect((await get(`/api/public/files/${hash}`)).status).toBe(404);
    const published = await company({ published: true });
    await recordFileRefs(server.db, 'companies', published, [hash]);
    expect((await get(`/api/public/files/${hash}`)).status).toBe(200);
  });

  it('never serves anything else publicly: documents, unreferenced images, images of offers', async () => {
    // A PDF put where the logo goes stays private.
    const cvHash = await upload(makePdf(), tokens.recruteur1, 'cv');
    const withPdf = await company({ published: true, logo: cvHash });
    await recordFileRefs(server.db, 'companies', withPdf, [cvHash]);
    expect((await get(`/api/public/files/${cvHash}`)).status).toBe(404);
    expect((await get(`/api/files/${cvHash}`, tokens.recruteur1)).status).toBe(200);

    const photoHash = await upload(makePng({ rgb: [5, 6, 7] }), tokens.recruteur1, 'photo');
    expect((await get(`/api/public/files/${photoHash}`)).status).toBe(404);
    const offerId = randomUUID();
    await insertReplicated('offers', { id: offerId, organisationId: ORG1 }, [`org:${ORG1}`, 'published']);
    await recordFileRefs(server.db, 'offers', offerId, [photoHash]);
    expect((await get(`/api/public/files/${photoHash}`)).status).toBe(404);
    expect((await get(`/api/public/files/${'0'.repeat(64)}`)).status).toBe(404);

    // An image over 1 Mo (a fine 2 Mo photo) never becomes a public logo.
    const bigHash = await upload(
      makePng({ totalBytes: MEGABYTE + 10, rgb: [1, 2, 3] }),
      tokens.recruteur1,
      'photo',
    );
    await company({ published: true, logo: bigHash });
    expect((await get(`/api/public/files/${bigHash}`)).status).toBe(404);
    expect((await get('/api/public/files/nope')).status).toBe(400);
  });
});
