/**
 * What the campaign scripts (`campaign-load.ts`, `campaign-faults.ts`) share: integer options
 * (`--name 12` or `--name=12`) and how they end. A wrong option is a usage error (exit code 2); a
 * campaign that cannot run ends with 1. The exit code is set, never forced: the process ends once
 * the campaign has closed its servers and workstations.
 */

export class UsageError extends Error {}

export function integerOption(name: string, fallback: number, min = 1): number {
  const args = process.argv.slice(2);
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return fallback;
  const raw = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min)
    throw new UsageError(
      `Option --${name} invalide : « ${raw} » (entier ${min > 0 ? 'positif' : 'positif ou nul'} attendu).`,
    );
  return n;
}

/** Runs a campaign script: its answer is the exit code; a usage error gives 2, a failure 1. */
export async function runCampaignScript(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message);
      process.exitCode = 2;
    } else {
      console.error(
        `La campagne n’a pas pu tourner : ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      process.exitCode = 1;
    }
  }
}
