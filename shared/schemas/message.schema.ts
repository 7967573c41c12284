import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const id = { type: 'string', maxLength: 36 } as const;

/**
 * A message of a conversation (DESIGN §4 `messages`, issue 7): immutable once sent, never in
 * conflict (the master wins: a second push of the same id is the same message, sent once).
 *
 * The client makes the id (exactly once across retries and reconnections) and sets `sentAt` to its
 * own clock; the server replaces `sentAt` with the time it accepted the message (the order of the
 * conversation), and `authorId`, `authorName`, `organisationId`, `candidateId` with what it knows.
 *
 * `conversation` travels on the first message a workstation writes in a conversation it created
 * offline: the two collections replicate independently, so the message may reach the server before
 * its conversation; the server then opens the conversation from it (same rules). The server drops
 * it from the stored message.
 */
export const messageSchemaLiteral = {
  title: 'message',
  description: 'Message d’une conversation',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    conversationId: id,
    organisationId: id,
    candidateId: id,
    authorKind: { type: 'string', enum: ['candidate', 'organisation'] },
    authorId: id,
    authorName: { type: 'string', maxLength: 120 },
    body: { type: 'string', maxLength: 10_000 },
    attachments: {
      type: 'array',
      maxItems: 5,
      items: {
        type: 'object',
        properties: {
          sha256: { type: 'string', maxLength: 64 },
          name: { type: 'string', maxLength: 200 },
          size: { type: 'integer', minimum: 0, maximum: 100_000_000 },
          mime: { type: 'string', maxLength: 100 },
        },
        required: ['sha256', 'name', 'size'],
        additionalProperties: false,
      },
    },
    /** Where it was written: the workstation, the portal, or a reply by e-mail. */
    via: { type: 'string', enum: ['workstation', 'portal', 'email'] },
    /** When the author wrote it (their clock, clamped by the server). */
    createdAt: isoDateTime,
    /** When the server accepted it (the client's clock until then): the conversation's order. */
    sentAt: isoDateTime,
    conversation: {
      type: 'object',
      properties: {
        subject: { type: 'string', maxLength: 150 },
        candidateId: id,
        aboutKind: { type: 'string', enum: ['application', 'offer', 'cv', 'company', 'none'] },
        aboutId: id,
      },
      required: ['subject', 'aboutKind'],
      additionalProperties: false,
    },
  },
  required: [
    'id',
    'conversationId',
    'organisationId',
    'candidateId',
    'authorKind',
    'authorId',
    'authorName',
    'body',
    'attachments',
    'via',
    'createdAt',
    'sentAt',
  ],
  additionalProperties: false,
  indexes: [['conversationId', 'sentAt']],
} as const;

const messageSchemaTyped = toTypedRxJsonSchema(messageSchemaLiteral);
export type MessageDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof messageSchemaTyped>;
export const messageSchema: RxJsonSchema<MessageDoc> = messageSchemaLiteral;
