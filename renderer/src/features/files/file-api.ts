import type { FilePurpose } from '../../../../shared/domain/files';
import { apiUrl, authHeaders, emitApiEvent, errorFromResponse } from '../../lib/api';
import { reportNetworkFailure, reportNetworkSuccess } from '../../lib/network-status';
import { sha256Hex } from './sha256';
import { outcomeOfStatus, type UploadOutcome } from './upload-queue-logic';

/**
 * The sync server's file routes as the workstation calls them (`sync-server/src/files/routes.ts`).
 * Same authentication as every API call: the session cookie in the browser, the bearer token in
 * Electron. These functions never throw: they say what happened.
 */

const filePath = (sha256: string) => `/api/files/${sha256}`;

async function request(path: string, init: RequestInit): Promise<Response | null> {
  try {
    const res = await fetch(apiUrl(path), { ...init, credentials: 'include' });
    reportNetworkSuccess();
    if (res.status === 401) emitApiEvent('unauthenticated');
    return res;
  } catch {
    // An abandoned request says nothing about the network.
    if (!init.signal?.aborted) reportNetworkFailure();
    return null;
  }
}

async function outcomeOf(res: Response): Promise<UploadOutcome> {
  if (res.ok) return { kind: 'uploaded' };
  const error = await errorFromResponse(res);
  return outcomeOfStatus(res.status, error.message, error.retryAfter);
}

/** Whether the server already has the file (and this user may read it). */
export async function fileStatus(sha256: string): Promise<UploadOutcome | { kind: 'absent' }> {
  const res = await request(`${filePath(sha256)}/status`, {
    headers: { Accept: 'application/json', ...authHeaders() },
  });
  if (!res) return { kind: 'offline' };
  if (!res.ok) return outcomeOf(res);
  const body = (await res.json().catch(() => null)) as { present?: unknown } | null;
  return body?.present === true ? { kind: 'uploaded' } : { kind: 'absent' };
}

/** Sends a file's bytes (idempotent on the server). */
export async function uploadFile(sha256: string, purpose: FilePurpose, blob: Blob): Promise<UploadOutcome> {
  const res = await request(`${filePath(sha256)}?purpose=${encodeURIComponent(purpose)}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json', ...authHeaders() },
    body: blob,
  });
  return res ? outcomeOf(res) : { kind: 'offline' };
}

export type DownloadResult =
  | { kind: 'ok'; blob: Blob; mime: string }
  /** Not on the server, or not for this user (the server does not say which). */
  | { kind: 'missing' }
  | { kind: 'offline' }
  | { kind: 'error'; message: string };

export const CORRUPT_DOWNLOAD_MESSAGE =
  'Le fichier reçu est altéré (empreinte différente). Réessayez plus tard.';

/** Downloads a file and checks that its bytes are the ones its name promises. */
export async function downloadFile(sha256: string, signal?: AbortSignal): Promise<DownloadResult> {
  const res = await request(filePath(sha256), { headers: authHeaders(), ...(signal ? { signal } : {}) });
  if (!res) return { kind: 'offline' };
  if (res.status === 404) return { kind: 'missing' };
  if (!res.ok) return { kind: 'error', message: (await errorFromResponse(res)).message };
  try {
    const bytes = new Uint8Array(await res.arrayBuffer());
    if ((await sha256Hex(bytes)) !== sha256) return { kind: 'error', message: CORRUPT_DOWNLOAD_MESSAGE };
    const mime = (res.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim();
    return { kind: 'ok', blob: new Blob([bytes], { type: mime }), mime };
  } catch {
    reportNetworkFailure();
    return { kind: 'offline' };
  }
}

// ---------------------------------------------------------------------------------------------
// Batch download (`POST /api/files/batch`, « Préparer le salon »)

/** Hashes one batch request may ask for (the server's limit). */
export const FILE_BATCH_MAX = 100;

export const TRUNCATED_BATCH_MESSAGE =
  'La réponse du serveur a été interrompue avant la fin : les fichiers manquants seront redemandés.';
export const UNREADABLE_BATCH_MESSAGE = 'La réponse du serveur est illisible (format inattendu).';

/** One piece of a batch answer, as the framing parser reads it. */
export type BatchFrame =
  | { kind: 'file'; sha256: string; mime: string; bytes: Uint8Array }
  | { kind: 'end'; missing: string[]; deferred: string[] };

/** What `downloadBatch` yields: files, then exactly one last event (`end` or a failure). */
export type BatchEvent =
  | BatchFrame
  /** The server does not know the batch route (404: an older server): download one by one. */
  | { kind: 'unsupported' }
  | { kind: 'offline' }
  | { kind: 'error'; message: string };

/** Longest header line accepted (the last one lists up to 100 hashes). */
const MAX_HEADER_BYTES = 64 * 1024;
/** Largest file a header may announce (far beyond any use's limit). */
const MAX_FRAME_BYTES = 1024 * 1024 * 1024;
const NEWLINE = 0x0a;

const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const isHashList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isHash);

/**
 * Reads the framing of `POST /api/files/batch` (see the route's comment) from chunks cut anywhere:
 * per file a JSON line `{"sha256","mime","size"}` then `size` bytes; last, a JSON line
 * `{"missing","deferred"}`. `push` returns the frames each chunk completes; `finish` throws
 * (in French) when the body stopped before its last line. Throws on anything malformed.
 */
export class BatchFrameParser {
  private header: Uint8Array[] = [];
  private headerLength = 0;
  private body: { sha256: string; mime: string; bytes: Uint8Array; filled: number } | null = null;
  private ended = false;
  private readonly decoder = new TextDecoder();

  get done(): boolean {
    return this.ended;
  }

  push(chunk: Uint8Array): BatchFrame[] {
    const frames: BatchFrame[] = [];
    let at = 0;
    while (at < chunk.length) {
      if (this.ended) throw new Error(UNREADABLE_BATCH_MESSAGE);
      if (this.body) {
        const body = this.body;
        const take = Math.min(body.bytes.length - body.filled, chunk.length - at);
        body.bytes.set(chunk.subarray(at, at + take), body.filled);
        body.filled += take;
        at += take;
        if (body.filled === body.bytes.length) {
          frames.push({ kind: 'file', sha256: body.sha256, mime: body.mime, bytes: body.bytes });
          this.body = null;
        }
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, at);
      const end = newline < 0 ? chunk.length : newline;
      this.headerLength += end - at;
      if (this.headerLength > MAX_HEADER_BYTES) throw new Error(UNREADABLE_BATCH_MESSAGE);
      this.header.push(chunk.subarray(at, end));
      at = end;
      if (newline < 0) break;
      at = newline + 1;
      const frame = this.readHeader();
      if (frame) frames.push(frame);
    }
    return frames;
  }

  /** Checks that the body ended where it should. */
  finish(): void {
    if (!this.ended) throw new Error(TRUNCATED_BATCH_MESSAGE);
  }

  private readHeader(): BatchFrame | null {
    const line = new Uint8Array(this.headerLength);
    let offset = 0;
    for (const part of this.header) {
      line.set(part, offset);
      offset += part.length;
    }
    this.header = [];
    this.headerLength = 0;
    let value: unknown;
    try {
      value = JSON.parse(this.decoder.decode(line));
    } catch {
      throw new Error(UNREADABLE_BATCH_MESSAGE);
    }
    if (typeof value !== 'object' || value === null) throw new Error(UNREADABLE_BATCH_MESSAGE);
    const v = value as Record<string, unknown>;
    if ('sha256' in v) {
      const size = v.size;
      if (
        !isHash(v.sha256) ||
        typeof v.mime !== 'string' ||
        typeof size !== 'number' ||
        !Number.isInteger(size) ||
        size < 0 ||
        size > MAX_FRAME_BYTES
      )
        throw new Error(UNREADABLE_BATCH_MESSAGE);
      const bytes = new Uint8Array(size);
      if (size === 0) return { kind: 'file', sha256: v.sha256, mime: v.mime, bytes };
      this.body = { sha256: v.sha256, mime: v.mime, bytes, filled: 0 };
      return null;
    }
    if (!isHashList(v.missing) || !isHashList(v.deferred)) throw new Error(UNREADABLE_BATCH_MESSAGE);
    this.ended = true;
    return { kind: 'end', missing: v.missing, deferred: v.deferred };
  }
}

/**
 * Downloads up to 100 files in one request, yielding each file as soon as its bytes arrived (the
 * answer is read as a stream), then one last event: `end` (with the hashes missing, and those
 * deferred to another request), `unsupported` (older server), `offline` or `error`. Never throws.
 * The caller checks each file's SHA-256 before keeping it.
 */
export async function* downloadBatch(
  hashes: readonly string[],
  signal?: AbortSignal,
): AsyncGenerator<BatchEvent, void, undefined> {
  const res = await request('/api/files/batch', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ sha256: hashes }),
    ...(signal ? { signal } : {}),
  });
  if (!res) {
    yield { kind: 'offline' };
    return;
  }
  if (res.status === 404) {
    await res.body?.cancel().catch(() => undefined);
    yield { kind: 'unsupported' };
    return;
  }
  if (!res.ok || !res.body) {
    yield { kind: 'error', message: (await errorFromResponse(res)).message };
    return;
  }
  yield* readBatchBody(res.body, signal);
}

/** The events of a batch answer's body (exported for tests). */
export async function* readBatchBody(
  body: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<BatchEvent, void, undefined> {
  const reader = body.getReader();
  const parser = new BatchFrameParser();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch {
        if (!signal?.aborted) reportNetworkFailure();
        yield signal?.aborted ? { kind: 'error', message: TRUNCATED_BATCH_MESSAGE } : { kind: 'offline' };
        return;
      }
      if (chunk.done) break;
      let frames: BatchFrame[];
      try {
        frames = parser.push(chunk.value);
      } catch (error) {
        yield { kind: 'error', message: (error as Error).message };
        return;
      }
      for (const frame of frames) yield frame;
    }
    try {
      parser.finish();
    } catch (error) {
      yield { kind: 'error', message: (error as Error).message };
    }
  } finally {
    // Stops the download when the consumer leaves early (or after an error).
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
