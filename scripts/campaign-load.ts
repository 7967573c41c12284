/**
 * `npm run campaign:load -- [--clients 500] [--writes 100] [--seconds 300] [--instances 1|2] [--accounts N]`
 * (issue 9, 4). PostgreSQL when DATABASE_URL is set (two instances need it), PGlite otherwise.
 * Prints the figures and writes the report (Markdown and the memory plot, SVG) in `reports/`.
 * Exits 0 unless it cannot run (a measurement, not a test); CI runs a short form as a test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadReportMarkdown, runLoadCampaign } from '../sync-server/test/campaigns/load';
import { integerOption, runCampaignScript, UsageError } from './campaign-cli';

await runCampaignScript(async () => {
  const instances = integerOption('instances', 1);
  if (instances !== 1 && instances !== 2) throw new UsageError('Option --instances : 1 ou 2.');
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const report = await runLoadCampaign({
    clients: integerOption('clients', 500),
    writesPerSecond: integerOption('writes', 100),
    seconds: integerOption('seconds', 300),
    instances: instances as 1 | 2,
    accounts: integerOption('accounts', 1),
    ...(databaseUrl ? { databaseUrl } : {}),
    log: (line) => console.log(`• ${line}`),
  });
  const cpu = cpus();
  const machine = `${cpu.length} cœurs (${cpu[0]?.model.trim() ?? 'processeur inconnu'}), ${Math.round(totalmem() / 1024 ** 3)} Go de mémoire, serveur, base et générateur de charge sur la même machine`;
  const { markdown, svg } = loadReportMarkdown(report, machine);
  const dir = resolve(fileURLToPath(new URL('..', import.meta.url)), 'reports');
  mkdirSync(dir, { recursive: true });
  const name = `charge-${report.database}${report.options.instances === 2 ? '-2-instances' : ''}${(report.options.accounts ?? 1) > 1 ? '-comptes' : ''}`;
  writeFileSync(join(dir, `${name}.md`), markdown.replace('charge-rss.svg', `${name}-rss.svg`));
  writeFileSync(join(dir, `${name}-rss.svg`), svg);
  console.log(`\n${markdown}\nRapport : reports/${name}.md`);
  return 0;
});
