/**
 * `npm run campaign:load -- [--clients 500] [--writes 100] [--seconds 300] [--instances 1|2]`
 * (issue 9, 4). PostgreSQL when DATABASE_URL is set (two instances need it), PGlite otherwise.
 * Prints the figures and writes the report (Markdown and the memory plot, SVG) in `reports/`.
 * Exits 0 unless it cannot run (a measurement, not a test); CI runs a short form as a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReportMarkdown, runLoadCampaign } from '../sync-server/test/campaigns/load';

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`Option --${name} invalide : « ${raw} » (entier positif attendu).`);
    process.exit(2); // command-line usage error, not a test
  }
  return n;
}

const instances = option('instances', 1);
if (instances !== 1 && instances !== 2) {
  console.error('Option --instances : 1 ou 2.');
  process.exit(2); // command-line usage error, not a test
}
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
const report = await runLoadCampaign({
  clients: option('clients', 500),
  writesPerSecond: option('writes', 100),
  seconds: option('seconds', 300),
  instances: instances as 1 | 2,
  ...(databaseUrl ? { databaseUrl } : {}),
  log: (line) => console.log(`• ${line}`),
}).catch((error: unknown) => {
  console.error(`La campagne n’a pas pu tourner : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1); // the campaign could not run: a failing exit code for the caller
});
const cpu = cpus();
const machine = `${cpu.length} cœurs (${cpu[0]?.model.trim() ?? 'processeur inconnu'}), ${Math.round(totalmem() / 1024 ** 3)} Go de mémoire, serveur, base et générateur de charge sur la même machine`;
const { markdown, svg } = loadReportMarkdown(report, machine);
const dir = resolve(fileURLToPath(new URL('..', import.meta.url)), 'reports');
mkdirSync(dir, { recursive: true });
const name = `charge-${report.database}${report.options.instances === 2 ? '-2-instances' : ''}`;
writeFileSync(join(dir, `${name}.md`), markdown.replace('charge-rss.svg', `${name}-rss.svg`));
writeFileSync(join(dir, `${name}-rss.svg`), svg);
console.log(`\n${markdown}\nRapport : reports/${name}.md`);
