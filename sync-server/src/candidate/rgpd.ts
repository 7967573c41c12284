/** RGPD: export and deletion of a candidate's data. */
import type { FastifyInstance } from 'fastify';
import type { CandidateDeps } from './deps';

export async function registerRgpdRoutes(_app: FastifyInstance, _deps: CandidateDeps): Promise<void> {}
