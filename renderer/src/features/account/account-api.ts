import { MIN_PASSWORD_LENGTH, type SessionUser } from '../../../../shared/domain/account';
import { apiFetch } from '../../lib/api';

/** « Mes paramètres » (seed 001): the account REST API (sync-server/API.md, « Compte »). */

export interface AccountView {
  account: {
    id: string;
    email: string;
    firstName: string;
    lastName: string;
    jobTitle: string | null;
    kind: 'recruiter' | 'candidate';
    createdAt: string | null;
  };
  pendingEmailChange: { newEmail: string; expiresAt: string } | null;
  organisations: {
    id: string;
    name: string;
    kind: string;
    role: string;
    siret: string | null;
    sector: string | null;
    sizeBand: string | null;
    verificationState: string;
  }[];
}

export function fetchAccount() {
  return apiFetch<AccountView>('/api/account');
}

export interface ProfileValues {
  lastName: string;
  firstName: string;
  jobTitle: string;
}

export function saveProfile(values: ProfileValues) {
  return apiFetch<AccountView & { user: SessionUser }>('/api/account', { method: 'PUT', body: values });
}

export function changePassword(currentPassword: string, newPassword: string) {
  return apiFetch<{ sessionsClosed: number }>('/api/account/password', {
    method: 'POST',
    body: { currentPassword, newPassword },
  });
}

export function requestEmailChange(newEmail: string, password: string) {
  return apiFetch<{ pendingEmailChange: { newEmail: string; expiresAt: string } }>('/api/account/email', {
    method: 'POST',
    body: { newEmail, password },
  });
}

export function deleteAccount(password: string) {
  return apiFetch<void>('/api/account', { method: 'DELETE', body: { password } });
}

/** The word to type to confirm the deletion of the account. */
export const DELETE_CONFIRMATION_WORD = 'SUPPRIMER';

export function validateProfile(v: ProfileValues): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const labels: Record<keyof ProfileValues, string> = {
    lastName: 'Le nom',
    firstName: 'Le prénom',
    jobTitle: 'Le poste occupé',
  };
  for (const k of ['lastName', 'firstName', 'jobTitle'] as const) {
    const value = v[k].trim();
    if (!value) errors.push({ field: k, message: `${labels[k]} est obligatoire.` });
    else if (value.length > 100)
      errors.push({ field: k, message: `${labels[k]} ne doit pas dépasser 100 caractères.` });
  }
  return errors;
}

export function validatePasswordChange(current: string, next: string, confirm: string) {
  const errors: { field: string; message: string }[] = [];
  if (!current) errors.push({ field: 'currentPassword', message: 'Saisissez votre mot de passe actuel.' });
  if (next.length < MIN_PASSWORD_LENGTH)
    errors.push({
      field: 'newPassword',
      message: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`,
    });
  else if (next.length > 200)
    errors.push({ field: 'newPassword', message: 'Le mot de passe ne doit pas dépasser 200 caractères.' });
  else if (next === current)
    errors.push({ field: 'newPassword', message: 'Choisissez un mot de passe différent de l’actuel.' });
  if (confirm !== next)
    errors.push({
      field: 'confirmPassword',
      message: 'Les deux nouveaux mots de passe ne sont pas identiques.',
    });
  return errors;
}
