/**
 * Moderators' decisions on reported conversations (issue 7, « signaler »):
 *
 * `POST /api/moderation/conversations/:id/decision` `{ decision: 'classer' | 'suspendre-candidat', note? }`
 * (platform members only) → 200 `{ conversationId, decision, resolvedReports, candidateSuspended }`.
 *
 * - `classer`: the conversation is no longer reported (`reportedAt` leaves the document, written
 *   through the engine so the organisation's replicas follow) and every open report of it is
 *   resolved (when, by whom, which decision, the note).
 * - `suspendre-candidat`: the same, and the candidate's account is disabled (`disabled_at`) and
 *   signed out everywhere (sessions deleted): they can no longer sign in, and the messaging rules
 *   refuse a disabled account both ways (`candidate-disabled`).
 *
 * Each decision leaves an audit entry (the decision and counts, never the note nor a name). Nobody
 * is notified: the reporter sees the conversation no longer marked as reported on the workstation;
 * the suspended candidate finds out at their next sign-in.
 *
 * A conversation that is not (or no longer) reported answers 404: two moderators deciding at once
 * are serialised by the conversation's lock and the second one is told it is already dealt with.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SessionUser } from '../../../shared/domain/account';
import type { ConversationDoc } from '../../../shared/schemas/conversation.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { requireUser } from '../auth/request-user';
import { closeSessionsRemotely } from '../auth/sessions';
import { clock } from '../clock';
import type { Database } from '../db/database';
import { asRecord } from '../domain/route-helpers';
import { badRequest, forbidden, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { isUuid } from './facts';
import { lockConversation, writeConversation } from './service';

export const MODERATION_DECISIONS = ['classer', 'suspendre-candidat'] as const;
export type ModerationDecision = (typeof MODERATION_DECISIONS)[number];

export const DECISION_NOTE_MAX = 1000;

export const MODERATORS_ONLY = 'Cet espace est réservé aux modérateurs de la plateforme.';
export const REPORT_NOT_FOUND =
  'Cette conversation n’existe pas ou n’est plus signalée : un autre modérateur l’a peut-être déjà traitée.';
export const CANDIDATE_GONE =
  'Le compte de ce candidat n’existe plus : il ne peut pas être suspendu. Classez le signalement.';

export interface DecisionInput {
  decision: ModerationDecision;
  note?: string;
}

export interface DecisionOutcome {
  conversationId: string;
  decision: ModerationDecision;
  /** Open reports this decision resolved. */
  resolvedReports: number;
  /** The candidate's account is disabled after this decision. */
  candidateSuspended: boolean;
}

/** The decision body, checked: every field at fault is named, in French. */
export function parseDecisionBody(body: unknown): DecisionInput {
  const b = asRecord(body);
  const errors: FieldError[] = [];
  const decision = b.decision;
  if (typeof decision !== 'string' || !(MODERATION_DECISIONS as readonly string[]).includes(decision))
    errors.push({
      field: 'decision',
      message: 'Choisissez une décision : « Classer » ou « Suspendre le candidat ».',
    });
  let note: string | undefined;
  if (b.note !== undefined && b.note !== null) {
    if (typeof b.note !== 'string') errors.push({ field: 'note', message: 'La note doit être un texte.' });
    else {
      const trimmed = b.note.replace(/\r\n?/g, '\n').trim();
      if ([...trimmed].length > DECISION_NOTE_MAX)
        errors.push({
          field: 'note',
          message: `La note ne doit pas dépasser ${DECISION_NOTE_MAX} caractères.`,
        });
      else if (trimmed) note = trimmed;
    }
  }
  if (errors.length > 0)
    throw badRequest(
      errors.length === 1
        ? errors[0]!.message
        : 'La décision n’a pas été enregistrée : corrigez les champs indiqués.',
      errors,
    );
  return { decision: decision as ModerationDecision, ...(note ? { note } : {}) };
}

export function isModerator(user: SessionUser): boolean {
  return user.memberships.some((m) => m.kind === 'platform');
}

/**
 * Applies a moderator's decision to a reported conversation, in one transaction: the document, the
 * reports, the account (suspension) and the audit entries, or nothing.
 */
export async function decideReportedConversation(
  db: Database,
  engine: SyncEngine,
  input: { conversationId: string; moderator: SessionUser } & DecisionInput,
): Promise<DecisionOutcome> {
  if (!isModerator(input.moderator)) throw forbidden(MODERATORS_ONLY);
  return db.transaction(async (tx) => {
    const stored = await lockConversation(tx, input.conversationId);
    const doc = stored && !stored.deleted ? stored.doc : null;
    if (!doc?.reportedAt) throw notFound(REPORT_NOT_FOUND);
    const now = clock.now();

    let candidateSuspended = false;
    if (input.decision === 'suspendre-candidat') {
      if (!isUuid(doc.candidateId)) throw notFound(CANDIDATE_GONE);
      const { rows } = await tx.query<{ id: string }>(
        `update accounts set disabled_at = coalesce(disabled_at, $2)
          where id = $1::uuid and kind = 'candidate' returning id::text`,
        [doc.candidateId, now.toISOString()],
      );
      if (!rows[0]) throw notFound(CANDIDATE_GONE);
      await closeSessionsRemotely(tx, doc.candidateId);
      candidateSuspended = true;
    }

    const { reportedAt: _cleared, ...rest } = doc;
    const next: ConversationDoc = { ...rest, updatedAt: now.toISOString() };
    await writeConversation(tx, engine, next);

    const { rows: resolved } = await tx.query<{ id: string }>(
      `update conversation_reports
          set resolved_at = $2, resolved_by = $3::uuid, decision = $4, decision_note = $5
        where conversation_id = $1 and resolved_at is null
        returning id::text`,
      [doc.id, now.toISOString(), input.moderator.id, input.decision, input.note ?? null],
    );

    await tx.query(
      `insert into audit_log (at, actor_id, action, collection, document_id, detail)
       values ($1, $2, $3, 'conversations', $4, $5)`,
      [
        now.toISOString(),
        input.moderator.id,
        `moderation-${input.decision}`,
        doc.id,
        JSON.stringify({ signalements: resolved.length, note: !!input.note }),
      ],
    );
    if (candidateSuspended)
      await tx.query(
        `insert into audit_log (at, actor_id, action, collection, document_id, detail)
         values ($1, $2, 'compte-suspendu', 'accounts', $3, $4)`,
        [now.toISOString(), input.moderator.id, doc.candidateId, JSON.stringify({ motif: 'moderation' })],
      );

    return {
      conversationId: doc.id,
      decision: input.decision,
      resolvedReports: resolved.length,
      candidateSuspended,
    };
  });
}

type IdParams = { Params: { id: string } };

/** Registers the decision route (next to the moderators' reading routes). */
export function registerModerationDecisionRoute(
  app: FastifyInstance,
  deps: { db: Database; engine: SyncEngine },
): void {
  app.post<IdParams>(
    '/api/moderation/conversations/:id/decision',
    async (request: FastifyRequest<IdParams>) => {
      const moderator = await requireUser(deps.db, request);
      if (!isModerator(moderator)) throw forbidden(MODERATORS_ONLY);
      const id = request.params.id;
      if (typeof id !== 'string' || id.length > 36 || !/^[A-Za-z0-9-]+$/.test(id))
        throw notFound(REPORT_NOT_FOUND);
      const input = parseDecisionBody(request.body);
      return decideReportedConversation(deps.db, deps.engine, { conversationId: id, moderator, ...input });
    },
  );
}
