/**
 * The candidate's CVs as plain functions (no HTTP): create, save a draft, publish, suspend,
 * resume, delete. Every change recomputes the completeness and brings the CVthèque projection
 * (`domain/cvs.ts`) in line, in the same transaction. Other areas (PDF, folders, matching offers,
 * applications) read CVs with `loadCandidateCv` / `listCvs`.
 */
import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../../shared/domain/account';
import {
  type CandidateCv,
  COMPLETENESS_THRESHOLD,
  type CvFieldError,
  type CvInput,
  type CvSummary,
  cvCompleteness,
  DEFAULT_PUBLICATION,
  MAX_CVS,
  missingCompleteness,
  publicationErrors,
  validateCvInput,
} from '../../../shared/domain/cv';
import { FILE_PURPOSES, FILE_TYPES, fileTypeOfMime } from '../../../shared/domain/files';
import { isRomeDomain } from '../../../shared/domain/rome-domains';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { type CvOwnerFacts, syncCvProjection } from '../domain/cvs';
import { badRequest, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from '../text-safety';
import { extractCvText } from './cv-text';

export const CV_NOT_FOUND = 'Ce CV n’existe pas ou ne vous appartient pas.';
export const TOO_MANY_CVS = `Vous avez déjà ${MAX_CVS} CV, le maximum : supprimez-en un pour en créer un autre.`;
export const EMAIL_NOT_CONFIRMED =
  'Confirmez d’abord votre adresse e-mail (lien reçu par courriel) pour mettre un CV en ligne.';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isCvId = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

interface CvRow {
  id: string;
  status: CandidateCv['status'];
  doc: CandidateCv;
}

function fromRow(row: CvRow): CandidateCv {
  return { ...row.doc, id: row.id, status: row.status };
}

export function cvSummary(cv: CandidateCv): CvSummary {
  return {
    id: cv.id,
    title: cv.title,
    status: cv.status,
    express: cv.express,
    completeness: cv.completeness,
    romeCode: cv.target?.romeCode ?? null,
    appellationLabel: cv.target?.appellationLabel ?? null,
    hasFile: !!cv.file,
    cvtheque: cv.publication.cvtheque,
    updatedAt: cv.updatedAt,
  };
}

export async function listCandidateCvs(q: Queryable, accountId: string): Promise<CandidateCv[]> {
  const { rows } = await q.query<CvRow>(
    'select id::text as id, status, doc from candidate_cvs where account_id = $1 order by created_at, id',
    [accountId],
  );
  return rows.map(fromRow);
}

export async function listCvs(q: Queryable, accountId: string): Promise<CvSummary[]> {
  return (await listCandidateCvs(q, accountId)).map(cvSummary);
}

/** One of the candidate's CVs, or null (unknown id, or another candidate's). */
export async function loadCandidateCv(
  q: Queryable,
  accountId: string,
  cvId: string,
  forUpdate = false,
): Promise<CandidateCv | null> {
  if (!isCvId(cvId)) return null;
  const { rows } = await q.query<CvRow>(
    `select id::text as id, status, doc from candidate_cvs where id = $1 and account_id = $2${forUpdate ? ' for update' : ''}`,
    [cvId, accountId],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

async function mustLoad(tx: Queryable, accountId: string, cvId: string): Promise<CandidateCv> {
  // Locks in one order everywhere: the candidate's account row, then the CV.
  await tx.query('select 1 from accounts where id = $1 for update', [accountId]);
  const cv = await loadCandidateCv(tx, accountId, cvId, true);
  if (!cv) throw notFound(CV_NOT_FOUND);
  return cv;
}

/** The account and profile facts the CVthèque projection shows (profile of H1, when there is one). */
export async function cvOwnerFacts(q: Queryable, accountId: string): Promise<CvOwnerFacts | null> {
  const { rows } = await q.query<{ email: string; first_name: string; last_name: string }>(
    'select email, first_name, last_name from accounts where id = $1',
    [accountId],
  );
  const account = rows[0];
  if (!account) return null;
  const profile = await q.query<{ doc: Record<string, unknown> }>(
    'select doc from candidate_profiles where account_id = $1',
    [accountId],
  );
  const p = profile.rows[0]?.doc ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
  const address = p.address && typeof p.address === 'object' ? (p.address as Record<string, unknown>) : null;
  const communeCode = str(address?.communeCode);
  const communeName = str(address?.communeName);
  return {
    firstName: str(p.firstName) ?? account.first_name,
    lastName: str(p.lastName) ?? account.last_name,
    email: account.email,
    phone: str(p.phone) ?? '',
    showPhone: p.showPhone === true,
    rqth: str(p.rqth),
    availability: str(p.availability),
    availableFrom: str(p.availableFrom),
    qualification: str(p.qualification),
    domains: Array.isArray(p.domains) ? p.domains.filter((d): d is string => isRomeDomain(d)) : [],
    commune:
      communeCode && communeName
        ? {
            code: communeCode,
            name: communeName,
            ...(typeof address?.lat === 'number' && typeof address?.lon === 'number'
              ? { lat: address.lat, lon: address.lon }
              : {}),
          }
        : null,
  };
}

/** Text extracted from a stored CV file, extracted once per file (by hash). */
export async function ensureFileText(tx: Queryable, sha256: string): Promise<string> {
  const known = await tx.query<{ text: string }>('select text from cv_file_texts where sha256 = $1', [
    sha256,
  ]);
  if (known.rows[0]) return known.rows[0].text;
  const { rows } = await tx.query<{ mime: string; bytes: Uint8Array }>(
    'select mime, bytes from files where sha256 = $1',
    [sha256],
  );
  const file = rows[0];
  if (!file) return '';
  const text = (await extractCvText(fileTypeOfMime(file.mime), new Uint8Array(file.bytes))).replaceAll(
    '\u0000',
    '',
  );
  await tx.query('insert into cv_file_texts (sha256, text) values ($1, $2) on conflict (sha256) do nothing', [
    sha256,
    text,
  ]);
  return text;
}

/** The projection and search text of a CV after a change (same transaction). */
async function project(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
  cv: CandidateCv | null,
  id: string,
) {
  const owner = cv ? await cvOwnerFacts(tx, accountId) : null;
  const fileText = cv?.file ? await ensureFileText(tx, cv.file.sha256) : '';
  await syncCvProjection(tx, engine, id, cv, owner, fileText);
}

/** Checks the attached file: stored, sent by this candidate, of a type a CV accepts. */
async function resolveFile(
  tx: Queryable,
  accountId: string,
  file: { sha256: string; name?: string },
): Promise<NonNullable<CandidateCv['file']>> {
  const { rows } = await tx.query<{ mime: string; size: number }>(
    `select f.mime, f.size from files f
      where f.sha256 = $1 and exists (select 1 from file_uploaders u where u.sha256 = f.sha256 and u.account_id = $2)`,
    [file.sha256, accountId],
  );
  const stored = rows[0];
  const message = 'Ce fichier est introuvable : envoyez-le à nouveau.';
  if (!stored) throw badRequest(message, [{ field: 'file', message }]);
  const type = fileTypeOfMime(stored.mime);
  if (!type || !(FILE_PURPOSES.cv.types as readonly string[]).includes(type))
    throw badRequest(FILE_PURPOSES.cv.refusedTypeMessage, [
      { field: 'file', message: FILE_PURPOSES.cv.refusedTypeMessage },
    ]);
  const name = file.name?.trim() || `cv.${FILE_TYPES[type].extension}`;
  return { sha256: file.sha256, name, mime: stored.mime, size: Number(stored.size) };
}

/** The appellation must exist in the referential (when the server has one); its ROME code is the referential's. */
async function checkAppellation(
  tx: Queryable,
  target: NonNullable<CandidateCv['target']>,
): Promise<NonNullable<CandidateCv['target']>> {
  const { rows } = await tx.query<{ present: boolean; rome_code: string | null }>(
    `select exists (select 1 from rome_appellations) as present,
            (select rome_code from rome_appellations where code_ogr = $1) as rome_code`,
    [target.appellationCode],
  );
  const row = rows[0];
  if (!row?.present) return target;
  if (!row.rome_code) {
    const message = 'Ce métier est inconnu du répertoire ROME : choisissez-le dans la liste proposée.';
    throw badRequest(message, [{ field: 'target', message }]);
  }
  return { ...target, romeCode: row.rome_code };
}

function withIds<T extends { id?: string }>(items: T[]): (T & { id: string })[] {
  const seen = new Set<string>();
  return items.map((item) => {
    const id = item.id && !seen.has(item.id) ? item.id : randomUUID();
    seen.add(id);
    return { ...item, id };
  });
}

/** `validateCvInput`, plus text PostgreSQL can store (no NUL character, no lone surrogate). */
function validateInput<T>(validate: (raw: unknown) => { value: T; errors: CvFieldError[] }, raw: unknown) {
  const result = validate(raw);
  const unstorable = findUnstorableText(raw);
  if (unstorable) result.errors.push({ field: unstorable, message: UNSTORABLE_TEXT_MESSAGE });
  return result;
}

function validationError(errors: CvFieldError[]): HttpError {
  const first = errors[0]!;
  return badRequest(
    errors.length === 1
      ? first.message
      : `Le CV contient ${errors.length} erreurs : corrigez les champs signalés.`,
    errors,
  );
}

/** Applies a validated input to a CV (fields absent from the input are kept). */
async function applyInput(
  tx: Queryable,
  accountId: string,
  cv: CandidateCv,
  input: CvInput,
): Promise<CandidateCv> {
  const next: CandidateCv = { ...cv, publication: { ...cv.publication } };
  if (input.target !== undefined)
    next.target = input.target ? await checkAppellation(tx, input.target) : null;
  if (input.title !== undefined) next.title = input.title;
  if (!next.title && next.target) next.title = next.target.appellationLabel.slice(0, 150);
  if (input.summary !== undefined) next.summary = input.summary;
  if (input.experiences) next.experiences = withIds(input.experiences);
  if (input.diplomas) next.diplomas = withIds(input.diplomas);
  if (input.skills) next.skills = withIds(input.skills);
  if (input.languages) next.languages = withIds(input.languages);
  if (input.licences) next.licences = input.licences;
  if (input.file !== undefined) next.file = input.file ? await resolveFile(tx, accountId, input.file) : null;
  if (input.publication) Object.assign(next.publication, input.publication);
  if (next.express && !next.file) {
    const message = 'Un CV express est fait du CV personnel joint : il ne peut pas être retiré.';
    throw badRequest(message, [{ field: 'file', message }]);
  }
  next.completeness = cvCompleteness(next);
  next.updatedAt = clock.now().toISOString();
  return next;
}

/** Two CVs of one candidate never target the same ROME code (seed 002). */
async function checkRomeUnique(tx: Queryable, accountId: string, cv: CandidateCv): Promise<void> {
  const rome = cv.target?.romeCode;
  if (!rome) return;
  const { rows } = await tx.query<{ title: string }>(
    `select doc->>'title' as title from candidate_cvs where account_id = $1 and rome_code = $2 and id <> $3`,
    [accountId, rome, cv.id],
  );
  if (rows[0]) {
    const message = `Vous avez déjà un CV pour ce métier (code ROME ${rome}) : « ${rows[0].title || 'sans titre'} ». Chaque CV doit viser un métier différent : choisissez un autre métier ou modifiez ce CV.`;
    throw new HttpError(409, 'conflict', message, [{ field: 'target', message }]);
  }
}

/** Writes a CV row (insert or update) and its CVthèque projection; the ROME code stays unique per candidate. */
export async function saveCv(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
  cv: CandidateCv,
  insert: boolean,
): Promise<void> {
  // One save at a time per candidate: two tabs cannot give two CVs the same ROME code.
  await tx.query('select 1 from accounts where id = $1 for update', [accountId]);
  await checkRomeUnique(tx, accountId, cv);
  const { id, status, ...doc } = cv;
  const params = [id, accountId, status, cv.target?.romeCode ?? null, JSON.stringify({ ...doc, id, status })];
  if (insert)
    await tx.query(
      `insert into candidate_cvs (id, account_id, status, rome_code, doc, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $6)`,
      [...params, cv.updatedAt],
    );
  else
    await tx.query(
      `update candidate_cvs set status = $3, rome_code = $4, doc = $5, updated_at = $6
        where id = $1 and account_id = $2`,
      [...params, cv.updatedAt],
    );
  await project(tx, engine, accountId, cv, id);
}

export interface CreateCvInput extends CvInput {
  /** Copies the experiences and diplomas of this CV (seed 002: « recopier … Expérience et Formation »). */
  copyFrom?: string;
  /** Express mode: a CV made of the attached file alone (`file` required). */
  express?: boolean;
}

export function validateCreateCvInput(raw: unknown): { value: CreateCvInput; errors: CvFieldError[] } {
  const body = raw === undefined || raw === null ? {} : raw;
  const { value, errors } = validateCvInput(body);
  const out: CreateCvInput = { ...value };
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    if (b.copyFrom !== undefined && b.copyFrom !== null && b.copyFrom !== '') {
      if (!isCvId(b.copyFrom))
        errors.push({ field: 'copyFrom', message: 'Le CV à recopier est introuvable.' });
      else out.copyFrom = b.copyFrom;
    }
    if (b.express !== undefined) {
      if (typeof b.express !== 'boolean') errors.push({ field: 'express', message: 'Oui ou non attendu.' });
      else out.express = b.express;
    }
    if (out.express && !value.file)
      errors.push({
        field: 'file',
        message:
          'Le mode express demande votre CV personnel : joignez un fichier (PDF, DOC, DOCX, ODT, RTF ou TXT).',
      });
  }
  return { value: out, errors };
}

export async function createCv(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  raw: unknown,
): Promise<CandidateCv> {
  const { value, errors } = validateInput(validateCreateCvInput, raw);
  if (errors.length > 0) throw validationError(errors);
  return db.transaction(async (tx) => {
    // One creation at a time per candidate, so two tabs cannot pass the limit together.
    await tx.query('select 1 from accounts where id = $1 for update', [user.id]);
    const { rows } = await tx.query<{ n: number }>(
      'select count(*)::int as n from candidate_cvs where account_id = $1',
      [user.id],
    );
    if ((rows[0]?.n ?? 0) >= MAX_CVS)
      throw new HttpError(409, 'conflict', TOO_MANY_CVS, [{ field: 'cvs', message: TOO_MANY_CVS }]);
    const now = clock.now().toISOString();
    let cv: CandidateCv = {
      id: randomUUID(),
      express: value.express === true,
      status: 'brouillon',
      title: '',
      target: null,
      summary: '',
      experiences: [],
      diplomas: [],
      skills: [],
      languages: [],
      licences: [],
      file: null,
      publication: { ...DEFAULT_PUBLICATION },
      completeness: 0,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    };
    if (value.copyFrom) {
      const source = await loadCandidateCv(tx, user.id, value.copyFrom);
      if (!source)
        throw badRequest('Le CV à recopier est introuvable.', [
          { field: 'copyFrom', message: 'Le CV à recopier est introuvable.' },
        ]);
      cv.experiences = source.experiences.map((e) => ({ ...e, id: randomUUID() }));
      cv.diplomas = source.diplomas.map((d) => ({ ...d, id: randomUUID() }));
    }
    const { copyFrom: _c, express: _e, ...input } = value;
    cv = await applyInput(tx, user.id, cv, input);
    cv.createdAt = now;
    await saveCv(tx, engine, user.id, cv, true);
    return cv;
  });
}

export async function updateCv(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  cvId: string,
  raw: unknown,
): Promise<CandidateCv> {
  const { value, errors } = validateInput(validateCvInput, raw);
  if (errors.length > 0) throw validationError(errors);
  return db.transaction(async (tx) => {
    const cv = await applyInput(tx, user.id, await mustLoad(tx, user.id, cvId), value);
    await saveCv(tx, engine, user.id, cv, false);
    return cv;
  });
}

export interface PublishResult {
  cv: CandidateCv;
  completeness: number;
  threshold: number;
  /** Under the threshold: the portal shows the reminder pop-in (seed 002). */
  reminder: boolean;
  missing: string[];
}

function publishChecks(user: SessionUser, cv: CandidateCv): void {
  if (user.emailConfirmed === false)
    throw new HttpError(403, 'forbidden', EMAIL_NOT_CONFIRMED, [
      { field: 'email', message: EMAIL_NOT_CONFIRMED },
    ]);
  const errors = publicationErrors(cv);
  if (errors.length > 0) throw validationError(errors);
}

function publishResult(cv: CandidateCv): PublishResult {
  return {
    cv,
    completeness: cv.completeness,
    threshold: COMPLETENESS_THRESHOLD,
    reminder: cv.completeness < COMPLETENESS_THRESHOLD,
    missing: missingCompleteness(cv),
  };
}

/** Puts a CV online (« mise en ligne »); the body may carry the step-3 choices (`publication`). */
export async function publishCv(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  cvId: string,
  raw: unknown,
): Promise<PublishResult> {
  const { value, errors } = validateInput(validateCvInput, raw ?? {});
  if (errors.length > 0) throw validationError(errors);
  return db.transaction(async (tx) => {
    let cv = await mustLoad(tx, user.id, cvId);
    cv = await applyInput(tx, user.id, cv, value.publication ? { publication: value.publication } : {});
    publishChecks(user, cv);
    cv.status = 'publie';
    cv.publishedAt = cv.updatedAt;
    await saveCv(tx, engine, user.id, cv, false);
    return publishResult(cv);
  });
}

export async function suspendCv(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  cvId: string,
): Promise<CandidateCv> {
  return db.transaction(async (tx) => {
    const cv = await mustLoad(tx, user.id, cvId);
    if (cv.status !== 'publie') {
      const message = 'Seul un CV en ligne peut être suspendu.';
      throw new HttpError(409, 'conflict', message, [{ field: 'status', message }]);
    }
    cv.status = 'suspendu';
    cv.updatedAt = clock.now().toISOString();
    await saveCv(tx, engine, user.id, cv, false);
    return cv;
  });
}

export async function resumeCv(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  cvId: string,
): Promise<PublishResult> {
  return db.transaction(async (tx) => {
    const cv = await mustLoad(tx, user.id, cvId);
    if (cv.status !== 'suspendu') {
      const message = 'Seul un CV suspendu peut être remis en ligne.';
      throw new HttpError(409, 'conflict', message, [{ field: 'status', message }]);
    }
    publishChecks(user, cv);
    cv.status = 'publie';
    cv.updatedAt = clock.now().toISOString();
    cv.publishedAt = cv.updatedAt;
    await saveCv(tx, engine, user.id, cv, false);
    return publishResult(cv);
  });
}

export async function deleteCv(
  db: Database,
  engine: SyncEngine,
  user: SessionUser,
  cvId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    await mustLoad(tx, user.id, cvId);
    await tx.query('delete from candidate_cvs where id = $1 and account_id = $2', [cvId, user.id]);
    await project(tx, engine, user.id, null, cvId);
  });
}

/**
 * The CVthèque projection of every CV of a candidate again (after a profile change: name, phone,
 * commune, RQTH, availability). Other areas may call it in their own transaction.
 */
export async function refreshCandidateCvs(
  tx: Queryable,
  engine: SyncEngine,
  accountId: string,
): Promise<void> {
  for (const cv of await listCandidateCvs(tx, accountId)) await project(tx, engine, accountId, cv, cv.id);
}
