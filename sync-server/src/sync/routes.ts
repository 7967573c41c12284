import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import {
  isCheckpoint,
  MAX_PULL_BATCH,
  MAX_PUSH_ROWS,
  type PushRow,
  type SyncCheckpoint,
  type SyncInfoResponse,
} from '../../../shared/sync/protocol';
import { requestToken, requireUser } from '../auth/request-user';
import type { Database } from '../db/database';
import { offerSettings } from '../domain/offers';
import { badRequest, forbidden, HttpError } from '../http-error';
import { isStorableText } from '../text-safety';
import type { ChangeHub } from './change-hub';
import type { SyncEngine } from './engine';
import { audienceEvents, type LiveFeed, LiveFeeds, laterPosition } from './live-feed';
import { StreamReads } from './stream-reads';
import { type CollectionDef, type Doc, userKeys } from './types';

interface Params {
  collection: string;
  version: string;
}

function resolveCollection(engine: SyncEngine, params: Params): CollectionDef {
  const collection = engine.collection(params.collection);
  if (!collection) {
    throw new HttpError(
      404,
      'unknown-collection',
      `Collection inconnue : « ${params.collection.slice(0, 60)} ».`,
    );
  }
  if (!/^\d{1,6}$/.test(params.version))
    throw badRequest('Version de schéma invalide : nombre entier attendu.');
  const version = Number(params.version);
  if (version < collection.version) {
    throw new HttpError(
      426,
      'outdated-client',
      'Votre application est trop ancienne pour se synchroniser : mettez-la à jour.',
    );
  }
  if (version > collection.version) {
    throw new HttpError(
      400,
      'bad-request',
      `Version de schéma ${version} inconnue du serveur (version actuelle : ${collection.version}).`,
    );
  }
  return collection;
}

/** Workstation users only: candidates use the portal's API and have no replica (DESIGN §6). */
async function requireReplicaUser(db: Database, request: FastifyRequest): Promise<SessionUser> {
  const user = await requireUser(db, request);
  if (user.kind === 'candidate') {
    throw forbidden(
      'La synchronisation est réservée au poste de travail des recruteurs : utilisez le portail candidat.',
    );
  }
  return user;
}

function parseCheckpoint(raw: unknown): SyncCheckpoint | null {
  if (raw === undefined || raw === '' || raw === 'null') return null;
  if (typeof raw !== 'string' || raw.length > 200)
    throw badRequest('Point de reprise (checkpoint) invalide.');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('Point de reprise (checkpoint) invalide : JSON attendu.');
  }
  if (value === null) return null;
  if (!isCheckpoint(value)) throw badRequest('Point de reprise (checkpoint) invalide.');
  return value;
}

function parseBatchSize(raw: unknown): number {
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PULL_BATCH) {
    throw badRequest(`La taille de lot (batchSize) doit être un entier entre 1 et ${MAX_PULL_BATCH}.`, [
      { field: 'batchSize', message: `Entier entre 1 et ${MAX_PULL_BATCH} attendu.` },
    ]);
  }
  return n;
}

function parsePushBody(body: unknown): PushRow<Doc>[] {
  if (!Array.isArray(body)) throw badRequest('Le corps d’un envoi doit être une liste de modifications.');
  if (body.length > MAX_PUSH_ROWS) {
    throw new HttpError(
      413,
      'payload-too-large',
      `Un envoi ne peut pas dépasser ${MAX_PUSH_ROWS} modifications.`,
    );
  }
  body.forEach((row, i) => {
    const ok =
      row &&
      typeof row === 'object' &&
      !Array.isArray(row) &&
      row.newDocumentState &&
      typeof row.newDocumentState === 'object' &&
      !Array.isArray(row.newDocumentState) &&
      typeof row.newDocumentState.id === 'string' &&
      row.newDocumentState.id.length > 0 &&
      row.newDocumentState.id.length <= 36 &&
      isStorableText(row.newDocumentState.id) &&
      (row.assumedMasterState === undefined ||
        row.assumedMasterState === null ||
        (typeof row.assumedMasterState === 'object' && !Array.isArray(row.assumedMasterState)));
    if (!ok) {
      throw badRequest(
        `Modification n° ${i + 1} mal formée : « newDocumentState » avec un identifiant « id » attendu.`,
        [
          {
            field: `[${i}].newDocumentState`,
            message: 'Document avec un identifiant (1 à 36 caractères) attendu.',
          },
        ],
      );
    }
  });
  return body as PushRow<Doc>[];
}

export interface SyncRouteDeps {
  db: Database;
  engine: SyncEngine;
  hub: ChangeHub;
  /** Heartbeat interval of live streams. */
  heartbeatMs?: number;
  /** The live streams' reads, shared between streams (made here when not given). */
  streamReads?: StreamReads;
  /** The live feeds of the collections, shared by every stream (made here when not given). */
  liveFeeds?: LiveFeeds;
}

export async function registerSyncRoutes(app: FastifyInstance, given: SyncRouteDeps) {
  const deps: SyncRouteDeps = {
    ...given,
    streamReads: given.streamReads ?? new StreamReads(given.db, given.engine),
  };
  const { db, engine } = deps;

  app.get('/api/sync', async (request) => {
    await requireReplicaUser(db, request);
    const answer: SyncInfoResponse = {
      collections: Object.values(engine.collections).map((c) => ({
        name: c.name,
        version: c.version,
        schema: c.schema,
      })),
      settings: { offerOnlineDays: offerSettings.onlineDays },
    };
    return answer;
  });

  app.get<{ Params: Params; Querystring: Record<string, unknown> }>(
    '/api/sync/:collection/v:version/pull',
    async (request, reply) => {
      const user = await requireReplicaUser(db, request);
      const collection = resolveCollection(engine, request.params);
      const checkpoint = parseCheckpoint(request.query.checkpoint);
      const batchSize = parseBatchSize(request.query.batchSize);
      const body = await engine.pullJson(user, collection, checkpoint, batchSize);
      // Encoded here, once: sent as a string (a megabyte for 1,000 offers), the text was measured
      // for its length and then encoded again on write (npm run bench:sync: 31,000 → 39,000 docs/s).
      return reply.type('application/json; charset=utf-8').send(Buffer.from(body, 'utf8'));
    },
  );

  app.post<{ Params: Params }>('/api/sync/:collection/v:version/push', async (request) => {
    const user = await requireReplicaUser(db, request);
    const collection = resolveCollection(engine, request.params);
    const rows = parsePushBody(request.body);
    return engine.push(user, collection, rows);
  });

  app.get<{ Params: Params }>('/api/sync/:collection/v:version/stream', async (request, reply) => {
    const user = await requireReplicaUser(db, request);
    const collection = resolveCollection(engine, request.params);
    await openStream(request, reply, user, [collection], false, deps);
  });

  // Every collection on one connection: a browser opens at most 6 HTTP/1.1 connections per
  // server, so one stream per collection would leave no room for pulls and pushes.
  app.get<{ Querystring: Record<string, unknown> }>('/api/sync/stream', async (request, reply) => {
    const user = await requireReplicaUser(db, request);
    const collections = parseStreamCollections(engine, request.query.collections);
    await openStream(request, reply, user, collections, true, deps);
  });
}

/** `collections=offers:v1,notices:v0`: each name with the client's schema version. */
function parseStreamCollections(engine: SyncEngine, raw: unknown): CollectionDef[] {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2000)
    throw badRequest('Paramètre « collections » attendu : nom:vVERSION séparés par des virgules.', [
      { field: 'collections', message: 'Liste des collections manquante ou trop longue.' },
    ]);
  const out = new Map<string, CollectionDef>();
  for (const part of raw.split(',')) {
    const m = /^([A-Za-z0-9_-]{1,60}):v(.{1,8})$/.exec(part.trim());
    if (!m)
      throw badRequest(`Collection mal écrite : « ${part.slice(0, 60)} » (attendu nom:vVERSION).`, [
        { field: 'collections', message: 'Chaque collection s’écrit nom:vVERSION.' },
      ]);
    const collection = resolveCollection(engine, { collection: m[1]!, version: m[2]! });
    out.set(collection.name, collection);
  }
  return [...out.values()];
}

/**
 * A Server-Sent Events stream of the user's changes for some collections. Each event is a pull
 * page (`{ documents, checkpoint }`, with `collection` when the stream carries several), or the
 * string "RESYNC" (every collection pulls from its checkpoint).
 */
async function openStream(
  request: FastifyRequest,
  reply: FastifyReply,
  initialUser: SessionUser,
  collections: CollectionDef[],
  tagged: boolean,
  { db, engine, hub, heartbeatMs = 25_000, streamReads, liveFeeds }: SyncRouteDeps,
) {
  const reads = streamReads ?? new StreamReads(db, engine);
  const lives = liveFeeds ?? new LiveFeeds(engine, hub);
  const token = requestToken(request);
  let user = initialUser;
  let audienceKeys = userKeys(user);
  let audience = [...audienceKeys].sort().join('|');
  let audienceSet = new Set(audienceKeys);
  interface Feed {
    collection: CollectionDef;
    live: LiveFeed;
    /** Where this stream has sent its audience everything up to (a pull from here misses nothing). */
    checkpoint: SyncCheckpoint | null;
    /** Up to where the live feed's changes were given; undefined while catching up by itself. */
    synced: SyncCheckpoint | null | undefined;
    running: boolean;
    again: boolean;
  }
  const feeds: Feed[] = [];
  for (const collection of collections)
    feeds.push({
      collection,
      live: lives.of(collection),
      checkpoint: await engine.head(user, collection),
      synced: undefined,
      running: false,
      again: false,
    });
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let closed = false;
  const sendText = (text: string) => {
    if (!closed) res.write(`data: ${text}\n\n`);
  };
  const send = (data: unknown) => sendText(JSON.stringify(data));
  send('RESYNC');

  const drain = async (feed: Feed) => {
    if (feed.running) {
      feed.again = true;
      return;
    }
    feed.running = true;
    try {
      // Rights follow the session: memberships may have changed (joined, removed) and the
      // session may have ended (sign-out, password change, deleted account) since the stream opened.
      const fresh = token ? await reads.user(token) : null;
      if (!fresh || fresh.kind === 'candidate') {
        close();
        return;
      }
      user = fresh;
      audienceKeys = userKeys(fresh);
      const keys = [...audienceKeys].sort().join('|');
      if (keys !== audience) {
        audience = keys;
        audienceSet = new Set(audienceKeys);
        // The client pulls from its own checkpoint with the new rights (exits and entries).
        send('RESYNC');
      }
      do {
        feed.again = false;
        if (feed.synced === undefined) {
          // Catching up by itself: everything the feed has read so far is finished, so once a pull
          // of this audience comes back empty, the feed's later changes are all that is left.
          await feed.live.whenReady();
          const feedAt = feed.live.readUpTo;
          for (;;) {
            const page = await reads.page(user, feed.collection, feed.checkpoint, 200);
            if (closed || page.documents.length === 0) break;
            feed.checkpoint = page.checkpoint;
            sendText(reads.eventText(page, tagged ? feed.collection.name : null));
          }
          if (closed) break;
          feed.synced = laterPosition(feedAt, feed.checkpoint);
        }
        const entries = feed.live.since(feed.synced);
        if (entries === null) {
          // Fell behind what the feed keeps: catch up by itself again.
          feed.synced = undefined;
          feed.again = true;
          continue;
        }
        if (entries.length === 0) continue;
        const { events, position } = audienceEvents(
          entries,
          audienceSet,
          feed.collection,
          tagged ? feed.collection.name : null,
        );
        for (const text of events) sendText(text);
        feed.synced = position;
        feed.checkpoint = position;
      } while (feed.again && !closed);
    } catch (error) {
      request.log.warn({ err: error }, 'flux de synchronisation : lecture impossible, RESYNC demandé');
      feed.synced = undefined;
      send('RESYNC');
    } finally {
      feed.running = false;
    }
  };
  const unsubscribes = feeds.map((feed) =>
    feed.live.subscribe((signal) => {
      // The feed could not read: this stream catches up by itself at its next turn.
      if (signal === 'error') feed.synced = undefined;
      void drain(feed);
    }),
  );
  const heartbeat = setInterval(() => {
    if (closed) return;
    res.write(': ping\n\n');
    for (const feed of feeds) void drain(feed);
  }, heartbeatMs);
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const u of unsubscribes) u();
    untrack();
    if (!res.writableEnded) res.end();
  };
  const untrack = hub.trackStream(close);
  request.raw.on('close', close);
  res.on('close', close);
  res.on('error', close);
  // Changes committed between head() and subscribe() are caught by this first drain.
  for (const feed of feeds) void drain(feed);
}
