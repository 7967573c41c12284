import { type ExtractDocumentTypeFromTypedRxJsonSchema, type RxJsonSchema, toTypedRxJsonSchema } from 'rxdb';
import { CONTRACT_TYPES, OFFER_STATUSES, SALARY_PERIODS } from '../domain/offer';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const isoDate = { type: 'string', maxLength: 10 } as const;

/** A job offer as the workstation replicates it (recruiter guide "Mon offre d'emploi"). */
export const offerSchemaLiteral = {
  title: 'offer',
  description: 'Offre d’emploi',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    organisationId: { type: 'string', maxLength: 36 },
    number: { type: 'string', maxLength: 20 },
    title: { type: 'string', maxLength: 150 },
    jobTitle: { type: 'string', maxLength: 150 },
    romeCode: { type: 'string', maxLength: 5 },
    city: { type: 'string', maxLength: 120 },
    postalCode: { type: 'string', maxLength: 5 },
    companyName: { type: 'string', maxLength: 150 },
    salaryMin: { type: 'number', minimum: 0, maximum: 10000000 },
    salaryMax: { type: 'number', minimum: 0, maximum: 10000000 },
    salaryPeriod: { type: 'string', enum: [...SALARY_PERIODS] },
    contactName: { type: 'string', maxLength: 120 },
    contactPhone: { type: 'string', maxLength: 20 },
    contactEmail: { type: 'string', maxLength: 254 },
    startDate: isoDate,
    seasonal: { type: 'boolean' },
    contractTypes: {
      type: 'array',
      maxItems: CONTRACT_TYPES.length,
      uniqueItems: true,
      items: { type: 'string', enum: [...CONTRACT_TYPES] },
    },
    description: { type: 'string', maxLength: 20000 },
    requestedEndDate: isoDate,
    status: { type: 'string', enum: [...OFFER_STATUSES], maxLength: 12 },
    previousStatus: { type: 'string', enum: [...OFFER_STATUSES] },
    moderationReason: { type: 'string', maxLength: 1000 },
    authorId: { type: 'string', maxLength: 36 },
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    submittedAt: isoDateTime,
    publishedAt: isoDateTime,
    expiresAt: isoDateTime,
  },
  required: [
    'id',
    'organisationId',
    'title',
    'jobTitle',
    'city',
    'companyName',
    'contactPhone',
    'seasonal',
    'contractTypes',
    'description',
    'status',
    'createdAt',
    'updatedAt',
  ],
  additionalProperties: false,
  indexes: ['updatedAt', ['status', 'updatedAt']],
} as const;

const offerSchemaTyped = toTypedRxJsonSchema(offerSchemaLiteral);
export type OfferDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof offerSchemaTyped>;
export const offerSchema: RxJsonSchema<OfferDoc> = offerSchemaLiteral;

/**
 * An offer with every required field at its neutral value: the start of a new draft, and
 * (with empty ids and dates) the tombstone that carries no content.
 */
export function blankOffer(
  id: string,
  organisationId: string,
  status: OfferDoc['status'],
  at: string,
): OfferDoc {
  return {
    id,
    organisationId,
    title: '',
    jobTitle: '',
    city: '',
    companyName: '',
    contactPhone: '',
    seasonal: false,
    contractTypes: [],
    description: '',
    status,
    createdAt: at,
    updatedAt: at,
  };
}
