/** The public API of the sync server, as the portal reads it. */
import type { PublicOffer, PublicOfferPage } from '../../../shared/domain/public-offer';
import { type FieldError, isApiErrorBody } from '../../../shared/sync/errors';

export const PAGE_SIZE = 20;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    /** The fields at fault, as the server named them (forms show each message beside its field). */
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * Calls the API with the session cookie: JSON in and out. A `FormData`, `Blob` or `ArrayBuffer`
 * body is sent as it is. Errors become an `ApiError` with the server's French message and fields;
 * a lost connection becomes one too (status 0), so forms can always show something.
 */
export async function apiRequest<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
  options: { signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(options.headers ?? {}) };
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob || body instanceof ArrayBuffer) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      ...(payload !== undefined ? { body: payload } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(
      0,
      'network',
      'Connexion au serveur impossible. Vérifiez votre connexion et réessayez.',
    );
  }
  if (!response.ok) {
    const parsed: unknown = await response.json().catch(() => null);
    if (isApiErrorBody(parsed))
      throw new ApiError(response.status, parsed.error.code, parsed.error.message, parsed.error.fields ?? []);
    throw new ApiError(response.status, undefined, `Erreur ${response.status}. Réessayez dans un instant.`);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** The message of a field in an `ApiError`, if the server named it. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fields.find((f) => f.field === field)?.message : undefined;
}

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    if (isApiErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message);
    throw new ApiError(response.status, undefined, `Erreur ${response.status}`);
  }
  return (await response.json()) as T;
}

export function fetchOfferPage(page: number, signal?: AbortSignal): Promise<PublicOfferPage> {
  return getJson(`/api/public/offers?page=${page}&pageSize=${PAGE_SIZE}`, signal);
}

export function fetchOffer(idOrNumber: string, signal?: AbortSignal): Promise<PublicOffer> {
  return getJson(`/api/public/offers/${encodeURIComponent(idOrNumber)}`, signal);
}

export const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;
