/**
 * CVs on the portal (seed 002 « Le dépôt de CV », issue 4 « CVs »). Routes decode and encode; the
 * work is in `cv-store.ts`.
 *
 * - `GET /api/candidate/cvs` → `CvSummary[]`
 * - `POST /api/candidate/cvs` `{ copyFrom?, express?, file?, title?, target?, … }` → 201 `CandidateCv`
 * - `GET /api/candidate/cvs/:id` → `CandidateCv`
 * - `PUT /api/candidate/cvs/:id` (any part of a CV: drafts are saved at every step) → `CandidateCv`
 * - `POST /api/candidate/cvs/:id/publish` `{ publication? }` → `{ cv, completeness, threshold, reminder, missing }`
 * - `POST /api/candidate/cvs/:id/suspend` → `CandidateCv`; `/resume` → as publish
 * - `DELETE /api/candidate/cvs/:id` → 204
 *
 * The attached file is uploaded first with `POST /api/candidate/files?purpose=cv` (files/routes.ts).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireCandidate } from '../auth/request-user';
import { notFound } from '../http-error';
import {
  CV_NOT_FOUND,
  createCv,
  deleteCv,
  isCvId,
  listCvs,
  loadCandidateCv,
  publishCv,
  resumeCv,
  suspendCv,
  updateCv,
} from './cv-store';
import type { CandidateDeps } from './deps';

function cvIdParam(request: FastifyRequest): string {
  const id = (request.params as { id?: unknown }).id;
  if (!isCvId(id)) throw notFound(CV_NOT_FOUND);
  return id;
}

export async function registerCvRoutes(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  const { db, engine } = deps;

  app.get('/api/candidate/cvs', async (request) => {
    const user = await requireCandidate(db, request);
    return listCvs(db, user.id);
  });

  app.post('/api/candidate/cvs', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const cv = await createCv(db, engine, user, request.body);
    reply.code(201);
    return cv;
  });

  app.get('/api/candidate/cvs/:id', async (request) => {
    const user = await requireCandidate(db, request);
    const cv = await loadCandidateCv(db, user.id, cvIdParam(request));
    if (!cv) throw notFound(CV_NOT_FOUND);
    return cv;
  });

  app.put('/api/candidate/cvs/:id', async (request) => {
    const user = await requireCandidate(db, request);
    return updateCv(db, engine, user, cvIdParam(request), request.body);
  });

  app.post('/api/candidate/cvs/:id/publish', async (request) => {
    const user = await requireCandidate(db, request);
    return publishCv(db, engine, user, cvIdParam(request), request.body ?? {});
  });

  app.post('/api/candidate/cvs/:id/suspend', async (request) => {
    const user = await requireCandidate(db, request);
    return suspendCv(db, engine, user, cvIdParam(request));
  });

  app.post('/api/candidate/cvs/:id/resume', async (request) => {
    const user = await requireCandidate(db, request);
    return resumeCv(db, engine, user, cvIdParam(request));
  });

  app.delete('/api/candidate/cvs/:id', async (request, reply) => {
    const user = await requireCandidate(db, request);
    await deleteCv(db, engine, user, cvIdParam(request));
    reply.code(204);
    return null;
  });
}
