/** Accounts and sign-in: the rules every face checks the same way. */

export const MIN_PASSWORD_LENGTH = 10;

export const ORGANISATION_KINDS = ['employer', 'agency', 'prescriber', 'training', 'platform'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const ORGANISATION_KIND_LABELS: Record<OrganisationKind, string> = {
  employer: 'Employeur',
  agency: 'Agence',
  prescriber: 'Prescripteur',
  training: 'Organisme de formation',
  platform: 'Plateforme (modération)',
};

export type MemberRole = 'admin' | 'member';

export interface Membership {
  organisationId: string;
  organisationName: string;
  kind: OrganisationKind;
  role: MemberRole;
  verified: boolean;
}

export type AccountKind = 'recruiter' | 'candidate';

export interface SessionUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  jobTitle?: string;
  kind: AccountKind;
  /**
   * Whether the account's e-mail address was confirmed by its link (candidates; recruiters are
   * always true). A candidate prepares everything before, but cannot apply until then.
   */
  emailConfirmed: boolean;
  memberships: Membership[];
}

export interface LoginResponse {
  token: string;
  user: SessionUser;
}

export interface RecruiterSignup {
  lastName: string;
  firstName: string;
  jobTitle: string;
  email: string;
  password: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateRecruiterSignup(input: Partial<Record<keyof RecruiterSignup, unknown>>) {
  const errors: { field: string; message: string }[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  if (!str(input.lastName)) errors.push({ field: 'lastName', message: 'Le nom est obligatoire.' });
  if (!str(input.firstName)) errors.push({ field: 'firstName', message: 'Le prénom est obligatoire.' });
  if (!str(input.jobTitle)) errors.push({ field: 'jobTitle', message: 'Le poste occupé est obligatoire.' });
  if (!EMAIL.test(str(input.email)) || str(input.email).length > 254)
    errors.push({ field: 'email', message: 'L’adresse e-mail n’est pas valide.' });
  if (typeof input.password !== 'string' || input.password.length < MIN_PASSWORD_LENGTH)
    errors.push({
      field: 'password',
      message: `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`,
    });
  else if (input.password.length > 200)
    errors.push({ field: 'password', message: 'Le mot de passe ne doit pas dépasser 200 caractères.' });
  for (const k of ['lastName', 'firstName', 'jobTitle'] as const) {
    if (str(input[k]).length > 100)
      errors.push({ field: k, message: 'Ce champ ne doit pas dépasser 100 caractères.' });
  }
  return errors;
}
