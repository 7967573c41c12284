import { type App, createApp } from './app';
import type { ServerConfig } from './config';
import { prepareCvtheque } from './cvtheque/scope';
import { type Database, openDatabase } from './db/database';
import { migrate } from './db/migrations';
import { seedDemo } from './db/seed-demo';
import { type SmtpCatcher, startSmtpCatcher } from './email/dev-mailbox';
import { type InboundSmtp, startInboundSmtp } from './email/inbound';
import { defaultMailTransport, type MailTransport } from './email/outbox';
import { redactSmtpUrl, smtpTransport } from './email/smtp';
import { configureNotificationLinks } from './messaging/notify';
import { configureReplyAddresses } from './messaging/reply-address';
import { appendCandidateMessage } from './messaging/service';
import { ensureRome } from './reference/rome';

export interface RunningServer {
  app: App;
  db: Database;
  url: string;
  seeded: boolean;
  /** What happened to the reference data at start, in French. */
  referenceReport: string;
  /** Where the e-mails go, in French (with the development mailbox's URL). */
  mailReport: string;
  /** The SMTP receiver of replies by e-mail, when `SMTP_INBOUND_PORT` is set. */
  inboundSmtp?: { host: string; port: number };
  stop(): Promise<void>;
}

/** Opens the database, migrates, seeds when asked, and listens. */
export async function startServer(
  config: ServerConfig,
  options: { logger?: boolean } = {},
): Promise<RunningServer> {
  const db = await openDatabase({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    dataDir: config.dataDir,
  });
  await migrate(db);
  const referenceReport = await ensureRome(db, config.romeDataDir);
  // Issue 7: the reply addresses of the messaging's notification e-mails.
  configureReplyAddresses({
    domain: config.mailReplyDomain,
    ...(config.messagingSecret ? { secret: config.messagingSecret } : {}),
  });
  // E-mail: through SMTP_URL; without it, in development, through a local SMTP server whose
  // messages are read at /dev/courriels; in production without SMTP_URL, as .eml files.
  let devMailbox: SmtpCatcher | null = null;
  let mailTransport: MailTransport & { close?: () => void };
  if (config.smtpUrl) mailTransport = smtpTransport(config.smtpUrl, config.mailFrom);
  else if (!config.production) {
    devMailbox = await startSmtpCatcher({ dir: config.mailDir });
    mailTransport = smtpTransport(devMailbox.smtpUrl, config.mailFrom);
  } else mailTransport = defaultMailTransport();
  let inboundAddress: { host: string; port: number } | null = null;
  const app = await createApp({
    mailTransport,
    ...(devMailbox ? { devMailbox, inboundSmtp: () => inboundAddress } : {}),
    db,
    webRoot: config.webRoot,
    // Links in e-mails sent by the scheduled jobs need a base even when PUBLIC_URL is not set.
    // With PORT=0 (tests) the port is only known after listen: links then use the request's host.
    ...(config.publicUrl || config.port !== 0
      ? { publicUrl: config.publicUrl ?? `http://${shownHost(config.host)}:${config.port}` }
      : {}),
    logger: options.logger ?? false,
    offerOnlineDays: config.offerOnlineDays,
    jobsIntervalMs: config.jobsIntervalMs,
    testHooks: config.testHooks,
    updates: {
      dir: config.updatesDir,
      ...(config.updatesPublishToken ? { publishToken: config.updatesPublishToken } : {}),
      ...(config.updatesArtefactUrl ? { artefactBaseUrl: config.updatesArtefactUrl } : {}),
    },
  });
  const seeded = config.demo ? await seedDemo(db, app.engine, { triage: true }) : false;
  // Issue 5: CVthèque rows get their scoped keys and search index, organisations their scopes.
  await prepareCvtheque(db, app.engine);
  await app.fastify.listen({ port: config.port, host: config.host });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopped = false;
  const base = config.publicUrl ?? `http://${shownHost(config.host)}:${port}`;
  // Links of the messaging's notification e-mails written outside a request (workstation push).
  configureNotificationLinks(() => base);
  // Replies by e-mail to the messaging (issue 7), when a port is configured.
  let inbound: InboundSmtp | null = null;
  if (config.smtpInboundPort !== undefined) {
    try {
      inbound = await startInboundSmtp(
        {
          db,
          engine: app.engine,
          append: appendCandidateMessage,
          base: () => base,
          mailFrom: config.mailFrom,
          log: (line) => console.error(line),
        },
        { host: config.host, port: config.smtpInboundPort },
      );
    } catch (error) {
      await app.close();
      mailTransport.close?.();
      await devMailbox?.close();
      await db.close();
      throw new Error(
        `le récepteur SMTP des réponses n’a pas pu écouter sur ${config.host}:${config.smtpInboundPort} (${error instanceof Error ? error.message : String(error)}) : changez SMTP_INBOUND_PORT ou libérez le port.`,
      );
    }
  }
  if (inbound) inboundAddress = { host: inbound.host, port: inbound.port };
  const inboundReport = inbound
    ? ` ; réponses par e-mail reçues par SMTP sur ${shownHost(inbound.host)}:${inbound.port} (adresses @${config.mailReplyDomain})`
    : '';
  const mailReport =
    (config.smtpUrl
      ? `E-mails envoyés par ${redactSmtpUrl(config.smtpUrl)}`
      : devMailbox
        ? `E-mails (boîte de développement, SMTP ${devMailbox.smtpUrl}) : ${base}/dev/courriels`
        : `E-mails : SMTP_URL absent, écrits en fichiers .eml (${mailTransport.description})`) +
    inboundReport;
  return {
    app,
    db,
    seeded,
    referenceReport,
    mailReport,
    ...(inbound ? { inboundSmtp: { host: inbound.host, port: inbound.port } } : {}),
    url: base,
    async stop() {
      if (stopped) return;
      stopped = true;
      await inbound?.close();
      await app.close();
      mailTransport.close?.();
      await devMailbox?.close();
      await db.close();
    },
  };
}

function shownHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
