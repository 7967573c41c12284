/** Registers everything the candidate portal calls, each area in its own module. */
import type { FastifyInstance } from 'fastify';
import { registerOfferSearchRoutes } from '../search/routes';
import { registerCandidateAccountRoutes } from './accounts';
import { registerAlertRoutes } from './alerts';
import { registerApplicationRoutes } from './applications';
import { registerCvRoutes } from './cvs';
import type { CandidateDeps } from './deps';
import { registerRgpdRoutes } from './rgpd';

export async function registerCandidatePortal(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  await registerCandidateAccountRoutes(app, deps);
  await registerCvRoutes(app, deps);
  await registerOfferSearchRoutes(app, deps);
  await registerApplicationRoutes(app, deps);
  await registerAlertRoutes(app, deps);
  await registerRgpdRoutes(app, deps);
}
