/** Saved searches and their alerts. */
import type { FastifyInstance } from 'fastify';
import type { CandidateDeps } from './deps';

export async function registerAlertRoutes(_app: FastifyInstance, _deps: CandidateDeps): Promise<void> {}
