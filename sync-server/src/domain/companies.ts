/**
 * Company profiles (« Ma fiche entreprise », seed 001) and their fiches de poste (seed 003), as a
 * replicated collection.
 *
 * Rights: any recruiter of an employer or agency organisation creates profiles for it (an agency
 * one per client company, nothing limits the count); the profile's creator and the
 * organisation's administrators edit and delete it (seed 004: « Seul le premier recruteur ayant
 * créé la fiche entreprise peut la modifier », administrators being the way out when that person
 * leaves). Everyone else gets a refusal notice and the master state.
 *
 * The server owns `createdBy`, `createdAt`, `updatedAt`, each job's `createdAt`, a job's ROME code
 * when the referential knows its appellation, and the description, which it sanitises: the
 * stored document is the sanitised one, and the author gets it back through pull.
 *
 * Deletion is a tombstone, refused while an offer in progress (brouillon, en attente, publiée)
 * refers to the profile by `companyId`.
 */
import type { Membership, SessionUser } from '../../../shared/domain/account';
import {
  COMPANY_DESCRIPTION_MAX,
  COMPANY_SERVER_FIELDS,
  parisToday,
  validateCompanyProfile,
} from '../../../shared/domain/company-profile';
import { formatMegabytes } from '../../../shared/domain/files';
import { type CompanyDoc, companySchema } from '../../../shared/schemas/company.schema';
import type { FieldError } from '../../../shared/sync/errors';
import type { Queryable } from '../db/database';
import { fitsPublicImage, PUBLIC_IMAGE_MAX_BYTES, recordFileRefs } from '../files/routes';
import { findCommune } from '../reference/communes';
import { ReferenceDataMissingError } from '../reference/versioned-json';
import { richTextImageHashes, richTextToPlain, sanitizeRichTextReport } from '../rich-text';
import type { CollectionDef, Doc, NoticeDraft, PushDecision } from '../sync/types';
import { isUuid } from './company-groups';

export const COMPANY_EDIT_REFUSED =
  'Seuls le recruteur qui a créé cette fiche entreprise et les administrateurs de l’organisation peuvent la modifier.';

/** Offer statuses during which an offer still needs its company profile. */
const OFFER_STATUSES_IN_PROGRESS = ['brouillon', 'en_attente', 'publiee'];

function recruiterMembership(user: SessionUser, organisationId: string): Membership | undefined {
  return user.memberships.find(
    (m) => m.organisationId === organisationId && (m.kind === 'employer' || m.kind === 'agency'),
  );
}

/** Whether this user may edit (or delete) this profile: its creator, or an admin of its organisation. */
export function mayEditCompany(
  user: SessionUser,
  company: Pick<CompanyDoc, 'organisationId' | 'createdBy'>,
): boolean {
  const m = recruiterMembership(user, company.organisationId);
  if (!m) return false;
  return m.role === 'admin' || (!!company.createdBy && company.createdBy === user.id);
}

const refuse = (title: string, message: string, fields?: FieldError[]): PushDecision => ({
  kind: 'refuse',
  refusal: { title, message, ...(fields && fields.length > 0 ? { fields } : {}) },
});

/** Optional text fields whose empty value means « not given ». */
const OPTIONAL_TEXT = [
  'siret',
  'logo',
  'banner',
  'phone',
  'email',
  'sector',
  'companyType',
  'foundedOn',
  'groupId',
];

/**
 * The client's document with whitespace trimmed and empty optional values removed, server fields
 * left out. Nothing is validated here.
 */
function normalise(incoming: CompanyDoc): Record<string, unknown> {
  const doc: Record<string, unknown> = { ...incoming };
  for (const f of [...COMPANY_SERVER_FIELDS, 'id', 'organisationId']) delete doc[f];
  if (typeof doc.name === 'string') doc.name = doc.name.trim();
  for (const f of OPTIONAL_TEXT) {
    if (typeof doc[f] === 'string') {
      const v = (doc[f] as string).trim();
      if (v) doc[f] = v;
      else delete doc[f];
    }
  }
  if (incoming.address) {
    const a: Record<string, unknown> = { ...incoming.address };
    for (const f of ['street', 'postalCode', 'city', 'communeCode']) {
      if (typeof a[f] === 'string') {
        const v = (a[f] as string).trim();
        if (v) a[f] = v;
        else if (f === 'street' || f === 'communeCode') delete a[f];
        else a[f] = v;
      }
    }
    doc.address = a;
  }
  if (incoming.links) {
    const links: Record<string, string> = {};
    for (const [k, v] of Object.entries(incoming.links)) {
      if (typeof v === 'string' && v.trim()) links[k] = v.trim();
    }
    if (Object.keys(links).length > 0) doc.links = links;
    else delete doc.links;
  }
  if (typeof doc.description === 'string' && !doc.description.trim()) delete doc.description;
  return doc;
}

/** The commune of an INSEE code; null when unknown; undefined when this server has no referential. */
function communeOrUnknown(code: string): { latitude: number; longitude: number } | null | undefined {
  try {
    return findCommune(code);
  } catch (error) {
    if (error instanceof ReferenceDataMissingError) return undefined;
    throw error;
  }
}

interface Appellation {
  code_ogr: string;
  rome_code: string;
}

/** The referential's appellations among `codes` (an empty map when the server has no referential). */
async function appellations(
  tx: Queryable,
  codes: string[],
): Promise<{ present: boolean; byCode: Map<string, Appellation> }> {
  const { rows } = await tx.query<{ present: boolean }>(
    'select exists (select 1 from rome_appellations) as present',
  );
  if (!rows[0]?.present || codes.length === 0) return { present: !!rows[0]?.present, byCode: new Map() };
  const found = await tx.query<Appellation>(
    'select code_ogr, rome_code from rome_appellations where code_ogr = any($1::text[])',
    [codes],
  );
  return { present: true, byCode: new Map(found.rows.map((r) => [r.code_ogr, r])) };
}

/**
 * Checks and completes a profile: the pure rules of `shared/`, then what needs the database
 * (group, ROME appellations), the sanitised description and the jobs' server fields.
 */
async function prepare(
  tx: Queryable,
  incoming: CompanyDoc,
  master: CompanyDoc | null,
  now: Date,
): Promise<
  { ok: true; doc: Record<string, unknown>; removed: string[] } | { ok: false; errors: FieldError[] }
> {
  const doc = normalise(incoming);
  const errors = validateCompanyProfile(doc, parisToday(now));

  if (doc.groupId !== undefined) {
    const found = isUuid(doc.groupId)
      ? await tx.query('select 1 from company_groups where id = $1::uuid', [doc.groupId])
      : { rows: [] };
    if (found.rows.length === 0)
      errors.push({
        field: 'groupId',
        message: 'Ce groupe ou réseau n’existe pas : choisissez-le dans la liste.',
      });
  }

  // A new logo or banner already on the server must fit its use (jpg or png, 1 Mo at most), whatever
  // use it was first uploaded for; one still to come is checked by its upload (purpose logo/banner).
  const images = (['logo', 'banner'] as const).filter(
    (f) => typeof doc[f] === 'string' && doc[f] !== master?.[f],
  );
  if (images.length > 0) {
    const { rows } = await tx.query<{ sha256: string; mime: string; size: string | number }>(
      'select sha256, mime, size from files where sha256 = any($1::text[])',
      [images.map((f) => doc[f] as string)],
    );
    for (const field of images) {
      const file = rows.find((r) => r.sha256 === doc[field]);
      if (file && !fitsPublicImage(file.mime, Number(file.size)))
        errors.push({
          field,
          message: `${field === 'logo' ? 'Le logo' : 'La bannière'} doit être une image jpg ou png de ${formatMegabytes(PUBLIC_IMAGE_MAX_BYTES)} au plus.`,
        });
    }
  }

  // A commune chosen by code gets its position from the referential when the client sent none.
  const address = doc.address as Record<string, unknown> | undefined;
  if (
    address &&
    typeof address.communeCode === 'string' &&
    /^(\d{5}|2[AB]\d{3})$/.test(address.communeCode) &&
    address.latitude === undefined
  ) {
    const commune = communeOrUnknown(address.communeCode);
    if (commune) Object.assign(address, { latitude: commune.latitude, longitude: commune.longitude });
    else if (commune === null)
      errors.push({
        field: 'address.communeCode',
        message: 'Commune inconnue : choisissez-la dans la liste.',
      });
  }

  let removed: string[] = [];
  if (typeof doc.description === 'string') {
    const report = sanitizeRichTextReport(doc.description);
    removed = report.removed;
    if (report.html.length > COMPANY_DESCRIPTION_MAX) {
      errors.push({
        field: 'description',
        message: 'La description est trop longue (50 000 caractères au plus, mise en forme comprise).',
      });
    } else if (richTextToPlain(report.html) || /<img\s/.test(report.html)) {
      doc.description = report.html;
    } else {
      delete doc.description;
    }
  }

  const jobs = incoming.jobs ?? [];
  const codes = [...new Set(jobs.map((j) => j.appellationCode).filter((c): c is string => !!c))];
  const referential = await appellations(tx, codes);
  const masterJobs = new Map((master?.jobs ?? []).map((j) => [j.id, j]));
  const nowIso = now.toISOString();
  doc.jobs = jobs.map((job, i) => {
    const out: Record<string, unknown> = { ...job, jobTitle: job.jobTitle.trim() };
    out.createdAt = masterJobs.get(job.id)?.createdAt ?? nowIso;
    if (typeof job.description === 'string') {
      const d = job.description.trim();
      if (d) out.description = d;
      else delete out.description;
    }
    if (job.appellationCode && referential.present) {
      const known = referential.byCode.get(job.appellationCode);
      if (!known) {
        errors.push({
          field: `jobs.${i}.appellationCode`,
          message: `Le métier de la fiche de poste « ${out.jobTitle || `n° ${i + 1}`} » est inconnu du référentiel ROME : choisissez-le dans la liste.`,
        });
      } else {
        out.romeCode = known.rome_code;
      }
    }
    return out;
  });

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, doc, removed };
}

function cleanedNotice(user: SessionUser, id: string, name: string, removed: string[]): NoticeDraft {
  return {
    userId: user.id,
    kind: 'information',
    collection: 'companies',
    documentId: id,
    title: 'Description nettoyée',
    message: `La fiche « ${name} » est enregistrée, mais sa description contenait des éléments non autorisés, retirés : ${removed.join(' ; ')}.`,
  };
}

async function offersInProgress(tx: Queryable, companyId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `select count(*)::int as n from offers
      where not deleted and doc->>'companyId' = $1 and doc->>'status' = any($2::text[])`,
    [companyId, OFFER_STATUSES_IN_PROGRESS],
  );
  return Number(rows[0]?.n ?? 0);
}

/** The files a profile shows (logo, banner, images of its description), for the file routes' rights. */
function fileHashes(doc: Record<string, unknown>): string[] {
  const hashes = [doc.logo, doc.banner].filter((h): h is string => typeof h === 'string');
  if (typeof doc.description === 'string') hashes.push(...richTextImageHashes(doc.description));
  return hashes;
}

export function companyTombstone(id: string): Doc {
  return { id, organisationId: '', name: '', published: false, jobs: [], createdAt: '', updatedAt: '' };
}

export const companiesCollection: CollectionDef = {
  name: 'companies',
  table: 'companies',
  version: companySchema.version,
  schema: companySchema,
  keysFor(doc) {
    return [`org:${String(doc.organisationId)}`];
  },
  tombstone: companyTombstone,
  async decide({ tx, user, now }, masterDoc, incomingDoc, incomingDeleted) {
    const master = masterDoc as CompanyDoc | null;
    const incoming = incomingDoc as unknown as CompanyDoc;
    const nowIso = now.toISOString();

    if (incomingDeleted) {
      if (!master) {
        // Created and deleted offline before it ever reached the server.
        if (!recruiterMembership(user, incoming.organisationId))
          return refuse('Suppression refusée', 'Vous n’êtes pas recruteur de cette organisation.');
        await recordFileRefs(tx, 'companies', incoming.id, []);
        return { kind: 'write', doc: incomingDoc, deleted: true };
      }
      if (!mayEditCompany(user, master)) return refuse('Suppression refusée', COMPANY_EDIT_REFUSED);
      const n = await offersInProgress(tx, master.id);
      if (n > 0) {
        return refuse(
          'Suppression refusée',
          `La fiche « ${master.name} » est utilisée par ${n} offre${n > 1 ? 's' : ''} en cours (brouillon, en attente ou publiée) : archivez ou supprimez ces offres d’abord, ou retirez la fiche du portail.`,
        );
      }
      await recordFileRefs(tx, 'companies', master.id, []);
      return { kind: 'write', doc: master as unknown as Doc, deleted: true };
    }

    if (!master) {
      if (!recruiterMembership(user, incoming.organisationId)) {
        return refuse(
          'Organisation non autorisée',
          'Seuls les recruteurs d’un employeur ou d’une agence créent des fiches entreprise pour leur organisation.',
          [{ field: 'organisationId', message: 'Vous n’êtes pas recruteur de cette organisation.' }],
        );
      }
      const prepared = await prepare(tx, incoming, null, now);
      if (!prepared.ok)
        return refuse(
          'Fiche entreprise incomplète',
          'La fiche entreprise contient des erreurs et n’a pas été enregistrée.',
          prepared.errors,
        );
      const doc = {
        id: incoming.id,
        organisationId: incoming.organisationId,
        ...prepared.doc,
        createdBy: user.id,
        createdAt: nowIso,
        updatedAt: nowIso,
      };
      await recordFileRefs(tx, 'companies', incoming.id, fileHashes(doc));
      const notices = prepared.removed.length
        ? [cleanedNotice(user, incoming.id, String(prepared.doc.name), prepared.removed)]
        : undefined;
      return { kind: 'write', doc: doc as Doc, ...(notices ? { notices } : {}) };
    }

    if (!mayEditCompany(user, master)) return refuse('Modification refusée', COMPANY_EDIT_REFUSED);
    if (incoming.organisationId !== master.organisationId) {
      return refuse(
        'Modification refusée',
        'Une fiche entreprise reste attachée à l’organisation qui l’a créée.',
        [{ field: 'organisationId', message: 'L’organisation d’une fiche entreprise ne change pas.' }],
      );
    }
    const prepared = await prepare(tx, incoming, master, now);
    if (!prepared.ok)
      return refuse(
        'Fiche entreprise incomplète',
        'La fiche entreprise contient des erreurs : la modification n’a pas été enregistrée.',
        prepared.errors,
      );
    const doc: Record<string, unknown> = {
      id: master.id,
      organisationId: master.organisationId,
      ...prepared.doc,
      createdAt: master.createdAt,
      updatedAt: nowIso,
    };
    if (master.createdBy !== undefined) doc.createdBy = master.createdBy;
    await recordFileRefs(tx, 'companies', master.id, fileHashes(doc));
    const notices = prepared.removed.length
      ? [cleanedNotice(user, master.id, String(prepared.doc.name), prepared.removed)]
      : undefined;
    return { kind: 'write', doc: doc as Doc, ...(notices ? { notices } : {}) };
  },
};
