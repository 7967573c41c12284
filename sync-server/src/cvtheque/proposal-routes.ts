/**
 * `POST /api/cvtheque/proposals` `{ cvId, offerId, message }`: a recruiter or an advisor proposes
 * the person behind a CVthèque CV for an offer (`proposals.ts`). Bearer or cookie, like the other
 * workstation routes; 201 with the application in status « proposée ».
 */
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../auth/request-user';
import type { Database } from '../db/database';
import { linkBase } from '../domain/route-helpers';
import { forbidden } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { checkProposalInput, createProposal, PROPOSAL_FORBIDDEN } from './proposals';
import { isCvthequeUser } from './session-scope';

export async function registerProposalRoutes(
  app: FastifyInstance,
  deps: { db: Database; engine: SyncEngine; publicUrl?: string },
): Promise<void> {
  const { db, engine } = deps;
  app.post('/api/cvtheque/proposals', async (request, reply) => {
    const user = await requireUser(db, request);
    // Who may propose first, then what was sent.
    if (!isCvthequeUser(user)) throw forbidden(PROPOSAL_FORBIDDEN);
    const input = checkProposalInput(request.body);
    const doc = await createProposal(db, engine, user, input, { base: linkBase(deps, request) });
    return reply.code(201).send({ application: doc });
  });
}
