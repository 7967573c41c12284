import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { badRequest } from '../http-error';
import { searchAppellations } from './rome';

export async function registerReferenceRoutes(app: FastifyInstance, { db }: { db: Database }) {
  /** Public: job-title suggestions for offer and search forms. */
  app.get<{ Querystring: { q?: string; limit?: string } }>(
    '/api/reference/rome/appellations',
    async (request) => {
      const q = request.query.q ?? '';
      const limit = request.query.limit === undefined ? 10 : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
        throw badRequest('Paramètre « limit » invalide.', [
          { field: 'limit', message: 'Entier entre 1 et 50 attendu.' },
        ]);
      }
      if (q.length > 100)
        throw badRequest('Recherche trop longue.', [{ field: 'q', message: '100 caractères au plus.' }]);
      return { items: await searchAppellations(db, q, limit) };
    },
  );

  /** The whole referential as versioned JSON, for offline use in the workstation. */
  app.get('/api/reference/rome', async (_request, reply) => {
    const v = await db.query<{ version: string }>(
      "select version from reference_versions where name = 'rome'",
    );
    const version = v.rows[0]?.version ?? null;
    const codes = await db.query<{ code: string; label: string }>(
      'select code, label from rome_codes order by code',
    );
    const apps = await db.query<{ code_ogr: string; label: string; rome_code: string }>(
      'select code_ogr, label, rome_code from rome_appellations where not rarely_used order by label',
    );
    reply.header('cache-control', 'public, max-age=3600');
    return {
      version,
      codes: codes.rows.map((c) => [c.code, c.label]),
      appellations: apps.rows.map((a) => [a.code_ogr, a.label, a.rome_code]),
    };
  });
}
