/**
 * `npm run campaign:faults -- [--scenarios 1000] [--seed 1] [--ops 8]` (issue 9, 1). PostgreSQL
 * (server restarts with SIGKILL) when DATABASE_URL is set, PGlite otherwise (clean restarts).
 * Prints the figures and every violation, writes the report in `reports/`, and exits 1 when a
 * violation was found (CI runs a short form as a test: sync-server/test/fault-campaign.test.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { faultReportMarkdown, runFaultCampaign } from '../sync-server/test/campaigns/faults';
import { integerOption, runCampaignScript } from './campaign-cli';

await runCampaignScript(async () => {
  const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;
  const report = await runFaultCampaign({
    scenarios: integerOption('scenarios', 1000),
    seed: integerOption('seed', 1, 0),
    opsPerScenario: integerOption('ops', 8),
    ...(databaseUrl ? { databaseUrl } : {}),
    log: (line) => console.log(`• ${line}`),
  });
  const cpu = cpus();
  const machine = `${cpu.length} cœurs (${cpu[0]?.model.trim() ?? 'processeur inconnu'}), ${Math.round(totalmem() / 1024 ** 3)} Go de mémoire ; serveur, base, proxy et les trois postes sur la même machine`;
  const markdown = faultReportMarkdown(report, machine);
  const dir = resolve(fileURLToPath(new URL('..', import.meta.url)), 'reports');
  mkdirSync(dir, { recursive: true });
  const name = `pannes-${report.database}`;
  writeFileSync(join(dir, `${name}.md`), markdown);
  console.log(`\n${markdown}\nRapport : reports/${name}.md`);
  // A violation found: a failing exit code for the caller.
  return report.violations.length === 0 ? 0 : 1;
});
