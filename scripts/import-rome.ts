/**
 * Imports France Travail's official ROME export (codes, appellations, mobility links) into the
 * server's database:
 *
 *   npm run import:rome -- <dossier>
 *
 * The folder holds the official open-data CSV files (unix_referentiel_code_rome_v460_utf8.csv,
 * unix_referentiel_appellation_v460_utf8.csv, unix_rubrique_mobilite_v460_utf8.csv), e.g.
 * ../shared/data/rome/official. Same database as the server: PostgreSQL when DATABASE_URL is set,
 * otherwise PGlite in DATA_DIR (default .data/pglite). The schema is migrated first if needed.
 *
 * An idempotent upsert: a re-run adds new rows and updates changed labels, never duplicates, and
 * leaves an unchanged referential untouched. With PGlite, stop the server first: only one process
 * may open a PGlite data directory at a time.
 */

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfig } from '../sync-server/src/config';
import { openDatabase } from '../sync-server/src/db/database';
import { migrate } from '../sync-server/src/db/migrations';
import { describeRomeImport, importRome, ROME_FILES } from '../sync-server/src/reference/rome';

const USAGE = `Usage : npm run import:rome -- <dossier>

Importe le référentiel ROME officiel de France Travail (fichiers CSV open data) :
  ${ROME_FILES.codes}
  ${ROME_FILES.appellations}
  ${ROME_FILES.mobility}
dans la base du serveur (DATABASE_URL, sinon PGlite dans DATA_DIR, par défaut .data/pglite).
Une nouvelle exécution met à jour les libellés et ajoute les nouvelles lignes, sans doublon.
Avec PGlite, arrêtez le serveur avant l’import.`;

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (args.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const dir = resolve(args[0]!);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`Dossier introuvable : ${dir}`);
    return 1;
  }
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig([], process.env);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.dataDir})`;
  const db = await openDatabase(
    config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir },
  );
  try {
    await migrate(db);
    const started = performance.now();
    const result = await importRome(db, dir);
    for (const line of describeRomeImport(result)) console.log(line);
    console.log(`Base : ${where}. Import terminé en ${((performance.now() - started) / 1000).toFixed(1)} s.`);
    return 0;
  } catch (error) {
    console.error(`Import du référentiel ROME impossible : ${(error as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
