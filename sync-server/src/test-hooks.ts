import type { FastifyInstance } from 'fastify';
import { clock } from './clock';
import { badRequest } from './http-error';
import type { Scheduler } from './jobs/scheduler';

/**
 * Routes for end-to-end tests only (`ENABLE_TEST_HOOKS=1`; never in production): move the
 * server's clock forward and run the scheduled jobs now, so a spec can watch an offer expire.
 */
export async function registerTestHooks(app: FastifyInstance, deps: { scheduler: Scheduler }) {
  app.post('/api/test/clock', async (request) => {
    const body = (request.body ?? {}) as { advanceDays?: unknown };
    const days = body.advanceDays;
    if (typeof days !== 'number' || !Number.isFinite(days) || Math.abs(days) > 3650)
      throw badRequest('Décalage invalide.', [
        { field: 'advanceDays', message: 'Nombre de jours attendu (au plus 3 650).' },
      ]);
    const now = clock.advance(days * 24 * 3600 * 1000);
    return { now: now.toISOString() };
  });
  app.post('/api/test/jobs/run', async () => ({ results: await deps.scheduler.runAll() }));
}
