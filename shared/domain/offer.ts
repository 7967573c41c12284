/**
 * Job offers: statuses, contract types, field rules and what a client may change.
 * Pure rules shared by the workstation, the sync server and the portal.
 */

export const OFFER_STATUSES = [
  'brouillon',
  'en_attente',
  'publiee',
  'refusee',
  'expiree',
  'pourvue',
  'archivee',
  'supprimee',
] as const;
export type OfferStatus = (typeof OFFER_STATUSES)[number];

export const OFFER_STATUS_LABELS: Record<OfferStatus, string> = {
  brouillon: 'Brouillon',
  en_attente: 'En attente de modération',
  publiee: 'Publiée',
  refusee: 'Refusée',
  expiree: 'Expirée',
  pourvue: 'Pourvue',
  archivee: 'Archivée',
  supprimee: 'Supprimée',
};

/** "Supprimée (Brouillon)" as in the recruiter guide. */
export function offerStatusLabel(status: OfferStatus, previousStatus?: OfferStatus): string {
  if (status === 'supprimee' && previousStatus && previousStatus !== 'supprimee') {
    return `${OFFER_STATUS_LABELS.supprimee} (${OFFER_STATUS_LABELS[previousStatus]})`;
  }
  return OFFER_STATUS_LABELS[status];
}

export const CONTRACT_TYPES = ['CDI', 'CDD', 'INTERIM', 'ALTERNANCE', 'STAGE', 'INDEPENDANT'] as const;
export type ContractType = (typeof CONTRACT_TYPES)[number];
export const CONTRACT_TYPE_LABELS: Record<ContractType, string> = {
  CDI: 'CDI',
  CDD: 'CDD',
  INTERIM: 'Intérim',
  ALTERNANCE: 'Alternance (apprentissage, professionnalisation)',
  STAGE: 'Stage',
  INDEPENDANT: 'Indépendant, franchise',
};

export const SALARY_PERIODS = ['horaire', 'mensuel', 'annuel'] as const;
export type SalaryPeriod = (typeof SALARY_PERIODS)[number];
export const SALARY_PERIOD_LABELS: Record<SalaryPeriod, string> = {
  horaire: 'de l’heure',
  mensuel: 'par mois',
  annuel: 'par an',
};

/** Days an offer stays online once published (recruiter guide: 60 days). */
export const OFFER_ONLINE_DAYS = 60;

/** Fields the server alone writes: whatever a client sends for them is ignored. */
export const OFFER_SERVER_FIELDS = [
  'number',
  'authorId',
  'createdAt',
  'updatedAt',
  'submittedAt',
  'publishedAt',
  'expiresAt',
  'moderationReason',
] as const;

export interface OfferFieldError {
  field: string;
  message: string;
}

/** The editable content of an offer, as the form and the server check it. */
export interface OfferContent {
  title: string;
  jobTitle: string;
  romeCode?: string;
  city: string;
  postalCode?: string;
  companyName: string;
  salaryMin?: number;
  salaryMax?: number;
  salaryPeriod?: SalaryPeriod;
  contactName?: string;
  contactPhone: string;
  contactEmail?: string;
  startDate?: string;
  seasonal: boolean;
  contractTypes: readonly string[];
  description: string;
  requestedEndDate?: string;
}

/** The fields a recruiter writes (everything but identity, status and server bookkeeping). */
export const OFFER_CONTENT_FIELDS = [
  'title',
  'jobTitle',
  'romeCode',
  'city',
  'postalCode',
  'companyName',
  'salaryMin',
  'salaryMax',
  'salaryPeriod',
  'contactName',
  'contactPhone',
  'contactEmail',
  'startDate',
  'seasonal',
  'contractTypes',
  'description',
  'requestedEndDate',
] as const satisfies readonly (keyof OfferContent)[];

const ROME_CODE = /^[A-N]\d{4}$/;
const POSTAL_CODE = /^(\d{5}|2[AB]\d{3})$/;
const PHONE = /^\+?[0-9 .()-]{10,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isValidDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * Checks what a recruiter typed. A draft only needs a title; an offer submitted
 * for moderation needs every starred field of the recruiter guide.
 */
export function validateOfferContent(
  offer: Partial<OfferContent>,
  forSubmission: boolean,
): OfferFieldError[] {
  const errors: OfferFieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  if (!text(offer.title)) add('title', 'Le titre de l’annonce est obligatoire.');
  else if (text(offer.title).length > 150) add('title', 'Le titre ne doit pas dépasser 150 caractères.');

  if (forSubmission) {
    if (!text(offer.jobTitle)) add('jobTitle', 'Le métier est obligatoire.');
    if (!text(offer.city)) add('city', 'Le lieu du poste est obligatoire.');
    if (!text(offer.companyName)) add('companyName', 'L’entreprise est obligatoire.');
    if (!text(offer.contactPhone)) add('contactPhone', 'Le téléphone du contact est obligatoire.');
    if (!offer.contractTypes || offer.contractTypes.length === 0)
      add('contractTypes', 'Choisissez au moins un type de contrat.');
    if (text(offer.description).length < 30)
      add('description', 'La description doit compter au moins 30 caractères.');
  }
  if (offer.romeCode && !ROME_CODE.test(offer.romeCode))
    add('romeCode', 'Le code ROME doit avoir la forme d’une lettre suivie de quatre chiffres (ex. : M1607).');
  if (offer.postalCode && !POSTAL_CODE.test(offer.postalCode))
    add('postalCode', 'Le code postal doit compter cinq chiffres.');
  if (offer.contactPhone && text(offer.contactPhone) && !PHONE.test(text(offer.contactPhone)))
    add('contactPhone', 'Le numéro de téléphone n’est pas valide.');
  if (offer.contactEmail && !EMAIL.test(offer.contactEmail))
    add('contactEmail', 'L’adresse e-mail du contact n’est pas valide.');
  for (const t of offer.contractTypes ?? []) {
    if (!(CONTRACT_TYPES as readonly string[]).includes(t))
      add('contractTypes', `Type de contrat inconnu : ${t}.`);
  }
  const min = offer.salaryMin;
  const max = offer.salaryMax;
  if (min !== undefined && (!Number.isFinite(min) || min < 0))
    add('salaryMin', 'Le salaire doit être positif.');
  if (max !== undefined && (!Number.isFinite(max) || max < 0))
    add('salaryMax', 'Le salaire doit être positif.');
  if (min !== undefined && max !== undefined && max < min)
    add('salaryMax', 'Le salaire maximum doit être supérieur ou égal au minimum.');
  if ((min !== undefined || max !== undefined) && !offer.salaryPeriod)
    add('salaryPeriod', 'Précisez si le salaire est horaire, mensuel ou annuel.');
  if (offer.startDate && !isValidDate(offer.startDate))
    add('startDate', 'La date de début n’est pas valide.');
  if (offer.requestedEndDate && !isValidDate(offer.requestedEndDate))
    add('requestedEndDate', 'La date de retrait n’est pas valide.');
  if (text(offer.description).length > 20000)
    add('description', 'La description ne doit pas dépasser 20 000 caractères.');
  return errors;
}

/**
 * Status changes a recruiter may make from the workstation in this version:
 * create a draft, submit it (again, once corrected after a refusal), withdraw a submission
 * back to draft, and soft-delete.
 * Publication, refusal and expiry belong to the server and to moderators.
 */
export const RECRUITER_OFFER_TRANSITIONS: Record<OfferStatus, readonly OfferStatus[]> = {
  brouillon: ['en_attente', 'supprimee'],
  en_attente: ['brouillon', 'supprimee'],
  publiee: ['pourvue', 'archivee', 'supprimee'],
  refusee: ['brouillon', 'en_attente', 'supprimee'],
  expiree: ['archivee', 'supprimee'],
  pourvue: ['archivee', 'supprimee'],
  archivee: ['supprimee'],
  supprimee: [],
};

export function canRecruiterMoveOffer(from: OfferStatus, to: OfferStatus): boolean {
  return from === to || RECRUITER_OFFER_TRANSITIONS[from].includes(to);
}

/** Content can be edited in these statuses; a published offer goes back to moderation when edited. */
export const OFFER_EDITABLE_STATUSES: readonly OfferStatus[] = [
  'brouillon',
  'en_attente',
  'refusee',
  'publiee',
];

/** Fields the public (portal, public API) may see: never the internal contact. */
/** Content the recruiter keeps for the platform: the internal contact (recruiter guide) and the withdrawal date. */
const OFFER_PRIVATE_CONTENT = ['contactName', 'contactPhone', 'contactEmail', 'requestedEndDate'] as const;
type PublicContentField = Exclude<
  (typeof OFFER_CONTENT_FIELDS)[number],
  (typeof OFFER_PRIVATE_CONTENT)[number]
>;

export const OFFER_PUBLIC_FIELDS = [
  'id',
  'number',
  ...OFFER_CONTENT_FIELDS.filter(
    (f): f is PublicContentField => !(OFFER_PRIVATE_CONTENT as readonly string[]).includes(f),
  ),
  'publishedAt',
  'expiresAt',
] as const;
