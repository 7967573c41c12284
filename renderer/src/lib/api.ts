import type { FieldError } from '../../../shared/sync/errors';
import { isApiErrorBody } from '../../../shared/sync/errors';
import { getBridge, isElectron } from './bridge';
import { reportNetworkFailure, reportNetworkSuccess } from './network-status';

/**
 * HTTP access to the sync server. In the browser (web workstation) the API is same-origin and
 * authenticated by the HttpOnly `session` cookie; in Electron the bearer token from sign-in is sent
 * in `Authorization`.
 */

let baseUrl = (import.meta.env?.VITE_SERVER_URL ?? '').replace(/\/+$/, '');
let bearerToken: string | null = null;

export function setServerUrl(url: string | null | undefined): void {
  baseUrl = (url ?? '').replace(/\/+$/, '');
}

export function getServerUrl(): string {
  return baseUrl;
}

export function setBearerToken(token: string | null): void {
  bearerToken = token;
}

/** Keeps the token in Electron's safeStorage (through the bridge) so a restart stays signed in. */
export async function persistBearerToken(token: string | null): Promise<void> {
  setBearerToken(token);
  const bridge = getBridge();
  try {
    if (token) await bridge?.saveToken?.(token);
    else await bridge?.clearToken?.();
  } catch {
    // Without safeStorage the token lives in memory only.
  }
}

export function getBearerToken(): string | null {
  return bearerToken;
}

/** Reads the server URL and stored token from the Electron bridge, when there is one. */
export async function initApiFromBridge(): Promise<void> {
  const bridge = getBridge();
  if (!bridge) return;
  try {
    const url = await bridge.getServerUrl?.();
    if (url) setServerUrl(url);
    const token = await bridge.loadToken?.();
    if (token) setBearerToken(token);
  } catch {
    // The bridge is optional; without it we stay on the defaults.
  }
}

/** Electron authenticates with the bearer token; the browser relies on the HttpOnly cookie only. */
export function isElectronSession(): boolean {
  return isElectron();
}

export function apiUrl(path: string): string {
  return `${baseUrl}${path}`;
}

/** Headers to authenticate a request (bearer in Electron, nothing in the browser: the cookie goes). */
export function authHeaders(): Record<string, string> {
  return isElectron() && bearerToken ? { Authorization: `Bearer ${bearerToken}` } : {};
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly retryAfter?: number;

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], retryAfter?: number) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.retryAfter = retryAfter;
  }
}

/** The server could not be reached at all (offline, DNS, refused connection). */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('Le serveur est injoignable. Vérifiez votre connexion.');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** `revoked`: the session was closed from elsewhere (`session-revoked`): local data must go. */
type ApiEvent = 'unauthenticated' | 'revoked' | 'outdated';
const listeners = new Map<ApiEvent, Set<() => void>>();

/** Subscribe to session loss (401) or outdated client (426) anywhere in the app. */
export function onApiEvent(event: ApiEvent, listener: () => void): () => void {
  let set = listeners.get(event);
  if (!set) {
    set = new Set();
    listeners.set(event, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

export function emitApiEvent(event: ApiEvent): void {
  for (const l of listeners.get(event) ?? []) l();
}

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'La demande n’est pas valide.',
  401: 'Votre session a expiré. Connectez-vous à nouveau.',
  403: 'Vous n’avez pas les droits nécessaires pour cette action.',
  404: 'Élément introuvable.',
  409: 'Conflit avec une modification existante.',
  413: 'La demande est trop volumineuse.',
  426: 'Mettez à jour l’application : cette version n’est plus acceptée par le serveur.',
  429: 'Trop de tentatives. Patientez un instant avant de réessayer.',
};

/** Turns a non-2xx response into an ApiError with a French message. */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = (await res.json()) as unknown;
  } catch {
    body = null;
  }
  const retryHeader = res.headers.get('Retry-After');
  const retryAfter = retryHeader && /^\d+$/.test(retryHeader) ? Number(retryHeader) : undefined;
  const fallback = DEFAULT_MESSAGES[res.status] ?? `Erreur du serveur (${res.status}). Réessayez plus tard.`;
  if (isApiErrorBody(body)) {
    let message = body.error.message || fallback;
    if (res.status === 429 && retryAfter) message = `${message} (réessayez dans ${retryAfter} s)`;
    return new ApiError(res.status, body.error.code, message, body.error.fields ?? [], retryAfter);
  }
  return new ApiError(res.status, `http-${res.status}`, fallback, [], retryAfter);
}

export interface ApiRequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Do not broadcast 401 as a lost session (sign-in, session probe). */
  quietAuth?: boolean;
}

/** fetch with credentials, bearer when in Electron, JSON in and out, French errors. */
export async function apiFetch<T>(path: string, options: ApiRequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(apiUrl(path), {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'include',
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    reportNetworkFailure();
    throw new NetworkError(err);
  }
  reportNetworkSuccess();
  if (!res.ok) {
    const error = await errorFromResponse(res);
    if (res.status === 401 && error.code === 'session-revoked') emitApiEvent('revoked');
    else if (res.status === 401 && !options.quietAuth) emitApiEvent('unauthenticated');
    if (res.status === 426) emitApiEvent('outdated');
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
