import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { subtypeLabel } from '../../shared/domain/organisation';
import { MAX_BODY_BYTES } from '../../shared/sync/protocol';
import { registerAuthRoutes } from './auth/routes';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from './auth/sessions';
import { registerCandidatePortal } from './candidate';
import { refreshCvKeys, registerCvthequeRoutes } from './cvtheque';
import { registerProposalRoutes } from './cvtheque/proposal-routes';
import type { Database } from './db/database';
import { applicationsCollection } from './domain/applications';
import { companiesCollection } from './domain/companies';
import { registerCompanyGroupRoutes } from './domain/company-groups';
import { createCvListsCollection } from './domain/cv-lists';
import { cvsCollection } from './domain/cvs';
import { evaluationsCollection } from './domain/evaluations';
import { registerEventInvitationRoutes } from './domain/event-invitations';
import { registerEventRoutes } from './domain/event-routes';
import { eventsCollection } from './domain/events';
import { registerModerationRoutes } from './domain/moderation';
import { noticesCollection } from './domain/notices';
import { offerSettings, offersCollection } from './domain/offers';
import { registerOrganisationRoutes } from './domain/organisation-routes';
import { organisationsCollection } from './domain/organisations';
import { linkBase } from './domain/route-helpers';
import { searchesCollection } from './domain/searches';
import { registerSpouseSearchRoutes } from './domain/spouse-searches';
import { registerTriageRoutes } from './domain/triage-routes';
import type { SmtpCatcher } from './email/dev-mailbox';
import { registerDevMailboxRoutes } from './email/dev-mailbox-routes';
import {
  defaultMailTransport,
  type MailTransport,
  type OutboxSender,
  queueEmail,
  startOutboxSender,
} from './email/outbox';
import { registerFileRoutes } from './files/routes';
import { badRequest, forbidden, HttpError } from './http-error';
import { type Scheduler, serverJobs, startScheduler } from './jobs/scheduler';
import { registerMessagingRoutes } from './messaging/candidate-routes';
import { createConversationsCollection, createMessagesCollection } from './messaging/collections';
import { registerPublicCompanyRoutes } from './public/public-companies';
import { registerPublicOfferRoutes } from './public/public-offers';
import { findCommune } from './reference/communes';
import { registerReferenceRoutes } from './reference/routes';
import { withReference } from './reference/versioned-json';
import { sendOfferPageHtml } from './search/job-posting';
import { ChangeHub } from './sync/change-hub';
import { SyncEngine } from './sync/engine';
import { LiveFeeds } from './sync/live-feed';
import { registerSyncRoutes } from './sync/routes';
import { StreamReads } from './sync/stream-reads';
import { registerTestHooks } from './test-hooks';
import { findUnstorableText, UNSTORABLE_TEXT_MESSAGE } from './text-safety';
import { registerUpdateRoutes } from './updates/routes';
import { UpdateStore } from './updates/store';

export interface AppDeps {
  db: Database;
  /** Folder with the built web apps (`portal/`, `workstation/`); static serving is skipped if absent. */
  webRoot?: string;
  publicUrl?: string;
  logger?: boolean;
  heartbeatMs?: number;
  /** Days an offer stays online once published (default 60). */
  offerOnlineDays?: number;
  /** How often the scheduled jobs run; 0 runs them only on demand (tests). Default: every minute. */
  jobsIntervalMs?: number;
  /** Test-only routes that move the clock and run the jobs (`ENABLE_TEST_HOOKS=1`). */
  testHooks?: boolean;
  /** Where queued e-mails go (default: `.eml` files, see email/outbox.ts). */
  mailTransport?: MailTransport;
  /** How often queued e-mails are sent (default 5 s; 0 when `jobsIntervalMs` is 0: on demand only). */
  mailIntervalMs?: number;
  /** The development mailbox, readable at `/dev/courriels` (never when NODE_ENV=production). */
  devMailbox?: SmtpCatcher;
  /** The SMTP receiver of replies by e-mail, once listening: the dev mailbox's « Répondre » sends there. */
  inboundSmtp?: () => { host: string; port: number } | null;
  /** The desktop update feed (issue 8): its folder, publication token and object storage. */
  updates?: { dir: string; publishToken?: string; artefactBaseUrl?: string };
}

export interface App {
  fastify: FastifyInstance;
  engine: SyncEngine;
  hub: ChangeHub;
  /** The live streams' shared reads (sessions checked together, pages read once per audience). */
  streamReads: StreamReads;
  /** The live feeds of the collections, read once for every stream. */
  liveFeeds: LiveFeeds;
  scheduler: Scheduler;
  /** Sends the e-mails of the outbox (`flush()` sends the due ones now). */
  outbox: OutboxSender;
  /** Every route registered (method and URL pattern): the fuzzing and rights campaigns walk them. */
  routes: readonly { method: string; url: string }[];
  close(): Promise<void>;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** `http://<host>:<port>` of a listening server (`localhost` for a wildcard address). */
function listeningBase(fastify: FastifyInstance): string {
  const address = fastify.server.address();
  if (!address || typeof address === 'string') return 'http://localhost:3000';
  const host = ['0.0.0.0', '::'].includes(address.address) ? 'localhost' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

export function createSyncEngine(db: Database): SyncEngine {
  const engine: SyncEngine = new SyncEngine(db, {
    offers: offersCollection,
    notices: noticesCollection,
    companies: companiesCollection,
    organisations: organisationsCollection,
    applications: applicationsCollection,
    cvs: cvsCollection,
    // Issue 5 (H-D): saved CV lists and the search history; a list's CVs get their audience
    // recomputed (H-A's `refreshCvKeys`, cvtheque/scope.ts).
    cvLists: createCvListsCollection(() => engine, refreshCvKeys),
    searches: searchesCollection,
    // Issue 6: triage (evaluations per author) and fairs / recruitment sessions.
    evaluations: evaluationsCollection,
    events: eventsCollection,
    // Issue 7: messaging (a message may open its conversation and updates it).
    conversations: createConversationsCollection(() => engine),
    messages: createMessagesCollection(() => engine),
  });
  return engine;
}

export async function createApp(deps: AppDeps): Promise<App> {
  const { db } = deps;
  const fastify = Fastify({
    logger: deps.logger ? { level: 'info' } : false,
    bodyLimit: MAX_BODY_BYTES,
    // A machine busy elsewhere (a restart under load, a shared CI runner) must not make a plugin's
    // start « too slow » and the server give up: 10 s by default, seen exceeded under load.
    pluginTimeout: 120_000,
    trustProxy: process.env.TRUST_PROXY === '1',
    // The router's own refusals, before any route: in French and in our error format too.
    frameworkErrors: (error, _request, reply) => {
      const [status, code, message] =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? [414, 'uri-too-long', 'Adresse trop longue : un identifiant du chemin dépasse 100 caractères.']
          : error.code === 'FST_ERR_BAD_URL'
            ? [400, 'bad-request', 'Adresse invalide : un élément du chemin est mal encodé.']
            : [400, 'bad-request', 'Requête invalide.'];
      (reply as unknown as FastifyReply).code(status).send({ error: { code, message } });
    },
  });
  const routes: { method: string; url: string }[] = [];
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url });
  });
  const engine = createSyncEngine(db);
  const hub = new ChangeHub(db);
  await hub.start();
  const streamReads = new StreamReads(db, engine);
  const liveFeeds = new LiveFeeds(engine, hub);
  if (deps.offerOnlineDays) offerSettings.onlineDays = deps.offerOnlineDays;
  const scheduler = startScheduler(
    db,
    serverJobs({
      db,
      engine,
      // Without PUBLIC_URL, links in the jobs' e-mails name the address the server listens on.
      publicUrl: () => deps.publicUrl ?? listeningBase(fastify),
      queueEmail: async (tx, mail) => {
        await queueEmail(tx, mail);
      },
    }),
    {
      intervalMs: deps.jobsIntervalMs ?? 60_000,
      log: (message) => fastify.log.error(message),
    },
  );
  const outbox = startOutboxSender(db, deps.mailTransport ?? defaultMailTransport(), {
    intervalMs: deps.mailIntervalMs ?? (deps.jobsIntervalMs === 0 ? 0 : 5_000),
    log: (message) => fastify.log.error(message),
  });

  await fastify.register(fastifyCookie);

  // The desktop app loads its pages locally and calls the API from another origin with a
  // bearer token. Cross-origin calls never carry cookies (no Allow-Credentials), so the
  // session cookie stays same-origin and a wildcard origin opens nothing to other sites.
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/') || !request.headers.origin) return;
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', 'retry-after');
    if (request.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET, POST, PUT, DELETE')
        .header('access-control-allow-headers', 'authorization, content-type')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    }
  });

  // CSRF, besides SameSite=Lax cookies and JSON bodies (OWASP ASVS 13.2.3): a state-changing request
  // that the browser says comes from another site is refused when the session cookie would
  // authenticate it. Bearer tokens (desktop, API clients) are never sent by a browser on its own.
  fastify.addHook('onRequest', async (request) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    if (request.headers['sec-fetch-site'] !== 'cross-site') return;
    if (typeof request.headers.authorization === 'string') return;
    const cookies = request.cookies ?? {};
    if (!cookies[SESSION_COOKIE] && !cookies[SECURE_SESSION_COOKIE]) return;
    throw forbidden('Requête refusée : elle vient d’un autre site que celui du service.');
  });

  // Served over HTTPS (PUBLIC_URL): browsers keep to HTTPS for a year, subdomains included (ASVS 14.4.5),
  // and only the `__Host-` session cookie counts: a plain `session` cookie could be planted by a subdomain.
  const https = (deps.publicUrl ?? '').startsWith('https:');
  if (https)
    fastify.addHook('onRequest', async (request) => {
      if (request.cookies) delete request.cookies[SESSION_COOKIE];
    });
  fastify.addHook('onSend', async (_request, reply) => {
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
    }
  });

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.headers) reply.headers(error.headers);
      return reply.code(error.status).send(error.toBody());
    }
    const status = error.statusCode ?? 500;
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
      return reply.code(413).send({
        error: {
          code: 'payload-too-large',
          message: `Requête trop volumineuse : ${Math.round(MAX_BODY_BYTES / 1024 / 1024)} Mo au plus.`,
        },
      });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
      return reply.code(415).send({
        error: {
          code: 'bad-request',
          message: 'Type de contenu non pris en charge : envoyez du JSON (application/json).',
        },
      });
    }
    if (
      error instanceof SyntaxError ||
      error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
    ) {
      return reply.code(400).send({
        error: { code: 'invalid-json', message: 'Le corps de la requête n’est pas un JSON valide.' },
      });
    }
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: 'bad-request', message: 'Requête invalide.' } });
    }
    request.log.error({ err: error }, 'erreur interne');
    return reply.code(500).send({
      error: { code: 'internal', message: 'Erreur interne du serveur. Réessayez dans un instant.' },
    });
  });

  // Text PostgreSQL cannot store is refused here with the field at fault. Push rows are
  // checked one by one instead (a bad row is refused, the others are written).
  fastify.addHook('preValidation', async (request) => {
    // A path parameter too (`/api/public/offers/%00/…` reached the database: 500), unless the route
    // answers a malformed parameter itself (`config.ownParamCheck`: a link's token is its own 404).
    const ownCheck = (request.routeOptions.config as { ownParamCheck?: boolean } | undefined)?.ownParamCheck;
    const param = ownCheck ? null : findUnstorableText(request.params);
    if (param)
      throw badRequest(UNSTORABLE_TEXT_MESSAGE, [{ field: param, message: UNSTORABLE_TEXT_MESSAGE }]);
    const query = findUnstorableText(request.query);
    if (query)
      throw badRequest(UNSTORABLE_TEXT_MESSAGE, [{ field: query, message: UNSTORABLE_TEXT_MESSAGE }]);
    if (request.routeOptions.url?.endsWith('/push')) return;
    // Raw bytes (file uploads, buffered or streamed) are not text: walking them would only cost time.
    if (Buffer.isBuffer(request.body) || isStream(request.body)) return;
    const body = findUnstorableText(request.body);
    if (body) throw badRequest(UNSTORABLE_TEXT_MESSAGE, [{ field: body, message: UNSTORABLE_TEXT_MESSAGE }]);
  });

  fastify.get('/api/health', async () => {
    await db.query('select 1');
    return { status: 'ok', database: db.kind };
  });

  await registerAuthRoutes(fastify, { db, secureCookies: (deps.publicUrl ?? '').startsWith('https:') });
  await registerSyncRoutes(fastify, {
    db,
    engine,
    hub,
    streamReads,
    liveFeeds,
    ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
  });
  await registerModerationRoutes(fastify, { db, engine });
  await registerPublicOfferRoutes(fastify, { db });
  await registerReferenceRoutes(fastify, { db });
  await registerCompanyGroupRoutes(fastify, { db });
  await registerPublicCompanyRoutes(fastify, {
    db,
    findCommune: (code) => withReference(() => findCommune(code)),
    subtypeLabel: (subtype) => subtypeLabel('prescriber', subtype) ?? subtype,
  });
  await registerFileRoutes(fastify, { db, engine });
  if (deps.updates) {
    await registerUpdateRoutes(fastify, {
      store: new UpdateStore(deps.updates.dir),
      ...(deps.updates.publishToken ? { publishToken: deps.updates.publishToken } : {}),
      ...(deps.updates.artefactBaseUrl ? { artefactBaseUrl: deps.updates.artefactBaseUrl } : {}),
    });
  }
  await registerOrganisationRoutes(fastify, {
    db,
    engine,
    secureCookies: (deps.publicUrl ?? '').startsWith('https:'),
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  await registerCandidatePortal(fastify, {
    db,
    engine,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    secureCookies: (deps.publicUrl ?? '').startsWith('https:'),
  });
  await registerCvthequeRoutes(fastify, { db });
  await registerProposalRoutes(fastify, {
    db,
    engine,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  await registerEventRoutes(fastify, {
    db,
    engine,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  await registerEventInvitationRoutes(fastify, {
    db,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  await registerTriageRoutes(fastify, {
    db,
    engine,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  await registerSpouseSearchRoutes(fastify, {
    db,
    engine,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  await registerMessagingRoutes(fastify, {
    db,
    engine,
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
  });
  if (deps.testHooks) await registerTestHooks(fastify, { scheduler });
  if (deps.devMailbox && process.env.NODE_ENV !== 'production')
    await registerDevMailboxRoutes(fastify, {
      mailbox: deps.devMailbox,
      flush: () => outbox.flush(),
      ...(deps.inboundSmtp ? { inboundSmtp: deps.inboundSmtp } : {}),
    });

  const webRoot = deps.webRoot;
  const portalDir = webRoot ? join(webRoot, 'portal') : null;
  const workstationDir = webRoot ? join(webRoot, 'workstation') : null;
  const hasPortal = !!portalDir && existsSync(join(portalDir, 'index.html'));
  const hasWorkstation = !!workstationDir && existsSync(join(workstationDir, 'index.html'));
  if (hasWorkstation) {
    await fastify.register(fastifyStatic, {
      root: workstationDir!,
      prefix: '/workstation/',
      decorateReply: !hasPortal,
      index: ['index.html'],
    });
    fastify.get('/workstation', (_req, reply) => reply.redirect('/workstation/'));
  }
  if (hasPortal) {
    await fastify.register(fastifyStatic, {
      root: portalDir!,
      prefix: '/',
      index: ['index.html'],
      wildcard: false,
    });
  }

  fastify.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0] ?? '/';
    if (url.startsWith('/api/') || request.method !== 'GET') {
      return reply.code(404).send({ error: { code: 'not-found', message: 'Ressource introuvable.' } });
    }
    // Client-side routes of the single-page apps.
    if (url.startsWith('/workstation') && hasWorkstation) {
      return reply.type('text/html').sendFile('index.html', workstationDir!);
    }
    // An offer page carries its JobPosting for crawlers (search/job-posting.ts).
    const offerPage = /^\/offres\/([^/]+)$/.exec(url);
    if (hasPortal && offerPage?.[1]) {
      let id = '';
      try {
        id = decodeURIComponent(offerPage[1]);
      } catch {
        // not a valid id: the portal shows its 404
      }
      return sendOfferPageHtml(reply, { db, portalDir: portalDir!, base: linkBase(deps, request) }, id);
    }
    if (hasPortal && !/\.[a-z0-9]+$/i.test(url))
      return reply.type('text/html').sendFile('index.html', portalDir!);
    return reply.code(404).type('text/plain; charset=utf-8').send('Page introuvable.');
  });

  return {
    fastify,
    routes,
    engine,
    hub,
    streamReads,
    liveFeeds,
    scheduler,
    outbox,
    async close() {
      await scheduler.stop();
      await outbox.stop();
      liveFeeds.stop();
      await hub.stop();
      await fastify.close();
    },
  };
}

function isStream(body: unknown): boolean {
  return !!body && typeof body === 'object' && typeof (body as { pipe?: unknown }).pipe === 'function';
}
