/** The public API of the sync server, as the portal reads it. */
import type { PublicOffer, PublicOfferPage } from '../../../shared/domain/public-offer';
import { isApiErrorBody } from '../../../shared/sync/errors';

export const PAGE_SIZE = 20;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
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
