import { type App, createApp } from './app';
import type { ServerConfig } from './config';
import { type Database, openDatabase } from './db/database';
import { migrate } from './db/migrations';
import { seedDemo } from './db/seed-demo';
import { ensureRome } from './reference/rome';

export interface RunningServer {
  app: App;
  db: Database;
  url: string;
  seeded: boolean;
  /** What happened to the reference data at start, in French. */
  referenceReport: string;
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
  const app = await createApp({
    db,
    webRoot: config.webRoot,
    // Links in e-mails sent by the scheduled jobs need a base even when PUBLIC_URL is not set.
    publicUrl: config.publicUrl ?? `http://${shownHost(config.host)}:${config.port}`,
    logger: options.logger ?? false,
    offerOnlineDays: config.offerOnlineDays,
    jobsIntervalMs: config.jobsIntervalMs,
    testHooks: config.testHooks,
  });
  const seeded = config.demo ? await seedDemo(db, app.engine) : false;
  await app.fastify.listen({ port: config.port, host: config.host });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  let stopped = false;
  return {
    app,
    db,
    seeded,
    referenceReport,
    url: config.publicUrl ?? `http://${shownHost(config.host)}:${port}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await app.close();
      await db.close();
    },
  };
}

function shownHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
