import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

export const NOTICE_KINDS = ['refus', 'conflit', 'moderation', 'information'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What the server tells one user: refused changes and why, moderation decisions, information. */
export const noticeSchemaLiteral = {
  title: 'notice',
  description: 'Avis adressé à un utilisateur',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    userId: { type: 'string', maxLength: 36 },
    kind: { type: 'string', enum: [...NOTICE_KINDS] },
    documentCollection: { type: 'string', maxLength: 40 },
    documentId: { type: 'string', maxLength: 36 },
    title: { type: 'string', maxLength: 200 },
    message: { type: 'string', maxLength: 2000 },
    fields: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        properties: {
          field: { type: 'string', maxLength: 60 },
          message: { type: 'string', maxLength: 500 },
        },
        required: ['field', 'message'],
        additionalProperties: false,
      },
    },
    createdAt: { type: 'string', maxLength: 40 },
    readAt: { type: 'string', maxLength: 40 },
  },
  required: ['id', 'userId', 'kind', 'title', 'message', 'createdAt'],
  additionalProperties: false,
  indexes: ['createdAt'],
} as const;

const noticeSchemaTyped = toTypedRxJsonSchema(noticeSchemaLiteral);
export type NoticeDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof noticeSchemaTyped>;
export const noticeSchema: RxJsonSchema<NoticeDoc> = noticeSchemaLiteral;
