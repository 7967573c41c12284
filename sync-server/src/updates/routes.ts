import { timingSafeEqual } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  channelOfFeedFile,
  isUpdateChannel,
  isUpdatePlatform,
  UPDATE_PLATFORM_LABELS,
  type UpdateChannel,
  type UpdatePlatform,
} from '../../../shared/domain/updates';
import { badRequest, forbidden, HttpError, notFound } from '../http-error';
import { isArtefactName, UpdateError, type UpdateStore } from './store';

/**
 * The desktop workstation's update feed (issue 8), for electron-updater's generic provider:
 * `GET /updates/<platform>/<channel file>.yml` and the artefacts beside it (byte ranges served, for
 * resumed and differential downloads), or a redirect to object storage when `artefactBaseUrl` is
 * set. Publishing (`npm run release:publish`) uploads artefacts and then names a channel's release,
 * with the publication token (`UPDATES_PUBLISH_TOKEN`) as bearer.
 */
export interface UpdateRoutesDeps {
  store: UpdateStore;
  /** The bearer token of the publication routes; without it they answer 403. */
  publishToken?: string;
  /** Where artefacts are downloaded from instead of this server (object storage), if set. */
  artefactBaseUrl?: string;
}

/** Largest artefact accepted by an upload (an installer is a few hundred megabytes). */
export const MAX_ARTEFACT_BYTES = 1024 * 1024 * 1024;

export async function registerUpdateRoutes(fastify: FastifyInstance, deps: UpdateRoutesDeps): Promise<void> {
  const { store } = deps;

  fastify.get<{ Params: { platform: string; file: string } }>(
    '/updates/:platform/:file',
    async (request, reply) => {
      const platform = checkPlatform(request.params.platform);
      const file = request.params.file;
      const channel = channelOfFeedFile(file, platform);
      if (channel) {
        const text = await store.feed(platform, channel);
        if (!text)
          throw notFound(
            `Aucune version publiée sur le canal ${channel} pour ${UPDATE_PLATFORM_LABELS[platform]}.`,
          );
        return reply.header('cache-control', 'no-cache').type('text/yaml; charset=utf-8').send(text);
      }
      if (!isArtefactName(platform, file)) throw notFound('Fichier de mise à jour introuvable.');
      if (deps.artefactBaseUrl) {
        const base = deps.artefactBaseUrl.replace(/\/+$/, '');
        return reply.redirect(`${base}/${platform}/${encodeURIComponent(file)}`, 302);
      }
      const found = await store.artefact(platform, file);
      if (!found) throw notFound('Fichier de mise à jour introuvable.');
      const size = await store.size(found.path);
      const etag = `"${found.file.sha512.slice(0, 32)}"`;
      reply
        .header('accept-ranges', 'bytes')
        .header('etag', etag)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type('application/octet-stream');
      const range = parseRange(request.headers.range, size, request.headers['if-range'], etag);
      if (range === 'unsatisfiable') {
        return reply.code(416).header('content-range', `bytes */${size}`).send();
      }
      if (range) {
        return reply
          .code(206)
          .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
          .header('content-length', String(range.end - range.start + 1))
          .send(store.read(found.path, range));
      }
      return reply.header('content-length', String(size)).send(store.read(found.path));
    },
  );

  // Publication: raw uploads (streamed to disk, never buffered), then JSON.
  await fastify.register(async (scope) => {
    scope.addContentTypeParser(
      'application/octet-stream',
      { bodyLimit: MAX_ARTEFACT_BYTES },
      (_request, payload, done) => done(null, payload),
    );

    scope.put<{ Params: { platform: string; name: string } }>(
      '/api/updates/:platform/files/:name',
      { bodyLimit: MAX_ARTEFACT_BYTES },
      async (request, reply) => {
        requirePublisher(request, deps.publishToken);
        const platform = checkPlatform(request.params.platform);
        const body = request.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function')
          throw new HttpError(
            415,
            'unsupported-media-type',
            'Envoyez l’artefact tel quel (Content-Type: application/octet-stream).',
          );
        const file = await answer(() =>
          store.putArtefact(platform, request.params.name, body, MAX_ARTEFACT_BYTES),
        );
        return reply.code(201).send(file);
      },
    );

    scope.post<{ Params: { platform: string; channel: string }; Body: unknown }>(
      '/api/updates/:platform/:channel/releases',
      async (request, reply) => {
        requirePublisher(request, deps.publishToken);
        const platform = checkPlatform(request.params.platform);
        const channel = checkChannel(request.params.channel);
        const body = objectBody(request.body, ['version', 'files', 'releaseNotes', 'stagingPercentage']);
        const release = await answer(() =>
          store.publish(platform, channel, {
            version: body.version as string,
            files: body.files as string[],
            ...(body.releaseNotes !== undefined ? { releaseNotes: body.releaseNotes as string } : {}),
            ...(body.stagingPercentage !== undefined
              ? { stagingPercentage: body.stagingPercentage as number }
              : {}),
          }),
        );
        return reply.code(201).send(release);
      },
    );

    scope.patch<{ Params: { platform: string; channel: string }; Body: unknown }>(
      '/api/updates/:platform/:channel',
      async (request) => {
        requirePublisher(request, deps.publishToken);
        const platform = checkPlatform(request.params.platform);
        const channel = checkChannel(request.params.channel);
        const body = objectBody(request.body, ['stagingPercentage']);
        return answer(() => store.setStaging(platform, channel, body.stagingPercentage as number));
      },
    );

    scope.get<{ Params: { platform: string } }>('/api/updates/:platform', async (request) => {
      requirePublisher(request, deps.publishToken);
      return store.releases(checkPlatform(request.params.platform));
    });
  });
}

function checkPlatform(value: string): UpdatePlatform {
  if (!isUpdatePlatform(value)) throw notFound('Plateforme inconnue : linux, win ou mac.');
  return value;
}

function checkChannel(value: string): UpdateChannel {
  if (!isUpdateChannel(value)) throw notFound('Canal inconnu : stable ou beta.');
  return value;
}

function objectBody(body: unknown, allowed: string[]): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw badRequest('Corps JSON (objet) attendu.');
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0)
    throw badRequest(
      `Champ inconnu : ${unknown.join(', ')}.`,
      unknown.map((field) => ({ field, message: 'Champ inconnu.' })),
    );
  return body as Record<string, unknown>;
}

/** The store's refusals as HTTP answers naming the field at fault. */
async function answer<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (err) {
    if (err instanceof UpdateError) {
      const fields = err.field ? [{ field: err.field, message: err.message }] : undefined;
      if (err.status === 400) throw badRequest(err.message, fields);
      if (err.status === 404) throw notFound(err.message);
      if (err.status === 413) throw new HttpError(413, 'payload-too-large', err.message, fields);
      throw new HttpError(409, 'conflict', err.message, fields);
    }
    throw err;
  }
}

function requirePublisher(request: FastifyRequest, token: string | undefined): void {
  if (!token)
    throw forbidden(
      'La publication des mises à jour n’est pas activée sur ce serveur (variable UPDATES_PUBLISH_TOKEN).',
    );
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b))
    throw new HttpError(401, 'unauthenticated', 'Jeton de publication des mises à jour absent ou invalide.');
}

/**
 * One byte range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) of a file of `size` bytes; `null` for the
 * whole file (no range, several ranges, or an `If-Range` that no longer matches).
 */
export function parseRange(
  header: string | undefined,
  size: number,
  ifRange?: string | string[],
  etag?: string,
): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  if (typeof ifRange === 'string' && ifRange !== etag) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
    if (b !== '' && Number(b) < start) return null;
  }
  if (start >= size || size === 0) return 'unsatisfiable';
  return { start, end };
}
