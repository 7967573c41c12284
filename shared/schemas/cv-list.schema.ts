import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;

/**
 * A saved CV list (DESIGN §4 `cvLists`; seed 001 « CV sauvegardés », seed 000 « Mes CVs »): a
 * named list of CVthèque CVs, its owner's, or the organisation's when shared.
 *
 * Members are kept as an add/remove set so that offline edits on two devices merge (additions and
 * removals both kept, `shared/domain/cv-lists.ts`): an entry is in the list while `addedAt` is
 * later than `removedAt`. Removed entries stay as such (without personal data: a CV id and dates).
 */
export const cvListSchemaLiteral = {
  title: 'cvList',
  description: 'Liste de CV sauvegardés',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    organisationId: { type: 'string', maxLength: 36 },
    ownerId: { type: 'string', maxLength: 36 },
    name: { type: 'string', maxLength: 100 },
    /** Shared with the organisation: every member sees and edits it. */
    shared: { type: 'boolean' },
    entries: {
      type: 'array',
      maxItems: 2000,
      items: {
        type: 'object',
        properties: {
          cvId: { type: 'string', maxLength: 36 },
          addedAt: isoDateTime,
          addedBy: { type: 'string', maxLength: 36 },
          removedAt: isoDateTime,
        },
        required: ['cvId', 'addedAt', 'addedBy'],
        additionalProperties: false,
      },
    },
    /** When the name or sharing last changed (latest wins). */
    renamedAt: isoDateTime,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: [
    'id',
    'organisationId',
    'ownerId',
    'name',
    'shared',
    'entries',
    'renamedAt',
    'createdAt',
    'updatedAt',
  ],
  additionalProperties: false,
  indexes: ['updatedAt'],
} as const;

const cvListSchemaTyped = toTypedRxJsonSchema(cvListSchemaLiteral);
export type CvListDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof cvListSchemaTyped>;
export const cvListSchema: RxJsonSchema<CvListDoc> = cvListSchemaLiteral;
