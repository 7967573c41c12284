import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import {
  APPLICATION_MODES,
  CONTRACT_TYPES,
  OFFER_HISTORY_ACTIONS,
  OFFER_STATUSES,
  QUALIFICATION_LEVELS,
  SALARY_PERIODS,
  WORKING_TIMES,
} from '../domain/offer';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const isoDate = { type: 'string', maxLength: 10 } as const;

/**
 * A job offer as the workstation replicates it (recruiter guide "Mon offre d'emploi").
 * Version 1 adds the whole lifecycle: company profile, ROME appellation, commune with
 * coordinates, qualification, posts, working time, application mode, co-recruiters,
 * history and the moderator's automatic flags. Every new field is optional, so a version 0
 * document is a valid version 1 document as it is.
 */
export const offerSchemaLiteral = {
  title: 'offer',
  description: 'Offre d’emploi',
  version: 1,
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
    companyId: { type: 'string', maxLength: 36 },
    appellationCode: { type: 'string', maxLength: 10 },
    communeCode: { type: 'string', maxLength: 5 },
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
    qualification: { type: 'string', enum: [...QUALIFICATION_LEVELS] },
    posts: { type: 'integer', minimum: 1, maximum: 999 },
    workingTime: { type: 'string', enum: [...WORKING_TIMES] },
    weeklyHours: { type: 'number', minimum: 1, maximum: 48 },
    applicationMode: { type: 'string', enum: [...APPLICATION_MODES] },
    applicationContact: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 120 },
        email: { type: 'string', maxLength: 254 },
        phone: { type: 'string', maxLength: 20 },
        url: { type: 'string', maxLength: 500 },
      },
      additionalProperties: false,
    },
    coRecruiterIds: {
      type: 'array',
      maxItems: 20,
      uniqueItems: true,
      items: { type: 'string', maxLength: 36 },
    },
    duplicatedFrom: { type: 'string', maxLength: 36 },
    history: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        properties: {
          at: isoDateTime,
          by: { type: 'string', maxLength: 36 },
          byName: { type: 'string', maxLength: 120 },
          action: { type: 'string', enum: [...OFFER_HISTORY_ACTIONS] },
          from: { type: 'string', enum: [...OFFER_STATUSES] },
          to: { type: 'string', enum: [...OFFER_STATUSES] },
          reason: { type: 'string', maxLength: 1000 },
        },
        required: ['at', 'action'],
        additionalProperties: false,
      },
    },
    moderationFlags: {
      type: 'array',
      maxItems: 30,
      items: {
        type: 'object',
        properties: {
          code: { type: 'string', maxLength: 40 },
          message: { type: 'string', maxLength: 500 },
          field: { type: 'string', maxLength: 40 },
        },
        required: ['code', 'message'],
        additionalProperties: false,
      },
    },
    expiryWarnedAt: isoDateTime,
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
