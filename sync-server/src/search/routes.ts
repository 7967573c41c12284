/** Offer search for the portal, and the published feeds (RSS/Atom, partner XML). */
import type { FastifyInstance } from 'fastify';
import type { CandidateDeps } from '../candidate/deps';

export async function registerOfferSearchRoutes(_app: FastifyInstance, _deps: CandidateDeps): Promise<void> {}
