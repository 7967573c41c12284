import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../src/auth/sessions';

import { DEMO_ORGANISATIONS } from '../src/db/seed-demo';
import {
  BATCH_LIST_MESSAGE,
  BATCH_TOO_MANY_MESSAGE,
  fileBatchLimits,
  recordFileRefs,
} from '../src/files/routes';
import { makePdf, makePng } from '../src/files/sample-files';
import { startTestServer, type TestServer } from './harness';

/** Issue 6, « Préparer le salon »: `POST /api/files/batch`, many files in one streamed answer. */

const ORG1 = DEMO_ORGANISATIONS.boulangerie.id;
const INVALID_HASH = 'Empreinte de fichier invalide : 64 caractères hexadécimaux attendus.';

let server: TestServer;
const tokens: Record<string, string> = {};
const defaults = { ...fileBatchLimits };

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

interface BatchFile {
  sha256: string;
  mime: string;
  size: number;
  bytes: Buffer;
}
interface BatchAnswer {
  files: BatchFile[];
  missing: string[];
  deferred: string[];
}

/** Reads the framing back (see the route's comment); throws when it is broken. */
function parseBatch(body: Buffer): BatchAnswer {
  const files: BatchFile[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf(0x0a, at);
    if (end < 0) throw new Error(`réponse tronquée à l’octet ${at}`);
    const header = JSON.parse(body.subarray(at, end).toString('utf8'));
    at = end + 1;
    if (!('sha256' in header)) {
      expect(at).toBe(body.length);
      return { files, missing: header.missing, deferred: header.deferred };
    }
    const bytes = body.subarray(at, at + header.size);
    expect(bytes.length).toBe(header.size);
    files.push({ ...header, bytes: Buffer.from(bytes) });
    at += header.size;
  }
}

async function batch(body: unknown, token?: string, raw = false) {
  const res = await fetch(`${server.url}/api/files/batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: raw ? (body as string) : JSON.stringify(body),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes };
}

const errorOf = (bytes: Buffer) =>
  JSON.parse(bytes.toString('utf8')) as {
    error: { code: string; message: string; fields: { field: string; message: string }[] };
  };

async function upload(bytes: Buffer<ArrayBuffer>, token: string, purpose = 'cv') {
  const hash = sha(bytes);
  const res = await fetch(`${server.url}/api/files/${hash}?purpose=${purpose}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes,
  });
  expect([200, 201]).toContain(res.status);
  return hash;
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

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ['recruteur1', 'recruteur2']) tokens[who] = await server.login(`${who}@demo.test`);
  tokens.member = await memberOf(ORG1);
});

afterEach(() => {
  Object.assign(fileBatchLimits, defaults);
});

afterAll(async () => {
  await server?.stop();
});

describe('POST /api/files/batch', () => {
  it('sends the files asked for, framed: exact bytes and types, in the order asked', async () => {
    const pdf = makePdf();
    const png = makePng({ width: 9, height: 4 });
    const png2 = makePng({ width: 2, height: 11 });
    const h1 = await upload(pdf, tokens.recruteur1);
    const h2 = await upload(png, tokens.recruteur1, 'logo');
    const h3 = await upload(png2, tokens.recruteur1, 'logo');
    const res = await batch({ sha256: [h2, h1, h2, h3] }, tokens.recruteur1);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const answer = parseBatch(res.bytes);
    expect(answer.files.map((f) => f.sha256)).toEqual([h2, h1, h3]);
    const [first, second, third] = answer.files;
    expect(first).toMatchObject({ mime: 'image/png', size: png.length });
    expect(first!.bytes.equals(png)).toBe(true);
    expect(second).toMatchObject({ mime: 'application/pdf', size: pdf.length });
    expect(second!.bytes.equals(pdf)).toBe(true);
    expect(third!.bytes.equals(png2)).toBe(true);
    for (const f of answer.files) expect(sha(f.bytes)).toBe(f.sha256);
    expect(answer.missing).toEqual([]);
    expect(answer.deferred).toEqual([]);
  });

  it('lists other users’ files as missing exactly like unknown ones', async () => {
    const mine = await upload(makePng({ rgb: [3, 30, 200] }), tokens.recruteur2, 'logo');
    const theirs = await upload(makePng({ rgb: [200, 30, 3] }), tokens.recruteur1, 'logo');
    const unknown = 'e'.repeat(64);
    const res = await batch({ sha256: [theirs, mine, unknown] }, tokens.recruteur2);
    expect(res.status).toBe(200);
    const answer = parseBatch(res.bytes);
    expect(answer.files.map((f) => f.sha256)).toEqual([mine]);
    expect(answer.missing).toEqual([theirs, unknown]);
    expect(answer.deferred).toEqual([]);
    // Asked alone, a file of someone else and an unknown one get byte-identical answers.
    const a = await batch({ sha256: [theirs] }, tokens.recruteur2);
    const b = await batch({ sha256: [unknown] }, tokens.recruteur2);
    expect(a.bytes.toString().replace(theirs, 'X')).toBe(b.bytes.toString().replace(unknown, 'X'));
  });

  it('follows the single download’s rule: a live document visible to the user refers to the file', async () => {
    const hash = await upload(makePng({ rgb: [5, 120, 5] }), tokens.recruteur1, 'logo');
    const own = await upload(makePng({ rgb: [6, 121, 6] }), tokens.member, 'logo');
    const offerId = randomUUID();
    await server.db.query(
      `insert into offers (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, 1, nextval('sync_seq'))`,
      [offerId, JSON.stringify({ id: offerId, organisationId: ORG1 }), [`org:${ORG1}`]],
    );
    const ask = async (token: string) => parseBatch((await batch({ sha256: [hash, own] }, token)).bytes);
    expect((await ask(tokens.member)).missing).toEqual([hash]);
    await recordFileRefs(server.db, 'offers', offerId, [hash]);
    expect((await ask(tokens.member)).files.map((f) => f.sha256)).toEqual([hash, own]);
    expect((await ask(tokens.recruteur2)).missing).toEqual([hash, own]);
    await server.db.query('update offers set deleted = true where id = $1', [offerId]);
    expect((await ask(tokens.member)).missing).toEqual([hash]);
    // The single route agrees.
    const single = await fetch(`${server.url}/api/files/${hash}`, {
      headers: { authorization: `Bearer ${tokens.member}` },
    });
    expect(single.status).toBe(404);
  });

  it('lets any CVthèque user read the file of a live CV, in the same answer as other collections', async () => {
    const cvFile = await upload(
      Buffer.concat([makePdf(), Buffer.from('% CV de la CVthèque\n')]),
      tokens.recruteur2,
    );
    const offerFile = await upload(makePng({ rgb: [44, 1, 44] }), tokens.recruteur2, 'logo');
    const cvId = randomUUID();
    const offerId = randomUUID();
    const insert = (table: string, id: string, keys: string[]) =>
      server.db.query(
        `insert into ${table} (id, doc, keys, deleted, txid, seq) values ($1, $2, $3, false, 1, nextval('sync_seq'))`,
        [id, JSON.stringify({ id }), keys],
      );
    await insert('cvs', cvId, ['user:personne']);
    await insert('offers', offerId, ['org:personne']);
    await recordFileRefs(server.db, 'cvs', cvId, [cvFile]);
    await recordFileRefs(server.db, 'offers', offerId, [offerFile]);
    const employer = parseBatch((await batch({ sha256: [offerFile, cvFile] }, tokens.recruteur1)).bytes);
    expect(employer.files.map((f) => f.sha256)).toEqual([cvFile]);
    expect(employer.missing).toEqual([offerFile]);
    const candidate = await server.login('candidat@demo.test');
    expect(parseBatch((await batch({ sha256: [cvFile] }, candidate)).bytes).missing).toEqual([cvFile]);
    await server.db.query('update cvs set deleted = true where id = $1', [cvId]);
    expect(parseBatch((await batch({ sha256: [cvFile] }, tokens.recruteur1)).bytes).missing).toEqual([
      cvFile,
    ]);
  });

  it('defers the files beyond the size limit, to be asked for again', async () => {
    const files = [1, 2, 3, 4].map((n) => makePng({ width: 10 + n, height: 10 }));
    const hashes: string[] = [];
    for (const f of files) hashes.push(await upload(f, tokens.recruteur1, 'logo'));
    // Room for two files; reads one at a time.
    Object.assign(fileBatchLimits, { maxBytes: files[0]!.length + files[1]!.length, readBytes: 1 });
    const first = parseBatch((await batch({ sha256: hashes }, tokens.recruteur1)).bytes);
    expect(first.files.map((f) => f.sha256)).toEqual(hashes.slice(0, 2));
    expect(first.files[1]!.bytes.equals(files[1]!)).toBe(true);
    expect(first.deferred).toEqual(hashes.slice(2));
    expect(first.missing).toEqual([]);
    // A file larger than the limit still goes, alone.
    Object.assign(fileBatchLimits, { maxBytes: 1 });
    const alone = parseBatch((await batch({ sha256: hashes.slice(2) }, tokens.recruteur1)).bytes);
    expect(alone.files.map((f) => f.sha256)).toEqual([hashes[2]]);
    expect(alone.deferred).toEqual([hashes[3]]);
  });

  it('answers 401 without a session', async () => {
    const res = await batch({ sha256: ['a'.repeat(64)] });
    expect(res.status).toBe(401);
    expect(errorOf(res.bytes).error.code).toBe('unauthenticated');
  });

  it('answers 400 in French, naming the field, for bad input', async () => {
    const tooMany = await batch(
      { sha256: Array.from({ length: 101 }, (_, i) => sha(Buffer.from([i]))) },
      tokens.recruteur1,
    );
    expect(tooMany.status).toBe(400);
    expect(errorOf(tooMany.bytes).error).toMatchObject({
      message: BATCH_TOO_MANY_MESSAGE,
      fields: [{ field: 'sha256', message: BATCH_TOO_MANY_MESSAGE }],
    });

    const malformed = await batch(
      { sha256: ['a'.repeat(64), 'not-a-hash', 'A'.repeat(64), 42] },
      tokens.recruteur1,
    );
    expect(malformed.status).toBe(400);
    expect(errorOf(malformed.bytes).error.fields).toEqual([
      { field: 'sha256.1', message: INVALID_HASH },
      { field: 'sha256.2', message: INVALID_HASH },
      { field: 'sha256.3', message: INVALID_HASH },
    ]);

    for (const body of [{ sha256: 'a'.repeat(64) }, {}, [], { sha256: { 0: 'x' } }, null]) {
      const res = await batch(body, tokens.recruteur1);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(res.bytes).error.fields).toEqual([{ field: 'sha256', message: BATCH_LIST_MESSAGE }]);
    }
    const broken = await batch('{"sha256": [', tokens.recruteur1, true);
    expect(broken.status).toBe(400);
  });

  it('answers an empty list with just the last line', async () => {
    const res = await batch({ sha256: [] }, tokens.recruteur1);
    expect(res.status).toBe(200);
    expect(res.bytes.toString()).toBe('{"missing":[],"deferred":[]}\n');
  });
});
