/** Applications (with and without an account, spontaneous), proposals, offer selections. */
import type { FastifyInstance } from 'fastify';
import type { CandidateDeps } from './deps';

export async function registerApplicationRoutes(_app: FastifyInstance, _deps: CandidateDeps): Promise<void> {}
