import {
  type ContractType,
  canRecruiterMoveOffer,
  OFFER_CONTENT_FIELDS,
  type OfferContent,
  type OfferFieldError,
  type OfferStatus,
  type SalaryPeriod,
  validateOfferContent,
} from '../../../../shared/domain/offer';
import type { OfferDoc } from '../../../../shared/schemas';
import { blankOffer } from '../../../../shared/schemas/offer.schema';

/** What the offer form edits: strings as typed, so nothing is lost on a validation error. */
export interface OfferFormValues {
  title: string;
  jobTitle: string;
  romeCode: string;
  city: string;
  postalCode: string;
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
  description: string;
  requestedEndDate: string;
}

export const EMPTY_OFFER_FORM: OfferFormValues = {
  title: '',
  jobTitle: '',
  romeCode: '',
  city: '',
  postalCode: '',
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
  description: '',
  requestedEndDate: '',
};

/** French labels of the offer fields (form labels, error summary, notices). */
export const OFFER_FIELD_LABELS: Record<string, string> = {
  title: 'Titre de l’annonce',
  jobTitle: 'Métier',
  romeCode: 'Code ROME',
  city: 'Lieu du poste',
  postalCode: 'Code postal',
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
  description: 'Description',
  requestedEndDate: 'Date de retrait',
  status: 'Statut',
};

function parseAmount(text: string): number | undefined {
  const t = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!t) return undefined;
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

const opt = (v: string) => (v.trim() ? v.trim() : undefined);

/** The form's strings as the domain's offer content (empty optional fields left out). */
export function formToContent(values: OfferFormValues): OfferContent {
  const content: OfferContent = {
    title: values.title.trim(),
    jobTitle: values.jobTitle.trim(),
    romeCode: opt(values.romeCode)?.toUpperCase(),
    city: values.city.trim(),
    postalCode: opt(values.postalCode),
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
    description: values.description.trim(),
    requestedEndDate: opt(values.requestedEndDate),
  };
  for (const key of Object.keys(content) as (keyof OfferContent)[]) {
    if (content[key] === undefined) delete content[key];
  }
  return content;
}

/** An offer document as the form's values. */
export function docToForm(doc: OfferDoc): OfferFormValues {
  return {
    title: doc.title ?? '',
    jobTitle: doc.jobTitle ?? '',
    romeCode: doc.romeCode ?? '',
    city: doc.city ?? '',
    postalCode: doc.postalCode ?? '',
    companyName: doc.companyName ?? '',
    salaryMin: doc.salaryMin === undefined ? '' : String(doc.salaryMin),
    salaryMax: doc.salaryMax === undefined ? '' : String(doc.salaryMax),
    salaryPeriod: doc.salaryPeriod ?? '',
    contactName: doc.contactName ?? '',
    contactPhone: doc.contactPhone ?? '',
    contactEmail: doc.contactEmail ?? '',
    startDate: doc.startDate ?? '',
    seasonal: !!doc.seasonal,
    contractTypes: [...(doc.contractTypes ?? [])] as ContractType[],
    description: doc.description ?? '',
    requestedEndDate: doc.requestedEndDate ?? '',
  };
}

export function validateForm(values: OfferFormValues, forSubmission: boolean): OfferFieldError[] {
  return validateOfferContent(formToContent(values), forSubmission);
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

/** A new draft of the organisation (the server assigns number, author and dates). */
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

/** A new draft copying an offer's content (seed 001 « Dupliquer », also for deleted offers). */
export function duplicateOffer(source: OfferDoc, id: string, now: string): OfferDoc {
  const content = formToContent(docToForm(source));
  return newOfferDoc(id, source.organisationId, content, 'brouillon', now);
}

/** Soft delete: « Supprimée (Brouillon) » keeps the status it had. */
export function softDeleteOffer(doc: OfferDoc, now: string): OfferDoc {
  if (doc.status === 'supprimee') return doc;
  return { ...doc, previousStatus: doc.status, status: 'supprimee', updatedAt: now };
}

export function canSubmit(status: OfferStatus): boolean {
  return status !== 'en_attente' && canRecruiterMoveOffer(status, 'en_attente');
}

export function canDelete(status: OfferStatus): boolean {
  return status !== 'supprimee' && canRecruiterMoveOffer(status, 'supprimee');
}
