import { resolve } from 'node:path';
import { MAIL_FROM } from './email/outbox';
import { domainOf, MIN_MESSAGING_SECRET_LENGTH } from './messaging/reply-address';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  /** The address users reach; defaults to http://<host>:<port actually bound>. */
  publicUrl?: string;
  demo: boolean;
  webRoot: string;
  /** Folder of France Travail's official ROME CSV files, imported into an empty database. */
  romeDataDir: string;
  /** Days an offer stays online once published. */
  offerOnlineDays: number;
  /** How often the scheduled jobs run (ms); 0 disables the timer. */
  jobsIntervalMs: number;
  /** Test-only routes (clock, jobs): never in production. */
  testHooks: boolean;
  /** SMTP server the e-mails go through (`SMTP_URL`); without it, a development mailbox (see README « E-mail »). */
  smtpUrl?: string;
  /** Sender of the e-mails (`MAIL_FROM`). */
  mailFrom: string;
  /** Where the development mailbox keeps its messages (`MAIL_DIR`, default `DATA_DIR/../mail`). */
  mailDir: string;
  /** `NODE_ENV=production`: no development mailbox. */
  production: boolean;
  /**
   * Port of the SMTP receiver of replies by e-mail (`SMTP_INBOUND_PORT`, 0 for any free port);
   * absent: no receiver. It listens on `host`.
   */
  smtpInboundPort?: number;
  /** Domain of the conversations' reply addresses (`MAIL_REPLY_DOMAIN`, else the domain of `MAIL_FROM`). */
  mailReplyDomain: string;
  /** Key of the reply addresses' signatures (`MESSAGING_SECRET`); absent: generated once in the database. */
  messagingSecret?: string;
  /** The desktop update feed's folder (`UPDATES_DIR`, default `DATA_DIR/../updates`). */
  updatesDir: string;
  /** Bearer token of the update publication routes (`UPDATES_PUBLISH_TOKEN`); absent: publication off. */
  updatesPublishToken?: string;
  /** Object storage the artefacts are downloaded from (`UPDATES_ARTEFACT_URL`); absent: this server. */
  updatesArtefactUrl?: string;
}

/** Shortest publication token accepted (it guards what every workstation installs). */
export const MIN_PUBLISH_TOKEN_LENGTH = 32;

/** Reads the configuration from the environment and the command line, with French errors. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): ServerConfig {
  // `--port N` on the command line wins over the PORT variable.
  const flag = argv.indexOf('--port');
  const portText = flag >= 0 ? argv[flag + 1] : env.PORT;
  const port = Number(portText ?? 3000);
  if (
    (flag >= 0 && portText === undefined) ||
    portText === '' ||
    !Number.isInteger(port) ||
    port < 0 ||
    port > 65535
  ) {
    throw new Error(
      `${flag >= 0 ? '--port' : 'PORT'} invalide : « ${portText ?? ''} » (entier entre 0 et 65535 attendu).`,
    );
  }
  const host = env.HOST ?? '127.0.0.1';
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL doit commencer par postgres:// ou postgresql://.');
  }
  const offerOnlineDays = Number(env.OFFER_ONLINE_DAYS ?? 60);
  if (!Number.isInteger(offerOnlineDays) || offerOnlineDays < 1 || offerOnlineDays > 365) {
    throw new Error(`OFFER_ONLINE_DAYS invalide : « ${env.OFFER_ONLINE_DAYS} » (entier de 1 à 365 attendu).`);
  }
  const jobsIntervalMs = Number(env.JOBS_INTERVAL_MS ?? 60_000);
  if (!Number.isInteger(jobsIntervalMs) || jobsIntervalMs < 0) {
    throw new Error(`JOBS_INTERVAL_MS invalide : « ${env.JOBS_INTERVAL_MS} » (entier positif ou 0 attendu).`);
  }
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl && !/^smtps?:\/\/[^\s]+$/.test(smtpUrl)) {
    throw new Error(
      'SMTP_URL doit commencer par smtp:// ou smtps:// (ex. : smtp://utilisateur:motdepasse@smtp.exemple.fr:587).',
    );
  }
  const mailFrom = env.MAIL_FROM?.trim() || MAIL_FROM;
  if (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom) || mailFrom.length > 200) {
    throw new Error(
      `MAIL_FROM invalide : « ${mailFrom} » (ex. : Emploi Territoires <ne-pas-repondre@exemple.fr>).`,
    );
  }
  const inboundText = env.SMTP_INBOUND_PORT?.trim();
  const smtpInboundPort = inboundText ? Number(inboundText) : undefined;
  if (
    smtpInboundPort !== undefined &&
    (!Number.isInteger(smtpInboundPort) || smtpInboundPort < 0 || smtpInboundPort > 65535)
  ) {
    throw new Error(
      `SMTP_INBOUND_PORT invalide : « ${inboundText} » (entier entre 0 et 65535 attendu, ex. : 2525).`,
    );
  }
  const mailReplyDomain = (env.MAIL_REPLY_DOMAIN?.trim() || domainOf(mailFrom)).toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(mailReplyDomain)) {
    throw new Error(
      `MAIL_REPLY_DOMAIN invalide : « ${mailReplyDomain} » (nom de domaine attendu, ex. : reponses.exemple.fr).`,
    );
  }
  const messagingSecret = env.MESSAGING_SECRET?.trim() || undefined;
  if (messagingSecret && messagingSecret.length < MIN_MESSAGING_SECRET_LENGTH) {
    throw new Error(
      `MESSAGING_SECRET trop court : ${MIN_MESSAGING_SECRET_LENGTH} caractères au moins (ex. : openssl rand -base64 48).`,
    );
  }
  const dataDir = resolve(cwd, env.DATA_DIR ?? '.data/pglite');
  const updatesPublishToken = env.UPDATES_PUBLISH_TOKEN?.trim() || undefined;
  if (updatesPublishToken && updatesPublishToken.length < MIN_PUBLISH_TOKEN_LENGTH) {
    throw new Error(
      `UPDATES_PUBLISH_TOKEN trop court : ${MIN_PUBLISH_TOKEN_LENGTH} caractères au moins (ex. : openssl rand -base64 48).`,
    );
  }
  if (env.NODE_ENV === 'production') {
    // Known passwords and unauthenticated test routes never go live (OWASP ASVS 2.5.4, 14.1).
    if (argv.includes('--demo'))
      throw new Error(
        '--demo refusé avec NODE_ENV=production : les comptes de démonstration ont un mot de passe public.',
      );
    if (env.ENABLE_TEST_HOOKS === '1')
      throw new Error(
        'ENABLE_TEST_HOOKS=1 refusé avec NODE_ENV=production : ces routes de test ne demandent aucune authentification.',
      );
  }
  const updatesArtefactUrl = env.UPDATES_ARTEFACT_URL?.trim().replace(/\/+$/, '') || undefined;
  if (updatesArtefactUrl && !/^https?:\/\/[^\s]+$/.test(updatesArtefactUrl)) {
    throw new Error(
      'UPDATES_ARTEFACT_URL doit commencer par https:// ou http:// (ex. : https://stockage.exemple.fr/recrutement).',
    );
  }
  return {
    updatesDir: env.UPDATES_DIR ? resolve(cwd, env.UPDATES_DIR) : resolve(dataDir, '..', 'updates'),
    ...(updatesPublishToken ? { updatesPublishToken } : {}),
    ...(updatesArtefactUrl ? { updatesArtefactUrl } : {}),
    ...(smtpInboundPort !== undefined ? { smtpInboundPort } : {}),
    mailReplyDomain,
    ...(messagingSecret ? { messagingSecret } : {}),
    ...(smtpUrl ? { smtpUrl } : {}),
    mailFrom,
    mailDir: env.MAIL_DIR ? resolve(cwd, env.MAIL_DIR) : resolve(dataDir, '..', 'mail'),
    production: env.NODE_ENV === 'production',
    offerOnlineDays,
    jobsIntervalMs,
    testHooks: env.ENABLE_TEST_HOOKS === '1',
    port,
    host,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(env.PUBLIC_URL ? { publicUrl: env.PUBLIC_URL.replace(/\/$/, '') } : {}),
    demo: argv.includes('--demo'),
    webRoot: resolve(cwd, env.WEB_ROOT ?? 'dist'),
    romeDataDir: resolve(cwd, env.ROME_DATA_DIR ?? '../shared/data/rome/official'),
  };
}
