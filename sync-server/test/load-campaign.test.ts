import { describe, expect, it } from 'vitest';
import { loadReportMarkdown, runLoadCampaign } from './campaigns/load';

/**
 * The load campaign's short form (issue 9, 4): a server in its own process, 20 workstations on the
 * live stream, 20 offers a second for 8 seconds. Every write is acknowledged and reaches every
 * workstation; no stream is refused or cut. The long form (`npm run campaign:load`) measures 500
 * workstations and 100 writes a second for 5 minutes, on PostgreSQL and PGlite, with two instances.
 */
describe('campagne de charge (forme courte)', () => {
  it('20 postes, 20 écritures/s : aucune erreur, chaque écriture arrive à chaque poste', async () => {
    const databaseUrl = process.env.TEST_DB === 'postgres' ? process.env.TEST_DATABASE_URL : undefined;
    const report = await runLoadCampaign({
      clients: 20,
      writesPerSecond: 20,
      seconds: 8,
      instances: databaseUrl ? 2 : 1,
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    console.log(
      `charge (${report.database}, ${report.options.instances} instance(s)) : ${report.writes} écritures, ` +
        `${report.received}/${report.expected} livraisons, p50 ${report.latency.p50} ms, p95 ${report.latency.p95} ms`,
    );
    expect(report.writes).toBe(160);
    expect(report.pushErrors).toBe(0);
    expect(report.streamErrors).toBe(0);
    expect(report.received).toBe(report.expected);
    expect(report.expected).toBe(report.writes * 20);
    expect(report.rss.length).toBeGreaterThanOrEqual(2);
    const { markdown, svg } = loadReportMarkdown(report, 'test');
    expect(markdown).toContain('| Erreurs d’écriture | 0 |');
    expect(svg).toContain('<polyline');
  }, 240_000);
});
