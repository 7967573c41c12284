import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database';
import { badRequest, notFound } from '../http-error';
import { communeReference, findCommune, INSEE_CODE, suggestCommunes } from './communes';
import { nafReference, suggestNaf } from './naf';
import { searchAppellations } from './rome';
import { romeBundle } from './rome-bundle';
import { ReferenceDataMissingError, sendVersionedJson, withReference } from './versioned-json';

/** `q` and `limit` of a type-ahead request, checked (French 400 with the field at fault). */
function searchParams(query: { q?: unknown; limit?: unknown }): { q: string; limit: number } {
  const q = query.q ?? '';
  if (typeof q !== 'string')
    throw badRequest('Paramètre « q » invalide.', [{ field: 'q', message: 'Un seul texte attendu.' }]);
  if (q.length > 100)
    throw badRequest('Recherche trop longue.', [{ field: 'q', message: '100 caractères au plus.' }]);
  const limit = query.limit === undefined ? 10 : Number(query.limit);
  if (typeof query.limit === 'object' || !Number.isInteger(limit) || limit < 1 || limit > 50) {
    throw badRequest('Paramètre « limit » invalide.', [
      { field: 'limit', message: 'Entier entre 1 et 50 attendu.' },
    ]);
  }
  return { q, limit };
}

/** A version, or null when that referential is not available on this server. */
function versionOf(load: () => { body: { version: string } }): string | null {
  try {
    return load().body.version;
  } catch (err) {
    if (err instanceof ReferenceDataMissingError) return null;
    throw err;
  }
}

export async function registerReferenceRoutes(app: FastifyInstance, { db }: { db: Database }) {
  /** Public: job-title suggestions for offer and search forms. */
  app.get<{ Querystring: { q?: string; limit?: string } }>(
    '/api/reference/rome/appellations',
    async (request) => {
      const { q, limit } = searchParams(request.query);
      return { items: await searchAppellations(db, q, limit) };
    },
  );

  /**
   * The whole referential as versioned JSON, for offline use in the workstation:
   * `{ version, revision, codes: [code, libellé][], appellations: [code OGR, libellé, code ROME][] }`,
   * ETag = revision (a hash of the content), gzip when accepted.
   */
  app.get('/api/reference/rome', async (request, reply) => {
    const body = await romeBundle(db);
    if (!body) {
      reply.header('cache-control', 'no-cache');
      return { version: null, codes: [], appellations: [] };
    }
    return sendVersionedJson(request, reply, body);
  });

  /** The current version of each referential (null when absent): clients download what changed. */
  app.get('/api/reference/versions', async (_request, reply) => {
    reply.header('cache-control', 'no-cache');
    const rome = await romeBundle(db);
    return {
      communes: versionOf(communeReference),
      naf: versionOf(nafReference),
      rome: rome?.version ?? null,
    };
  });

  /** Public: every commune with postal codes and coordinates (format: shared/domain/reference.ts). */
  app.get('/api/reference/communes', async (request, reply) =>
    sendVersionedJson(request, reply, withReference(communeReference).body),
  );

  /** Public: commune type-ahead (portal, workstation before its cache is loaded). */
  app.get<{ Querystring: { q?: string; limit?: string } }>(
    '/api/reference/communes/search',
    async (request) => {
      const { q, limit } = searchParams(request.query);
      return { items: withReference(() => suggestCommunes(q, limit)) };
    },
  );

  app.get<{ Params: { code: string } }>('/api/reference/communes/:code', async (request) => {
    const code = request.params.code.toUpperCase();
    if (!INSEE_CODE.test(code))
      throw badRequest('Code INSEE invalide.', [
        { field: 'code', message: 'Cinq caractères attendus, par exemple 69123 ou 2A004.' },
      ]);
    const commune = withReference(() => findCommune(code));
    if (!commune) throw notFound(`Aucune commune ne porte le code INSEE ${code}.`);
    return commune;
  });

  /** Public: the NAF rév. 2 sous-classes, with sections and divisions. */
  app.get('/api/reference/naf', async (request, reply) =>
    sendVersionedJson(request, reply, withReference(nafReference).body),
  );

  app.get<{ Querystring: { q?: string; limit?: string } }>('/api/reference/naf/search', async (request) => {
    const { q, limit } = searchParams(request.query);
    return { items: withReference(() => suggestNaf(q, limit)) };
  });
}
