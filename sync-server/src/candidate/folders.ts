/**
 * Application folders (« Mes dossiers de candidature », seed 004): plain functions, then routes.
 *
 * - `GET /api/candidate/folders` → `ApplicationFolder[]` (newest change first; the application form
 *   reads `{ id, name, cvId, cvTitle, letterText, letterFile, videoUrl, updatedAt }`)
 * - `POST /api/candidate/folders` → 201 `ApplicationFolder`
 * - `PUT /api/candidate/folders/:id` → `ApplicationFolder`
 * - `DELETE /api/candidate/folders/:id` → 204
 *
 * A folder's CV is one of the candidate's CVs or a CV file alone; its letter is text and/or a PDF
 * letter; files must have been uploaded by the candidate (`POST /api/candidate/files`). A folder
 * whose CV was deleted since lists `cvId: null` and no file: the portal asks for another CV.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type ApplicationFolder,
  type ApplicationFolderInput,
  FOLDER_MESSAGES,
  type FolderFile,
  type FolderFileInput,
  isUuid,
  MAX_FOLDERS,
  validateFolderInput,
} from '../../../shared/domain/application-folder';
import { FILE_PURPOSES, FILE_TYPES, type FilePurpose } from '../../../shared/domain/files';
import type { FieldError } from '../../../shared/sync/errors';
import { requireCandidate } from '../auth/request-user';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { badRequest, HttpError, notFound } from '../http-error';
import { loadCandidateCv } from './cv-store';
import type { CandidateDeps } from './deps';

export const FOLDER_NOT_FOUND = 'Ce dossier de candidature n’existe pas ou ne vous appartient pas.';
export const FILE_NOT_YOURS =
  'Ce fichier est introuvable parmi vos envois : envoyez-le à nouveau puis enregistrez le dossier.';

interface FolderRow {
  id: string;
  name: string;
  cv_id: string | null;
  cv_title: string | null;
  cv_file: FolderFile | string | null;
  letter_text: string;
  letter_file: FolderFile | string | null;
  video_url: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const json = <T>(v: T | string | null): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

function fromRow(row: FolderRow): ApplicationFolder {
  return {
    id: row.id,
    name: row.name,
    cvId: row.cv_id,
    cvTitle: row.cv_id ? (row.cv_title ?? null) : null,
    cvFile: json(row.cv_file),
    letterText: row.letter_text,
    letterFile: json(row.letter_file),
    videoUrl: row.video_url,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

const SELECT = `
  select f.id::text as id, f.name, c.id::text as cv_id, c.doc->>'title' as cv_title, f.cv_file,
         f.letter_text, f.letter_file, f.video_url, f.created_at, f.updated_at
    from application_folders f
    left join candidate_cvs c on c.id = f.cv_id and c.account_id = f.account_id`;

export async function listFolders(q: Queryable, accountId: string): Promise<ApplicationFolder[]> {
  const { rows } = await q.query<FolderRow>(
    `${SELECT} where f.account_id = $1 order by f.updated_at desc, f.id`,
    [accountId],
  );
  return rows.map(fromRow);
}

/** One of the candidate's folders, or null (unknown id, or another candidate's). */
export async function loadFolder(
  q: Queryable,
  accountId: string,
  folderId: string,
): Promise<ApplicationFolder | null> {
  if (!isUuid(folderId)) return null;
  const { rows } = await q.query<FolderRow>(`${SELECT} where f.id = $1 and f.account_id = $2`, [
    folderId,
    accountId,
  ]);
  return rows[0] ? fromRow(rows[0]) : null;
}

/**
 * A file the candidate uploaded, with the type the use requires (checked by content at upload:
 * the stored mime is the detected one).
 */
async function ownFile(
  q: Queryable,
  accountId: string,
  input: FolderFileInput,
  purpose: FilePurpose,
  field: string,
  errors: FieldError[],
): Promise<FolderFile | null> {
  const { rows } = await q.query<{ mime: string; size: number }>(
    `select f.mime, f.size from files f
       join file_uploaders u on u.sha256 = f.sha256 and u.account_id = $2
      where f.sha256 = $1`,
    [input.sha256, accountId],
  );
  const row = rows[0];
  if (!row) {
    errors.push({ field, message: FILE_NOT_YOURS });
    return null;
  }
  const rule = FILE_PURPOSES[purpose];
  if (!rule.types.some((t) => FILE_TYPES[t].mime === row.mime)) {
    errors.push({ field, message: rule.refusedTypeMessage });
    return null;
  }
  return { sha256: input.sha256, name: input.name, mime: row.mime, size: Number(row.size) };
}

/** Checks that the CV and the files belong to the candidate; the folder as it will be stored. */
async function resolveInput(
  q: Queryable,
  accountId: string,
  input: ApplicationFolderInput,
): Promise<{ cvFile: FolderFile | null; letterFile: FolderFile | null }> {
  const errors: FieldError[] = [];
  if (input.cvId && !(await loadCandidateCv(q, accountId, input.cvId)))
    errors.push({ field: 'cvId', message: FOLDER_MESSAGES.cvId });
  const cvFile = input.cvFile ? await ownFile(q, accountId, input.cvFile, 'cv', 'cvFile', errors) : null;
  const letterFile = input.letterFile
    ? await ownFile(q, accountId, input.letterFile, 'letter', 'letterFile', errors)
    : null;
  if (errors.length) throw badRequest(errors.map((e) => e.message).join(' '), errors);
  return { cvFile, letterFile };
}

function decode(body: unknown): ApplicationFolderInput {
  const result = validateFolderInput(body);
  if (!result.ok)
    throw badRequest(
      result.errors.length === 1
        ? result.errors[0]!.message
        : 'Le dossier n’a pas été enregistré : corrigez les champs signalés.',
      result.errors,
    );
  return result.value;
}

export async function createFolder(
  db: Database,
  accountId: string,
  body: unknown,
): Promise<ApplicationFolder> {
  const input = decode(body);
  return db.transaction(async (tx) => {
    // One creation at a time per candidate: the limit holds under concurrent requests.
    await tx.query('select id from accounts where id = $1 for update', [accountId]);
    const { rows } = await tx.query<{ n: number }>(
      'select count(*)::int as n from application_folders where account_id = $1',
      [accountId],
    );
    if (Number(rows[0]?.n ?? 0) >= MAX_FOLDERS) throw new HttpError(409, 'conflict', FOLDER_MESSAGES.tooMany);
    const { cvFile, letterFile } = await resolveInput(tx, accountId, input);
    const id = randomUUID();
    const now = clock.now();
    await tx.query(
      `insert into application_folders
         (id, account_id, name, cv_id, cv_file, letter_text, letter_file, video_url, created_at, updated_at)
       values ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8, $9, $9)`,
      [
        id,
        accountId,
        input.name,
        input.cvId,
        cvFile ? JSON.stringify(cvFile) : null,
        input.letterText,
        letterFile ? JSON.stringify(letterFile) : null,
        input.videoUrl,
        now,
      ],
    );
    return (await loadFolder(tx, accountId, id))!;
  });
}

export async function updateFolder(
  db: Database,
  accountId: string,
  folderId: string,
  body: unknown,
): Promise<ApplicationFolder> {
  if (!isUuid(folderId)) throw notFound(FOLDER_NOT_FOUND);
  const input = decode(body);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query(
      'select 1 from application_folders where id = $1 and account_id = $2 for update',
      [folderId, accountId],
    );
    if (rows.length === 0) throw notFound(FOLDER_NOT_FOUND);
    const { cvFile, letterFile } = await resolveInput(tx, accountId, input);
    await tx.query(
      `update application_folders
          set name = $3, cv_id = $4, cv_file = $5::jsonb, letter_text = $6, letter_file = $7::jsonb,
              video_url = $8, updated_at = $9
        where id = $1 and account_id = $2`,
      [
        folderId,
        accountId,
        input.name,
        input.cvId,
        cvFile ? JSON.stringify(cvFile) : null,
        input.letterText,
        letterFile ? JSON.stringify(letterFile) : null,
        input.videoUrl,
        clock.now(),
      ],
    );
    return (await loadFolder(tx, accountId, folderId))!;
  });
}

export async function deleteFolder(db: Queryable, accountId: string, folderId: string): Promise<void> {
  if (!isUuid(folderId)) throw notFound(FOLDER_NOT_FOUND);
  const { rows } = await db.query(
    'delete from application_folders where id = $1 and account_id = $2 returning id',
    [folderId, accountId],
  );
  if (rows.length === 0) throw notFound(FOLDER_NOT_FOUND);
}

const idParam = (request: FastifyRequest) => String((request.params as { id?: unknown }).id ?? '');

export async function registerFolderRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db } = deps;
  app.get('/api/candidate/folders', async (request) => {
    const user = await requireCandidate(db, request);
    return listFolders(db, user.id);
  });

  app.get('/api/candidate/folders/:id', async (request) => {
    const user = await requireCandidate(db, request);
    const folder = await loadFolder(db, user.id, idParam(request));
    if (!folder) throw notFound(FOLDER_NOT_FOUND);
    return folder;
  });

  app.post('/api/candidate/folders', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const folder = await createFolder(db, user.id, request.body);
    reply.code(201);
    return folder;
  });

  app.put('/api/candidate/folders/:id', async (request) => {
    const user = await requireCandidate(db, request);
    return updateFolder(db, user.id, idParam(request), request.body);
  });

  app.delete('/api/candidate/folders/:id', async (request, reply) => {
    const user = await requireCandidate(db, request);
    await deleteFolder(db, user.id, idParam(request));
    return reply.code(204).send();
  });
}
