import { readConfig } from './config';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './db/seed-demo';
import { startServer } from './server';

async function main() {
  const config = readConfig(process.argv.slice(2), process.env);
  const server = await startServer(config, { logger: process.env.LOG_LEVEL === 'info' });
  const base = server.url;
  const lines = [
    '',
    `Serveur de synchronisation prêt (${server.db.kind === 'pglite' ? `PGlite, données dans ${config.dataDir}` : 'PostgreSQL'})`,
    `  Portail candidat       : ${base}/`,
    `  Poste de travail (web) : ${base}/workstation/`,
    `  Santé                  : ${base}/api/health`,
    `  ${server.referenceReport}`,
    `  ${server.mailReport}`,
  ];
  if (config.demo) {
    lines.push(
      server.seeded ? '  Données de démonstration créées.' : '  Données de démonstration déjà présentes.',
      `  Comptes de démonstration (mot de passe « ${DEMO_PASSWORD} ») :`,
      ...DEMO_ACCOUNTS.map((a) => `    - ${a.email}`),
    );
  }
  console.log(lines.join('\n'));
  // Tells a parent process (npm start, tests) where we listen.
  process.send?.({
    type: 'ready',
    url: base,
    ...(server.inboundSmtp ? { smtpInboundPort: server.inboundSmtp.port } : {}),
  });

  const shutdown = async (signal: string) => {
    console.log(`\nArrêt demandé (${signal}) : fermeture propre de la base…`);
    await server.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  // Started by a parent with a channel (npm start, the tests): it ends with its parent, so a parent
  // killed without a word (a test run cut short) leaves no server running behind it.
  if (process.send) process.once('disconnect', () => void shutdown('fin du processus parent'));
}

main().catch((error: unknown) => {
  console.error(`Le serveur n’a pas pu démarrer : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
