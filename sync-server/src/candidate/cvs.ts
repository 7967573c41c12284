/** CVs: drafts, completeness, publication, PDF, attached files, folders and cover letters. */
import type { FastifyInstance } from 'fastify';
import type { CandidateDeps } from './deps';

export async function registerCvRoutes(_app: FastifyInstance, _deps: CandidateDeps): Promise<void> {}
