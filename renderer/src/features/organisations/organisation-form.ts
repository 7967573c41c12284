import {
  type Membership,
  ORGANISATION_KIND_LABELS,
  type OrganisationKind,
  type SessionUser,
} from '../../../../shared/domain/account';
import {
  COMPANY_CATEGORIES,
  companyCategoryOf,
  normaliseNafCode,
  ORGANISATION_SUBTYPES,
  SECTORS,
  SIZE_BANDS,
  subtypeLabel,
  VERIFICATION_STATE_LABELS,
  type VerificationState,
  validateOrganisationInput,
} from '../../../../shared/domain/organisation';
import { formatSiret, normaliseSiret } from '../../../../shared/domain/siret';
import type { OrganisationDoc } from '../../../../shared/schemas';
import type { CreatePayload, IdentityPayload } from './organisation-api';

/**
 * The organisation identity form (create, edit) and the labels of the organisation screens: pure
 * model, validation mirroring the server's (shared/domain/organisation.ts). No DOM, no React.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** The commune part of the address, as the commune type-ahead gives it. */
export interface CommuneChoice {
  code?: string;
  name: string;
  postalCode: string;
  lat?: number;
  lon?: number;
}

export interface OrganisationFormValues {
  kind: OrganisationKind | '';
  subtype: string;
  name: string;
  siret: string;
  nafCode: string;
  sizeBand: string;
  sector: string;
  phone: string;
  email: string;
  street: string;
  commune: CommuneChoice | null;
  /** What was typed in the commune field (kept while no commune is chosen). */
  communeText: string;
}

export const EMPTY_ORGANISATION_FORM: OrganisationFormValues = {
  kind: '',
  subtype: '',
  name: '',
  siret: '',
  nafCode: '',
  sizeBand: '',
  sector: '',
  phone: '',
  email: '',
  street: '',
  commune: null,
  communeText: '',
};

/** Kinds a user may create from the workstation (the platform is run by the operator). */
export const CREATABLE_KINDS: readonly OrganisationKind[] = ['employer', 'agency', 'prescriber', 'training'];

export const FIELD_LABELS: Record<string, string> = {
  kind: 'Type d’organisation',
  subtype: 'Catégorie',
  name: 'Nom de l’organisation',
  siret: 'Numéro SIRET',
  nafCode: 'Code NAF (activité principale)',
  sizeBand: 'Effectif salarié',
  sector: 'Secteur d’activité',
  phone: 'Téléphone',
  email: 'E-mail de contact',
  street: 'Adresse (numéro et rue)',
  commune: 'Commune',
};

export function docToForm(doc: OrganisationDoc): OrganisationFormValues {
  const a = doc.address;
  return {
    kind: doc.kind,
    subtype: doc.subtype ?? '',
    name: doc.name,
    siret: doc.siret ?? '',
    nafCode: doc.nafCode ?? '',
    sizeBand: doc.sizeBand ?? '',
    sector: doc.sector ?? '',
    phone: doc.phone ?? '',
    email: doc.email ?? '',
    street: a?.street ?? '',
    commune: a
      ? {
          name: a.city,
          postalCode: a.postalCode,
          ...(a.communeCode ? { code: a.communeCode } : {}),
          ...(a.latitude !== undefined && a.longitude !== undefined
            ? { lat: a.latitude, lon: a.longitude }
            : {}),
        }
      : null,
    communeText: a ? `${a.city} (${a.postalCode})` : '',
  };
}

/** The identity as the API takes it (empty optional fields are sent empty: the server clears them). */
export function formToPayload(
  v: OrganisationFormValues,
): IdentityPayload & { address?: IdentityPayload['address'] } {
  const c = v.commune;
  return {
    name: v.name.trim(),
    subtype: v.subtype,
    siret: normaliseSiret(v.siret.trim()),
    nafCode: v.nafCode.trim() ? normaliseNafCode(v.nafCode) : '',
    sizeBand: v.sizeBand,
    sector: v.sector,
    phone: v.phone.trim(),
    email: v.email.trim(),
    ...(c
      ? {
          address: {
            ...(v.street.trim() ? { street: v.street.trim() } : {}),
            postalCode: c.postalCode,
            city: c.name,
            ...(c.code ? { communeCode: c.code } : {}),
            ...(c.lat !== undefined && c.lon !== undefined ? { latitude: c.lat, longitude: c.lon } : {}),
          },
        }
      : {}),
  };
}

export function formToCreatePayload(v: OrganisationFormValues, parentId?: string): CreatePayload {
  const identity = formToPayload(v);
  const payload: CreatePayload = { ...identity, ...(v.kind ? { kind: v.kind } : {}) };
  if (parentId) {
    payload.parentId = parentId;
    // An antenna shares its parent's SIRET: the server fills it in.
    delete payload.siret;
  }
  for (const k of ['subtype', 'nafCode', 'sizeBand', 'sector', 'phone', 'email'] as const) {
    if (!payload[k]) delete payload[k];
  }
  return payload;
}

const PHONE = /^\+?[0-9 .()-]{6,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The form's errors, as the server would report them, with the form's field names. */
export function validateOrganisationForm(
  v: OrganisationFormValues,
  options: { antenna?: boolean } = {},
): FieldError[] {
  const payload = formToPayload(v);
  const errors: FieldError[] = validateOrganisationInput({
    name: payload.name,
    kind: v.kind || undefined,
    subtype: payload.subtype || undefined,
    siret: options.antenna ? undefined : payload.siret || undefined,
    nafCode: payload.nafCode || undefined,
    sizeBand: payload.sizeBand || undefined,
    sector: payload.sector || undefined,
    address: payload.address,
  })
    // An antenna's SIRET is its parent's; the server fills it in.
    .filter((e) => !(options.antenna && e.field === 'siret'))
    .map((e) => ({ field: formField(e.field), message: e.message }));
  // One message for the commune, however many parts of the address are missing.
  if (!v.commune) {
    const rest = errors.filter((e) => e.field !== 'commune');
    errors.length = 0;
    errors.push(...rest, {
      field: 'commune',
      message: v.communeText.trim()
        ? 'Choisissez la commune dans la liste proposée.'
        : 'La commune est obligatoire : tapez son nom ou son code postal et choisissez-la dans la liste.',
    });
  }
  if (payload.phone && !PHONE.test(payload.phone))
    errors.push({
      field: 'phone',
      message: 'Le numéro de téléphone n’est pas valide (chiffres, espaces, « + », 20 caractères au plus).',
    });
  if (payload.email && !EMAIL.test(payload.email))
    errors.push({ field: 'email', message: 'L’adresse e-mail de l’organisation n’est pas valide.' });
  return dedupe(errors);
}

/** Server and validator field names → the form's controls (`address.city` → `commune`). */
export function formField(field: string): string {
  if (field === 'address' || field === 'address.postalCode' || field === 'address.city') return 'commune';
  if (
    field.startsWith('address.latitude') ||
    field.startsWith('address.longitude') ||
    field === 'address.communeCode'
  )
    return 'commune';
  if (field === 'address.street') return 'street';
  return field;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The DOM id of a form control. */
export function organisationFieldId(prefix: string, field: string): string {
  return `${prefix}-${formField(field).replace(/\./g, '-')}`;
}

// ---------------------------------------------------------------------------------------------
// Labels

export function kindLabel(kind: OrganisationKind): string {
  return ORGANISATION_KIND_LABELS[kind];
}

export function subtypeOptions(kind: OrganisationKind | ''): readonly { code: string; label: string }[] {
  return kind ? ORGANISATION_SUBTYPES[kind] : [];
}

export function describeSubtype(kind: OrganisationKind, subtype: string | undefined): string {
  return subtypeLabel(kind, subtype) ?? subtype ?? '';
}

export { SECTORS, SIZE_BANDS };

export function sectorLabel(code: string | undefined): string {
  return SECTORS.find((s) => s.code === code)?.label ?? '';
}

export function sizeBandLabel(code: string | undefined): string {
  return SIZE_BANDS.find((s) => s.code === code)?.label ?? '';
}

/** « PME : 10 à 249 salariés » (seed 001 « Taille de l’entreprise »), from the size band. */
export function companySizeLabel(code: string | undefined): string {
  const category = code ? companyCategoryOf(code) : undefined;
  return COMPANY_CATEGORIES.find((c) => c.code === category)?.label ?? '';
}

export function roleLabel(role: 'admin' | 'member'): string {
  return role === 'admin' ? 'Administrateur' : 'Membre';
}

export function verificationLabel(state: VerificationState): string {
  return VERIFICATION_STATE_LABELS[state];
}

export { formatSiret };

export function membershipLabel(m: Pick<Membership, 'kind' | 'role'>): string {
  return `${kindLabel(m.kind)} · ${roleLabel(m.role)}`;
}

/** The signed-in user's role in an organisation document (null when not a member). */
export function myRole(
  doc: Pick<OrganisationDoc, 'members'> | null | undefined,
  user: Pick<SessionUser, 'id'>,
) {
  return doc?.members.find((m) => m.accountId === user.id)?.role ?? null;
}

export function memberName(m: { firstName: string; lastName: string }): string {
  return `${m.firstName} ${m.lastName}`.trim();
}

/** The name of the member who sent an invitation (an id in the document). */
export function inviterName(doc: Pick<OrganisationDoc, 'members'>, accountId: string): string {
  const m = doc.members.find((x) => x.accountId === accountId);
  return m ? memberName(m) : 'un ancien membre';
}

export function isExpired(expiresAt: string, now = new Date()): boolean {
  return new Date(expiresAt).getTime() <= now.getTime();
}

/** Whether a member may be removed or demoted without leaving the organisation without an administrator. */
export function adminCount(doc: Pick<OrganisationDoc, 'members'>): number {
  return doc.members.filter((m) => m.role === 'admin').length;
}

/** Employers and agencies are verified before publishing (seeds 000, 003). */
export function verificationMessage(
  doc: Pick<OrganisationDoc, 'verificationState' | 'verificationReason' | 'kind'>,
): {
  tone: 'info' | 'warning' | 'error';
  title: string;
  text: string;
} | null {
  switch (doc.verificationState) {
    case 'en_attente':
      return {
        tone: 'info',
        title: 'Vérification en attente',
        text: 'La modération vérifie le SIRET, le nom, l’adresse et votre fonction. Vous pouvez tout préparer : vos offres seront publiées une fois l’organisation vérifiée.',
      };
    case 'informations_demandees':
      return {
        tone: 'warning',
        title: 'Informations demandées par la modération',
        text: `${doc.verificationReason ?? ''} Complétez ou corrigez les informations ci-dessous puis enregistrez : l’organisation sera de nouveau examinée.`.trim(),
      };
    case 'refusee':
      return {
        tone: 'error',
        title: 'Vérification refusée',
        text: `${doc.verificationReason ? `Motif : ${doc.verificationReason} ` : ''}Les offres de l’organisation ne peuvent pas être publiées. Corrigez les informations pour demander un nouvel examen.`,
      };
    default:
      return null;
  }
}
