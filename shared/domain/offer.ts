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

/** Days an offer stays online once published (recruiter guide: 60 days; the server may be configured otherwise). */
export const OFFER_ONLINE_DAYS = 60;

/** Qualification levels as France Travail codes them on offers (1 to 9). */
export const QUALIFICATION_LEVELS = [
  'manoeuvre',
  'ouvrier_specialise',
  'ouvrier_qualifie_p1p2',
  'ouvrier_qualifie_p3p4',
  'employe_non_qualifie',
  'employe_qualifie',
  'technicien',
  'agent_de_maitrise',
  'cadre',
] as const;
export type QualificationLevel = (typeof QUALIFICATION_LEVELS)[number];
export const QUALIFICATION_LABELS: Record<QualificationLevel, string> = {
  manoeuvre: 'Manœuvre',
  ouvrier_specialise: 'Ouvrier spécialisé',
  ouvrier_qualifie_p1p2: 'Ouvrier qualifié (P1, P2)',
  ouvrier_qualifie_p3p4: 'Ouvrier qualifié (P3, P4, OHQ)',
  employe_non_qualifie: 'Employé non qualifié',
  employe_qualifie: 'Employé qualifié',
  technicien: 'Technicien',
  agent_de_maitrise: 'Agent de maîtrise',
  cadre: 'Cadre',
};

export const WORKING_TIMES = ['temps_plein', 'temps_partiel'] as const;
export type WorkingTime = (typeof WORKING_TIMES)[number];
export const WORKING_TIME_LABELS: Record<WorkingTime, string> = {
  temps_plein: 'Temps plein',
  temps_partiel: 'Temps partiel',
};

/** How candidates apply: online on the portal, or through a contact the recruiter shows. */
export const APPLICATION_MODES = ['portail', 'contact'] as const;
export type ApplicationMode = (typeof APPLICATION_MODES)[number];
export const APPLICATION_MODE_LABELS: Record<ApplicationMode, string> = {
  portail: 'En ligne, sur le portail candidat',
  contact: 'Auprès d’un contact affiché sur l’offre',
};

/** What an offer's history records: every transition, with who and when. */
export const OFFER_HISTORY_ACTIONS = [
  'creation',
  'duplication',
  'soumission',
  'retour_brouillon',
  'publication',
  'refus',
  'modification_publiee',
  'republication',
  'pourvue',
  'archivage',
  'expiration',
  'suppression',
] as const;
export type OfferHistoryAction = (typeof OFFER_HISTORY_ACTIONS)[number];
export const OFFER_HISTORY_LABELS: Record<OfferHistoryAction, string> = {
  creation: 'Création',
  duplication: 'Création par duplication',
  soumission: 'Soumission à la modération',
  retour_brouillon: 'Retour en brouillon',
  publication: 'Publication',
  refus: 'Refus de la modération',
  modification_publiee: 'Modifiée après publication : renvoyée en modération',
  republication: 'Republication',
  pourvue: 'Poste pourvu',
  archivage: 'Archivage',
  expiration: 'Expiration',
  suppression: 'Suppression',
};

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
  'history',
  'moderationFlags',
  'expiryWarnedAt',
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
  companyId?: string;
  appellationCode?: string;
  communeCode?: string;
  latitude?: number;
  longitude?: number;
  qualification?: QualificationLevel;
  posts?: number;
  workingTime?: WorkingTime;
  weeklyHours?: number;
  applicationMode?: ApplicationMode;
  applicationContact?: { name?: string; email?: string; phone?: string; url?: string };
  coRecruiterIds?: readonly string[];
  duplicatedFrom?: string;
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
  'companyId',
  'appellationCode',
  'communeCode',
  'latitude',
  'longitude',
  'qualification',
  'posts',
  'workingTime',
  'weeklyHours',
  'applicationMode',
  'applicationContact',
  'coRecruiterIds',
  'duplicatedFrom',
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
  if (offer.appellationCode !== undefined && !/^\d{1,10}$/.test(offer.appellationCode))
    add('appellationCode', 'Choisissez le métier dans la liste des appellations du ROME.');
  if (offer.communeCode !== undefined && !/^(\d{5}|2[AB]\d{3})$/.test(offer.communeCode))
    add('communeCode', 'Choisissez la commune dans la liste.');
  if ((offer.latitude === undefined) !== (offer.longitude === undefined))
    add('communeCode', 'La position de la commune est incomplète : choisissez-la de nouveau dans la liste.');
  if (offer.posts !== undefined && (!Number.isInteger(offer.posts) || offer.posts < 1 || offer.posts > 999))
    add('posts', 'Le nombre de postes doit être un entier entre 1 et 999.');
  if (
    offer.qualification !== undefined &&
    !(QUALIFICATION_LEVELS as readonly string[]).includes(offer.qualification)
  )
    add('qualification', 'Niveau de qualification inconnu.');
  if (offer.workingTime !== undefined && !(WORKING_TIMES as readonly string[]).includes(offer.workingTime))
    add('workingTime', 'Durée de travail inconnue.');
  if (
    offer.weeklyHours !== undefined &&
    (!Number.isFinite(offer.weeklyHours) || offer.weeklyHours < 1 || offer.weeklyHours > 48)
  )
    add('weeklyHours', 'La durée hebdomadaire doit être comprise entre 1 et 48 heures.');
  if (offer.workingTime === 'temps_plein' && offer.weeklyHours !== undefined && offer.weeklyHours < 24)
    add(
      'weeklyHours',
      'Un temps plein compte au moins 24 heures par semaine ; choisissez « Temps partiel ».',
    );
  const contact = offer.applicationContact;
  if (contact?.email && !EMAIL.test(contact.email))
    add('applicationContact.email', 'L’adresse e-mail de candidature n’est pas valide.');
  if (contact?.phone && !PHONE.test(contact.phone.trim()))
    add('applicationContact.phone', 'Le téléphone de candidature n’est pas valide.');
  if (contact?.url && !/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(contact.url))
    add('applicationContact.url', 'Le lien de candidature doit commencer par http:// ou https://.');
  if (
    forSubmission &&
    offer.applicationMode === 'contact' &&
    !text(contact?.email) &&
    !text(contact?.phone) &&
    !text(contact?.url)
  )
    add(
      'applicationContact',
      'Indiquez au moins un moyen de candidature (e-mail, téléphone ou lien) à afficher aux candidats.',
    );
  if (forSubmission && offer.startDate && offer.requestedEndDate && offer.requestedEndDate < offer.startDate)
    add('requestedEndDate', 'La date de retrait ne peut pas précéder la date de début.');
  return errors;
}

/** Who moves an offer from one status to another. */
export type OfferActor = 'recruteur' | 'moderateur' | 'systeme';

/**
 * Every allowed status change, with who makes it (DESIGN §4). Anything else is refused by
 * the server. A published offer whose content a recruiter edits goes back to moderation
 * (publiee → en_attente); an expired offer is republished as it is (expiree → publiee) or,
 * after edits, through moderation (expiree → en_attente).
 */
export const OFFER_TRANSITIONS: readonly { from: OfferStatus; to: OfferStatus; by: OfferActor }[] = [
  { from: 'brouillon', to: 'en_attente', by: 'recruteur' },
  { from: 'brouillon', to: 'supprimee', by: 'recruteur' },
  { from: 'en_attente', to: 'brouillon', by: 'recruteur' },
  { from: 'en_attente', to: 'supprimee', by: 'recruteur' },
  { from: 'en_attente', to: 'publiee', by: 'moderateur' },
  { from: 'en_attente', to: 'refusee', by: 'moderateur' },
  { from: 'publiee', to: 'en_attente', by: 'recruteur' },
  { from: 'publiee', to: 'pourvue', by: 'recruteur' },
  { from: 'publiee', to: 'archivee', by: 'recruteur' },
  { from: 'publiee', to: 'supprimee', by: 'recruteur' },
  { from: 'publiee', to: 'expiree', by: 'systeme' },
  { from: 'refusee', to: 'brouillon', by: 'recruteur' },
  { from: 'refusee', to: 'en_attente', by: 'recruteur' },
  { from: 'refusee', to: 'supprimee', by: 'recruteur' },
  { from: 'expiree', to: 'publiee', by: 'recruteur' },
  { from: 'expiree', to: 'en_attente', by: 'recruteur' },
  { from: 'expiree', to: 'archivee', by: 'recruteur' },
  { from: 'expiree', to: 'supprimee', by: 'recruteur' },
  { from: 'pourvue', to: 'archivee', by: 'recruteur' },
  { from: 'pourvue', to: 'supprimee', by: 'recruteur' },
  { from: 'archivee', to: 'supprimee', by: 'recruteur' },
];

/** Status changes a recruiter may make from the workstation (derived from the table above). */
export const RECRUITER_OFFER_TRANSITIONS: Record<OfferStatus, readonly OfferStatus[]> = (() => {
  const table = {} as Record<OfferStatus, OfferStatus[]>;
  for (const from of OFFER_STATUSES) table[from] = [];
  for (const t of OFFER_TRANSITIONS) if (t.by === 'recruteur') table[t.from].push(t.to);
  return table;
})();

export function canMoveOffer(from: OfferStatus, to: OfferStatus, by: OfferActor): boolean {
  return OFFER_TRANSITIONS.some((t) => t.from === from && t.to === to && t.by === by);
}

export function canRecruiterMoveOffer(from: OfferStatus, to: OfferStatus): boolean {
  return from === to || canMoveOffer(from, to, 'recruteur');
}

/** The history action that records a status change. */
export function historyActionFor(from: OfferStatus | null, to: OfferStatus): OfferHistoryAction | null {
  if (from === null) return 'creation';
  if (from === to) return null;
  switch (to) {
    case 'en_attente':
      return from === 'publiee' || from === 'expiree' ? 'modification_publiee' : 'soumission';
    case 'brouillon':
      return 'retour_brouillon';
    case 'publiee':
      return from === 'expiree' ? 'republication' : 'publication';
    case 'refusee':
      return 'refus';
    case 'pourvue':
      return 'pourvue';
    case 'archivee':
      return 'archivage';
    case 'expiree':
      return 'expiration';
    case 'supprimee':
      return 'suppression';
  }
}

/** Content can be edited in these statuses; a published offer goes back to moderation when edited. */
export const OFFER_EDITABLE_STATUSES: readonly OfferStatus[] = [
  'brouillon',
  'en_attente',
  'refusee',
  'publiee',
];

/** Content the recruiter keeps for the platform: the internal contact (recruiter guide) and the withdrawal date. */
const OFFER_PRIVATE_CONTENT = [
  'contactName',
  'contactPhone',
  'contactEmail',
  'requestedEndDate',
  'coRecruiterIds',
  'duplicatedFrom',
] as const;
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
