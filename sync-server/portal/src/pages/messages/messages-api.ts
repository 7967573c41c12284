/**
 * The candidate's messaging routes (issue 7, contract in /work/briefs/common7.md; server side in
 * `sync-server/src/messaging/candidate-routes.ts`) as the portal calls them. JSON, session cookie;
 * errors come back as `ApiError` (400 with `fields`, 403 `messaging-refused`, 429 with a French
 * message).
 */
import type { MessagingBasis } from '../../../../../shared/domain/messaging';
import { apiRequest } from '../../api';

export type AboutKind = 'application' | 'offer' | 'cv' | 'company' | 'none';
export const ABOUT_KINDS: readonly AboutKind[] = ['application', 'offer', 'cv', 'company', 'none'];

export interface CandidateConversation {
  id: string;
  organisationId: string;
  organisationName: string;
  subject: string;
  aboutKind: AboutKind;
  aboutId?: string;
  aboutLabel?: string;
  lastMessageAt: string;
  lastMessagePreview: string;
  lastMessageFrom: 'candidate' | 'organisation';
  messageCount: number;
  unread: boolean;
  blockedByCandidate: boolean;
  blockedByOrganisation: boolean;
  canWrite: boolean;
  cannotWriteReason?: string;
}

export interface CandidateAttachment {
  sha256: string;
  name: string;
  size: number;
  mime?: string;
}

export interface CandidateMessage {
  id: string;
  authorKind: 'candidate' | 'organisation';
  authorName: string;
  body: string;
  attachments: CandidateAttachment[];
  sentAt: string;
  via: 'workstation' | 'portal' | 'email';
}

export interface ConversationPage {
  items: CandidateConversation[];
  total: number;
  unread: number;
}

export interface Recipient {
  organisationId: string;
  organisationName: string;
  basis: MessagingBasis;
  basisLabel: string;
  aboutKind?: AboutKind;
  aboutId?: string;
  aboutLabel?: string;
}

/**
 * `GET /api/me/messaging/can-write`. `organisationId` / `organisationName` are asked of the server
 * in addition to the contract, for `?companyId=` (a company page knows no organisation id).
 */
export type CanWrite =
  | { allowed: true; basis: MessagingBasis; organisationId?: string; organisationName?: string }
  | { allowed: false; code: string; message: string; organisationId?: string; organisationName?: string };

export interface NewConversation {
  organisationId: string;
  subject: string;
  body: string;
  attachments?: CandidateAttachment[];
  aboutKind?: AboutKind;
  aboutId?: string;
  /** The draft's id (UUID): a send retried after a lost answer is stored once (200, not 201). */
  id?: string;
}

/**
 * One id per draft: the same draft (same target, subject and body) sent again after a failure
 * (network, lost answer) keeps its id, so the server stores it once; forgotten once it was sent.
 */
const draftIds = new Map<string, string>();
/** `crypto.randomUUID()` exists only in secure contexts (HTTPS, localhost): a v4 UUID otherwise. */
function newDraftId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
function withDraftId<T extends { id?: string }>(key: string, body: T): { body: T; sent: () => void } {
  let id = body.id ?? draftIds.get(key);
  if (!id) {
    id = newDraftId();
    draftIds.set(key, id);
  }
  return { body: { ...body, id }, sent: () => draftIds.delete(key) };
}

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});
const conv = (id: string) => `/api/me/conversations/${encodeURIComponent(id)}`;

/** Told to the navigation (unread count) whenever the candidate reads, sends or hides something. */
export const MESSAGES_CHANGED_EVENT = 'portal:messages-changed';
export function messagesChanged(): void {
  window.dispatchEvent(new Event(MESSAGES_CHANGED_EVENT));
}

export const messagesApi = {
  list: (q: string, page: number, signal?: AbortSignal) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (page > 1) params.set('page', String(page));
    const query = params.toString();
    return apiRequest<ConversationPage>(
      'GET',
      `/api/me/conversations${query ? `?${query}` : ''}`,
      undefined,
      opts(signal),
    );
  },
  get: (id: string, signal?: AbortSignal) =>
    apiRequest<{ conversation: CandidateConversation; messages: CandidateMessage[] }>(
      'GET',
      conv(id),
      undefined,
      opts(signal),
    ),
  markRead: (id: string) => apiRequest<void>('POST', `${conv(id)}/read`, {}),
  hide: (ids: string[]) => apiRequest<{ hidden: number }>('POST', '/api/me/conversations/hide', { ids }),
  recipients: (signal?: AbortSignal) =>
    apiRequest<{ items: Recipient[] }>('GET', '/api/me/messaging/recipients', undefined, opts(signal)).then(
      (b) => b.items,
    ),
  /** By organisation, or by company profile (the server finds its organisation). */
  canWrite: (target: { organisationId: string } | { companyId: string }, signal?: AbortSignal) => {
    const query =
      'organisationId' in target
        ? `organisationId=${encodeURIComponent(target.organisationId)}`
        : `companyId=${encodeURIComponent(target.companyId)}`;
    return apiRequest<CanWrite>('GET', `/api/me/messaging/can-write?${query}`, undefined, opts(signal));
  },
  create: async (body: NewConversation) => {
    const draft = withDraftId(JSON.stringify(['new', body.organisationId, body.subject, body.body]), body);
    const result = await apiRequest<{ conversation: CandidateConversation; message: CandidateMessage }>(
      'POST',
      '/api/me/conversations',
      draft.body,
    );
    draft.sent();
    return result;
  },
  reply: async (id: string, body: { body: string; attachments?: CandidateAttachment[]; id?: string }) => {
    const draft = withDraftId(JSON.stringify(['reply', id, body.body]), body);
    const result = await apiRequest<{ message: CandidateMessage }>(
      'POST',
      `${conv(id)}/messages`,
      draft.body,
    );
    draft.sent();
    return result;
  },
  block: (id: string) => apiRequest<{ conversation: CandidateConversation }>('POST', `${conv(id)}/block`, {}),
  unblock: (id: string) =>
    apiRequest<{ conversation: CandidateConversation }>('POST', `${conv(id)}/unblock`, {}),
  report: (id: string, reason: string) => apiRequest<void>('POST', `${conv(id)}/report`, { reason }),
  /** A file for a message: raw bytes, the server checks the type by content and names it by its hash. */
  upload: async (file: File) =>
    apiRequest<{ sha256: string; mime: string; size: number }>(
      'POST',
      '/api/candidate/files?purpose=message',
      await file.arrayBuffer(),
      { headers: { 'content-type': 'application/octet-stream' } },
    ),
};
