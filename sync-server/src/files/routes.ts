/**
 * Content-addressed files (DESIGN §4, "Files"): company logos and banners first, then CVs, cover
 * letters and photos.
 *
 * - `PUT /api/files/:sha256?purpose=logo`, body the raw bytes (`application/octet-stream`): checks the
 *   SHA-256, the size and the type (by content) for that use, stores the file once. Idempotent: a
 *   repeated upload answers 200 and rewrites nothing.
 * - `GET /api/files/:sha256`: the file, for whoever uploaded it or may see a document referring to
 *   it (`file_refs`); anyone else gets 404, so the answer never reveals that a file exists.
 * - `POST /api/files/batch`: up to 100 of them in one streamed answer (framing on the route).
 * - `GET /api/files/:sha256/status`: `{ present }`, for the workstation's upload queue.
 * - `GET /api/public/files/:sha256`: without an account, an image a published company profile shows
 *   (logo, banner, images of its description), and nothing else.
 */

import { Readable } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import {
  type FilePurpose,
  formatMegabytes,
  HASH_MISMATCH_MESSAGE,
  INVALID_HASH_MESSAGE,
  MEGABYTE,
  tooLargeMessage,
  UNKNOWN_PURPOSE_MESSAGE,
} from '../../../shared/domain/files';
import { requireUser } from '../auth/request-user';
import { isCvthequeUser } from '../cvtheque/session-scope';
import type { Database, Queryable } from '../db/database';
import { badRequest, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { userKeys } from '../sync/types';
import {
  checkFileContent,
  FILE_PURPOSES,
  FILE_TYPES,
  fileTypeOfMime,
  isFilePurpose,
  isImageMime,
  isSha256,
  MAX_FILE_BYTES,
  sha256Hex,
} from './file-types';

/** The upload route reads at most this much: the largest use's limit plus room to answer 413 itself. */
export const UPLOAD_BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024;

/** The collection whose published documents make their logo and banner public. */
export const PUBLIC_FILE_COLLECTION = 'companies';

export const FILE_NOT_FOUND_MESSAGE = 'Ce fichier n’existe pas ou vous n’y avez pas accès.';
const OCTET_STREAM_MESSAGE =
  'Envoyez le contenu brut du fichier (en-tête Content-Type: application/octet-stream).';

export interface FileRouteOptions {
  db: Database;
  engine: SyncEngine;
}

export interface StoredFileInfo {
  sha256: string;
  mime: string;
  size: number;
}

export interface UploadResult extends StoredFileInfo {
  /** False when the file was already stored (nothing was rewritten). */
  created: boolean;
}

// ---------------------------------------------------------------------------------------------
// Plain functions (no HTTP)

/**
 * Replaces the files a replicated document refers to. Call it in the transaction that writes the
 * document, with every hash the document now holds (`[]` when it is deleted). References may point
 * to files not uploaded yet (see `pendingFileRefs`); anything that is not a SHA-256 is ignored.
 */
export async function recordFileRefs(
  tx: Queryable,
  collection: string,
  docId: string,
  hashes: readonly (string | null | undefined)[],
): Promise<void> {
  const unique = [...new Set(hashes.filter(isSha256))];
  await tx.query(
    'delete from file_refs where collection = $1 and doc_id = $2 and not (sha256 = any($3::text[]))',
    [collection, docId, unique],
  );
  if (unique.length === 0) return;
  await tx.query(
    `insert into file_refs (sha256, collection, doc_id)
     select h, $1, $2 from unnest($3::text[]) as h
     on conflict do nothing`,
    [collection, docId, unique],
  );
}

/** The files a document refers to now (`file_refs`). */
export async function fileRefsOf(q: Queryable, collection: string, docId: string): Promise<string[]> {
  const { rows } = await q.query<{ sha256: string }>(
    'select sha256 from file_refs where collection = $1 and doc_id = $2',
    [collection, docId],
  );
  return rows.map((r) => r.sha256);
}

/**
 * After an erasure (RGPD): deletes the stored bytes of these files when nothing refers to them any
 * more (no document, no account that uploaded them), with the address traces of their public
 * upload. A file another document or an account still uses stays.
 */
export async function deleteUnusedFiles(q: Queryable, hashes: readonly string[]): Promise<void> {
  const unique = [...new Set(hashes.filter(isSha256))];
  if (unique.length === 0) return;
  const { rows } = await q.query<{ sha256: string }>(
    `delete from files f
      where f.sha256 = any($1::text[])
        and not exists (select 1 from file_refs r where r.sha256 = f.sha256)
        and not exists (select 1 from file_uploaders u where u.sha256 = f.sha256)
      returning f.sha256`,
    [unique],
  );
  const gone = rows.map((r) => r.sha256);
  if (gone.length > 0)
    await q.query('delete from public_application_files where sha256 = any($1::text[])', [gone]);
}

/** The files a document refers to that the server does not have yet (their upload is pending). */
export async function pendingFileRefs(q: Queryable, collection: string, docId: string): Promise<string[]> {
  const { rows } = await q.query<{ sha256: string }>(
    `select r.sha256 from file_refs r
      where r.collection = $1 and r.doc_id = $2
        and not exists (select 1 from files f where f.sha256 = r.sha256)
      order by r.sha256`,
    [collection, docId],
  );
  return rows.map((r) => r.sha256);
}

/** Stores a checked file once; records the user among its uploaders either way. */
export async function storeFile(
  db: Database,
  user: SessionUser,
  sha256: string,
  purpose: FilePurpose,
  mime: string,
  bytes: Uint8Array,
): Promise<UploadResult> {
  return db.transaction(async (tx) => {
    const inserted = await tx.query<{ sha256: string }>(
      `insert into files (sha256, mime, size, bytes, purpose, uploaded_by)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (sha256) do nothing returning sha256`,
      [sha256, mime, bytes.length, bytes, purpose, user.id],
    );
    await tx.query('insert into file_uploaders (sha256, account_id) values ($1, $2) on conflict do nothing', [
      sha256,
      user.id,
    ]);
    const { rows } = await tx.query<{ mime: string; size: number }>(
      'select mime, size from files where sha256 = $1',
      [sha256],
    );
    const stored = rows[0]!;
    return { sha256, mime: stored.mime, size: Number(stored.size), created: inserted.rows.length > 0 };
  });
}

export async function fileInfo(q: Queryable, sha256: string): Promise<StoredFileInfo | null> {
  const { rows } = await q.query<{ mime: string; size: number }>(
    'select mime, size from files where sha256 = $1',
    [sha256],
  );
  const row = rows[0];
  return row ? { sha256, mime: row.mime, size: Number(row.size) } : null;
}

/**
 * Whether the user may read a file: they uploaded it, or a live document of a replicated
 * collection that refers to it is visible to them (its audience keys meet theirs). The rule is
 * `mayReadFiles`'s, for one file.
 */
export async function mayReadFile(
  q: Queryable,
  engine: SyncEngine,
  user: SessionUser,
  sha256: string,
): Promise<boolean> {
  return (await mayReadFiles(q, engine, user, [sha256])).has(sha256);
}

/**
 * The files of `hashes` the user may read (same rule as `mayReadFile`), in two queries whatever
 * their number: their uploaders and the collections referring to them, then one union over those
 * collections of the live documents visible to the user.
 */
export async function mayReadFiles(
  q: Queryable,
  engine: SyncEngine,
  user: SessionUser,
  hashes: readonly string[],
): Promise<Set<string>> {
  const wanted = [...new Set(hashes.filter(isSha256))];
  const allowed = new Set<string>();
  if (wanted.length === 0) return allowed;
  const first = await q.query<{ kind: string; value: string }>(
    `select 'uploaded' as kind, sha256 as value from file_uploaders where account_id = $2 and sha256 = any($1::text[])
     union
     select 'collection' as kind, collection as value from file_refs where sha256 = any($1::text[])`,
    [wanted, user.id],
  );
  const collections: string[] = [];
  for (const row of first.rows) {
    if (row.kind === 'uploaded') allowed.add(row.value);
    else collections.push(row.value);
  }
  const rest = wanted.filter((h) => !allowed.has(h));
  const defs = collections
    .sort()
    .map((name) => engine.collection(name))
    .filter((def): def is NonNullable<typeof def> => !!def);
  if (rest.length === 0 || defs.length === 0) return allowed;
  // A CV of the CVthèque can be found by any CVthèque user through the server's search, beyond
  // what their replica holds (its file is referenced only while the CV is not anonymous).
  const cvthequeUser = isCvthequeUser(user);
  const params: unknown[] = [rest, userKeys(user)];
  const parts = defs.map((def) => {
    params.push(def.name);
    const anyLive = def.name === 'cvs' && cvthequeUser;
    // A message's files (issue 7): its organisation's members (the keys) and its candidate.
    const candidate = def.name === 'messages' && user.kind === 'candidate';
    if (candidate) params.push(user.id);
    return `select r.sha256 from file_refs r join ${def.table} d on d.id = r.doc_id
             where r.collection = $${candidate ? params.length - 1 : params.length} and r.sha256 = any($1::text[])
               and not d.deleted
               and (${anyLive ? 'true' : 'false'} or d.keys && $2::text[]${candidate ? ` or d.doc->>'candidateId' = $${params.length}` : ''})`;
  });
  const { rows } = await q.query<{ sha256: string }>(parts.join('\n union \n'), params);
  for (const row of rows) allowed.add(row.sha256);
  // A moderator (platform member) reads the files of a reported conversation's messages (issue 7,
  // `mayReadConversation`), as they read the conversation itself.
  const unread = rest.filter((h) => !allowed.has(h));
  if (
    unread.length > 0 &&
    collections.includes('messages') &&
    user.memberships.some((m) => m.kind === 'platform')
  ) {
    const reported = await q.query<{ sha256: string }>(
      `select distinct r.sha256 from file_refs r
         join messages m on m.id = r.doc_id and not m.deleted
         join conversations c on c.id = m.doc->>'conversationId' and not c.deleted
        where r.collection = 'messages' and r.sha256 = any($1::text[]) and c.doc->>'reportedAt' is not null`,
      [unread],
    );
    for (const row of reported.rows) allowed.add(row.sha256);
  }
  return allowed;
}

/**
 * Whether a file is shown by a published company profile: its logo, its banner, or an image of its
 * description (the profile's file references). The route serves images only, so a document set
 * as a "logo" never becomes public.
 */
export async function isPublicFile(q: Queryable, sha256: string): Promise<boolean> {
  const published = `not c.deleted and c.doc->>'published' = 'true'`;
  try {
    const { rows } = await q.query(
      `(select 1 from ${PUBLIC_FILE_COLLECTION} c
         where ${published} and (c.doc->>'logo' = $1 or c.doc->>'banner' = $1) limit 1)
       union all
       (select 1 from file_refs r join ${PUBLIC_FILE_COLLECTION} c on c.id = r.doc_id
         where r.sha256 = $1 and r.collection = $2 and ${published} limit 1)
       limit 1`,
      [sha256, PUBLIC_FILE_COLLECTION],
    );
    return rows.length > 0;
  } catch (error) {
    // Before the company profiles' migration there is nothing public.
    if ((error as { code?: unknown }).code === '42P01') return false;
    throw error;
  }
}

/** Public images (logos, banners, images of descriptions) are jpg or png of 1 Mo at most. */
export const PUBLIC_IMAGE_MAX_BYTES = FILE_PURPOSES.logo.maxBytes;

export function fitsPublicImage(mime: string, size: number): boolean {
  const type = fileTypeOfMime(mime);
  return (type === 'jpg' || type === 'png') && size <= PUBLIC_IMAGE_MAX_BYTES;
}

async function fileBytes(q: Queryable, sha256: string): Promise<Buffer> {
  const { rows } = await q.query<{ bytes: Uint8Array }>('select bytes from files where sha256 = $1', [
    sha256,
  ]);
  const bytes = rows[0]?.bytes;
  if (!bytes) throw notFound(FILE_NOT_FOUND_MESSAGE);
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// ---------------------------------------------------------------------------------------------
// Batch download (`POST /api/files/batch`)

/** Hashes one batch may ask for. */
export const FILE_BATCH_MAX_HASHES = 100;

/**
 * Limits of one batch answer. `maxBytes`: files are added while their total stays within it (the
 * first one always goes, however large), the rest are `deferred`; `readBytes`: bytes read from the
 * database at once (a few files). Mutable for tests (the server runs in their process).
 */
export const fileBatchLimits = { maxBytes: 64 * MEGABYTE, readBytes: 8 * MEGABYTE };

export const BATCH_LIST_MESSAGE =
  'Donnez la liste des empreintes des fichiers voulus : { "sha256": ["…", …] }.';
export const BATCH_TOO_MANY_MESSAGE = `${FILE_BATCH_MAX_HASHES} fichiers au plus par demande.`;

export interface FileBatchPlan {
  /** Files sent, in the order asked. */
  files: StoredFileInfo[];
  /** Unknown, or not for this user: the answer never says which. */
  missing: string[];
  /** Readable, but beyond the size limit of this answer: ask again. */
  deferred: string[];
}

/** Checks a batch body: `{ sha256: string[] }`, at most 100 well-formed hashes (repeats are ignored). */
export function parseFileBatchBody(body: unknown): string[] {
  const list = (body as { sha256?: unknown } | null | undefined)?.sha256;
  if (typeof body !== 'object' || body === null || Buffer.isBuffer(body) || !Array.isArray(list))
    throw badRequest(BATCH_LIST_MESSAGE, [{ field: 'sha256', message: BATCH_LIST_MESSAGE }]);
  if (list.length > FILE_BATCH_MAX_HASHES)
    throw badRequest(BATCH_TOO_MANY_MESSAGE, [{ field: 'sha256', message: BATCH_TOO_MANY_MESSAGE }]);
  const fields = list.flatMap((h, i) =>
    isSha256(h) ? [] : [{ field: `sha256.${i}`, message: INVALID_HASH_MESSAGE }],
  );
  if (fields.length > 0) throw badRequest(INVALID_HASH_MESSAGE, fields);
  return [...new Set(list as string[])];
}

/** Which of `hashes` one answer sends, which are missing, which wait for another request. */
export async function planFileBatch(
  q: Queryable,
  engine: SyncEngine,
  user: SessionUser,
  hashes: readonly string[],
  maxBytes = fileBatchLimits.maxBytes,
): Promise<FileBatchPlan> {
  const wanted = [...new Set(hashes)];
  const plan: FileBatchPlan = { files: [], missing: [], deferred: [] };
  if (wanted.length === 0) return plan;
  const [{ rows }, allowed] = await Promise.all([
    q.query<{ sha256: string; mime: string; size: number }>(
      'select sha256, mime, size from files where sha256 = any($1::text[])',
      [wanted],
    ),
    mayReadFiles(q, engine, user, wanted),
  ]);
  const infos = new Map(
    rows.map((r) => [r.sha256, { sha256: r.sha256, mime: r.mime, size: Number(r.size) }]),
  );
  let total = 0;
  for (const sha256 of wanted) {
    const info = infos.get(sha256);
    if (!info || !allowed.has(sha256)) plan.missing.push(sha256);
    else if (plan.deferred.length > 0 || (plan.files.length > 0 && total + info.size > maxBytes))
      plan.deferred.push(sha256);
    else {
      plan.files.push(info);
      total += info.size;
    }
  }
  return plan;
}

/**
 * The answer's bytes (documented on the route), reading the files from the database a few at a
 * time (`readBytes`). A file gone since the plan is listed as missing.
 */
export async function* fileBatchChunks(
  q: Queryable,
  plan: FileBatchPlan,
  readBytes = fileBatchLimits.readBytes,
): AsyncGenerator<Buffer> {
  const missing = [...plan.missing];
  let i = 0;
  while (i < plan.files.length) {
    const group: StoredFileInfo[] = [];
    let size = 0;
    while (i < plan.files.length && (group.length === 0 || size + plan.files[i]!.size <= readBytes)) {
      size += plan.files[i]!.size;
      group.push(plan.files[i++]!);
    }
    const { rows } = await q.query<{ sha256: string; bytes: Uint8Array }>(
      'select sha256, bytes from files where sha256 = any($1::text[])',
      [group.map((f) => f.sha256)],
    );
    const bytesOf = new Map(rows.map((r) => [r.sha256, r.bytes]));
    for (const info of group) {
      const bytes = bytesOf.get(info.sha256);
      if (!bytes) {
        missing.push(info.sha256);
        continue;
      }
      const buffer = Buffer.isBuffer(bytes)
        ? bytes
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      yield Buffer.from(`${JSON.stringify({ sha256: info.sha256, mime: info.mime, size: buffer.length })}\n`);
      yield buffer;
    }
  }
  yield Buffer.from(`${JSON.stringify({ missing, deferred: plan.deferred })}\n`);
}

// ---------------------------------------------------------------------------------------------
// HTTP

function shaParam(request: FastifyRequest): string {
  const value = (request.params as { sha256?: unknown }).sha256;
  if (!isSha256(value))
    throw badRequest(INVALID_HASH_MESSAGE, [{ field: 'sha256', message: INVALID_HASH_MESSAGE }]);
  return value;
}

function purposeQuery(request: FastifyRequest): FilePurpose {
  const value = (request.query as { purpose?: unknown } | undefined)?.purpose;
  if (!isFilePurpose(value))
    throw badRequest(UNKNOWN_PURPOSE_MESSAGE, [{ field: 'purpose', message: UNKNOWN_PURPOSE_MESSAGE }]);
  return value;
}

const tooLarge = (purpose: FilePurpose | null) =>
  new HttpError(
    413,
    'payload-too-large',
    purpose ? tooLargeMessage(purpose) : `Le fichier dépasse ${formatMegabytes(MAX_FILE_BYTES)}.`,
  );

function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  info: StoredFileInfo,
  bytes: () => Promise<Buffer>,
  visibility: 'private' | 'public',
): Promise<FastifyReply> | FastifyReply {
  const type = fileTypeOfMime(info.mime);
  const inline = isImageMime(info.mime);
  const etag = `"${info.sha256}"`;
  reply
    .header('etag', etag)
    .header('cache-control', `${visibility}, max-age=31536000, immutable`)
    .header('x-content-type-options', 'nosniff')
    // A file is never a page: nothing in it runs, even opened on its own.
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    .header(
      'content-disposition',
      inline
        ? 'inline'
        : `attachment; filename="${info.sha256.slice(0, 16)}.${type ? FILE_TYPES[type].extension : 'bin'}"`,
    );
  const match = request.headers['if-none-match'];
  if (typeof match === 'string' && match.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).send();
  }
  return bytes().then((b) => reply.type(info.mime).header('content-length', String(b.length)).send(b));
}

/** Signed-in user of an upload, found before its body is read. */
const uploaders = new WeakMap<FastifyRequest, SessionUser>();

export async function registerFileRoutes(app: FastifyInstance, { db, engine }: FileRouteOptions) {
  // Its own scope: the octet-stream parser, its body limit and its error answers apply to these
  // routes only; the rest of the API keeps its JSON-only parsing and global limit.
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    scope.setErrorHandler(async (error: FastifyError, request) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        const purpose = (request.query as { purpose?: unknown } | undefined)?.purpose;
        throw tooLarge(isFilePurpose(purpose) ? purpose : null);
      }
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
        throw new HttpError(415, 'bad-request', OCTET_STREAM_MESSAGE);
      }
      throw error; // the application's handler answers everything else
    });

    scope.put(
      '/api/files/:sha256',
      {
        bodyLimit: UPLOAD_BODY_LIMIT,
        // Before the body is read: who is sending, for what, and whether it can fit at all.
        onRequest: async (request, reply) => {
          const user = await requireUser(db, request);
          shaParam(request);
          const purpose = purposeQuery(request);
          const declared = Number(request.headers['content-length']);
          if (Number.isFinite(declared) && declared > FILE_PURPOSES[purpose].maxBytes) {
            // The rest of the body is not read: the connection ends with this answer.
            reply.header('connection', 'close');
            throw tooLarge(purpose);
          }
          uploaders.set(request, user);
        },
      },
      async (request, reply) => {
        const user = uploaders.get(request) ?? (await requireUser(db, request));
        const sha256 = shaParam(request);
        const purpose = purposeQuery(request);
        const body = request.body;
        if (!Buffer.isBuffer(body)) throw new HttpError(415, 'bad-request', OCTET_STREAM_MESSAGE);
        if (body.length > FILE_PURPOSES[purpose].maxBytes) throw tooLarge(purpose);
        if (body.length > 0 && sha256Hex(body) !== sha256)
          throw badRequest(HASH_MISMATCH_MESSAGE, [{ field: 'sha256', message: HASH_MISMATCH_MESSAGE }]);
        const check = checkFileContent(purpose, body);
        if (!check.ok) {
          if (check.status === 413) throw tooLarge(purpose);
          if (check.status === 400)
            throw badRequest(check.message, [{ field: 'file', message: check.message }]);
          throw new HttpError(415, 'validation', check.message, [{ field: 'file', message: check.message }]);
        }
        const result = await storeFile(db, user, sha256, purpose, check.mime, body);
        reply.code(result.created ? 201 : 200);
        return result;
      },
    );

    // The portal's uploads: the server names the file by its hash (a page served over plain HTTP
    // has no WebCrypto to compute it). Same checks as above.
    scope.post(
      '/api/candidate/files',
      {
        bodyLimit: UPLOAD_BODY_LIMIT,
        onRequest: async (request, reply) => {
          const user = await requireUser(db, request);
          const purpose = purposeQuery(request);
          const declared = Number(request.headers['content-length']);
          if (Number.isFinite(declared) && declared > FILE_PURPOSES[purpose].maxBytes) {
            reply.header('connection', 'close');
            throw tooLarge(purpose);
          }
          uploaders.set(request, user);
        },
      },
      async (request, reply) => {
        const user = uploaders.get(request) ?? (await requireUser(db, request));
        const purpose = purposeQuery(request);
        const body = request.body;
        if (!Buffer.isBuffer(body)) throw new HttpError(415, 'bad-request', OCTET_STREAM_MESSAGE);
        if (body.length > FILE_PURPOSES[purpose].maxBytes) throw tooLarge(purpose);
        const check = checkFileContent(purpose, body);
        if (!check.ok) {
          if (check.status === 413) throw tooLarge(purpose);
          if (check.status === 400)
            throw badRequest(check.message, [{ field: 'file', message: check.message }]);
          throw new HttpError(415, 'validation', check.message, [{ field: 'file', message: check.message }]);
        }
        const result = await storeFile(db, user, sha256Hex(body), purpose, check.mime, body);
        reply.code(result.created ? 201 : 200);
        return result;
      },
    );

    /*
     * `POST /api/files/batch`, body `{ "sha256": ["<64 hex>", …] }` (at most 100): many files in one
     * answer, for « Préparer le salon ». Signed-in users; the rights of `GET /api/files/:sha256`.
     * Answer `200 application/octet-stream`, streamed, framed as:
     *   for each file sent, in the order asked: one JSON line `{"sha256","mime","size"}` + "\n",
     *   then exactly `size` bytes (the file);
     *   last, one JSON line `{"missing":[…],"deferred":[…]}` + "\n" (no "sha256" key): `missing` the
     *   hashes unknown or not for this user (never saying which), `deferred` the readable ones left
     *   out by the size limit (`fileBatchLimits.maxBytes`), to ask for again.
     * A body that ends before that last line was cut short.
     */
    scope.post('/api/files/batch', async (request, reply) => {
      const user = await requireUser(db, request);
      const hashes = parseFileBatchBody(request.body);
      const plan = await planFileBatch(db, engine, user, hashes);
      reply
        .type('application/octet-stream')
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff');
      return reply.send(Readable.from(fileBatchChunks(db, plan)));
    });

    scope.get('/api/files/:sha256/status', async (request) => {
      const user = await requireUser(db, request);
      const sha256 = shaParam(request);
      const present = !!(await fileInfo(db, sha256)) && (await mayReadFile(db, engine, user, sha256));
      return { present };
    });

    scope.get('/api/files/:sha256', async (request, reply) => {
      const user = await requireUser(db, request);
      const sha256 = shaParam(request);
      const info = await fileInfo(db, sha256);
      if (!info || !(await mayReadFile(db, engine, user, sha256))) throw notFound(FILE_NOT_FOUND_MESSAGE);
      return sendFile(request, reply, info, () => fileBytes(db, sha256), 'private');
    });

    scope.get('/api/public/files/:sha256', async (request, reply) => {
      const sha256 = shaParam(request);
      const info = await fileInfo(db, sha256);
      if (!info || !fitsPublicImage(info.mime, info.size) || !(await isPublicFile(db, sha256)))
        throw notFound(FILE_NOT_FOUND_MESSAGE);
      return sendFile(request, reply, info, () => fileBytes(db, sha256), 'public');
    });
  });
}
