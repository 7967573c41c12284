/**
 * Applications (with and without an account, spontaneous), proposals, offer selections.
 *
 * Signed-in candidate (`requireCandidate`):
 * - `POST /api/candidate/applications` {offerId | companyId (+ jobId), cvId | folderId | file,
 *   letterFile?, message?}: 201 `{ application }`; 409 when an application to the same offer is
 *   still active; 403 before the e-mail is confirmed.
 * - `GET /api/candidate/applications`: « Mes candidatures » (`CandidateApplication[]`).
 * - `POST /api/candidate/applications/:id/withdraw` {reason?}, `…/accept`, `…/decline`.
 * Without an account (seed 004):
 * - `POST /api/public/application-files?purpose=cv|letter` (raw bytes): `{ sha256 }`.
 * - `POST /api/public/applications` {offerId | companyId (+ jobId), civility?, firstName, lastName,
 *   email, phone?, message?, consent: true, file, letterFile?}: 201, and an e-mail with a follow link.
 * - `GET /api/public/applications/follow?token=`, `POST /api/public/applications/withdraw` {token, reason?}.
 */
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import {
  APPLICATION_CONSENT_TEXT,
  APPLICATION_LIMITS,
  CIVILITIES,
  type Civility,
} from '../../../shared/domain/application';
import {
  FILE_PURPOSES,
  type FilePurpose,
  fileTypeOfMime,
  tooLargeMessage,
} from '../../../shared/domain/files';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { requireCandidate } from '../auth/request-user';
import { hashToken } from '../auth/sessions';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { asRecord, isTokenShape, linkBase, validEmail } from '../domain/route-helpers';
import { checkFileContent, isSha256, sha256Hex } from '../files/file-types';
import { UPLOAD_BODY_LIMIT } from '../files/routes';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import {
  type ApplicationTarget,
  candidateMove,
  companyTarget,
  createApplication,
  followedApplication,
  isId,
  listCandidateApplications,
  MESSAGE_MAX,
  offerTarget,
  PHONE,
  queueCandidateConfirmation,
  queueFollowLink,
  textField,
} from './application-service';
import type { CandidateDeps } from './deps';
import { registerSelectionRoutes } from './selections';

/** Anonymous uploads and applications allowed per address and hour. */
export const PUBLIC_LIMITS = { uploadsPerHour: 20, applicationsPerHour: 10 } as const;

const CONFIRM_FIRST =
  'Confirmez d’abord votre adresse e-mail (lien envoyé à l’inscription, que vous pouvez renvoyer depuis « Mon compte ») : les recruteurs doivent pouvoir vous répondre.';

// ---------------------------------------------------------------------------------------------
// What the other areas of the candidate space give: read through their own routes, so this
// module does not depend on how they store it.

async function internalGet<T>(app: FastifyInstance, request: FastifyRequest, url: string): Promise<T | null> {
  const headers: Record<string, string> = {};
  if (typeof request.headers.authorization === 'string')
    headers.authorization = request.headers.authorization;
  if (typeof request.headers.cookie === 'string') headers.cookie = request.headers.cookie;
  const res = await app.inject({ method: 'GET', url, headers });
  if (res.statusCode !== 200) return null;
  try {
    return res.json() as T;
  } catch {
    return null;
  }
}

const str = (v: unknown, n: number): string | undefined =>
  typeof v === 'string' && v.trim() ? v.trim().slice(0, n) : undefined;

/** The CV as the candidate sends it (a copy kept with the application). */
export function cvSnapshot(cv: Record<string, unknown>): NonNullable<ApplicationDoc['cv']> {
  const arr = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  const target = (cv.target ?? {}) as Record<string, unknown>;
  const out: NonNullable<ApplicationDoc['cv']> = {};
  const title = str(cv.title, 150);
  if (title) out.title = title;
  const summary = str(cv.summary, 3000);
  if (summary) out.summary = summary;
  const appellation = str(target.appellationLabel, 200);
  if (appellation) out.appellationLabel = appellation;
  const rome = str(target.romeCode, 5);
  if (rome) out.romeCode = rome;
  out.experiences = arr(cv.experiences)
    .slice(0, 50)
    .map((e) => ({
      company: str(e.company, 150) ?? '',
      jobTitle: str(e.jobTitle, 150) ?? '',
      start: str(e.start, 10) ?? '',
      end: str(e.end, 10) ?? null,
      description: str(e.description, 5000) ?? '',
    }));
  out.diplomas = arr(cv.diplomas)
    .slice(0, 50)
    .map((d) => ({
      title: str(d.title, 200) ?? '',
      date: str(d.date, 10) ?? '',
      description: str(d.description, 3000) ?? '',
    }));
  out.skills = arr(cv.skills)
    .slice(0, 100)
    .map((s) => ({
      label: str(s.label, 100) ?? '',
      level: Math.min(5, Math.max(1, Math.round(Number(s.level) || 1))),
    }));
  out.languages = arr(cv.languages)
    .slice(0, 30)
    .map((l) => ({ language: str(l.language, 60) ?? '', level: str(l.level, 20) ?? '' }));
  out.licences = (Array.isArray(cv.licences) ? cv.licences : [])
    .filter((x): x is string => typeof x === 'string')
    .slice(0, 30)
    .map((x) => x.slice(0, 10));
  return out;
}

function civilityOf(v: unknown): Civility | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if ((CIVILITIES as readonly string[]).includes(s)) return s as Civility;
  if (s === 'mme' || s === 'mme.' || s === 'mademoiselle') return 'madame';
  if (s === 'm' || s === 'm.' || s === 'mr') return 'monsieur';
  return undefined;
}

/** A file this candidate uploaded, of a type the use accepts. */
async function ownFile(
  q: Queryable,
  user: SessionUser,
  sha: unknown,
  purpose: FilePurpose,
  field: string,
  errors: FieldError[],
): Promise<string | undefined> {
  if (sha === undefined || sha === null || sha === '') return undefined;
  if (!isSha256(sha)) {
    errors.push({ field, message: 'Fichier invalide : envoyez d’abord le fichier, puis sa référence.' });
    return undefined;
  }
  const { rows } = await q.query<{ mime: string }>(
    `select f.mime from files f join file_uploaders u on u.sha256 = f.sha256
      where f.sha256 = $1 and u.account_id = $2`,
    [sha, user.id],
  );
  const mime = rows[0]?.mime;
  if (!mime) {
    errors.push({ field, message: 'Ce fichier est introuvable : envoyez-le à nouveau.' });
    return undefined;
  }
  const type = fileTypeOfMime(mime);
  if (!type || !(FILE_PURPOSES[purpose].types as readonly string[]).includes(type)) {
    errors.push({ field, message: FILE_PURPOSES[purpose].refusedTypeMessage });
    return undefined;
  }
  return sha;
}

/** A file sent without an account for an application (`public_application_files`). */
async function publicFile(
  q: Queryable,
  sha: unknown,
  purpose: FilePurpose,
  field: string,
  errors: FieldError[],
  required?: string,
): Promise<string | undefined> {
  if (sha === undefined || sha === null || sha === '') {
    if (required) errors.push({ field, message: required });
    return undefined;
  }
  if (!isSha256(sha)) {
    errors.push({ field, message: 'Fichier invalide : envoyez d’abord le fichier, puis sa référence.' });
    return undefined;
  }
  const { rows } = await q.query<{ mime: string }>(
    `select f.mime from files f where f.sha256 = $1
        and exists (select 1 from public_application_files p where p.sha256 = f.sha256)`,
    [sha],
  );
  const mime = rows[0]?.mime;
  const type = mime ? fileTypeOfMime(mime) : null;
  if (!type) {
    errors.push({ field, message: 'Ce fichier est introuvable : envoyez-le à nouveau.' });
    return undefined;
  }
  if (!(FILE_PURPOSES[purpose].types as readonly string[]).includes(type)) {
    errors.push({ field, message: FILE_PURPOSES[purpose].refusedTypeMessage });
    return undefined;
  }
  return sha;
}

/** Offer or company of a body; `undefined` fields are reported in `errors`. */
async function targetOf(q: Queryable, body: Record<string, unknown>): Promise<ApplicationTarget> {
  const hasOffer = body.offerId !== undefined && body.offerId !== null && body.offerId !== '';
  const hasCompany = body.companyId !== undefined && body.companyId !== null && body.companyId !== '';
  if (hasOffer === hasCompany) {
    const m = 'Indiquez l’offre à laquelle vous postulez, ou l’entreprise pour une candidature spontanée.';
    throw badRequest(m, [{ field: 'offerId', message: m }]);
  }
  if (hasOffer) {
    if (!isId(body.offerId)) throw notFound('Cette offre n’existe pas ou n’est pas en ligne.');
    return offerTarget(q, body.offerId);
  }
  if (!isId(body.companyId)) throw notFound('Cette entreprise n’existe pas ou sa fiche n’est pas en ligne.');
  const jobId = body.jobId === undefined || body.jobId === null || body.jobId === '' ? undefined : body.jobId;
  if (jobId !== undefined && !isId(jobId)) {
    const m = 'Cette fiche de poste n’existe pas : choisissez-en une dans la liste.';
    throw badRequest(m, [{ field: 'jobId', message: m }]);
  }
  return companyTarget(q, body.companyId, jobId);
}

function videoUrlOf(v: unknown, errors: FieldError[]): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (
    typeof v !== 'string' ||
    v.length > APPLICATION_LIMITS.videoUrl ||
    !/^https:\/\/[^\s]+$/i.test(v.trim())
  ) {
    errors.push({
      field: 'videoUrl',
      message: 'Le lien vers la vidéo doit être une adresse https:// valide.',
    });
    return undefined;
  }
  return v.trim();
}

async function rateLimited(
  q: Queryable,
  table: 'public_application_files' | 'public_application_attempts',
  ip: string,
  limit: number,
): Promise<void> {
  const column = table === 'public_application_files' ? 'created_at' : 'at';
  const { rows } = await q.query<{ n: number }>(
    `select count(*)::int as n from ${table} where ip = $1 and ${column} > $2`,
    [ip, new Date(clock.now().getTime() - 3600_000)],
  );
  if (Number(rows[0]?.n ?? 0) >= limit) {
    throw new HttpError(
      429,
      'too-many-requests',
      'Trop d’envois depuis cette connexion en une heure. Réessayez plus tard, ou créez un compte candidat.',
      undefined,
      { 'retry-after': '3600' },
    );
  }
}

function applicationId(request: FastifyRequest): string {
  const id = (request.params as { id?: unknown }).id;
  if (!isId(id)) throw notFound('Cette candidature n’existe pas ou ne vous appartient pas.');
  return id;
}

export async function registerApplicationRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db, engine } = deps;

  app.post('/api/candidate/applications', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const body = asRecord(request.body);
    if ((user as { emailConfirmed?: boolean }).emailConfirmed === false) throw forbidden(CONFIRM_FIRST);
    const target = await targetOf(db, body);
    const errors: FieldError[] = [];
    const message = textField(body, 'message', MESSAGE_MAX, errors);
    let videoUrl = videoUrlOf(body.videoUrl, errors);
    let letterFile = await ownFile(db, user, body.letterFile, 'letter', 'letterFile', errors);
    let cvFile = await ownFile(db, user, body.file, 'cv', 'file', errors);
    let cvId: string | undefined;
    let cv: ApplicationDoc['cv'];
    let folderId: string | undefined;
    let letterText: string | undefined;

    const readCv = async (id: string, field: string) => {
      const found = await internalGet<Record<string, unknown>>(app, request, `/api/candidate/cvs/${id}`);
      if (!found || typeof found !== 'object') {
        errors.push({ field, message: 'Ce CV est introuvable : choisissez l’un de vos CV.' });
        return;
      }
      const c = ((found as { cv?: unknown }).cv ?? found) as Record<string, unknown>;
      cvId = id;
      cv = cvSnapshot(c);
      const file = c.file as { sha256?: unknown } | null | undefined;
      if (!cvFile && file && isSha256(file.sha256)) cvFile = file.sha256;
    };

    if (body.folderId !== undefined && body.folderId !== null && body.folderId !== '') {
      const folders = isId(body.folderId)
        ? await internalGet<Record<string, unknown>[]>(app, request, '/api/candidate/folders')
        : null;
      const list = Array.isArray(folders)
        ? folders
        : ((folders as { folders?: Record<string, unknown>[] } | null)?.folders ?? []);
      const folder = list.find((f) => f.id === body.folderId);
      if (!folder)
        errors.push({
          field: 'folderId',
          message: 'Ce dossier est introuvable : choisissez l’un de vos dossiers.',
        });
      else {
        folderId = String(folder.id);
        if (isId(folder.cvId)) await readCv(folder.cvId, 'folderId');
        const lf = folder.letterFile as unknown;
        const lfSha = isSha256(lf)
          ? lf
          : isSha256((lf as { sha256?: unknown } | null)?.sha256)
            ? (lf as { sha256: string }).sha256
            : undefined;
        if (!letterFile && lfSha) letterFile = lfSha;
        const cf = (folder.cvFile ?? folder.file) as unknown;
        const cfSha = isSha256(cf)
          ? cf
          : isSha256((cf as { sha256?: unknown } | null)?.sha256)
            ? (cf as { sha256: string }).sha256
            : undefined;
        if (!cvFile && cfSha) cvFile = cfSha;
        if (typeof folder.letterText === 'string' && folder.letterText.trim())
          letterText = folder.letterText.trim();
        if (!videoUrl && typeof folder.videoUrl === 'string' && /^https:\/\//i.test(folder.videoUrl))
          videoUrl = folder.videoUrl.slice(0, APPLICATION_LIMITS.videoUrl);
      }
    } else if (body.cvId !== undefined && body.cvId !== null && body.cvId !== '') {
      if (!isId(body.cvId))
        errors.push({ field: 'cvId', message: 'Ce CV est introuvable : choisissez l’un de vos CV.' });
      else await readCv(body.cvId, 'cvId');
    }
    if (errors.length === 0 && !cvId && !cvFile) {
      const m = 'Choisissez l’un de vos CV ou dossiers, ou joignez un fichier CV.';
      errors.push({ field: 'cvId', message: m });
    }
    if (errors.length > 0) throw badRequest('La candidature contient des erreurs.', errors);

    const profile = await internalGet<Record<string, unknown>>(app, request, '/api/candidate/profile');
    const p = ((profile as { profile?: unknown } | null)?.profile ?? profile ?? {}) as Record<
      string,
      unknown
    >;
    const civility = civilityOf(p.civility);
    const phone = typeof p.phone === 'string' && PHONE.test(p.phone.trim()) ? p.phone.trim() : undefined;
    const firstName = str(p.firstName, 100) ?? user.firstName.slice(0, 100);
    const lastName = str(p.lastName, 100) ?? user.lastName.slice(0, 100);
    const fullMessage = [message, letterText ? `Lettre de motivation :\n${letterText}` : undefined]
      .filter(Boolean)
      .join('\n\n')
      .slice(0, MESSAGE_MAX);
    const base = linkBase(deps, request);
    const doc = await createApplication(
      db,
      engine,
      {
        target,
        candidateId: user.id,
        applicant: {
          ...(civility ? { civility } : {}),
          firstName,
          lastName,
          email: user.email,
          ...(phone ? { phone } : {}),
        },
        ...(cvId ? { cvId } : {}),
        ...(cv ? { cv } : {}),
        ...(cvFile ? { cvFile } : {}),
        ...(letterFile ? { letterFile } : {}),
        ...(fullMessage ? { message: fullMessage } : {}),
        ...(videoUrl ? { videoUrl } : {}),
        ...(folderId ? { folderId } : {}),
        byName: `${firstName} ${lastName}`,
      },
      (tx, created) => queueCandidateConfirmation(tx, created, user.email, target.label, base),
    );
    reply.code(201);
    return { application: { id: doc.id, status: doc.status, createdAt: doc.createdAt } };
  });

  app.get('/api/candidate/applications', async (request) => {
    const user = await requireCandidate(db, request);
    return { applications: await listCandidateApplications(db, user.id) };
  });

  for (const move of ['withdraw', 'accept', 'decline'] as const) {
    app.post(`/api/candidate/applications/:id/${move}`, async (request) => {
      const user = await requireCandidate(db, request);
      const id = applicationId(request);
      const body = request.body === undefined || request.body === null ? {} : asRecord(request.body);
      const errors: FieldError[] = [];
      const reason =
        move === 'withdraw' ? textField(body, 'reason', APPLICATION_LIMITS.reason, errors) : undefined;
      if (errors.length > 0) throw badRequest('La demande contient des erreurs.', errors);
      const doc = await candidateMove(
        db,
        engine,
        { applicationId: id, candidateId: user.id },
        move,
        { id: user.id, name: `${user.firstName} ${user.lastName}` },
        reason,
      );
      const [application] = (await listCandidateApplications(db, user.id)).filter((a) => a.id === doc.id);
      return { application };
    });
  }

  // ------------------------------------------------------------------------------------------
  // Without an account

  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.setErrorHandler(async (error: FastifyError) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        throw new HttpError(413, 'payload-too-large', tooLargeMessage('cv'));
      if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
        throw new HttpError(
          415,
          'unsupported-media-type',
          'Envoyez le contenu brut du fichier (en-tête Content-Type: application/octet-stream).',
        );
      throw error;
    });

    scope.post('/api/public/application-files', { bodyLimit: UPLOAD_BODY_LIMIT }, async (request, reply) => {
      const raw = (request.query as { purpose?: unknown } | undefined)?.purpose ?? 'cv';
      if (raw !== 'cv' && raw !== 'letter') {
        const m = 'Usage du fichier inconnu : indiquez cv ou letter.';
        throw badRequest(m, [{ field: 'purpose', message: m }]);
      }
      const purpose: FilePurpose = raw;
      const body = request.body;
      if (!Buffer.isBuffer(body))
        throw new HttpError(
          415,
          'unsupported-media-type',
          'Envoyez le contenu brut du fichier (en-tête Content-Type: application/octet-stream).',
        );
      await rateLimited(db, 'public_application_files', request.ip, PUBLIC_LIMITS.uploadsPerHour);
      if (body.length > FILE_PURPOSES[purpose].maxBytes)
        throw new HttpError(413, 'payload-too-large', tooLargeMessage(purpose));
      const check = checkFileContent(purpose, body);
      if (!check.ok) {
        if (check.status === 413) throw new HttpError(413, 'payload-too-large', tooLargeMessage(purpose));
        if (check.status === 400)
          throw badRequest(check.message, [{ field: 'file', message: check.message }]);
        throw new HttpError(415, 'validation', check.message, [{ field: 'file', message: check.message }]);
      }
      const sha256 = sha256Hex(body);
      await db.transaction(async (tx) => {
        await tx.query(
          `insert into files (sha256, mime, size, bytes, purpose, uploaded_by)
           values ($1, $2, $3, $4, $5, null) on conflict (sha256) do nothing`,
          [sha256, check.mime, body.length, body, purpose],
        );
        await tx.query('insert into public_application_files (sha256, ip, created_at) values ($1, $2, $3)', [
          sha256,
          request.ip,
          clock.now(),
        ]);
      });
      reply.code(201);
      return { sha256, mime: check.mime, size: body.length };
    });
  });

  app.post('/api/public/applications', async (request, reply) => {
    const body = asRecord(request.body);
    await rateLimited(db, 'public_application_attempts', request.ip, PUBLIC_LIMITS.applicationsPerHour);
    const target = await targetOf(db, body);
    const errors: FieldError[] = [];
    let civility: Civility | undefined;
    if (body.civility !== undefined && body.civility !== null && body.civility !== '') {
      civility =
        typeof body.civility === 'string' && (CIVILITIES as readonly string[]).includes(body.civility)
          ? (body.civility as Civility)
          : undefined;
      if (!civility)
        errors.push({ field: 'civility', message: 'Choisissez Madame ou Monsieur, ou laissez vide.' });
    }
    const firstName = textField(body, 'firstName', APPLICATION_LIMITS.name, errors, {
      required: 'Saisissez votre prénom.',
    });
    const lastName = textField(body, 'lastName', APPLICATION_LIMITS.name, errors, {
      required: 'Saisissez votre nom.',
    });
    const email = validEmail(body.email);
    if (!email)
      errors.push({
        field: 'email',
        message:
          'Saisissez une adresse e-mail valide (exemple : nom@domaine.fr) : le recruteur vous répondra par e-mail.',
      });
    const phone = textField(body, 'phone', APPLICATION_LIMITS.phone, errors);
    if (phone && !PHONE.test(phone))
      errors.push({
        field: 'phone',
        message: 'Numéro de téléphone invalide : chiffres, espaces et + seulement.',
      });
    const message = textField(body, 'message', MESSAGE_MAX, errors);
    if (body.consent !== true)
      errors.push({
        field: 'consent',
        message:
          'Cochez la case de consentement : sans elle, nous ne pouvons pas transmettre votre candidature.',
      });
    const cvFile = await publicFile(db, body.file, 'cv', 'file', errors, 'Joignez votre CV (fichier).');
    const letterFile = await publicFile(db, body.letterFile, 'letter', 'letterFile', errors);
    if (errors.length > 0) throw badRequest('La candidature contient des erreurs.', errors);
    const base = linkBase(deps, request);
    const now = clock.now();
    const doc = await createApplication(
      db,
      engine,
      {
        target,
        applicant: {
          ...(civility ? { civility } : {}),
          firstName: firstName!,
          lastName: lastName!,
          email: email!,
          ...(phone ? { phone } : {}),
          consent: { at: now.toISOString(), text: APPLICATION_CONSENT_TEXT },
        },
        ...(cvFile ? { cvFile } : {}),
        ...(letterFile ? { letterFile } : {}),
        ...(message ? { message } : {}),
        byName: `${firstName} ${lastName}`,
      },
      async (tx, created) => {
        await tx.query('insert into public_application_attempts (ip, at) values ($1, $2)', [request.ip, now]);
        await queueFollowLink(tx, created, target.label, base);
      },
    );
    reply.code(201);
    return { application: { id: doc.id, status: doc.status, createdAt: doc.createdAt }, email };
  });

  const followToken = (value: unknown): string => {
    if (!isTokenShape(value)) {
      const m = 'Ce lien de suivi est invalide : utilisez le lien reçu par e-mail.';
      throw badRequest(m, [{ field: 'token', message: m }]);
    }
    return value;
  };
  const FOLLOW_GONE = 'Ce lien de suivi ne correspond à aucune candidature : elle a peut-être été effacée.';

  app.get('/api/public/applications/follow', async (request) => {
    const token = followToken((request.query as { token?: unknown } | undefined)?.token);
    const found = await followedApplication(db, hashToken(token));
    if (!found) throw notFound(FOLLOW_GONE);
    return { application: found.application };
  });

  app.post('/api/public/applications/withdraw', async (request) => {
    const body = asRecord(request.body);
    const token = followToken(body.token);
    const errors: FieldError[] = [];
    const reason = textField(body, 'reason', APPLICATION_LIMITS.reason, errors);
    if (errors.length > 0) throw badRequest('La demande contient des erreurs.', errors);
    const found = await followedApplication(db, hashToken(token));
    if (!found) throw notFound(FOLLOW_GONE);
    const a = found.doc.applicant;
    await candidateMove(
      db,
      engine,
      { applicationId: found.doc.id },
      'withdraw',
      { name: `${a?.firstName ?? ''} ${a?.lastName ?? ''}`.trim() },
      reason,
    );
    const after = await followedApplication(db, hashToken(token));
    return { application: after?.application };
  });

  await registerSelectionRoutes(app, deps);
}
