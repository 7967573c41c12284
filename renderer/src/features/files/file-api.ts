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
