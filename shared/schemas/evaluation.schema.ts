import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const id = { type: 'string', maxLength: 36 } as const;

/**
 * One recruiter's evaluation of an application or a CV (DESIGN §4 `evaluations`): a rating from
 * 1 to 5, notes and tags. Its id derives from the author and the subject
 * (`evaluationIdFor`, `shared/domain/evaluation.ts`), so two people triaging the same applicant
 * never write the same document, and one person's two devices write the same one, merged by rule:
 * notes appended (each note has its own id), the latest rating (`ratedAt`), tags united.
 * The organisation's recruiters read everyone's; only the author writes.
 */
export const evaluationSchemaLiteral = {
  title: 'evaluation',
  description: 'Évaluation d’un candidat par un recruteur',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    organisationId: id,
    authorId: id,
    authorName: { type: 'string', maxLength: 120 },
    subjectKind: { type: 'string', enum: ['application', 'cv'] },
    subjectId: id,
    /** The offer of the application evaluated (lists per offer). */
    offerId: id,
    rating: { type: 'integer', minimum: 1, maximum: 5 },
    ratedAt: isoDateTime,
    notes: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        properties: {
          id,
          at: isoDateTime,
          text: { type: 'string', maxLength: 2000 },
        },
        required: ['id', 'at', 'text'],
        additionalProperties: false,
      },
    },
    tags: { type: 'array', maxItems: 30, items: { type: 'string', maxLength: 40 } },
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: [
    'id',
    'organisationId',
    'authorId',
    'authorName',
    'subjectKind',
    'subjectId',
    'notes',
    'tags',
    'createdAt',
    'updatedAt',
  ],
  additionalProperties: false,
  indexes: ['updatedAt'],
} as const;

const evaluationSchemaTyped = toTypedRxJsonSchema(evaluationSchemaLiteral);
export type EvaluationDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof evaluationSchemaTyped>;
export const evaluationSchema: RxJsonSchema<EvaluationDoc> = evaluationSchemaLiteral;
