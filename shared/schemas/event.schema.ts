import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const id = { type: 'string', maxLength: 36 } as const;
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

/**
 * A job fair (salon) or a recruitment session (DESIGN §4 `events`; seed 001 « Comment fonctionne
 * une session de recrutement ? », seed 002 « événements »). A session starts as a recruiter's
 * request to a partner prescriber (`status` « demandee »), which the advisor schedules.
 * The organisers (the owning organisation and the partner) read and edit it; public ones are
 * listed in the portal's agenda, where candidates register.
 */
export const eventSchemaLiteral = {
  title: 'event',
  description: 'Salon ou session de recrutement',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    organisationId: id,
    kind: { type: 'string', enum: ['salon', 'session'] },
    status: { type: 'string', enum: ['demandee', 'planifiee', 'annulee', 'terminee'] },
    name: text(150),
    description: text(3000),
    /** The day (YYYY-MM-DD, Paris) and times (HH:MM). */
    date: text(10),
    startTime: text(5),
    endTime: text(5),
    place: {
      type: 'object',
      properties: {
        label: text(200),
        address: text(250),
        postalCode: text(5),
        city: text(120),
        inseeCode: text(5),
        lat: { type: 'number', minimum: -90, maximum: 90 },
        lon: { type: 'number', minimum: -180, maximum: 180 },
      },
      additionalProperties: false,
    },
    offerIds: { type: 'array', maxItems: 50, items: id },
    colleagueIds: { type: 'array', maxItems: 50, items: id },
    /** Listed in the portal's agenda, where candidates register in advance. */
    public: { type: 'boolean' },
    /** A recruitment session: the prescriber asked to organise it, and the request. */
    partnerOrganisationId: id,
    request: {
      type: 'object',
      properties: {
        offerId: id,
        byId: id,
        byName: text(120),
        message: text(2000),
        at: isoDateTime,
      },
      additionalProperties: false,
    },
    /**
     * The partner's answer to a session request (issue 6, H-E, additive): who scheduled or
     * declined it, when, and the message to the requester (the reason of a refusal).
     */
    response: {
      type: 'object',
      properties: {
        decision: { type: 'string', enum: ['planifiee', 'annulee'] },
        byId: id,
        byName: text(120),
        message: text(2000),
        at: isoDateTime,
      },
      additionalProperties: false,
    },
    /** Server-owned: candidates registered from the portal. */
    registrationCount: { type: 'integer', minimum: 0, maximum: 100000 },
    createdBy: id,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: [
    'id',
    'organisationId',
    'kind',
    'status',
    'name',
    'date',
    'offerIds',
    'colleagueIds',
    'public',
    'createdBy',
    'createdAt',
    'updatedAt',
  ],
  additionalProperties: false,
  indexes: ['updatedAt'],
} as const;

const eventSchemaTyped = toTypedRxJsonSchema(eventSchemaLiteral);
export type EventDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof eventSchemaTyped>;
export const eventSchema: RxJsonSchema<EventDoc> = eventSchemaLiteral;
