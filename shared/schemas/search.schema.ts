import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;

/**
 * A search of the search history (DESIGN §4 `searches`; seed 001 « Historique de recherche »):
 * its criteria, when it last ran and what it found, and the favourite flag that turns its alerts
 * on (seed 001: « Vous recevrez une alerte email si des nouveaux CVs sont détectés pour vos
 * recherches favorites »). The id derives from the owner and the canonical criteria
 * (`shared/domain/searches.ts`), so the same search run on two devices is one document.
 * Conflicts: latest wins per field (`mergeSearches`).
 */
export const searchSchemaLiteral = {
  title: 'search',
  description: 'Recherche enregistrée dans l’historique',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    ownerId: { type: 'string', maxLength: 36 },
    /** The organisation the search was made for (pre-filled criteria, proposals). */
    organisationId: { type: 'string', maxLength: 36 },
    kind: { type: 'string', enum: ['cv'] },
    /** `CvSearchCriteria`, canonical (`canonicalCvCriteria`). */
    criteria: { type: 'object' },
    /** A French summary of the criteria (« serveur, Narbonne 20 km, RQTH »). */
    label: { type: 'string', maxLength: 300 },
    lastRunAt: isoDateTime,
    runCount: { type: 'integer', minimum: 0, maximum: 1000000000 },
    resultCount: { type: 'integer', minimum: 0, maximum: 100000000 },
    /** Where the last run was answered: the replica or the server. */
    resultSource: { type: 'string', enum: ['local', 'serveur'] },
    favourite: { type: 'boolean' },
    favouriteAt: isoDateTime,
    /** Set by the server when it last sent this favourite's alert, and how many new CVs. */
    lastAlertAt: isoDateTime,
    lastAlertCount: { type: 'integer', minimum: 0, maximum: 100000000 },
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: [
    'id',
    'ownerId',
    'organisationId',
    'kind',
    'criteria',
    'label',
    'lastRunAt',
    'runCount',
    'resultCount',
    'favourite',
    'createdAt',
    'updatedAt',
  ],
  additionalProperties: false,
  indexes: ['lastRunAt'],
} as const;

const searchSchemaTyped = toTypedRxJsonSchema(searchSchemaLiteral);
export type SearchDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof searchSchemaTyped>;
export const searchSchema: RxJsonSchema<SearchDoc> = searchSchemaLiteral;
