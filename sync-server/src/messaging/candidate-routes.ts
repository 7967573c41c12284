/**
 * Messaging over REST (issue 7):
 *
 * Candidate (portal, `requireCandidate`; see API.md « Messagerie »):
 * - `GET /api/me/conversations?q=&page=` → `{ items, total, unread }`, newest first, hidden ones left out.
 * - `GET /api/me/conversations/:id` → `{ conversation, messages }` oldest first (does not mark read).
 * - `POST /api/me/conversations/:id/read` → 204; `POST /api/me/conversations/hide` `{ ids }` → `{ hidden }`.
 * - `GET /api/me/messaging/recipients` → `{ items }`; `GET /api/me/messaging/can-write?organisationId=|companyId=`.
 * - `POST /api/me/conversations` `{ organisationId, subject, body, attachments?, aboutKind?, aboutId?, id? }` → 201.
 * - `POST /api/me/conversations/:id/messages` `{ body, attachments?, id? }` → 201 `{ message }` (429 over the limit).
 *   `id`: the draft's UUID (the first message's id); the same draft sent again → 200 with what was stored.
 *   (409 `conflict` when that id is another message.)
 * - `POST /api/me/conversations/:id/block|unblock` → `{ conversation }`; `…/report` `{ reason }` → 204.
 *
 * Organisation (members; the workstation replicates the rest): `POST /api/conversations/:id/block|unblock|report`.
 * Moderators (platform members): `GET /api/moderation/conversations[/:id]`, reported conversations only.
 */
import type { FastifyInstance } from 'fastify';
import { mayReadConversation } from '../../../shared/domain/messaging';
import type { ConversationDoc } from '../../../shared/schemas/conversation.schema';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import { requireCandidate, requireUser } from '../auth/request-user';
import type { Database } from '../db/database';
import { asRecord } from '../domain/route-helpers';
import { badRequest, forbidden, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import { isUuid, senderOf } from './facts';
import { registerModerationDecisionRoute } from './moderation';
import {
  appendCandidateMessageOnce,
  CONVERSATION_NOT_FOUND,
  candidateMarks,
  candidateVerdict,
  checkReportReason,
  clientMessageId,
  getCandidateConversation,
  hideCandidateConversations,
  listCandidateConversations,
  listRecipients,
  markCandidateRead,
  reportConversation,
  setBlock,
  startCandidateConversation,
  toCandidateConversation,
  toCandidateMessage,
} from './service';

export interface MessagingRouteDeps {
  db: Database;
  engine: SyncEngine;
  publicUrl?: string;
}

type IdParams = { Params: { id: string } };

function conversationId(value: unknown): string {
  if (typeof value !== 'string' || value.length > 36 || !/^[A-Za-z0-9-]+$/.test(value))
    throw notFound(CONVERSATION_NOT_FOUND);
  return value;
}

function pageOf(value: unknown): number {
  if (value === undefined || value === '') return 1;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) {
    const message = 'Numéro de page invalide : un entier à partir de 1.';
    throw badRequest(message, [{ field: 'page', message }]);
  }
  return n;
}

function searchOf(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value !== 'string' || value.length > 200) {
    const message = 'La recherche ne doit pas dépasser 200 caractères.';
    throw badRequest(message, [{ field: 'q', message }]);
  }
  return value.trim();
}

export async function registerMessagingRoutes(app: FastifyInstance, deps: MessagingRouteDeps): Promise<void> {
  const { db, engine } = deps;

  // -------------------------------------------------------------------------------------------
  // Candidate
  app.get('/api/me/conversations', async (request) => {
    const user = await requireCandidate(db, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    return listCandidateConversations(db, user.id, { q: searchOf(query.q), page: pageOf(query.page) });
  });

  app.get<IdParams>('/api/me/conversations/:id', async (request) => {
    const user = await requireCandidate(db, request);
    return getCandidateConversation(db, user.id, conversationId(request.params.id));
  });

  app.post<IdParams>('/api/me/conversations/:id/read', async (request, reply) => {
    const user = await requireCandidate(db, request);
    await markCandidateRead(db, engine, user.id, conversationId(request.params.id));
    return reply.code(204).send();
  });

  app.post('/api/me/conversations/hide', async (request) => {
    const user = await requireCandidate(db, request);
    const ids = asRecord(request.body).ids;
    if (
      !Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > 100 ||
      !ids.every((id) => typeof id === 'string' && id.length <= 36)
    ) {
      const message = 'Choisissez de 1 à 100 conversations à masquer.';
      throw badRequest(message, [{ field: 'ids', message }]);
    }
    return { hidden: await hideCandidateConversations(db, engine, user.id, ids as string[]) };
  });

  app.get('/api/me/messaging/recipients', async (request) => {
    const user = await requireCandidate(db, request);
    return { items: await listRecipients(db, user.id) };
  });

  // By organisation, or by company profile (a company page knows no organisation id): the answer
  // names the organisation too.
  app.get('/api/me/messaging/can-write', async (request) => {
    const user = await requireCandidate(db, request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    let organisationId = query.organisationId;
    if (organisationId === undefined && query.companyId !== undefined) {
      if (!isUuid(query.companyId)) {
        const message = 'Identifiant de fiche entreprise invalide.';
        throw badRequest(message, [{ field: 'companyId', message }]);
      }
      const { rows } = await db.query<{ organisation_id: string }>(
        `select doc->>'organisationId' as organisation_id from companies
          where id = $1 and not deleted and doc->>'published' = 'true'`,
        [query.companyId],
      );
      if (!rows[0]) throw notFound('Cette fiche entreprise n’existe pas ou n’est pas publiée.');
      organisationId = rows[0].organisation_id;
    }
    if (!isUuid(organisationId)) {
      const message = 'Indiquez l’organisation (identifiant).';
      throw badRequest(message, [{ field: 'organisationId', message }]);
    }
    const verdict = await candidateVerdict(db, user.id, organisationId);
    if (!verdict) throw notFound('Cette organisation n’existe pas.');
    const { rows } = await db.query<{ name: string }>('select name from organisations where id = $1::uuid', [
      organisationId,
    ]);
    const named = { organisationId, organisationName: rows[0]?.name ?? '' };
    return verdict.allowed
      ? { allowed: true, basis: verdict.basis, ...named }
      : { allowed: false, code: verdict.code, message: verdict.message, ...named };
  });

  app.post('/api/me/conversations', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const b = asRecord(request.body);
    const result = await startCandidateConversation(db, engine, {
      accountId: user.id,
      organisationId: typeof b.organisationId === 'string' ? b.organisationId : '',
      subject: b.subject,
      body: b.body,
      attachments: b.attachments,
      aboutKind: b.aboutKind,
      aboutId: b.aboutId,
      id: b.id,
    });
    // A draft sent again (same `id`, same body): the stored conversation and message, 200.
    const { replayed, ...sent } = result;
    return reply.code(replayed ? 200 : 201).send(sent);
  });

  app.post<IdParams>('/api/me/conversations/:id/messages', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const b = asRecord(request.body);
    const id = clientMessageId(b.id);
    const { message, replayed } = await appendCandidateMessageOnce(db, engine, {
      accountId: user.id,
      conversationId: conversationId(request.params.id),
      body: b.body as string,
      attachments: b.attachments as never,
      via: 'portal',
      ...(id ? { id } : {}),
    });
    return reply.code(replayed ? 200 : 201).send({ message: toCandidateMessage(message) });
  });

  for (const action of ['block', 'unblock'] as const) {
    app.post<IdParams>(`/api/me/conversations/:id/${action}`, async (request) => {
      const user = await requireCandidate(db, request);
      const doc = await setBlock(db, engine, {
        conversationId: conversationId(request.params.id),
        side: 'candidate',
        user,
        blocked: action === 'block',
      });
      const verdict = (await candidateVerdict(db, user.id, doc.organisationId)) ?? {
        allowed: false as const,
        code: 'no-basis' as const,
        message: 'Cette organisation n’existe plus.',
      };
      const marks = await candidateMarks(db, user.id, doc.id);
      return { conversation: toCandidateConversation(doc, verdict, marks.readAt) };
    });
  }

  app.post<IdParams>('/api/me/conversations/:id/report', async (request, reply) => {
    const user = await requireCandidate(db, request);
    const id = conversationId(request.params.id);
    const reason = checkReportReason(asRecord(request.body).reason);
    await reportConversation(db, engine, { conversationId: id, side: 'candidate', user, reason });
    return reply.code(204).send();
  });

  // -------------------------------------------------------------------------------------------
  // Organisation members
  for (const action of ['block', 'unblock'] as const) {
    app.post<IdParams>(`/api/conversations/:id/${action}`, async (request) => {
      const user = await requireUser(db, request);
      if (user.kind !== 'recruiter')
        throw forbidden('Cette action est réservée aux membres des organisations.');
      const conversation = await setBlock(db, engine, {
        conversationId: conversationId(request.params.id),
        side: 'organisation',
        user,
        blocked: action === 'block',
      });
      return { conversation };
    });
  }

  app.post<IdParams>('/api/conversations/:id/report', async (request, reply) => {
    const user = await requireUser(db, request);
    if (user.kind !== 'recruiter')
      throw forbidden('Cette action est réservée aux membres des organisations.');
    const id = conversationId(request.params.id);
    const reason = checkReportReason(asRecord(request.body).reason);
    await reportConversation(db, engine, { conversationId: id, side: 'organisation', user, reason });
    return reply.code(204).send();
  });

  // -------------------------------------------------------------------------------------------
  // Moderators: reported conversations only
  const requireModerator = async (request: Parameters<typeof requireUser>[1]) => {
    const user = await requireUser(db, request);
    if (!user.memberships.some((m) => m.kind === 'platform'))
      throw forbidden('Cet espace est réservé aux modérateurs de la plateforme.');
    return user;
  };

  const reportsOf = async (ids: string[]) => {
    const { rows } = await db.query<{
      conversation_id: string;
      reporter_kind: string;
      reason: string;
      at: Date | string;
    }>(
      `select conversation_id, reporter_kind, reason, at from conversation_reports
        where conversation_id = any($1::text[]) and resolved_at is null order by at`,
      [ids],
    );
    const out = new Map<string, { reporterKind: string; reason: string; at: string }[]>();
    for (const r of rows) {
      const list = out.get(r.conversation_id) ?? [];
      list.push({ reporterKind: r.reporter_kind, reason: r.reason, at: new Date(r.at).toISOString() });
      out.set(r.conversation_id, list);
    }
    return out;
  };

  app.get('/api/moderation/conversations', async (request) => {
    await requireModerator(request);
    const { rows } = await db.query<{ doc: ConversationDoc }>(
      `select doc from conversations where not deleted and doc->>'reportedAt' is not null
        order by doc->>'reportedAt' desc, id limit 500`,
    );
    const reports = await reportsOf(rows.map((r) => r.doc.id));
    return {
      items: rows.map((r) => ({ conversation: r.doc, reports: reports.get(r.doc.id) ?? [] })),
    };
  });

  registerModerationDecisionRoute(app, deps); // moderation.ts: « classer » / « suspendre-candidat »

  app.get<IdParams>('/api/moderation/conversations/:id', async (request) => {
    const user = await requireModerator(request);
    const id = conversationId(request.params.id);
    const { rows } = await db.query<{ doc: ConversationDoc }>(
      'select doc from conversations where id = $1 and not deleted',
      [id],
    );
    const doc = rows[0]?.doc;
    if (
      !doc ||
      !mayReadConversation(senderOf(user), {
        candidateAccountId: doc.candidateId,
        organisationId: doc.organisationId,
        reported: !!doc.reportedAt,
      }) ||
      !doc.reportedAt
    )
      throw notFound(CONVERSATION_NOT_FOUND);
    const { rows: messages } = await db.query<{ doc: MessageDoc }>(
      `select doc from messages where not deleted and doc->>'conversationId' = $1 order by doc->>'sentAt', id`,
      [id],
    );
    const reports = await reportsOf([id]);
    return { conversation: doc, messages: messages.map((m) => m.doc), reports: reports.get(id) ?? [] };
  });
}
