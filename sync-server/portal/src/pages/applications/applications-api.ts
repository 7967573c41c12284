/** The application routes as the portal calls them. */
import type {
  CandidateApplication,
  FollowedApplication,
  OfferSelection,
} from '../../../../../shared/domain/application';
import { apiRequest } from '../../api';

export interface CvChoice {
  id: string;
  title: string;
  status?: string;
}

export interface FolderChoice {
  id: string;
  name: string;
  cvTitle?: string | null;
}

/** The candidate's CVs (H2's route); an empty list while that area is not there. */
export async function fetchCvChoices(signal?: AbortSignal): Promise<CvChoice[]> {
  try {
    const body = await apiRequest<unknown>('GET', '/api/candidate/cvs', undefined, signal ? { signal } : {});
    const list = Array.isArray(body) ? body : ((body as { cvs?: unknown[] } | null)?.cvs ?? []);
    return (list as CvChoice[]).filter((c) => c && typeof c.id === 'string');
  } catch {
    return [];
  }
}

/** The candidate's application folders (« dossiers »); an empty list while that area is not there. */
export async function fetchFolderChoices(signal?: AbortSignal): Promise<FolderChoice[]> {
  try {
    const body = await apiRequest<unknown>(
      'GET',
      '/api/candidate/folders',
      undefined,
      signal ? { signal } : {},
    );
    const list = Array.isArray(body) ? body : ((body as { folders?: unknown[] } | null)?.folders ?? []);
    return (list as FolderChoice[]).filter((f) => f && typeof f.id === 'string');
  } catch {
    return [];
  }
}

/** Sends a file's bytes; the server names it by its hash. */
export async function uploadFile(file: File, anonymous: boolean, purpose: 'cv' | 'letter'): Promise<string> {
  const url = anonymous
    ? `/api/public/application-files?purpose=${purpose}`
    : `/api/candidate/files?purpose=${purpose}`;
  const body = await apiRequest<{ sha256: string }>('POST', url, new Blob([await file.arrayBuffer()]), {
    headers: { 'content-type': 'application/octet-stream' },
  });
  return body.sha256;
}

export const fetchApplications = (signal?: AbortSignal) =>
  apiRequest<{ applications: CandidateApplication[] }>(
    'GET',
    '/api/candidate/applications',
    undefined,
    signal ? { signal } : {},
  ).then((b) => b.applications);

export const moveApplication = (id: string, move: 'withdraw' | 'accept' | 'decline', reason?: string) =>
  apiRequest<{ application: CandidateApplication }>(
    'POST',
    `/api/candidate/applications/${encodeURIComponent(id)}/${move}`,
    reason ? { reason } : {},
  ).then((b) => b.application);

export const fetchFollowed = (token: string, signal?: AbortSignal) =>
  apiRequest<{ application: FollowedApplication }>(
    'GET',
    `/api/public/applications/follow?token=${encodeURIComponent(token)}`,
    undefined,
    signal ? { signal } : {},
  ).then((b) => b.application);

export const withdrawFollowed = (token: string, reason?: string) =>
  apiRequest<{ application: FollowedApplication }>('POST', '/api/public/applications/withdraw', {
    token,
    ...(reason ? { reason } : {}),
  }).then((b) => b.application);

export const fetchSelections = (signal?: AbortSignal) =>
  apiRequest<{ selections: OfferSelection[] }>(
    'GET',
    '/api/candidate/selections',
    undefined,
    signal ? { signal } : {},
  ).then((b) => b.selections);

export const addSelection = (offerId: string) =>
  apiRequest<{ selections: OfferSelection[] }>('POST', '/api/candidate/selections', { offerId }).then(
    (b) => b.selections,
  );

export const removeSelections = (offerIds: string[]) =>
  apiRequest<{ selections: OfferSelection[] }>('DELETE', '/api/candidate/selections', { offerIds }).then(
    (b) => b.selections,
  );
