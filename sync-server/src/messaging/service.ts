/**
 * Messaging service (issue 7): the one place where conversations are opened and messages appended,
 * whatever the door (workstation push, portal REST, reply by e-mail).
 *
 * - A conversation is written under the lock of its id (the engine's push lock of `conversations`),
 *   so that messages of one conversation get strictly increasing `sentAt` and a message that opens
 *   its conversation and the conversation's own push never both create it.
 * - Every message is checked by `mayWrite` with facts looked up now (`facts.ts`), by the draft
 *   checks (`validateMessageDraft`) and by the sender's rate limit (`MESSAGE_RATE_LIMITS`).
 * - A refused message or conversation writes nothing: the recipient side never sees it.
 * - Locks, always in this order: the author's (`lockAuthor`, so parallel sends count the rate limit
 *   one after the other), the candidate–organisation pair's (`lockPair`, blocks), then conversations.
 * - The candidate's own marks (read, hidden) live in `conversation_candidate_marks`, never in the
 *   replicated document (`withoutCandidateMarks`): members do not learn what the candidate read.
 * - A portal message may carry the draft's id (`id`, UUID): sent again, it is stored once.
 */
import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../../shared/domain/account';
import {
  type MayWriteResult,
  MESSAGE_DRAFT_MESSAGES,
  MESSAGE_LIMITS,
  MESSAGING_REFUSAL_MESSAGES,
  MESSAGING_RULES,
  type MessageAttachment,
  type MessagingBasis,
  mayWrite,
  validateMessageDraft,
} from '../../../shared/domain/messaging';
import type { ApplicationDoc } from '../../../shared/schemas/application.schema';
import { type ConversationDoc, inboxKeyFor } from '../../../shared/schemas/conversation.schema';
import type { CvDoc } from '../../../shared/schemas/cv.schema';
import type { MessageDoc } from '../../../shared/schemas/message.schema';
import type { ErrorCode, FieldError } from '../../../shared/sync/errors';
import { clock } from '../clock';
import type { Database, Queryable } from '../db/database';
import { clampDate } from '../domain/evaluations';
import { mayReadFiles, recordFileRefs } from '../files/routes';
import { badRequest, HttpError, notFound } from '../http-error';
import type { SyncEngine } from '../sync/engine';
import type { CollectionDef, Doc, Refusal } from '../sync/types';
import { isUuid, loadMessagingFacts, loadMessagingFactsMany, senderOf } from './facts';
import { notifyCandidateOfMessage } from './notify';

// ---------------------------------------------------------------------------------------------
// Constants and shapes
// ---------------------------------------------------------------------------------------------

/** Messages a sender may send per hour: a member (for any of their organisations), a candidate. */
/**
 * Messages per sender and hour. A member's workstation sends what was written offline all at once
 * on reconnect (a day at a job fair: follow-ups to every candidate met), so the organisation's side
 * allows a burst a person could type in a busy hour; the candidate's side, a person writing by hand.
 */
export const MESSAGE_RATE_LIMITS = { organisation: 200, candidate: 20, windowMs: 3_600_000 } as const;

export const MESSAGING_REFUSED_CODE: ErrorCode = 'messaging-refused';

export const CONVERSATION_NOT_FOUND = 'Cette conversation n’existe pas ou vous n’y avez pas accès.';
export const NO_ACCOUNT_MESSAGE = 'Ce candidat n’a pas de compte : écrivez-lui par e-mail ou téléphone.';
export const MESSAGE_IMMUTABLE =
  'Un message envoyé ne peut plus être modifié ni supprimé : écrivez un nouveau message.';
export const ANONYMOUS_CANDIDATE = 'Candidat anonyme';

/** A conversation as the candidate reads it (portal). */
export interface CandidateConversation {
  id: string;
  organisationId: string;
  organisationName: string;
  subject: string;
  aboutKind: ConversationDoc['aboutKind'];
  aboutId?: string;
  aboutLabel?: string;
  lastMessageAt: string;
  lastMessagePreview: string;
  lastMessageFrom: 'candidate' | 'organisation';
  messageCount: number;
  unread: boolean;
  blockedByCandidate: boolean;
  blockedByOrganisation: boolean;
  canWrite: boolean;
  cannotWriteReason?: string;
}

export interface CandidateMessage {
  id: string;
  authorKind: 'candidate' | 'organisation';
  authorName: string;
  body: string;
  attachments: { sha256: string; name: string; size: number; mime?: string }[];
  sentAt: string;
  via: MessageDoc['via'];
}

export interface Recipient {
  organisationId: string;
  organisationName: string;
  basis: MessagingBasis;
  basisLabel: string;
  aboutKind?: ConversationDoc['aboutKind'];
  aboutId?: string;
  aboutLabel?: string;
}

type Mark = ConversationDoc['readBy'][number];

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

export function conversationTombstone(id: string): Doc {
  return {
    id,
    organisationId: '',
    candidateId: '',
    candidateName: '',
    aboutKind: 'none',
    subject: '',
    startedBy: 'organisation',
    createdAt: '',
    lastMessageAt: '',
    inboxKey: '',
    messageCount: 0,
    readBy: [],
    hiddenBy: [],
    updatedAt: '',
  };
}

export function messageTombstone(id: string): Doc {
  return {
    id,
    conversationId: '',
    organisationId: '',
    candidateId: '',
    authorKind: 'organisation',
    authorId: '',
    authorName: '',
    body: '',
    attachments: [],
    via: 'workstation',
    createdAt: '',
    sentAt: '',
  };
}

/** Who replicates a conversation or a message: the organisation's members. */
export function messagingKeys(doc: Record<string, unknown>): string[] {
  return typeof doc.organisationId === 'string' && doc.organisationId ? [`org:${doc.organisationId}`] : [];
}

function defs(engine: SyncEngine): { conversations: CollectionDef; messages: CollectionDef } {
  const conversations = engine.collection('conversations');
  const messages = engine.collection('messages');
  if (!conversations || !messages) throw new Error('messaging collections are not registered');
  return { conversations, messages };
}

export async function writeConversation(
  tx: Queryable,
  engine: SyncEngine,
  doc: ConversationDoc,
  deleted = false,
): Promise<void> {
  await engine.write(tx, defs(engine).conversations, withoutCandidateMarks(doc) as unknown as Doc, deleted);
}

/**
 * The document as it replicates to the organisation's members: the candidate's own marks (read,
 * hidden) are theirs alone (`conversation_candidate_marks`, never replicated); `hiddenBy` holds
 * members' marks only.
 */
export function withoutCandidateMarks(doc: ConversationDoc): ConversationDoc {
  const { candidateReadAt: _read, ...rest } = doc;
  return { ...rest, hiddenBy: doc.hiddenBy.filter((m) => m.accountId !== doc.candidateId) };
}

/** The candidate's own marks on a conversation (server only), null when none. */
export interface CandidateMarks {
  readAt: string | null;
  hiddenAt: string | null;
}

export async function candidateMarks(
  q: Queryable,
  accountId: string,
  conversationId: string,
): Promise<CandidateMarks> {
  if (!isUuid(accountId)) return { readAt: null, hiddenAt: null };
  const { rows } = await q.query<{ read_at: string | null; hidden_at: string | null }>(
    'select read_at, hidden_at from conversation_candidate_marks where conversation_id = $1 and account_id = $2::uuid',
    [conversationId, accountId],
  );
  return { readAt: rows[0]?.read_at ?? null, hiddenAt: rows[0]?.hidden_at ?? null };
}

async function setCandidateMark(
  tx: Queryable,
  accountId: string,
  conversationId: string,
  mark: 'read_at' | 'hidden_at',
  at: string,
): Promise<void> {
  await tx.query(
    `insert into conversation_candidate_marks (conversation_id, account_id, ${mark}) values ($1, $2::uuid, $3)
     on conflict (conversation_id, account_id) do update set ${mark} = greatest(conversation_candidate_marks.${mark}, excluded.${mark})`,
    [conversationId, accountId, at],
  );
}

const text = (value: unknown, max: number) => (typeof value === 'string' ? value.trim().slice(0, max) : '');

export function personName(user: Pick<SessionUser, 'firstName' | 'lastName' | 'email'>): string {
  return `${user.firstName} ${user.lastName}`.trim().slice(0, 120) || user.email.slice(0, 120);
}

function preview(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 159)}…` : flat;
}

/** `now`, or just after the conversation's last message (strictly increasing within a conversation). */
function nextSentAt(conversation: ConversationDoc, now: Date): string {
  const last = conversation.messageCount > 0 ? Date.parse(conversation.lastMessageAt) : Number.NaN;
  const t = Number.isFinite(last) && last >= now.getTime() ? last + 1 : now.getTime();
  return new Date(t).toISOString();
}

/** The conversation after one more message: last message, inbox order, count; un-hidden for all. */
export function withMessage(
  conversation: ConversationDoc,
  message: MessageDoc,
  readerId: string | null,
): ConversationDoc {
  const readBy = conversation.readBy.filter((m) => m.accountId !== readerId);
  if (readerId) readBy.push({ accountId: readerId, at: message.sentAt });
  const fromCandidate = message.authorKind === 'candidate';
  return {
    ...conversation,
    lastMessageAt: message.sentAt,
    inboxKey: inboxKeyFor(message.sentAt, conversation.id),
    lastMessagePreview: preview(message.body),
    lastMessageFrom: message.authorKind,
    messageCount: conversation.messageCount + 1,
    readBy: readerId ? readBy : conversation.readBy,
    hiddenBy: [],
    ...(fromCandidate ? { candidateLastAt: message.sentAt } : {}),
    updatedAt: message.sentAt,
  };
}

/**
 * Locks a conversation id (the same advisory lock as the engine's push of `conversations`, then
 * the row) and returns its stored state.
 */
export async function lockConversation(
  tx: Queryable,
  id: string,
): Promise<{ doc: ConversationDoc; deleted: boolean } | null> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended($1 || ':' || $2, 0))`, ['conversations', id]);
  const { rows } = await tx.query<{ doc: ConversationDoc; deleted: boolean }>(
    'select doc, deleted from conversations where id = $1 for update',
    [id],
  );
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Rate limit and attachments
// ---------------------------------------------------------------------------------------------

export type RateCheck = { ok: true } | { ok: false; message: string; retryAfterSeconds: number };

/**
 * Serialises the messages of one author (every door: push, REST, e-mail) until the transaction
 * ends, so that parallel sends cannot all count the same « messages in the last hour ». Lock order
 * everywhere: this author lock, then the pair lock (`lockPair`), then conversation locks.
 */
export async function lockAuthor(tx: Queryable, authorId: string): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(hashtextextended('messaging-rate:' || $1::text, 0))`, [
    authorId,
  ]);
}

/**
 * Serialises every change that locks several conversations of one candidate and organisation
 * (blocks): taken before any of their conversation locks.
 */
export async function lockPair(tx: Queryable, candidateId: string, organisationId: string): Promise<void> {
  await tx.query(
    `select pg_advisory_xact_lock(hashtextextended('messaging-pair:' || $1::text || ':' || $2::text, 0))`,
    [candidateId, organisationId],
  );
}

/** Whether this author may send one more message now (messages accepted in the last hour). */
export async function checkRateLimit(
  q: Queryable,
  authorId: string,
  side: 'organisation' | 'candidate',
  now: Date,
): Promise<RateCheck> {
  const limit = MESSAGE_RATE_LIMITS[side];
  await lockAuthor(q, authorId);
  const since = new Date(now.getTime() - MESSAGE_RATE_LIMITS.windowMs).toISOString();
  const { rows } = await q.query<{ n: number; oldest: string | null }>(
    `select count(*)::int as n, min(doc->>'sentAt') as oldest from messages
      where not deleted and doc->>'authorId' = $1::text and doc->>'sentAt' > $2`,
    [authorId, since],
  );
  const n = Number(rows[0]?.n ?? 0);
  if (n < limit) return { ok: true };
  const oldest = Date.parse(rows[0]?.oldest ?? '');
  const freeAt = Number.isFinite(oldest) ? oldest + MESSAGE_RATE_LIMITS.windowMs : now.getTime() + 60_000;
  const seconds = Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return {
    ok: false,
    retryAfterSeconds: seconds,
    message: `Vous avez envoyé ${limit} messages en moins d’une heure, la limite : attendez ${minutes} minute${minutes > 1 ? 's' : ''} avant d’en envoyer un autre.`,
  };
}

/**
 * The attachments as stored: each file, when the server has it, must be one the sender may read
 * (they uploaded it, or it belongs to a document they see), and takes its size and type from the
 * stored file. A file not uploaded yet is accepted only when `allowPending` (a workstation that
 * sends its files after the message).
 */
async function resolveAttachments(
  tx: Queryable,
  engine: SyncEngine,
  user: SessionUser,
  attachments: MessageAttachment[],
  allowPending: boolean,
): Promise<{ ok: true; value: MessageDoc['attachments'] } | { ok: false; errors: FieldError[] }> {
  if (attachments.length === 0) return { ok: true, value: [] };
  const hashes = attachments.map((a) => a.sha256);
  const { rows } = await tx.query<{ sha256: string; mime: string; size: number }>(
    'select sha256, mime, size from files where sha256 = any($1::text[])',
    [hashes],
  );
  const stored = new Map(rows.map((r) => [r.sha256, r]));
  const readable = await mayReadFiles(tx, engine, user, [...stored.keys()]);
  const errors: FieldError[] = [];
  const value: MessageDoc['attachments'] = [];
  attachments.forEach((a, i) => {
    const file = stored.get(a.sha256);
    if (!file) {
      if (allowPending) value.push({ sha256: a.sha256, name: a.name, size: a.size });
      else
        errors.push({
          field: `attachments.${i}`,
          message: 'Ce fichier n’a pas été reçu par le serveur : joignez-le à nouveau.',
        });
      return;
    }
    if (!readable.has(a.sha256)) {
      errors.push({ field: `attachments.${i}`, message: MESSAGE_DRAFT_MESSAGES.attachmentFile });
      return;
    }
    if (Number(file.size) > MESSAGE_LIMITS.attachmentBytes) {
      errors.push({ field: `attachments.${i}`, message: MESSAGE_DRAFT_MESSAGES.attachmentTooLarge });
      return;
    }
    value.push({ sha256: a.sha256, name: a.name, size: Number(file.size), mime: file.mime.slice(0, 100) });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value };
}

// ---------------------------------------------------------------------------------------------
// Opening a conversation (organisation side)
// ---------------------------------------------------------------------------------------------

export interface OpenConversationInput {
  user: SessionUser;
  id: string;
  organisationId: string;
  aboutKind: ConversationDoc['aboutKind'];
  aboutId?: string | undefined;
  /** The candidate's account (aboutKind offer, company or none: the workstation knows it from a conversation). */
  candidateId?: string | undefined;
  subject: string;
  now: Date;
}

export type Opened = { ok: true; conversation: ConversationDoc } | { ok: false; refusal: Refusal };

const REFUSED_TITLE = 'Message refusé';

function refusal(message: string, field?: string): { ok: false; refusal: Refusal } {
  return {
    ok: false,
    refusal: { title: REFUSED_TITLE, message, ...(field ? { fields: [{ field, message }] } : {}) },
  };
}

/**
 * Opens a conversation for a member writing to a candidate (workstation push of a conversation, or
 * of its first message carrying the `conversation` header): the candidate is resolved from what the
 * conversation is about (an application of the organisation → its applicant's account; a CV → its
 * owner), named as the organisation may see them, then the rules decide. Writes nothing: the caller
 * writes the returned document (or refuses).
 */
export async function openConversation(tx: Queryable, input: OpenConversationInput): Promise<Opened> {
  const { user, organisationId, now } = input;
  const membership = user.memberships.find((m) => m.organisationId === organisationId);
  if (user.kind !== 'recruiter' || !membership)
    return refusal(MESSAGING_REFUSAL_MESSAGES['not-a-member'].organisation, 'organisationId');
  const subject = text(input.subject, 1000);
  const subjectCheck = validateMessageDraft({ subject, body: '-' });
  if (!subjectCheck.ok) {
    const e = subjectCheck.errors[0]!;
    return refusal(e.message, e.field);
  }

  let candidateId = '';
  let candidateName = '';
  let aboutLabel = '';
  const aboutId = input.aboutId && input.aboutKind !== 'none' ? input.aboutId : undefined;
  if (input.aboutKind === 'application') {
    const { rows } = await tx.query<{ doc: ApplicationDoc }>(
      'select doc from applications where id = $1 and not deleted',
      [aboutId ?? ''],
    );
    const app = rows[0]?.doc;
    if (!app || app.organisationId !== organisationId)
      return refusal(
        'Cette candidature n’existe plus ou n’a pas été adressée à votre organisation : le message n’a pas été envoyé.',
        'aboutId',
      );
    if (!isUuid(app.candidateId)) return refusal(NO_ACCOUNT_MESSAGE, 'candidateId');
    candidateId = app.candidateId;
    candidateName = `${app.applicant?.firstName ?? ''} ${app.applicant?.lastName ?? ''}`.trim();
    aboutLabel = app.offer?.title ? String(app.offer.title) : 'Candidature spontanée';
  } else if (input.aboutKind === 'cv') {
    const { rows } = await tx.query<{
      account_id: string;
      doc: CvDoc | null;
      title: string | null;
    }>(
      `select k.account_id::text, c.doc, k.doc->>'title' as title
         from candidate_cvs k left join cvs c on c.id = k.id::text and not c.deleted
        where k.id::text = $1`,
      [aboutId ?? ''],
    );
    const cv = rows[0];
    if (!cv) return refusal(NO_ACCOUNT_MESSAGE, 'candidateId');
    candidateId = cv.account_id;
    const p = cv.doc;
    candidateName =
      p && !p.anonymous && p.firstName && p.lastName ? `${p.firstName} ${p.lastName}` : ANONYMOUS_CANDIDATE;
    aboutLabel = String(p?.title ?? cv.title ?? 'CV');
  } else {
    if (!isUuid(input.candidateId))
      return refusal('Choisissez le candidat à qui écrire (depuis sa candidature ou son CV).', 'candidateId');
    candidateId = input.candidateId;
    if (input.aboutKind === 'offer') {
      const { rows } = await tx.query<{ title: string | null }>(
        `select doc->>'title' as title from offers where id = $1 and not deleted and doc->>'organisationId' = $2::text`,
        [aboutId ?? '', organisationId],
      );
      if (!rows[0]) return refusal('Cette offre n’est pas une offre de votre organisation.', 'aboutId');
      aboutLabel = rows[0].title ?? 'Offre';
    } else if (input.aboutKind === 'company') {
      const { rows } = await tx.query<{ name: string | null }>(
        `select doc->>'name' as name from companies where id = $1 and not deleted and doc->>'organisationId' = $2::text`,
        [aboutId ?? '', organisationId],
      );
      if (!rows[0])
        return refusal('Cette fiche entreprise n’est pas celle de votre organisation.', 'aboutId');
      aboutLabel = rows[0].name ?? 'Entreprise';
    }
    // Named as the organisation already knows them: a former conversation, or an application.
    const { rows } = await tx.query<{ name: string | null }>(
      `(select doc->>'candidateName' as name from conversations
         where not deleted and doc->>'candidateId' = $1::text and doc->>'organisationId' = $2::text limit 1)
       union all
       (select trim(coalesce(doc->'applicant'->>'firstName', '') || ' ' || coalesce(doc->'applicant'->>'lastName', ''))
          from applications where not deleted and doc->>'candidateId' = $1::text and doc->>'organisationId' = $2::text limit 1)
       limit 1`,
      [candidateId, organisationId],
    );
    candidateName = rows[0]?.name ?? '';
  }

  const loaded = await loadMessagingFacts(tx, {
    candidateAccountId: candidateId,
    organisationId,
    direction: 'organisation-to-candidate',
    sender: senderOf(user),
  });
  if (!loaded) return refusal('Cette organisation n’existe pas.', 'organisationId');
  const verdict = mayWrite(loaded.facts);
  if (!verdict.allowed) return refusal(verdict.message, 'candidateId');

  const at = now.toISOString();
  const conversation: ConversationDoc = {
    id: input.id,
    organisationId,
    organisationName: loaded.organisationName.slice(0, 150),
    candidateId,
    candidateName: (candidateName || 'Candidat').slice(0, 120),
    aboutKind: input.aboutKind,
    ...(aboutId ? { aboutId } : {}),
    ...(aboutLabel ? { aboutLabel: aboutLabel.slice(0, 200) } : {}),
    subject: subjectCheck.value.subject,
    startedBy: 'organisation',
    createdAt: at,
    lastMessageAt: at,
    inboxKey: inboxKeyFor(at, input.id),
    messageCount: 0,
    readBy: [],
    hiddenBy: [],
    blockedByCandidate: loaded.facts.blockedByCandidate,
    blockedByOrganisation: loaded.facts.blockedByOrganisation,
    updatedAt: at,
  };
  return { ok: true, conversation };
}

// ---------------------------------------------------------------------------------------------
// Messages written by a member (workstation push)
// ---------------------------------------------------------------------------------------------

/**
 * Decides a message a member pushed (new: messages are immutable). Opens its conversation from the
 * `conversation` header when the conversation is not on the server yet; checks the rules, the
 * draft, the rate limit and the attachments; writes the conversation's new state, records the
 * files, and tells the candidate (`notifyCandidateOfMessage`), all in the push's transaction.
 * Returns the message to store, or why it is refused.
 */
export async function acceptOrganisationMessage(
  tx: Queryable,
  engine: SyncEngine,
  user: SessionUser,
  incoming: MessageDoc,
  now: Date,
): Promise<{ ok: true; message: MessageDoc } | { ok: false; refusal: Refusal }> {
  if (incoming.authorKind !== 'organisation')
    return refusal(
      'Depuis le poste de travail, vous écrivez au nom de votre organisation : le message n’a pas été envoyé.',
      'authorKind',
    );
  if (!user.memberships.some((m) => m.organisationId === incoming.organisationId))
    return refusal(MESSAGING_REFUSAL_MESSAGES['not-a-member'].organisation, 'organisationId');

  await lockAuthor(tx, user.id);
  const stored = await lockConversation(tx, incoming.conversationId);
  let conversation: ConversationDoc;
  if (stored && !stored.deleted) {
    conversation = stored.doc;
    if (conversation.organisationId !== incoming.organisationId)
      return refusal(CONVERSATION_NOT_FOUND, 'conversationId');
    const loaded = await loadMessagingFacts(tx, {
      candidateAccountId: conversation.candidateId,
      organisationId: conversation.organisationId,
      direction: 'organisation-to-candidate',
      sender: senderOf(user),
    });
    const verdict: MayWriteResult = loaded
      ? mayWrite(loaded.facts)
      : { allowed: false, code: 'no-basis', message: CONVERSATION_NOT_FOUND };
    if (!verdict.allowed) return refusal(verdict.message, 'candidateId');
  } else if (stored?.deleted) {
    return refusal('Cette conversation a été supprimée : le message n’a pas été envoyé.', 'conversationId');
  } else {
    const header = incoming.conversation;
    if (!header)
      return refusal(
        'La conversation de ce message n’est pas encore arrivée sur le serveur : le message n’a pas été envoyé.',
        'conversationId',
      );
    const opened = await openConversation(tx, {
      user,
      id: incoming.conversationId,
      organisationId: incoming.organisationId,
      aboutKind: header.aboutKind,
      aboutId: header.aboutId,
      candidateId: header.candidateId || incoming.candidateId,
      subject: header.subject,
      now,
    });
    if (!opened.ok) return opened;
    conversation = opened.conversation;
  }

  const draft = validateMessageDraft({
    subject: conversation.subject,
    body: incoming.body,
    attachments: incoming.attachments.map(({ sha256, name, size }) => ({ sha256, name, size })),
  });
  if (!draft.ok)
    return {
      ok: false,
      refusal: { title: REFUSED_TITLE, message: draft.errors[0]!.message, fields: draft.errors },
    };
  const rate = await checkRateLimit(tx, user.id, 'organisation', now);
  if (!rate.ok) return refusal(rate.message, 'body');
  const files = await resolveAttachments(tx, engine, user, draft.value.attachments, true);
  if (!files.ok)
    return {
      ok: false,
      refusal: { title: REFUSED_TITLE, message: files.errors[0]!.message, fields: files.errors },
    };

  const { conversation: _header, ...rest } = incoming;
  const sentAt = nextSentAt(conversation, now);
  const message: MessageDoc = {
    ...rest,
    conversationId: conversation.id,
    organisationId: conversation.organisationId,
    candidateId: conversation.candidateId,
    authorKind: 'organisation',
    authorId: user.id,
    authorName: personName(user),
    body: draft.value.body,
    attachments: files.value,
    via: 'workstation',
    createdAt: clampDate(incoming.createdAt, now),
    sentAt,
  };
  const updated = withMessage(conversation, message, user.id);
  await writeConversation(tx, engine, updated);
  await recordFileRefs(
    tx,
    'messages',
    message.id,
    message.attachments.map((a) => a.sha256),
  );
  // The candidate's read mark is told to the notification (never written in the document).
  const marks = await candidateMarks(tx, conversation.candidateId, conversation.id);
  await notifyCandidateOfMessage(tx, {
    conversation: marks.readAt ? { ...updated, candidateReadAt: marks.readAt } : updated,
    message,
    base: undefined,
  });
  return { ok: true, message };
}

/** A member's own marks (read, hidden) taken from what they pushed; everyone else's from the master. */
export function mergeOwnMarks(master: Mark[], incoming: Mark[], accountId: string, now: Date): Mark[] {
  const others = master.filter((m) => m.accountId !== accountId);
  const own = incoming.find((m) => m.accountId === accountId);
  return own ? [...others, { accountId, at: clampDate(own.at, now) }] : others;
}

// ---------------------------------------------------------------------------------------------
// The candidate's side (portal, replies by e-mail)
// ---------------------------------------------------------------------------------------------

function refusedError(message: string): HttpError {
  return new HttpError(403, MESSAGING_REFUSED_CODE, message, [{ field: 'organisationId', message }]);
}

function rateError(rate: Extract<RateCheck, { ok: false }>): HttpError {
  return new HttpError(429, 'too-many-requests', rate.message, undefined, {
    'retry-after': String(rate.retryAfterSeconds),
  });
}

function unreadFor(doc: ConversationDoc, readAt: string | null | undefined): boolean {
  const read = readAt === undefined ? doc.candidateReadAt : readAt;
  return doc.lastMessageFrom === 'organisation' && (!read || read < doc.lastMessageAt);
}

/** `readAt`: the candidate's read mark (`candidateMarks`); omitted, a legacy document's own. */
export function toCandidateConversation(
  doc: ConversationDoc,
  verdict: MayWriteResult,
  readAt?: string | null,
): CandidateConversation {
  return {
    id: doc.id,
    organisationId: doc.organisationId,
    organisationName: doc.organisationName ?? '',
    subject: doc.subject,
    aboutKind: doc.aboutKind,
    ...(doc.aboutId ? { aboutId: doc.aboutId } : {}),
    ...(doc.aboutLabel ? { aboutLabel: doc.aboutLabel } : {}),
    lastMessageAt: doc.lastMessageAt,
    lastMessagePreview: doc.lastMessagePreview ?? '',
    lastMessageFrom: doc.lastMessageFrom ?? doc.startedBy,
    messageCount: doc.messageCount,
    unread: unreadFor(doc, readAt),
    blockedByCandidate: doc.blockedByCandidate === true,
    blockedByOrganisation: doc.blockedByOrganisation === true,
    canWrite: verdict.allowed,
    ...(verdict.allowed ? {} : { cannotWriteReason: verdict.message }),
  };
}

export function toCandidateMessage(doc: MessageDoc): CandidateMessage {
  return {
    id: doc.id,
    authorKind: doc.authorKind,
    authorName: doc.authorName,
    body: doc.body,
    attachments: doc.attachments.map((a) => ({
      sha256: a.sha256,
      name: a.name,
      size: a.size,
      ...(a.mime ? { mime: a.mime } : {}),
    })),
    sentAt: doc.sentAt,
    via: doc.via,
  };
}

/** Whether the candidate may write to this organisation now (the rules' verdict). */
export async function candidateVerdict(
  q: Queryable,
  accountId: string,
  organisationId: string,
): Promise<MayWriteResult | null> {
  const loaded = await loadMessagingFacts(q, {
    candidateAccountId: accountId,
    organisationId,
    direction: 'candidate-to-organisation',
    sender: { accountKind: 'candidate', accountId },
  });
  return loaded ? mayWrite(loaded.facts) : null;
}

/** The candidate's conversation (one with at least one message), or null. */
async function candidateConversation(
  q: Queryable,
  accountId: string,
  id: string,
): Promise<ConversationDoc | null> {
  const { rows } = await q.query<{ doc: ConversationDoc }>(
    `select doc from conversations where id = $1 and not deleted and doc->>'candidateId' = $2::text
        and (doc->>'messageCount')::int > 0`,
    [id, accountId],
  );
  return rows[0]?.doc ?? null;
}

export const CONVERSATIONS_PAGE_SIZE = 20;

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * « Mes messages »: the candidate's conversations newest first, 20 a page, hidden ones left out;
 * `q` searches the subject, the organisation's name and the messages' bodies.
 */
export async function listCandidateConversations(
  q: Queryable,
  accountId: string,
  options: { q?: string; page?: number } = {},
): Promise<{ items: CandidateConversation[]; total: number; unread: number }> {
  const search = (options.q ?? '').trim();
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const { rows } = await q.query<{ doc: ConversationDoc; read_at: string | null }>(
    `select c.doc, k.read_at from conversations c
       left join conversation_candidate_marks k on k.conversation_id = c.id and k.account_id = $1::uuid
      where not c.deleted and c.doc->>'candidateId' = $1::text and (c.doc->>'messageCount')::int > 0
        and not (k.hidden_at is not null and k.hidden_at >= c.doc->>'lastMessageAt')
        and ($2 = '' or c.doc->>'subject' ilike $3 or c.doc->>'organisationName' ilike $3
             or exists (select 1 from messages m where not m.deleted and m.doc->>'conversationId' = c.id
                          and m.doc->>'body' ilike $3))
      order by c.doc->>'lastMessageAt' desc, c.id`,
    [accountId, search, likePattern(search)],
  );
  const docs = rows.map((r) => r.doc);
  const readAt = new Map(rows.map((r) => [r.doc.id, r.read_at]));
  const unread = docs.filter((d) => unreadFor(d, readAt.get(d.id) ?? null)).length;
  const slice = docs.slice((page - 1) * CONVERSATIONS_PAGE_SIZE, page * CONVERSATIONS_PAGE_SIZE);
  // The rules' facts of every organisation of the page in one query.
  const facts = await loadMessagingFactsMany(q, {
    candidateAccountId: accountId,
    organisationIds: slice.map((d) => d.organisationId),
    direction: 'candidate-to-organisation',
    sender: { accountKind: 'candidate', accountId },
  });
  const verdicts = new Map<string, MayWriteResult>();
  for (const d of slice) {
    const loaded = facts.get(d.organisationId.toLowerCase());
    verdicts.set(
      d.organisationId,
      loaded
        ? mayWrite(loaded.facts)
        : { allowed: false, code: 'no-basis', message: 'Cette organisation n’existe plus.' },
    );
  }
  return {
    items: slice.map((d) =>
      toCandidateConversation(d, verdicts.get(d.organisationId)!, readAt.get(d.id) ?? null),
    ),
    total: docs.length,
    unread,
  };
}

export async function getCandidateConversation(
  q: Queryable,
  accountId: string,
  id: string,
): Promise<{ conversation: CandidateConversation; messages: CandidateMessage[] }> {
  const doc = await candidateConversation(q, accountId, id);
  if (!doc) throw notFound(CONVERSATION_NOT_FOUND);
  const { rows } = await q.query<{ doc: MessageDoc }>(
    `select doc from messages where not deleted and doc->>'conversationId' = $1::text order by doc->>'sentAt', id`,
    [id],
  );
  const verdict = (await candidateVerdict(q, accountId, doc.organisationId)) ?? {
    allowed: false as const,
    code: 'no-basis' as const,
    message: 'Cette organisation n’existe plus.',
  };
  const marks = await candidateMarks(q, accountId, id);
  return {
    conversation: toCandidateConversation(doc, verdict, marks.readAt),
    messages: rows.map((r) => toCandidateMessage(r.doc)),
  };
}

export async function markCandidateRead(db: Database, _engine: SyncEngine, accountId: string, id: string) {
  await db.transaction(async (tx) => {
    const stored = await lockConversation(tx, id);
    const doc = stored && !stored.deleted ? stored.doc : null;
    if (!doc || doc.candidateId !== accountId || doc.messageCount === 0)
      throw notFound(CONVERSATION_NOT_FOUND);
    // Kept on the server: the organisation's members never see what the candidate read.
    const now = clock.now().toISOString();
    const at = now > doc.lastMessageAt ? now : doc.lastMessageAt;
    await setCandidateMark(tx, accountId, id, 'read_at', at);
    // Messages read on the portal are no longer waiting for the candidate's digest e-mail.
    await tx.query(
      'delete from messaging_mail_pending where account_id = $1::uuid and conversation_id = $2 and sent_at <= $3::timestamptz',
      [accountId, id, at],
    );
  });
}

export async function hideCandidateConversations(
  db: Database,
  _engine: SyncEngine,
  accountId: string,
  ids: string[],
): Promise<number> {
  return db.transaction(async (tx) => {
    let hidden = 0;
    for (const id of [...new Set(ids)].sort()) {
      const doc = await candidateConversation(tx, accountId, id);
      if (!doc) continue;
      // Kept on the server: never replicated to the organisation's members.
      const now = clock.now().toISOString();
      await setCandidateMark(
        tx,
        accountId,
        id,
        'hidden_at',
        now > doc.lastMessageAt ? now : doc.lastMessageAt,
      );
      hidden++;
    }
    return hidden;
  });
}

/** Organisations the candidate may write to now, with the basis (prior exchange, applications, lists…). */
export async function listRecipients(q: Queryable, accountId: string): Promise<Recipient[]> {
  const { rows } = await q.query<{
    organisation_id: string;
    about_kind: string | null;
    about_id: string | null;
    about_label: string | null;
  }>(
    `select distinct on (organisation_id) organisation_id, about_kind, about_id, about_label from (
       select doc->>'organisationId' as organisation_id, null::text as about_kind, null::text as about_id,
              null::text as about_label, 3 as rank, '' as at
         from conversations where not deleted and doc->>'candidateId' = $1::text and (doc->>'messageCount')::int > 0
       union all
       select doc->>'organisationId', 'application', id, coalesce(doc->'offer'->>'title', 'Candidature spontanée'), 1,
              coalesce(doc->>'createdAt', '')
         from applications where not deleted and doc->>'candidateId' = $1::text
       union all
       select l.doc->>'organisationId', null, null, null, 2, ''
         from cv_lists l cross join lateral jsonb_array_elements(l.doc->'entries') e
        where not l.deleted and jsonb_typeof(l.doc->'entries') = 'array'
          and (e->>'addedAt') > coalesce(e->>'removedAt', '')
          and e->>'cvId' in (select k.id::text from candidate_cvs k where k.account_id = $1::uuid)
       union all
       select ms.organisation_id::text, null, null, null, 2, ''
         from applications p join memberships ms on ms.account_id::text = p.doc->'history'->0->>'by'
        where not p.deleted and p.doc->>'candidateId' = $1::text and p.doc->>'source' = 'proposition'
     ) r
     where organisation_id is not null
     order by organisation_id, rank, at desc`,
    [accountId],
  );
  const out: Recipient[] = [];
  const facts = await loadMessagingFactsMany(q, {
    candidateAccountId: accountId,
    organisationIds: rows.map((r) => r.organisation_id),
    direction: 'candidate-to-organisation',
    sender: { accountKind: 'candidate', accountId },
  });
  for (const r of rows) {
    const loaded = facts.get(r.organisation_id.toLowerCase());
    if (!loaded) continue;
    const verdict = mayWrite(loaded.facts);
    if (!verdict.allowed) continue;
    const rule = MESSAGING_RULES.find(
      (x) => x.basis === verdict.basis && x.direction === 'candidate-to-organisation',
    );
    out.push({
      organisationId: r.organisation_id,
      organisationName: loaded.organisationName,
      basis: verdict.basis,
      basisLabel: rule?.label ?? '',
      ...(r.about_kind && r.about_id
        ? {
            aboutKind: r.about_kind as ConversationDoc['aboutKind'],
            aboutId: r.about_id,
            ...(r.about_label ? { aboutLabel: r.about_label } : {}),
          }
        : {}),
    });
  }
  return out.sort((a, b) => a.organisationName.localeCompare(b.organisationName, 'fr'));
}

export interface NewCandidateConversationInput {
  accountId: string;
  organisationId: string;
  subject: unknown;
  body: unknown;
  attachments?: unknown;
  aboutKind?: unknown;
  aboutId?: unknown;
  /** The portal's id of this draft (optional UUID): the first message's id, so a retry stores it once. */
  id?: unknown;
}

const ABOUT_KINDS = ['application', 'offer', 'cv', 'company', 'none'] as const;

/** What a new conversation written by the candidate is about, checked against the organisation. */
async function candidateAbout(
  q: Queryable,
  accountId: string,
  organisationId: string,
  aboutKind: unknown,
  aboutId: unknown,
): Promise<{ aboutKind: ConversationDoc['aboutKind']; aboutId?: string; aboutLabel?: string }> {
  if (aboutKind === undefined || aboutKind === null || aboutKind === 'none') return { aboutKind: 'none' };
  if (typeof aboutKind !== 'string' || !(ABOUT_KINDS as readonly string[]).includes(aboutKind))
    throw badRequest('Sujet de la conversation invalide.', [
      { field: 'aboutKind', message: 'Choisissez : candidature, offre, CV ou entreprise.' },
    ]);
  const bad = (message: string) => badRequest(message, [{ field: 'aboutId', message }]);
  if (!isUuid(aboutId)) throw bad('Identifiant invalide : choisissez-le dans la liste.');
  let label: string | null = null;
  if (aboutKind === 'application') {
    const { rows } = await q.query<{ label: string }>(
      `select coalesce(doc->'offer'->>'title', 'Candidature spontanée') as label from applications
        where id = $1 and not deleted and doc->>'candidateId' = $2::text and doc->>'organisationId' = $3::text`,
      [aboutId, accountId, organisationId],
    );
    label = rows[0]?.label ?? null;
    if (label === null)
      throw bad('Cette candidature n’est pas l’une des vôtres auprès de cette organisation.');
  } else if (aboutKind === 'offer') {
    const { rows } = await q.query<{ label: string }>(
      // A published offer, or one the candidate applied to: never a draft's title.
      `select coalesce(o.doc->>'title', 'Offre') as label from offers o
        where o.id = $1 and not o.deleted and o.doc->>'organisationId' = $2::text
          and (o.doc->>'status' = 'publiee'
               or exists (select 1 from applications p
                           where not p.deleted and p.doc->>'offerId' = o.id and p.doc->>'candidateId' = $3::text))`,
      [aboutId, organisationId, accountId],
    );
    label = rows[0]?.label ?? null;
    if (label === null)
      throw bad(
        'Cette offre n’est pas une offre publiée de cette organisation, ni une offre à laquelle vous avez postulé.',
      );
  } else if (aboutKind === 'company') {
    const { rows } = await q.query<{ label: string }>(
      `select coalesce(doc->>'name', 'Entreprise') as label from companies
        where id = $1 and not deleted and doc->>'organisationId' = $2::text and doc->>'published' = 'true'`,
      [aboutId, organisationId],
    );
    label = rows[0]?.label ?? null;
    if (label === null) throw bad('Cette fiche entreprise n’est pas publiée par cette organisation.');
  } else {
    const { rows } = await q.query<{ label: string }>(
      `select coalesce(doc->>'title', 'CV') as label from candidate_cvs where id::text = $1 and account_id = $2::uuid`,
      [aboutId, accountId],
    );
    label = rows[0]?.label ?? null;
    if (label === null) throw bad('Ce CV n’est pas l’un des vôtres.');
  }
  return { aboutKind: aboutKind as ConversationDoc['aboutKind'], aboutId, aboutLabel: label.slice(0, 200) };
}

async function candidateUser(q: Queryable, accountId: string): Promise<SessionUser> {
  const { rows } = await q.query<{
    email: string;
    first_name: string;
    last_name: string;
    confirmed: boolean;
  }>(
    `select email, first_name, last_name, email_confirmed_at is not null as confirmed from accounts where id = $1::uuid`,
    [accountId],
  );
  const a = rows[0];
  return {
    id: accountId,
    email: a?.email ?? '',
    firstName: a?.first_name ?? '',
    lastName: a?.last_name ?? '',
    kind: 'candidate',
    emailConfirmed: a?.confirmed === true,
    memberships: [],
  };
}

/** A candidate's message, checked and stored in the conversation (one transaction, caller's). */
async function storeCandidateMessage(
  tx: Queryable,
  engine: SyncEngine,
  conversation: ConversationDoc,
  input: {
    accountId: string;
    body: unknown;
    attachments: unknown;
    via: 'portal' | 'email';
    id?: string | undefined;
  },
  now: Date,
): Promise<{ conversation: ConversationDoc; message: MessageDoc }> {
  const draft = validateMessageDraft({
    subject: conversation.subject,
    body: input.body,
    attachments: input.attachments,
  });
  if (!draft.ok) throw badRequest(draft.errors[0]!.message, draft.errors);
  const verdict = await candidateVerdict(tx, input.accountId, conversation.organisationId);
  if (!verdict) throw notFound('Cette organisation n’existe pas.');
  if (!verdict.allowed) throw refusedError(verdict.message);
  const rate = await checkRateLimit(tx, input.accountId, 'candidate', now);
  if (!rate.ok) throw rateError(rate);
  const user = await candidateUser(tx, input.accountId);
  const files = await resolveAttachments(tx, engine, user, draft.value.attachments, false);
  if (!files.ok) throw badRequest(files.errors[0]!.message, files.errors);
  const sentAt = nextSentAt(conversation, now);
  const message: MessageDoc = {
    id: input.id ?? randomUUID(),
    conversationId: conversation.id,
    organisationId: conversation.organisationId,
    candidateId: input.accountId,
    authorKind: 'candidate',
    authorId: input.accountId,
    // As the organisation may see them: a conversation opened from an anonymous CV stays anonymous.
    authorName: conversation.candidateName || personName(user),
    body: draft.value.body,
    attachments: files.value,
    via: input.via,
    createdAt: now.toISOString(),
    sentAt,
  };
  const updated = withMessage(conversation, message, null);
  await writeConversation(tx, engine, updated);
  await engine.write(tx, defs(engine).messages, message as unknown as Doc, false);
  await setCandidateMark(tx, input.accountId, conversation.id, 'read_at', message.sentAt);
  await recordFileRefs(
    tx,
    'messages',
    message.id,
    message.attachments.map((a) => a.sha256),
  );
  return { conversation: updated, message };
}

export const MESSAGE_ID_TAKEN =
  'Cet identifiant de message est déjà utilisé par un autre message : rechargez la page et envoyez à nouveau.';

/** A client's message id (optional): a UUID, or a 400 naming the field `id`. */
export function clientMessageId(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isUuid(value)) {
    const message = 'Identifiant de brouillon invalide : un UUID.';
    throw badRequest(message, [{ field: 'id', message }]);
  }
  return value.toLowerCase();
}

/**
 * The message already stored under a client's id (a send retried after a lost answer), when it is
 * the same author's with the same body (and conversation); another message under that id is a 409.
 * Called under the author's lock, so two parallel sends of one draft store it once.
 */
async function storedReplay(
  tx: Queryable,
  input: { accountId: string; id?: string | undefined; body: unknown; conversationId?: string },
): Promise<MessageDoc | null> {
  if (!input.id) return null;
  const { rows } = await tx.query<{ doc: MessageDoc; deleted: boolean }>(
    'select doc, deleted from messages where id = $1',
    [input.id],
  );
  const stored = rows[0];
  if (!stored) return null;
  const body = typeof input.body === 'string' ? input.body.replace(/\r\n?/g, '\n').trim() : '';
  if (
    !stored.deleted &&
    stored.doc.authorKind === 'candidate' &&
    stored.doc.authorId === input.accountId &&
    stored.doc.body === body &&
    (input.conversationId === undefined || stored.doc.conversationId === input.conversationId)
  )
    return stored.doc;
  throw new HttpError(409, 'conflict', MESSAGE_ID_TAKEN, [{ field: 'id', message: MESSAGE_ID_TAKEN }]);
}

/**
 * A candidate's message appended once per client id (`id`, optional): `replayed` when the same
 * message was already stored (the portal retried), else as `appendCandidateMessage`.
 */
export async function appendCandidateMessageOnce(
  db: Database,
  engine: SyncEngine,
  input: {
    accountId: string;
    conversationId: string;
    body: string;
    attachments: MessageAttachment[];
    via: 'portal' | 'email';
    id?: string | undefined;
  },
): Promise<{ message: MessageDoc; replayed: boolean }> {
  return db.transaction(async (tx) => {
    await lockAuthor(tx, input.accountId);
    const stored = await lockConversation(tx, input.conversationId);
    const doc = stored && !stored.deleted ? stored.doc : null;
    if (!doc || doc.candidateId !== input.accountId || doc.messageCount === 0)
      throw notFound(CONVERSATION_NOT_FOUND);
    const replay = await storedReplay(tx, input);
    if (replay) return { message: replay, replayed: true };
    const { message } = await storeCandidateMessage(tx, engine, doc, input, clock.now());
    return { message, replayed: false };
  });
}

/**
 * Appends a candidate's message to one of their conversations (portal or reply by e-mail), in one
 * transaction, after the rules (`mayWrite`, blocks, rate limit). Throws an `HttpError` (403
 * `messaging-refused` with the French reason, 404 unknown conversation, 429 rate limit, 400 a bad
 * body or attachment) when refused.
 */
export async function appendCandidateMessage(
  db: Database,
  engine: SyncEngine,
  input: {
    accountId: string;
    conversationId: string;
    body: string;
    attachments: MessageAttachment[];
    via: 'portal' | 'email';
  },
): Promise<MessageDoc> {
  return (await appendCandidateMessageOnce(db, engine, input)).message;
}

/** A conversation the candidate starts (« Nouveau message »), with its first message. */
export async function startCandidateConversation(
  db: Database,
  engine: SyncEngine,
  input: NewCandidateConversationInput,
): Promise<{ conversation: CandidateConversation; message: CandidateMessage; replayed?: true }> {
  const clientId = clientMessageId(input.id);
  if (!isUuid(input.organisationId)) {
    const message = 'Choisissez l’organisation à qui écrire.';
    throw badRequest(message, [{ field: 'organisationId', message }]);
  }
  const draft = validateMessageDraft({
    subject: input.subject,
    body: input.body,
    attachments: input.attachments,
  });
  if (!draft.ok) throw badRequest(draft.errors[0]!.message, draft.errors);
  return db.transaction(async (tx) => {
    await lockAuthor(tx, input.accountId);
    const replay = await storedReplay(tx, { accountId: input.accountId, id: clientId, body: input.body });
    if (replay) {
      const { rows } = await tx.query<{ doc: ConversationDoc }>(
        'select doc from conversations where id = $1',
        [replay.conversationId],
      );
      const doc = rows[0]?.doc;
      if (doc && doc.organisationId === input.organisationId) {
        const verdict = (await candidateVerdict(tx, input.accountId, doc.organisationId)) ?? {
          allowed: false as const,
          code: 'no-basis' as const,
          message: 'Cette organisation n’existe plus.',
        };
        const marks = await candidateMarks(tx, input.accountId, doc.id);
        return {
          conversation: toCandidateConversation(doc, verdict, marks.readAt),
          message: toCandidateMessage(replay),
          replayed: true as const,
        };
      }
      throw new HttpError(409, 'conflict', MESSAGE_ID_TAKEN, [{ field: 'id', message: MESSAGE_ID_TAKEN }]);
    }
    const verdict = await candidateVerdict(tx, input.accountId, input.organisationId);
    if (!verdict) throw notFound('Cette organisation n’existe pas.');
    if (!verdict.allowed) throw refusedError(verdict.message);
    const about = await candidateAbout(
      tx,
      input.accountId,
      input.organisationId,
      input.aboutKind,
      input.aboutId,
    );
    const { rows } = await tx.query<{ name: string; first_name: string; last_name: string }>(
      `select o.name, a.first_name, a.last_name from organisations o, accounts a where o.id = $1::uuid and a.id = $2::uuid`,
      [input.organisationId, input.accountId],
    );
    const names = rows[0]!;
    const now = clock.now();
    const at = now.toISOString();
    const id = randomUUID();
    await lockConversation(tx, id);
    const blocks = await tx.query<{ blocked_by: string }>(
      'select blocked_by from messaging_blocks where candidate_account_id = $1::uuid and organisation_id = $2::uuid',
      [input.accountId, input.organisationId],
    );
    const conversation: ConversationDoc = {
      id,
      organisationId: input.organisationId,
      organisationName: names.name.slice(0, 150),
      candidateId: input.accountId,
      candidateName: `${names.first_name} ${names.last_name}`.trim().slice(0, 120) || 'Candidat',
      ...about,
      subject: draft.value.subject,
      startedBy: 'candidate',
      createdAt: at,
      lastMessageAt: at,
      inboxKey: inboxKeyFor(at, id),
      messageCount: 0,
      readBy: [],
      hiddenBy: [],
      blockedByCandidate: blocks.rows.some((b) => b.blocked_by === 'candidate'),
      blockedByOrganisation: blocks.rows.some((b) => b.blocked_by === 'organisation'),
      updatedAt: at,
    };
    const stored = await storeCandidateMessage(
      tx,
      engine,
      conversation,
      {
        accountId: input.accountId,
        body: input.body,
        attachments: input.attachments,
        via: 'portal',
        id: clientId,
      },
      now,
    );
    return {
      conversation: toCandidateConversation(stored.conversation, verdict),
      message: toCandidateMessage(stored.message),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Blocks and reports (both sides)
// ---------------------------------------------------------------------------------------------

/** Sets the block flags of every conversation between the candidate and the organisation. */
async function refreshBlockFlags(
  tx: Queryable,
  engine: SyncEngine,
  candidateId: string,
  organisationId: string,
) {
  await lockPair(tx, candidateId, organisationId);
  const { rows: blocks } = await tx.query<{ blocked_by: string }>(
    'select blocked_by from messaging_blocks where candidate_account_id = $1::uuid and organisation_id = $2::uuid',
    [candidateId, organisationId],
  );
  const byCandidate = blocks.some((b) => b.blocked_by === 'candidate');
  const byOrganisation = blocks.some((b) => b.blocked_by === 'organisation');
  const { rows } = await tx.query<{ id: string }>(
    `select id from conversations where not deleted and doc->>'candidateId' = $1::text and doc->>'organisationId' = $2::text order by id`,
    [candidateId, organisationId],
  );
  for (const { id } of rows) {
    const stored = await lockConversation(tx, id);
    if (!stored || stored.deleted) continue;
    const doc = stored.doc;
    if (
      (doc.blockedByCandidate === true) === byCandidate &&
      (doc.blockedByOrganisation === true) === byOrganisation
    )
      continue;
    await writeConversation(tx, engine, {
      ...doc,
      blockedByCandidate: byCandidate,
      blockedByOrganisation: byOrganisation,
      updatedAt: clock.now().toISOString(),
    });
  }
}

/**
 * Blocks (or unblocks) for one side of a conversation: the candidate blocks its organisation, or a
 * member blocks its candidate for the whole organisation. Returns the conversation as stored after.
 */
export async function setBlock(
  db: Database,
  engine: SyncEngine,
  input: { conversationId: string; side: 'candidate' | 'organisation'; user: SessionUser; blocked: boolean },
): Promise<ConversationDoc> {
  return db.transaction(async (tx) => {
    // The pair's lock before any conversation lock: two blocks from two conversations of one
    // pair (candidate from one, member from another) would otherwise lock them crosswise.
    const { rows: pair } = await tx.query<{ candidate_id: string; organisation_id: string }>(
      `select doc->>'candidateId' as candidate_id, doc->>'organisationId' as organisation_id
         from conversations where id = $1 and not deleted`,
      [input.conversationId],
    );
    if (pair[0]) await lockPair(tx, pair[0].candidate_id, pair[0].organisation_id);
    const doc = await conversationFor(tx, input.conversationId, input.user, input.side);
    if (input.blocked)
      await tx.query(
        `insert into messaging_blocks (candidate_account_id, organisation_id, blocked_by, blocked_by_account, at)
         values ($1::uuid, $2::uuid, $3, $4::uuid, $5) on conflict do nothing`,
        [doc.candidateId, doc.organisationId, input.side, input.user.id, clock.now()],
      );
    else
      await tx.query(
        `delete from messaging_blocks where candidate_account_id = $1::uuid and organisation_id = $2::uuid and blocked_by = $3`,
        [doc.candidateId, doc.organisationId, input.side],
      );
    await tx.query(
      `insert into audit_log (actor_id, action, collection, document_id, detail) values ($1, $2, 'conversations', $3, $4)`,
      [
        input.user.id,
        input.blocked ? 'messaging-block' : 'messaging-unblock',
        doc.id,
        JSON.stringify({ side: input.side }),
      ],
    );
    await refreshBlockFlags(tx, engine, doc.candidateId, doc.organisationId);
    const after = await lockConversation(tx, doc.id);
    return after!.doc;
  });
}

export const REPORT_REASON_MAX = 1000;

export function checkReportReason(value: unknown): string {
  const reason = typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';
  if (!reason) {
    const message = 'Indiquez pourquoi vous signalez cette conversation.';
    throw badRequest(message, [{ field: 'reason', message }]);
  }
  if ([...reason].length > REPORT_REASON_MAX) {
    const message = `La raison du signalement ne doit pas dépasser ${REPORT_REASON_MAX} caractères.`;
    throw badRequest(message, [{ field: 'reason', message }]);
  }
  return reason;
}

/** « Signaler »: sends the conversation to the moderators (who then may read it). */
export async function reportConversation(
  db: Database,
  engine: SyncEngine,
  input: { conversationId: string; side: 'candidate' | 'organisation'; user: SessionUser; reason: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const doc = await conversationFor(tx, input.conversationId, input.user, input.side);
    const now = clock.now();
    // One open report per conversation and reporter (under the conversation's lock): reporting
    // again updates the reason and the date, it never piles up rows for the moderators.
    const updated = await tx.query(
      `update conversation_reports set reason = $3, at = $4
        where conversation_id = $1 and reporter_id = $2::uuid and resolved_at is null returning id`,
      [doc.id, input.user.id, input.reason, now],
    );
    if (updated.rows.length === 0)
      await tx.query(
        `insert into conversation_reports (id, conversation_id, reporter_id, reporter_kind, reason, at)
         values ($1, $2, $3::uuid, $4, $5, $6)`,
        [randomUUID(), doc.id, input.user.id, input.side, input.reason, now],
      );
    if (!doc.reportedAt)
      await writeConversation(tx, engine, {
        ...doc,
        reportedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
  });
}

/** The conversation, locked, when the user is its candidate (side candidate) or a member of its organisation. */
async function conversationFor(
  tx: Queryable,
  id: string,
  user: SessionUser,
  side: 'candidate' | 'organisation',
): Promise<ConversationDoc> {
  const stored = await lockConversation(tx, id);
  const doc = stored && !stored.deleted ? stored.doc : null;
  const allowed =
    !!doc &&
    (side === 'candidate'
      ? user.kind === 'candidate' && doc.candidateId === user.id && doc.messageCount > 0
      : user.memberships.some((m) => m.organisationId === doc.organisationId));
  if (!doc || !allowed) throw notFound(CONVERSATION_NOT_FOUND);
  return doc;
}
