import type {
  LoginResponse,
  MemberRole,
  OrganisationKind,
  SessionUser,
} from '../../../../shared/domain/account';
import type { OrganisationDoc } from '../../../../shared/schemas';
import { apiFetch } from '../../lib/api';

/**
 * The organisation REST API (sync-server/API.md, « Organisations »). The screens read the replicated
 * `organisations` collection and change things through these calls (online only).
 */

export interface OrganisationAddressInput {
  street?: string;
  postalCode: string;
  city: string;
  communeCode?: string;
  latitude?: number;
  longitude?: number;
}

export interface IdentityPayload {
  name: string;
  subtype?: string;
  siret?: string;
  nafCode?: string;
  sizeBand?: string;
  sector?: string;
  phone?: string;
  email?: string;
  address?: OrganisationAddressInput;
}

export interface CreatePayload extends IdentityPayload {
  kind?: OrganisationKind;
  parentId?: string;
}

type OrgAnswer = { organisation: OrganisationDoc };

const path = (id: string) => `/api/organisations/${encodeURIComponent(id)}`;

export function createOrganisation(body: CreatePayload) {
  return apiFetch<OrgAnswer & { user: SessionUser | null }>('/api/organisations', { method: 'POST', body });
}

export function updateOrganisation(id: string, body: IdentityPayload) {
  return apiFetch<OrgAnswer & { changed: string[] }>(path(id), { method: 'PUT', body });
}

export function inviteMember(id: string, email: string) {
  return apiFetch<OrgAnswer & { invitation: { id: string; email: string; expiresAt: string } }>(
    `${path(id)}/invitations`,
    { method: 'POST', body: { email } },
  );
}

export function resendInvitation(id: string, invitationId: string) {
  return apiFetch<OrgAnswer>(`${path(id)}/invitations/${encodeURIComponent(invitationId)}/resend`, {
    method: 'POST',
    body: {},
  });
}

export function cancelInvitation(id: string, invitationId: string) {
  return apiFetch<OrgAnswer>(`${path(id)}/invitations/${encodeURIComponent(invitationId)}`, {
    method: 'DELETE',
  });
}

export function setMemberRole(id: string, accountId: string, role: MemberRole) {
  return apiFetch<OrgAnswer>(`${path(id)}/members/${encodeURIComponent(accountId)}`, {
    method: 'PUT',
    body: { role },
  });
}

export function removeMember(id: string, accountId: string) {
  return apiFetch<{ organisation: OrganisationDoc | null; user: SessionUser | null }>(
    `${path(id)}/members/${encodeURIComponent(accountId)}`,
    { method: 'DELETE' },
  );
}

export interface QueueItem {
  organisation: OrganisationDoc;
  creator: { name: string; email: string; jobTitle?: string } | null;
  parentName?: string;
  sameSiret: { name: string; kind: OrganisationKind }[];
}

export function fetchVerificationQueue() {
  return apiFetch<{ organisations: QueueItem[] }>('/api/moderation/organisations');
}

export type VerificationDecisionInput = 'accepter' | 'demander-informations' | 'refuser';

export function decideVerification(id: string, decision: VerificationDecisionInput, reason?: string) {
  return apiFetch<OrgAnswer>(`/api/moderation/organisations/${encodeURIComponent(id)}/decision`, {
    method: 'POST',
    body: reason ? { decision, reason } : { decision },
  });
}

export type InvitationStatus = 'valide' | 'expiree' | 'acceptee' | 'annulee' | 'remplacee';

export interface InvitationPreview {
  email: string;
  organisationName: string;
  organisationKind: OrganisationKind;
  invitedBy: string | null;
  invitedAt: string;
  expiresAt: string;
  status: InvitationStatus;
  expired: boolean;
  accountExists: boolean;
  message?: string;
}

export function previewInvitation(token: string) {
  return apiFetch<{ invitation: InvitationPreview }>(`/api/invitations/${encodeURIComponent(token)}`, {
    quietAuth: true,
  });
}

export interface SignupFields {
  lastName: string;
  firstName: string;
  jobTitle: string;
  password: string;
}

/** Signed in: joins. Signed out with the sign-up fields: creates the account, signs in and joins. */
export function acceptInvitation(token: string, signup?: SignupFields) {
  return apiFetch<
    Partial<LoginResponse> & {
      user: SessionUser;
      organisation: OrganisationDoc | null;
      alreadyMember?: boolean;
    }
  >(`/api/invitations/${encodeURIComponent(token)}/accept`, {
    method: 'POST',
    body: signup ?? {},
    quietAuth: true,
  });
}
