/** Registers everything the candidate portal calls, each area in its own module. */
import type { FastifyInstance } from 'fastify';
import { registerOfferSearchRoutes } from '../search/routes';
import { registerCandidateAccountRoutes } from './accounts';
import { registerAlertRoutes } from './alerts';
import { registerApplicationRoutes } from './applications';
import { registerCvPdfRoutes } from './cv-pdf-route';
import { registerCvSendRoutes } from './cv-send';
import { registerCvRoutes } from './cvs';
import type { CandidateDeps } from './deps';
import { registerFolderRoutes } from './folders';
import { registerMatchingRoutes } from './matching';
import { registerRgpdRoutes } from './rgpd';

export async function registerCandidatePortal(app: FastifyInstance, deps: CandidateDeps): Promise<void> {
  await registerCandidateAccountRoutes(app, deps);
  await registerCvRoutes(app, deps);
  await registerCvPdfRoutes(app, deps);
  await registerCvSendRoutes(app, deps);
  await registerFolderRoutes(app, deps);
  await registerMatchingRoutes(app, deps);
  await registerOfferSearchRoutes(app, deps);
  await registerApplicationRoutes(app, deps);
  await registerAlertRoutes(app, deps);
  await registerRgpdRoutes(app, deps);
}
