import type { Membership } from '../../../../shared/domain/account';
import {
  COMPANY_DESCRIPTION_MAX,
  COMPANY_LINK_KEYS,
  type CompanyLinkKey,
  checkCompanyLink,
  JOB_DESCRIPTION_MAX,
  parisToday,
  validateCompanyProfile,
} from '../../../../shared/domain/company-profile';
import { COMPANY_CATEGORIES, type CompanyCategory, SECTORS } from '../../../../shared/domain/organisation';
import type { CompanyDoc } from '../../../../shared/schemas/company.schema';

/**
 * The company profile form (seed 001 « Ma fiche entreprise ») and the fiches de poste (seed 003):
 * pure model, validation mirroring the server's rules, rights. No DOM, no React.
 */

export interface FieldError {
  field: string;
  message: string;
}

/** « Secteur d’activité »: the NAF sections. */
export { SECTORS };

/** « Type d’entreprise » as the form words it; the codes are the organisation categories the server checks. */
const COMPANY_TYPE_LABELS: Record<CompanyCategory, string> = {
  micro: 'Microentreprise : moins de 10 salariés',
  pme: 'PME : moins de 250 salariés',
  eti: 'ETI : moins de 5 000 salariés',
  ge: 'Grande entreprise : 5 000 salariés et plus',
};

export type CompanyType = CompanyCategory;

export const COMPANY_TYPES: readonly { value: CompanyType; label: string }[] = COMPANY_CATEGORIES.map(
  (c) => ({
    value: c.code,
    label: COMPANY_TYPE_LABELS[c.code],
  }),
);

export function companyTypeLabel(value: string | undefined): string {
  return COMPANY_TYPES.find((t) => t.value === value)?.label ?? '';
}

export function sectorLabel(code: string | undefined): string {
  return SECTORS.find((s) => s.code === code)?.label ?? '';
}

/** The links of seed 001, in the order of the form. */
export const LINK_KEYS = COMPANY_LINK_KEYS;
export type LinkKey = CompanyLinkKey;

/** The labels of seed 001 for the links. */
export const LINK_LABELS: Record<LinkKey, string> = {
  website: 'Site web',
  twitter: 'Lien Twitter / X',
  facebook: 'Lien Facebook',
  instagram: 'Lien Instagram',
  linkedin: 'Lien LinkedIn',
  youtube: 'Lien YouTube',
};

/** The French error for a link (the server's own rule), or null when empty or acceptable. */
export function checkLink(key: LinkKey, value: string): string | null {
  return value.trim() ? checkCompanyLink(key, value) : null;
}

/** Today as YYYY-MM-DD in Paris time, as the server judges « in the future ». */
export function todayIso(now: Date = new Date()): string {
  return parisToday(now);
}

/** A fiche de poste as the form edits it. */
export interface JobValues {
  id: string;
  appellationCode: string;
  jobTitle: string;
  romeCode: string;
  description: string;
  published: boolean;
  createdAt: string;
}

/** What the form edits: strings as typed, so nothing is lost on a validation error. */
export interface CompanyFormValues {
  name: string;
  logo: string;
  phone: string;
  email: string;
  sector: string;
  companyType: string;
  employeeCount: string;
  foundedOn: string;
  street: string;
  city: string;
  postalCode: string;
  communeCode: string;
  latitude: number | null;
  longitude: number | null;
  description: string;
  website: string;
  twitter: string;
  facebook: string;
  instagram: string;
  linkedin: string;
  youtube: string;
  banner: string;
  groupId: string;
  published: boolean;
  jobs: JobValues[];
}

export const EMPTY_COMPANY_FORM: CompanyFormValues = {
  name: '',
  logo: '',
  phone: '',
  email: '',
  sector: '',
  companyType: '',
  employeeCount: '',
  foundedOn: '',
  street: '',
  city: '',
  postalCode: '',
  communeCode: '',
  latitude: null,
  longitude: null,
  description: '',
  website: '',
  twitter: '',
  facebook: '',
  instagram: '',
  linkedin: '',
  youtube: '',
  banner: '',
  groupId: '',
  published: false,
  jobs: [],
};

/** French labels of the company fields (form, error summary, server notices). Names follow the document. */
export const COMPANY_FIELD_LABELS: Record<string, string> = {
  name: 'Nom de l’entreprise',
  logo: 'Logo',
  phone: 'Téléphone',
  email: 'E-mail',
  sector: 'Secteur d’activité',
  companyType: 'Type d’entreprise',
  employeeCount: 'Nombre d’employés',
  foundedOn: 'Date de création',
  address: 'Adresse',
  'address.street': 'Numéro et nom de rue',
  'address.city': 'Ville',
  'address.postalCode': 'Ville (code postal)',
  'address.communeCode': 'Ville (code de la commune)',
  'address.latitude': 'Ville (coordonnées)',
  'address.longitude': 'Ville (coordonnées)',
  description: 'Description',
  links: 'Liens',
  ...Object.fromEntries(LINK_KEYS.map((k) => [`links.${k}`, LINK_LABELS[k]] as const)),
  banner: 'Image de bannière',
  groupId: 'Groupe ou réseau',
  published: 'Mettre en ligne ma fiche entreprise',
  jobs: 'Fiches de poste',
};

/** The label of a field named by the server (`links.twitter`, `jobs.2.jobTitle`…), or the name itself. */
export function companyFieldLabel(field: string): string {
  if (COMPANY_FIELD_LABELS[field]) return COMPANY_FIELD_LABELS[field];
  const head = field.split('.')[0] ?? field;
  return COMPANY_FIELD_LABELS[head] ?? field;
}

/**
 * The form control a field's error points to: the commune input for every part of the address
 * picked from it, the row of a fiche de poste for its errors.
 */
export function fieldControl(field: string): string {
  if (field.startsWith('address.') && field !== 'address.street') return 'address.city';
  const job = /^jobs\.(\d+)/.exec(field);
  if (job) return `jobs.${job[1]}`;
  return field;
}

/** The order of the form, to list errors as the fields appear. */
const FORM_ORDER = [
  'name',
  'logo',
  'phone',
  'email',
  'sector',
  'companyType',
  'employeeCount',
  'foundedOn',
  'address.street',
  'address.city',
  'address.postalCode',
  'address.communeCode',
  'address.latitude',
  'description',
  ...LINK_KEYS.map((k) => `links.${k}`),
  'banner',
  'groupId',
  'published',
  'jobs',
];

function orderOf(field: string): number {
  const i = FORM_ORDER.indexOf(field.startsWith('jobs.') ? 'jobs' : field);
  return i < 0 ? FORM_ORDER.length : i;
}

const STREET_MAX = 200;
const EMPLOYEE_MAX = 10_000_000;

/**
 * Validation of the whole form: the server's own rules (shared), applied to the document the form
 * would write, plus what only the form can tell (a number of employees that is not a number).
 * Errors come in the order of the fields; field names follow the document (`address.city`, `links.x`).
 */
export function validateCompanyForm(values: CompanyFormValues, today: string = todayIso()): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string) => errors.push({ field, message });
  const count = values.employeeCount.trim().replace(/\s/g, '');
  if (count && (!/^\d+$/.test(count) || Number(count) > EMPLOYEE_MAX))
    add('employeeCount', 'Le nombre d’employés doit être un nombre entier positif.');
  if (values.street.trim().length > STREET_MAX)
    add('address.street', `L’adresse ne doit pas dépasser ${STREET_MAX} caractères.`);
  if (values.description.length > COMPANY_DESCRIPTION_MAX)
    add('description', 'La description est trop longue (50 000 caractères au plus, mise en forme comprise).');
  values.jobs.forEach((job, i) => {
    if (job.description.length > JOB_DESCRIPTION_MAX)
      add(
        `jobs.${i}.description`,
        `La description de la fiche de poste « ${job.jobTitle} » dépasse 5 000 caractères.`,
      );
  });
  const draft = applyForm(
    { id: '', organisationId: '', name: '', published: false, jobs: [], createdAt: '', updatedAt: '' },
    values,
    '',
  );
  errors.push(...validateCompanyProfile(draft, today));
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => orderOf(a.e.field) - orderOf(b.e.field) || a.i - b.i)
    .map(({ e }) => e);
}

/** A company document as the form's values. */
export function docToForm(doc: CompanyDoc): CompanyFormValues {
  const links = doc.links ?? {};
  return {
    name: doc.name ?? '',
    logo: doc.logo ?? '',
    phone: doc.phone ?? '',
    email: doc.email ?? '',
    sector: doc.sector ?? '',
    companyType: doc.companyType ?? '',
    employeeCount: doc.employeeCount === undefined ? '' : String(doc.employeeCount),
    foundedOn: doc.foundedOn ?? '',
    street: doc.address?.street ?? '',
    city: doc.address?.city ?? '',
    postalCode: doc.address?.postalCode ?? '',
    communeCode: doc.address?.communeCode ?? '',
    latitude: doc.address?.latitude ?? null,
    longitude: doc.address?.longitude ?? null,
    description: doc.description ?? '',
    website: links.website ?? '',
    twitter: links.twitter ?? '',
    facebook: links.facebook ?? '',
    instagram: links.instagram ?? '',
    linkedin: links.linkedin ?? '',
    youtube: links.youtube ?? '',
    banner: doc.banner ?? '',
    groupId: doc.groupId ?? '',
    published: !!doc.published,
    jobs: (doc.jobs ?? []).map((j) => ({
      id: j.id,
      appellationCode: j.appellationCode ?? '',
      jobTitle: j.jobTitle,
      romeCode: j.romeCode ?? '',
      description: j.description ?? '',
      published: !!j.published,
      createdAt: j.createdAt,
    })),
  };
}

/** The keys of the document the form writes (others, like ids and dates, are kept from the base). */
const FORM_KEYS = [
  'name',
  'logo',
  'phone',
  'email',
  'sector',
  'companyType',
  'employeeCount',
  'foundedOn',
  'address',
  'description',
  'links',
  'banner',
  'groupId',
  'published',
  'jobs',
] as const;

/** The document with the form's values applied (empty optional fields removed) and a new `updatedAt`. */
export function applyForm(base: CompanyDoc, values: CompanyFormValues, now: string): CompanyDoc {
  const out = { ...base } as Record<string, unknown>;
  for (const key of FORM_KEYS) delete out[key];
  const opt = (key: string, v: string) => {
    const t = v.trim();
    if (t) out[key] = t;
  };
  out.name = values.name.trim();
  opt('logo', values.logo);
  opt('phone', values.phone);
  opt('email', values.email);
  opt('sector', values.sector);
  opt('companyType', values.companyType);
  const count = values.employeeCount.trim().replace(/\s/g, '');
  if (/^\d+$/.test(count)) out.employeeCount = Number(count);
  opt('foundedOn', values.foundedOn);
  if (values.city.trim() && values.postalCode.trim()) {
    const address: NonNullable<CompanyDoc['address']> = {
      postalCode: values.postalCode.trim(),
      city: values.city.trim(),
    };
    if (values.street.trim()) address.street = values.street.trim();
    if (values.communeCode) address.communeCode = values.communeCode;
    if (values.latitude !== null) address.latitude = values.latitude;
    if (values.longitude !== null) address.longitude = values.longitude;
    out.address = address;
  }
  if (values.description.trim()) out.description = values.description;
  const links: Record<string, string> = {};
  for (const k of LINK_KEYS) {
    const v = values[k].trim();
    if (v) links[k] = v;
  }
  if (Object.keys(links).length > 0) out.links = links;
  opt('banner', values.banner);
  opt('groupId', values.groupId);
  out.published = values.published;
  out.jobs = values.jobs.map((j) => {
    const job: CompanyDoc['jobs'][number] = {
      id: j.id,
      jobTitle: j.jobTitle.trim(),
      published: j.published,
      createdAt: j.createdAt,
    };
    if (j.appellationCode) job.appellationCode = j.appellationCode;
    if (j.romeCode) job.romeCode = j.romeCode;
    if (j.description.trim()) job.description = j.description.trim();
    return job;
  });
  out.updatedAt = now;
  return out as unknown as CompanyDoc;
}

/** A new profile of the organisation, created by this user (the server checks and keeps the creator). */
export function newCompanyDoc(
  id: string,
  organisationId: string,
  createdBy: string,
  values: CompanyFormValues,
  now: string,
): CompanyDoc {
  const base: CompanyDoc = {
    id,
    organisationId,
    name: '',
    published: false,
    jobs: [],
    createdBy,
    createdAt: now,
    updatedAt: now,
  };
  return applyForm(base, values, now);
}

/** Whether this user may edit a profile: its creator, or an administrator of the owning organisation. */
export function canEditCompany(
  user: { id: string; memberships: readonly Pick<Membership, 'organisationId' | 'role'>[] },
  company: Pick<CompanyDoc, 'organisationId' | 'createdBy'>,
): boolean {
  if (company.createdBy && company.createdBy === user.id) return true;
  return user.memberships.some((m) => m.organisationId === company.organisationId && m.role === 'admin');
}

/** The display name of the profile's creator from the organisation's members, or their id. */
export function creatorName(
  createdBy: string | undefined,
  members: readonly { accountId: string; firstName: string; lastName: string }[] | undefined,
): string {
  if (!createdBy) return 'inconnu';
  const m = members?.find((x) => x.accountId === createdBy);
  const name = m ? `${m.firstName} ${m.lastName}`.trim() : '';
  return name || createdBy;
}

/** The explanation shown to a member who may only read the profile. */
export function readOnlyExplanation(creator: string): string {
  return `Seul le recruteur qui a créé la fiche (${creator}) et les administrateurs de l’organisation peuvent la modifier.`;
}

/* ---- Fiches de poste (seed 003) ---- */

export function newJob(
  id: string,
  input: {
    appellationCode: string;
    jobTitle: string;
    romeCode: string;
    description: string;
    published: boolean;
  },
  now: string,
): JobValues {
  return {
    id,
    appellationCode: input.appellationCode,
    jobTitle: input.jobTitle.trim(),
    romeCode: input.romeCode,
    description: input.description.trim(),
    published: input.published,
    createdAt: now,
  };
}

export function validateJob(input: {
  jobTitle: string;
  appellationCode: string;
  description: string;
}): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.jobTitle.trim() || !input.appellationCode)
    errors.push({
      field: 'jobTitle',
      message: 'Choisissez le métier dans la liste des appellations du ROME.',
    });
  if (input.description.length > JOB_DESCRIPTION_MAX)
    errors.push({ field: 'description', message: 'La description ne doit pas dépasser 5 000 caractères.' });
  return errors;
}

export function replaceJob(jobs: readonly JobValues[], job: JobValues): JobValues[] {
  return jobs.map((j) => (j.id === job.id ? job : j));
}

export function removeJob(jobs: readonly JobValues[], id: string): JobValues[] {
  return jobs.filter((j) => j.id !== id);
}

export function setJobPublished(jobs: readonly JobValues[], id: string, published: boolean): JobValues[] {
  return jobs.map((j) => (j.id === id ? { ...j, published } : j));
}

/** How many offers each company has (offers with a `companyId`). */
export function countOffersByCompany(
  offers: readonly { companyId?: string; status?: string }[],
): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of offers) {
    if (!o.companyId || o.status === 'supprimee') continue;
    m.set(o.companyId, (m.get(o.companyId) ?? 0) + 1);
  }
  return m;
}
