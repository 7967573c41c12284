/** The CV routes of the portal (sync-server/src/candidate/cvs.ts). */
import type { CandidateCv, CvSummary } from '../../../../../shared/domain/cv';
import { apiRequest } from '../../api';

export interface PublishAnswer {
  cv: CandidateCv;
  completeness: number;
  threshold: number;
  reminder: boolean;
  missing: string[];
}

export interface UploadedFile {
  sha256: string;
  mime: string;
  size: number;
}

export const cvApi = {
  list: (signal?: AbortSignal) =>
    apiRequest<CvSummary[]>('GET', '/api/candidate/cvs', undefined, signal ? { signal } : {}),
  get: (id: string, signal?: AbortSignal) =>
    apiRequest<CandidateCv>(
      'GET',
      `/api/candidate/cvs/${encodeURIComponent(id)}`,
      undefined,
      signal ? { signal } : {},
    ),
  create: (body: Record<string, unknown>) => apiRequest<CandidateCv>('POST', '/api/candidate/cvs', body),
  save: (id: string, body: Record<string, unknown>) =>
    apiRequest<CandidateCv>('PUT', `/api/candidate/cvs/${encodeURIComponent(id)}`, body),
  publish: (id: string, body: Record<string, unknown> = {}) =>
    apiRequest<PublishAnswer>('POST', `/api/candidate/cvs/${encodeURIComponent(id)}/publish`, body),
  suspend: (id: string) =>
    apiRequest<CandidateCv>('POST', `/api/candidate/cvs/${encodeURIComponent(id)}/suspend`, {}),
  resume: (id: string) =>
    apiRequest<PublishAnswer>('POST', `/api/candidate/cvs/${encodeURIComponent(id)}/resume`, {}),
  remove: (id: string) => apiRequest<void>('DELETE', `/api/candidate/cvs/${encodeURIComponent(id)}`),
  /** The personal CV file: raw bytes, the server checks the type by content and names it by its hash. */
  upload: async (file: File) =>
    apiRequest<UploadedFile>('POST', '/api/candidate/files?purpose=cv', await file.arrayBuffer(), {
      headers: { 'content-type': 'application/octet-stream' },
    }),
};

/** `/mes-cv/<id>?etape=<n>` */
export const cvEditorHref = (id: string, step = 0) => `/mes-cv/${encodeURIComponent(id)}?etape=${step}`;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} o`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
  return `${String(Math.round((bytes / (1024 * 1024)) * 10) / 10).replace('.', ',')} Mo`;
}
