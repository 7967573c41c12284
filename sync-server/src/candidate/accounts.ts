/** Candidate sign-up, e-mail confirmation, forgotten password, profile and search preferences. */
import type { FastifyInstance } from 'fastify';
import type { CandidateDeps } from './deps';

export async function registerCandidateAccountRoutes(
  _app: FastifyInstance,
  _deps: CandidateDeps,
): Promise<void> {}
