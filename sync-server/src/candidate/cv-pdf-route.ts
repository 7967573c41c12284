/**
 * `GET /api/candidate/cvs/:id/pdf?mise-en-page=classique|moderne|compact&ordre=experience|formation`:
 * the candidate's own CV as a PDF (seed 002 « Visualiser / Imprimer »), downloaded as
 * `CV-<nom>.pdf`. An express CV (seed 002: the attached file alone) answers its attached PDF.
 *
 * `cvPdfFor` is the plain function the route and the e-mail sending (cv-send.ts) share.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AVAILABILITY_LABELS,
  type Availability,
  SITUATION_LABELS,
  type Situation,
} from '../../../shared/domain/candidate-profile';
import type { CandidateCv } from '../../../shared/domain/cv';
import type { FieldError } from '../../../shared/sync/errors';
import { requireCandidate } from '../auth/request-user';
import type { Queryable } from '../db/database';
import { badRequest, notFound } from '../http-error';
import {
  CV_PDF_LAYOUT_LABELS,
  CV_PDF_LAYOUTS,
  type CvPdfIdentity,
  type CvPdfLayout,
  type CvPdfOptions,
  type CvPdfOrder,
  cvPdfFileName,
  DEFAULT_CV_PDF_OPTIONS,
  isCvPdfLayout,
  isCvPdfOrder,
  renderCvPdf,
} from './cv-pdf';
import { CV_NOT_FOUND, loadCandidateCv } from './cv-store';
import type { CandidateDeps } from './deps';
import { loadCandidateProfile } from './profile';

export const LAYOUT_MESSAGE = `Mise en page inconnue : choisissez ${CV_PDF_LAYOUTS.map((l) => CV_PDF_LAYOUT_LABELS[l]).join(', ')}.`;
export const ORDER_MESSAGE =
  'Ordre inconnu : choisissez « expérience en premier » ou « formation en premier ».';

/** Reads `layout`/`order` (API names) or `mise-en-page`/`ordre` (the URL the portal links to). */
export function decodePdfOptions(
  source: Record<string, unknown>,
  names: { layout: string; order: string },
): { options: CvPdfOptions; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const layoutRaw = source[names.layout];
  const orderRaw = source[names.order];
  let layout: CvPdfLayout = DEFAULT_CV_PDF_OPTIONS.layout;
  let order: CvPdfOrder = DEFAULT_CV_PDF_OPTIONS.order;
  if (layoutRaw !== undefined && layoutRaw !== '') {
    if (isCvPdfLayout(layoutRaw)) layout = layoutRaw;
    else errors.push({ field: names.layout, message: LAYOUT_MESSAGE });
  }
  if (orderRaw !== undefined && orderRaw !== '') {
    if (isCvPdfOrder(orderRaw)) order = orderRaw;
    else errors.push({ field: names.order, message: ORDER_MESSAGE });
  }
  return { options: { layout, order }, errors };
}

async function fileBytes(q: Queryable, sha256: string): Promise<Buffer | null> {
  const { rows } = await q.query<{ bytes: Uint8Array; mime: string }>(
    'select bytes, mime from files where sha256 = $1',
    [sha256],
  );
  const bytes = rows[0]?.bytes;
  if (!bytes) return null;
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function frenchDay(iso: string): string {
  const d = new Date(`${iso}T12:00:00Z`);
  return Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/**
 * The candidate as their CV shows them: names and e-mail of the account, phone when they chose to
 * show it, situation, availability, atouts and photo from the profile.
 */
export async function cvPdfIdentity(q: Queryable, accountId: string): Promise<CvPdfIdentity> {
  const { rows } = await q.query<{ email: string }>('select email from accounts where id = $1', [accountId]);
  const profile = await loadCandidateProfile(q, accountId);
  const details: string[] = [];
  if (profile.situation) details.push(SITUATION_LABELS[profile.situation as Situation] ?? '');
  if (profile.availability) {
    const label =
      profile.availability === 'a_partir_du' && profile.availableFrom
        ? `à partir du ${frenchDay(profile.availableFrom)}`
        : (AVAILABILITY_LABELS[profile.availability as Availability] ?? '').toLowerCase();
    if (label) details.push(`Disponibilité : ${label}`);
  }
  const photo = profile.photo ? await fileBytes(q, profile.photo) : null;
  return {
    firstName: profile.firstName,
    lastName: profile.lastName,
    email: rows[0]?.email ?? '',
    phone: profile.showPhone ? profile.phone : '',
    details: details.filter(Boolean),
    strengths: profile.strengths,
    photo,
  };
}

export interface CvPdfFile {
  filename: string;
  bytes: Buffer;
  cv: CandidateCv;
}

/**
 * The PDF of one of the candidate's CVs, or null when it is not theirs. An express CV is its
 * attached file (when that file is a PDF); any other CV is generated in the chosen layout.
 */
export async function cvPdfFor(
  q: Queryable,
  accountId: string,
  cvId: string,
  options: CvPdfOptions,
): Promise<CvPdfFile | null> {
  const cv = await loadCandidateCv(q, accountId, cvId);
  if (!cv) return null;
  const identity = await cvPdfIdentity(q, accountId);
  const filename = cvPdfFileName(identity);
  if (cv.express && cv.file?.mime === 'application/pdf') {
    const bytes = await fileBytes(q, cv.file.sha256);
    if (bytes) return { filename, bytes, cv };
  }
  return { filename, bytes: await renderCvPdf(cv, identity, options), cv };
}

function cvIdParam(request: FastifyRequest): string {
  return String((request.params as { id?: unknown }).id ?? '');
}

export async function registerCvPdfRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db } = deps;
  app.get('/api/candidate/cvs/:id/pdf', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const { options, errors } = decodePdfOptions(query, { layout: 'mise-en-page', order: 'ordre' });
    if (errors.length) throw badRequest(errors.map((e) => e.message).join(' '), errors);
    const pdf = await cvPdfFor(db, user.id, cvIdParam(request), options);
    if (!pdf) throw notFound(CV_NOT_FOUND);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="${pdf.filename}"`)
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .send(pdf.bytes);
  });
}
