import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const id = { type: 'string', maxLength: 36 } as const;
const mark = {
  type: 'array',
  maxItems: 500,
  items: {
    type: 'object',
    properties: { accountId: id, at: isoDateTime },
    required: ['accountId', 'at'],
    additionalProperties: false,
  },
} as const;

/**
 * A conversation (DESIGN §4 `conversations`, issue 7; seed 000 « Mes messages »): between ONE
 * candidate (an account) and ONE organisation, whose members write for it so that colleagues can
 * follow up; optionally about an application, an offer, a CV or the company profile.
 *
 * Replicated to the organisation's members (`org:<organisationId>`); the candidate reads it through
 * the portal's REST API. The workstation creates one (id made by the client) when a member writes
 * first; the server checks the messaging rules (`shared/domain/messaging.ts`).
 *
 * Fields the server owns (always taken from the master): `organisationName`, `candidateId`,
 * `candidateName`, `aboutLabel`, `startedBy`, `lastMessage*`, `inboxKey`, `messageCount`,
 * `candidateLastAt`, `candidateReadAt`, `blockedByCandidate`, `blockedByOrganisation`, `reportedAt`.
 * A member writes only their own entry of `readBy` (read up to `at`) and `hiddenBy` (the
 * conversation is hidden for them until a message newer than `at` arrives); the conflict handler
 * merges these per account (latest `at` wins).
 */
export const conversationSchemaLiteral = {
  title: 'conversation',
  description: 'Conversation entre un candidat et une organisation',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    organisationId: id,
    organisationName: { type: 'string', maxLength: 150 },
    /** The candidate's account id ('' from a workstation writing from a CV: the server fills it). */
    candidateId: id,
    /** The candidate as the organisation may see them (an anonymous CV stays anonymous). */
    candidateName: { type: 'string', maxLength: 120 },
    aboutKind: { type: 'string', enum: ['application', 'offer', 'cv', 'company', 'none'] },
    aboutId: id,
    aboutLabel: { type: 'string', maxLength: 200 },
    subject: { type: 'string', maxLength: 150 },
    startedBy: { type: 'string', enum: ['candidate', 'organisation'] },
    createdAt: isoDateTime,
    lastMessageAt: isoDateTime,
    /** Newest first as an ascending key (`inboxKeyFor`): Dexie never sorts descending on an index. */
    inboxKey: { type: 'string', maxLength: 60 },
    lastMessagePreview: { type: 'string', maxLength: 160 },
    lastMessageFrom: { type: 'string', enum: ['candidate', 'organisation'] },
    messageCount: { type: 'integer', minimum: 0, maximum: 1_000_000 },
    /** When the candidate last wrote (unread for a member when later than their `readBy`). */
    candidateLastAt: isoDateTime,
    candidateReadAt: isoDateTime,
    readBy: mark,
    hiddenBy: mark,
    blockedByCandidate: { type: 'boolean' },
    blockedByOrganisation: { type: 'boolean' },
    reportedAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: [
    'id',
    'organisationId',
    'candidateId',
    'candidateName',
    'aboutKind',
    'subject',
    'startedBy',
    'createdAt',
    'lastMessageAt',
    'inboxKey',
    'messageCount',
    'readBy',
    'hiddenBy',
    'updatedAt',
  ],
  additionalProperties: false,
  indexes: ['updatedAt', ['organisationId', 'inboxKey']],
} as const;

const conversationSchemaTyped = toTypedRxJsonSchema(conversationSchemaLiteral);
export type ConversationDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof conversationSchemaTyped>;
export const conversationSchema: RxJsonSchema<ConversationDoc> = conversationSchemaLiteral;

/** Far enough in the future that every inverted time keeps 15 digits. */
const INBOX_EPOCH = 999_999_999_999_999;

/**
 * The ascending key of a conversation in an inbox, newest first: the inverted time of its last
 * message (15 digits), then its id (ties). Server and clients compute it the same way.
 */
export function inboxKeyFor(lastMessageAt: string, conversationId: string): string {
  const t = Date.parse(lastMessageAt);
  const inverted = INBOX_EPOCH - (Number.isFinite(t) ? Math.max(0, t) : 0);
  return `${String(inverted).padStart(15, '0')}:${conversationId}`;
}
