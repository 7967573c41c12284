import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { ORGANISATION_KINDS } from '../domain/account';
import { VERIFICATION_STATES } from '../domain/organisation';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;

/** A postal address chosen from the communes referential (coordinates for distance searches). */
export const addressSchemaPart = {
  type: 'object',
  properties: {
    street: { type: 'string', maxLength: 200 },
    postalCode: { type: 'string', maxLength: 5 },
    city: { type: 'string', maxLength: 120 },
    communeCode: { type: 'string', maxLength: 5 },
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
  },
  required: ['postalCode', 'city'],
  additionalProperties: false,
} as const;

/**
 * An organisation as its members replicate it (DESIGN §4): identity, verification state and
 * members. Administrators edit the identity fields; members and invitations change through
 * the invitation API, verification through a moderator's decision.
 */
export const organisationSchemaLiteral = {
  title: 'organisation',
  description: 'Organisation (employeur, agence, prescripteur, organisme de formation, plateforme)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    kind: { type: 'string', enum: [...ORGANISATION_KINDS], maxLength: 12 },
    subtype: { type: 'string', maxLength: 40 },
    name: { type: 'string', maxLength: 150 },
    siret: { type: 'string', maxLength: 14 },
    nafCode: { type: 'string', maxLength: 6 },
    sizeBand: { type: 'string', maxLength: 4 },
    sector: { type: 'string', maxLength: 2 },
    phone: { type: 'string', maxLength: 20 },
    email: { type: 'string', maxLength: 254 },
    address: addressSchemaPart,
    parentId: { type: 'string', maxLength: 36 },
    verificationState: { type: 'string', enum: [...VERIFICATION_STATES], maxLength: 24 },
    verificationReason: { type: 'string', maxLength: 1000 },
    verificationDecidedAt: isoDateTime,
    members: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        properties: {
          accountId: { type: 'string', maxLength: 36 },
          firstName: { type: 'string', maxLength: 100 },
          lastName: { type: 'string', maxLength: 100 },
          email: { type: 'string', maxLength: 254 },
          jobTitle: { type: 'string', maxLength: 100 },
          role: { type: 'string', enum: ['admin', 'member'] },
          joinedAt: isoDateTime,
        },
        required: ['accountId', 'firstName', 'lastName', 'email', 'role', 'joinedAt'],
        additionalProperties: false,
      },
    },
    invitations: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          email: { type: 'string', maxLength: 254 },
          invitedBy: { type: 'string', maxLength: 36 },
          invitedAt: isoDateTime,
          expiresAt: isoDateTime,
        },
        required: ['id', 'email', 'invitedBy', 'invitedAt', 'expiresAt'],
        additionalProperties: false,
      },
    },
    createdBy: { type: 'string', maxLength: 36 },
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: ['id', 'kind', 'name', 'verificationState', 'members', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  indexes: ['name'],
} as const;

const organisationSchemaTyped = toTypedRxJsonSchema(organisationSchemaLiteral);
export type OrganisationDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof organisationSchemaTyped>;
export const organisationSchema: RxJsonSchema<OrganisationDoc> = organisationSchemaLiteral;
