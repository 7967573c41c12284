import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http-error';

/**
 * A reference file served as is: its bytes, gzipped once in memory (the app registers no
 * compression), with its version as ETag so that clients revalidate for nothing.
 */
export interface VersionedJson {
  version: string;
  etag: string;
  raw: Buffer;
  /** Compressed on first use: the server reads the communes for its own searches long before a
   * client downloads them, and compressing them took 0.3 s of processor at each start. */
  readonly gzip: Buffer;
}

export function prepareVersionedJson(version: string, json: string): VersionedJson {
  const raw = Buffer.from(json, 'utf8');
  let gzip: Buffer | null = null;
  return {
    version,
    etag: `"${version}"`,
    raw,
    get gzip() {
      gzip ??= gzipSync(raw, { level: 9 });
      return gzip;
    },
  };
}

/** Folder of the generated reference files (`npm run build:reference`); `REFERENCE_DATA_DIR` overrides it. */
export function referenceDataDir(): string {
  return (
    process.env.REFERENCE_DATA_DIR || fileURLToPath(new URL('../../../resources/reference/', import.meta.url))
  );
}

export class ReferenceDataMissingError extends Error {
  constructor(path: string) {
    super(
      `Référentiel absent : ${path}. Générez-le avec « npm run build:reference » (fait aussi par « npm run build »).`,
    );
    this.name = 'ReferenceDataMissingError';
  }
}

/** Reads a generated reference file; throws a clear error when it is missing or malformed. */
export function readReferenceFile<T extends { version: string; rows: unknown[] }>(
  name: string,
): { file: T; json: string } {
  const path = join(referenceDataDir(), name);
  if (!existsSync(path)) throw new ReferenceDataMissingError(path);
  const json = readFileSync(path, 'utf8');
  let file: T;
  try {
    file = JSON.parse(json) as T;
  } catch {
    throw new Error(`Référentiel illisible (JSON invalide) : ${path}. Relancez « npm run build:reference ».`);
  }
  if (typeof file?.version !== 'string' || !Array.isArray(file.rows))
    throw new Error(`Référentiel au format inattendu : ${path}. Relancez « npm run build:reference ».`);
  return { file, json };
}

/** Runs `load`, turning a missing reference file into a French 503 for the client. */
export function withReference<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ReferenceDataMissingError)
      throw new HttpError(
        503,
        'internal',
        'Référentiel indisponible sur ce serveur pour le moment. Réessayez plus tard.',
      );
    throw err;
  }
}

/** Whether the client takes gzip (`Accept-Encoding`, honouring `q=0`). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  return value.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return !q || Number(q.slice(2)) > 0;
  });
}

export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}

/**
 * Sends a versioned file: 304 when the client has this version, gzip when it takes it. Cached a
 * day by browsers and proxies, then revalidated with the ETag.
 */
export function sendVersionedJson(request: FastifyRequest, reply: FastifyReply, body: VersionedJson) {
  reply.header('etag', body.etag);
  reply.header('cache-control', 'public, max-age=86400, stale-while-revalidate=604800');
  reply.header('vary', 'accept-encoding');
  // The desktop app calls from another origin: let it read the version.
  if (request.headers.origin) reply.header('access-control-expose-headers', 'retry-after, etag');
  if (matchesEtag(request.headers['if-none-match'], body.etag)) return reply.code(304).send();
  reply.type('application/json; charset=utf-8');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    reply.header('content-encoding', 'gzip');
    return reply.send(body.gzip);
  }
  return reply.send(body.raw);
}
