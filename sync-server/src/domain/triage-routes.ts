/**
 * Applicant triage on the server (issue 6): the settings the pushes need (links in the e-mails,
 * the engine that writes both applications of a merge), and one read route.
 *
 * - `GET /api/triage/applications/:id/duplicates` → `{ duplicates: [{ id, reasons, offerId,
 *   status, source, firstName, lastName, offerTitle, createdAt }] }`: the applications of the
 *   organisation that look like this one (e-mail, phone, name; the account's e-mail and phone for
 *   an application made with an account), strongest first, for the merge dialog. 404 for an
 *   application the user does not replicate.
 */
import type { FastifyInstance } from 'fastify';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import { requireUser } from '../auth/request-user';
import type { Database } from '../db/database';
import { notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { userKeys } from '../sync/types';
import { duplicateMatches, triageDeps } from './capture-service';

export interface TriageRouteOptions {
  db: Database;
  engine: SyncEngine;
  publicUrl?: string;
}

const NOT_FOUND = 'Cette candidature n’existe pas ou vous n’y avez pas accès.';

export async function registerTriageRoutes(app: FastifyInstance, deps: TriageRouteOptions): Promise<void> {
  const { db, engine } = deps;
  triageDeps.engine = engine;
  triageDeps.base = () => {
    if (deps.publicUrl) return deps.publicUrl;
    // Without PUBLIC_URL, links name the address the server listens on (as the jobs' e-mails).
    const address = app.server.address();
    if (!address || typeof address === 'string') return 'http://localhost:3000';
    const host = ['0.0.0.0', '::'].includes(address.address) ? 'localhost' : address.address;
    return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  };

  app.get('/api/triage/applications/:id/duplicates', async (request) => {
    const user = await requireUser(db, request);
    const id = String((request.params as { id?: unknown }).id ?? '').slice(0, 36);
    const { rows } = await db.query<{ doc: ApplicationDoc }>(
      'select doc from applications where id = $1 and not deleted and keys && $2::text[]',
      [id, userKeys(user)],
    );
    const doc = rows[0]?.doc;
    if (!doc) throw notFound(NOT_FOUND);
    const matches = await duplicateMatches(db, { ...doc, captureId: doc.captureId ?? doc.id });
    if (matches.length === 0) return { duplicates: [] };
    const { rows: found } = await db.query<{ doc: ApplicationDoc }>(
      'select doc from applications where id = any($1::text[]) and not deleted',
      [matches.map((m) => m.id)],
    );
    const byId = new Map(found.map((r) => [r.doc.id, r.doc]));
    return {
      duplicates: matches.flatMap((m) => {
        const d = byId.get(m.id);
        if (!d) return [];
        return [
          {
            id: d.id,
            reasons: m.reasons,
            offerId: d.offerId ?? null,
            status: d.status,
            source: d.source,
            firstName: d.applicant?.firstName ?? '',
            lastName: d.applicant?.lastName ?? '',
            offerTitle: d.offer?.title ?? null,
            createdAt: d.createdAt,
          },
        ];
      }),
    };
  });
}
