import {
  type ApplicationMode,
  type ContractType,
  OFFER_CONTENT_FIELDS,
  type OfferContent,
  type OfferFieldError,
  type OfferStatus,
  type QualificationLevel,
  type SalaryPeriod,
  validateOfferContent,
  type WorkingTime,
} from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import { blankOffer } from '../../../../shared/schemas/offer.schema';

/** The public application contact (seed 004), as typed. */
export interface ApplicationContactValues {
  name: string;
  email: string;
  phone: string;
  url: string;
}

/** What the offer form edits: strings as typed, so nothing is lost on a validation error. */
export interface OfferFormValues {
  title: string;
  /** « Métier »: the chosen ROME appellation's label (or free text until one is chosen). */
  jobTitle: string;
  appellationCode: string;
  romeCode: string;
  /** « Lieu du poste »: the chosen commune. */
  city: string;
  postalCode: string;
  communeCode: string;
  latitude: number | null;
  longitude: number | null;
  /** The company profile chosen in « Entreprise » ('' when typed as free text). */
  companyId: string;
  companyName: string;
  salaryMin: string;
  salaryMax: string;
  salaryPeriod: '' | SalaryPeriod;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  startDate: string;
  seasonal: boolean;
  contractTypes: ContractType[];
  qualification: '' | QualificationLevel;
  posts: string;
  workingTime: '' | WorkingTime;
  weeklyHours: string;
  description: string;
  requestedEndDate: string;
  /** '' on offers written before the application mode existed: shown as the portal, saved as unset. */
  applicationMode: '' | ApplicationMode;
  applicationContact: ApplicationContactValues;
  coRecruiterIds: string[];
  /** Not edited: carried so that saving keeps it. */
  duplicatedFrom: string;
}

export const EMPTY_APPLICATION_CONTACT: ApplicationContactValues = {
  name: '',
  email: '',
  phone: '',
  url: '',
};

/** An empty form, with the defaults of a new offer (one post, applications on the portal). */
export const EMPTY_OFFER_FORM: OfferFormValues = {
  title: '',
  jobTitle: '',
  appellationCode: '',
  romeCode: '',
  city: '',
  postalCode: '',
  communeCode: '',
  latitude: null,
  longitude: null,
  companyId: '',
  companyName: '',
  salaryMin: '',
  salaryMax: '',
  salaryPeriod: '',
  contactName: '',
  contactPhone: '',
  contactEmail: '',
  startDate: '',
  seasonal: false,
  contractTypes: [],
  qualification: '',
  posts: '1',
  workingTime: '',
  weeklyHours: '',
  description: '',
  requestedEndDate: '',
  applicationMode: 'portail',
  applicationContact: EMPTY_APPLICATION_CONTACT,
  coRecruiterIds: [],
  duplicatedFrom: '',
};

/** French labels of the offer fields (form labels, error summary, notices). */
export const OFFER_FIELD_LABELS: Record<string, string> = {
  title: 'Titre de l’annonce',
  jobTitle: 'Métier',
  appellationCode: 'Métier',
  romeCode: 'Code ROME',
  city: 'Lieu du poste',
  postalCode: 'Code postal',
  communeCode: 'Lieu du poste',
  companyId: 'Entreprise',
  companyName: 'Entreprise',
  salaryMin: 'Salaire minimum',
  salaryMax: 'Salaire maximum',
  salaryPeriod: 'Période du salaire',
  contactName: 'Nom du contact',
  contactPhone: 'Téléphone du contact',
  contactEmail: 'E-mail du contact',
  startDate: 'Date de début souhaitée',
  seasonal: 'Offre saisonnière',
  contractTypes: 'Type de contrat',
  qualification: 'Qualification',
  posts: 'Nombre de postes',
  workingTime: 'Durée de travail',
  weeklyHours: 'Heures par semaine',
  description: 'Description',
  requestedEndDate: 'Date de retrait',
  applicationMode: 'Mode de candidature',
  applicationContact: 'Contact de candidature',
  'applicationContact.name': 'Nom affiché',
  'applicationContact.email': 'E-mail de candidature',
  'applicationContact.phone': 'Téléphone de candidature',
  'applicationContact.url': 'Lien de candidature',
  coRecruiterIds: 'Co-recruteurs',
  status: 'Statut',
};

function parseAmount(text: string): number | undefined {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!t) return undefined;
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

function parseInteger(text: string): number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return /^\d+$/.test(t) ? Number(t) : Number.NaN;
}

const opt = (v: string) => (v.trim() ? v.trim() : undefined);

function contactContent(values: OfferFormValues): OfferContent['applicationContact'] {
  // The public contact belongs to the « contact » mode only: with the portal, it is never kept.
  if (values.applicationMode !== 'contact') return undefined;
  const c = values.applicationContact;
  const out: NonNullable<OfferContent['applicationContact']> = {};
  const name = opt(c.name);
  const email = opt(c.email);
  const phone = opt(c.phone);
  const url = opt(c.url);
  if (name) out.name = name;
  if (email) out.email = email;
  if (phone) out.phone = phone;
  if (url) out.url = url;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The form's strings as the domain's offer content (empty optional fields left out). */
export function formToContent(values: OfferFormValues): OfferContent {
  const hasPosition =
    values.latitude !== null &&
    values.longitude !== null &&
    Number.isFinite(values.latitude) &&
    Number.isFinite(values.longitude);
  const content: OfferContent = {
    title: values.title.trim(),
    jobTitle: values.jobTitle.trim(),
    appellationCode: opt(values.appellationCode),
    romeCode: opt(values.romeCode)?.toUpperCase(),
    city: values.city.trim(),
    postalCode: opt(values.postalCode),
    communeCode: opt(values.communeCode),
    latitude: hasPosition ? (values.latitude as number) : undefined,
    longitude: hasPosition ? (values.longitude as number) : undefined,
    companyId: opt(values.companyId),
    companyName: values.companyName.trim(),
    salaryMin: parseAmount(values.salaryMin),
    salaryMax: parseAmount(values.salaryMax),
    salaryPeriod: values.salaryPeriod || undefined,
    contactName: opt(values.contactName),
    contactPhone: values.contactPhone.trim(),
    contactEmail: opt(values.contactEmail),
    startDate: opt(values.startDate),
    seasonal: values.seasonal,
    contractTypes: [...values.contractTypes],
    qualification: values.qualification || undefined,
    posts: parseInteger(values.posts),
    workingTime: values.workingTime || undefined,
    weeklyHours: parseAmount(values.weeklyHours),
    description: values.description.trim(),
    requestedEndDate: opt(values.requestedEndDate),
    applicationMode: values.applicationMode || undefined,
    applicationContact: contactContent(values),
    coRecruiterIds: values.coRecruiterIds.length > 0 ? [...values.coRecruiterIds] : undefined,
    duplicatedFrom: opt(values.duplicatedFrom),
  };
  for (const key of Object.keys(content) as (keyof OfferContent)[]) {
    if (content[key] === undefined) delete content[key];
  }
  return content;
}

const str = (v: number | undefined) => (v === undefined ? '' : String(v));

/** An offer document as the form's values. */
export function docToForm(doc: OfferDoc): OfferFormValues {
  const contact = doc.applicationContact;
  return {
    title: doc.title ?? '',
    jobTitle: doc.jobTitle ?? '',
    appellationCode: doc.appellationCode ?? '',
    romeCode: doc.romeCode ?? '',
    city: doc.city ?? '',
    postalCode: doc.postalCode ?? '',
    communeCode: doc.communeCode ?? '',
    latitude: doc.latitude ?? null,
    longitude: doc.longitude ?? null,
    companyId: doc.companyId ?? '',
    companyName: doc.companyName ?? '',
    salaryMin: str(doc.salaryMin),
    salaryMax: str(doc.salaryMax),
    salaryPeriod: doc.salaryPeriod ?? '',
    contactName: doc.contactName ?? '',
    contactPhone: doc.contactPhone ?? '',
    contactEmail: doc.contactEmail ?? '',
    startDate: doc.startDate ?? '',
    seasonal: !!doc.seasonal,
    contractTypes: [...(doc.contractTypes ?? [])] as ContractType[],
    qualification: doc.qualification ?? '',
    // No default here: an offer written before the field existed stays without it unless edited.
    posts: str(doc.posts),
    workingTime: doc.workingTime ?? '',
    weeklyHours: str(doc.weeklyHours),
    description: doc.description ?? '',
    requestedEndDate: doc.requestedEndDate ?? '',
    applicationMode: doc.applicationMode ?? '',
    applicationContact: {
      name: contact?.name ?? '',
      email: contact?.email ?? '',
      phone: contact?.phone ?? '',
      url: contact?.url ?? '',
    },
    coRecruiterIds: [...(doc.coRecruiterIds ?? [])],
    duplicatedFrom: doc.duplicatedFrom ?? '',
  };
}

export function validateForm(values: OfferFormValues, forSubmission: boolean): OfferFieldError[] {
  return validateOfferContent(formToContent(values), forSubmission);
}

/** Structural equality of two contents (key order and absent keys ignored). */
export function sameContent(a: OfferContent, b: OfferContent): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/** The content an offer document holds (what the form would produce for it unchanged). */
export function contentOf(doc: OfferDoc): OfferContent {
  const out: Record<string, unknown> = {};
  const d = doc as unknown as Record<string, unknown>;
  for (const key of OFFER_CONTENT_FIELDS) if (d[key] !== undefined) out[key] = d[key];
  return out as unknown as OfferContent;
}

/** The document with the content replaced (optional fields cleared when empty) and a status. */
export function applyContent(
  base: OfferDoc,
  content: OfferContent,
  status: OfferStatus,
  now: string,
): OfferDoc {
  const out = { ...base } as Record<string, unknown>;
  const c = content as unknown as Record<string, unknown>;
  for (const key of OFFER_CONTENT_FIELDS) {
    if (c[key] === undefined) delete out[key];
    else out[key] = c[key];
  }
  out.status = status;
  if (status !== 'supprimee' && base.status === 'supprimee') delete out.previousStatus;
  out.updatedAt = now;
  return out as unknown as OfferDoc;
}

/** A new offer of the organisation (the server assigns number, author, history and dates). */
export function newOfferDoc(
  id: string,
  organisationId: string,
  content: OfferContent,
  status: OfferStatus,
  now: string,
): OfferDoc {
  const base = blankOffer(id, organisationId, status, now);
  return applyContent(base, content, status, now);
}

/**
 * What « Dupliquer » never copies from the source: identity, status, moderation, history,
 * dates and every other server field, and the source's own link to an earlier offer.
 * Listed for the tests and the reader; `duplicateOffer` copies content fields only.
 */
export const NEVER_DUPLICATED = [
  'id',
  'number',
  'status',
  'previousStatus',
  'moderationReason',
  'moderationFlags',
  'history',
  'authorId',
  'createdAt',
  'updatedAt',
  'submittedAt',
  'publishedAt',
  'expiresAt',
  'expiryWarnedAt',
] as const;

/**
 * A new draft copying an offer's content (seed 001 « DUPLIQUER », deleted offers included): new
 * id, status brouillon, `duplicatedFrom` the source's id. Content dates already past (start,
 * withdrawal) are left out, since they would make no sense on a new offer. Co-recruiters are
 * named by each offer's author: they are copied only when the author duplicates their own offer.
 */
export function duplicateOffer(source: OfferDoc, id: string, now: string, byUserId?: string): OfferDoc {
  const content = contentOf(source) as unknown as Record<string, unknown>;
  const today = now.slice(0, 10);
  for (const key of ['startDate', 'requestedEndDate'] as const) {
    const v = content[key];
    if (typeof v === 'string' && v < today) delete content[key];
  }
  const ownOffer = byUserId !== undefined && (source.authorId === undefined || source.authorId === byUserId);
  if (!ownOffer) delete content.coRecruiterIds;
  else if (Array.isArray(content.coRecruiterIds)) {
    const kept = (content.coRecruiterIds as string[]).filter((c) => c !== byUserId);
    if (kept.length > 0) content.coRecruiterIds = kept;
    else delete content.coRecruiterIds;
  }
  // Copies of arrays and objects: the new draft shares nothing with its source.
  for (const [k, v] of Object.entries(content)) {
    if (Array.isArray(v)) content[k] = [...v];
    else if (v && typeof v === 'object') content[k] = { ...(v as object) };
  }
  content.duplicatedFrom = source.id;
  return newOfferDoc(id, source.organisationId, content as unknown as OfferContent, 'brouillon', now);
}

/** Soft delete: « Supprimée (Brouillon) » keeps the status it had. */
export function softDeleteOffer(doc: OfferDoc, now: string): OfferDoc {
  if (doc.status === 'supprimee') return doc;
  return { ...doc, previousStatus: doc.status, status: 'supprimee', updatedAt: now };
}

/** A plain status change (no content change), as the list's actions make it. */
export function moveOffer(doc: OfferDoc, to: OfferStatus, now: string): OfferDoc {
  if (to === 'supprimee') return softDeleteOffer(doc, now);
  const out = { ...doc, status: to, updatedAt: now } as OfferDoc;
  if (doc.status === 'supprimee') delete out.previousStatus;
  return out;
}

/**
 * The id of the control an error of `field` points to (error summary links, focus): nested
 * fields (« applicationContact.email ») and fields the form edits through another control
 * (the appellation through « Métier », the commune through « Lieu du poste »).
 */
export function offerFieldControlId(field: string): string {
  const alias: Record<string, string> = {
    appellationCode: 'jobTitle',
    romeCode: 'jobTitle',
    communeCode: 'city',
    postalCode: 'city',
    companyName: 'company',
    companyId: 'company',
    applicationContact: 'applicationContact.email',
    coRecruiterIds: 'coRecruiters',
  };
  const target = alias[field] ?? field;
  return `offer-${target.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}
