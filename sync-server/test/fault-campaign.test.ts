import { describe, expect, it } from 'vitest';
import { faultReportMarkdown, runFaultCampaign } from './campaigns/faults';
import { createTestDatabase, onPostgres } from './harness';

/**
 * Issue 9, campaign 1, short form: the fault campaign (campaigns/faults.ts) over every replicated
 * collection, three workstations in their own processes and a candidate on the portal, through a
 * proxy that drops, delays, duplicates and reorders, with offline stretches and server restarts
 * (SIGKILL on PostgreSQL, a clean stop on PGlite). CI's 50 scenarios run on PostgreSQL; on PGlite 10
 * (restarts included), since every suite runs on both and the PGlite run took 107 s for 25; the
 * long form is `npm run campaign:faults -- --scenarios 1000 --seed <n>`.
 * FAULT_SCENARIOS and FAULT_CAMPAIGN_SEED replay another run.
 */

const SCENARIOS = Number(process.env.FAULT_SCENARIOS) || (onPostgres ? 50 : 10);
const SEED = Number(process.env.FAULT_CAMPAIGN_SEED) || 20261205;

describe(`campagne de pannes, toutes les collections (${onPostgres ? 'PostgreSQL, arrêts brutaux SIGKILL' : 'PGlite, arrêts propres'})`, () => {
  it(`${SCENARIOS} scénarios : aucune écriture acquittée perdue, aucune réplique divergente, chaque conflit fusionné ou signalé`, async () => {
    const database = await createTestDatabase({ persistent: true });
    try {
      const report = await runFaultCampaign({
        scenarios: SCENARIOS,
        seed: SEED,
        database,
        log: (line) => {
          console.log(`[pannes] ${line}`);
        },
      });
      console.log(faultReportMarkdown(report, 'machine de test'));
      expect(report.violations).toEqual([]);

      // The campaign did what it says: every kind of write acknowledged, faults of every kind,
      // conflicts answered, workstations offline, the server restarted.
      for (const collection of ['offers', 'applications', 'evaluations', 'cvLists', 'searches', 'messages'])
        expect(report.acknowledged.byCollection[collection] ?? 0, collection).toBeGreaterThan(0);
      expect(report.acknowledged.candidateMessages).toBeGreaterThan(0);
      expect(report.conflicts.rows).toBeGreaterThan(0);
      expect(report.offlineStretches).toBeGreaterThan(0);
      expect(report.restarts).toBeGreaterThanOrEqual(1);
      expect(report.signal).toBe(onPostgres ? 'SIGKILL' : 'SIGTERM');
      const { droppedRequests, droppedResponses, duplicated, reordered, cutStreams } = report.proxy;
      expect(Math.min(droppedRequests, droppedResponses, duplicated, reordered, cutStreams)).toBeGreaterThan(
        0,
      );
    } finally {
      await database.destroy();
    }
  }, 1_200_000);
});
