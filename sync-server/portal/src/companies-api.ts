/** The public API of the directories and company pages, and the communes referential, as the portal reads them. */
import type {
  PublicCompanyDetail,
  PublicCompanyPage,
  PublicPrescriberPage,
} from '../../../shared/domain/company-profile';
import { isApiErrorBody } from '../../../shared/sync/errors';
import { ApiError } from './api';
import { apiQuery, type DirectoryCriteria } from './directory';

export const DIRECTORY_PAGE_SIZE = 20;

async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    if (isApiErrorBody(body)) throw new ApiError(response.status, body.error.code, body.error.message);
    throw new ApiError(response.status, undefined, `Erreur ${response.status}`);
  }
  return (await response.json()) as T;
}

export function fetchCompanies(c: DirectoryCriteria, signal?: AbortSignal): Promise<PublicCompanyPage> {
  return getJson(`/api/public/companies${apiQuery(c, DIRECTORY_PAGE_SIZE, true)}`, signal);
}

export function fetchCompany(id: string, signal?: AbortSignal): Promise<PublicCompanyDetail> {
  return getJson(`/api/public/companies/${encodeURIComponent(id)}`, signal);
}

export function fetchPrescribers(c: DirectoryCriteria, signal?: AbortSignal): Promise<PublicPrescriberPage> {
  return getJson(`/api/public/prescribers${apiQuery(c, DIRECTORY_PAGE_SIZE, false)}`, signal);
}

/** A commune as the referential's routes answer (only the fields the portal reads). */
export interface CommuneChoice {
  code: string;
  name: string;
  postalCode: string;
}

export async function searchCommunes(q: string, signal?: AbortSignal): Promise<CommuneChoice[]> {
  const body = await getJson<{ items: { code: string; name: string; postalCode: string }[] }>(
    `/api/reference/communes/search?q=${encodeURIComponent(q)}&limit=8`,
    signal,
  );
  return body.items.map((c) => ({ code: c.code, name: c.name, postalCode: c.postalCode }));
}

export async function fetchCommune(code: string, signal?: AbortSignal): Promise<CommuneChoice> {
  const c = await getJson<{ code: string; name: string; postalCodes: string[] }>(
    `/api/reference/communes/${encodeURIComponent(code)}`,
    signal,
  );
  return { code: c.code, name: c.name, postalCode: c.postalCodes[0] ?? '' };
}

export const communeLabel = (c: CommuneChoice) => (c.postalCode ? `${c.name} (${c.postalCode})` : c.name);
