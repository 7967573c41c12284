import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { addressSchemaPart } from './organisation.schema';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const url = { type: 'string', maxLength: 500 } as const;
/** A file referred to by the SHA-256 of its content (DESIGN §4, files). */
const fileRef = { type: 'string', maxLength: 64 } as const;

/**
 * A company profile ("Ma fiche entreprise", recruiter guide) owned by an organisation: an
 * employer has its own, an agency one per client company. It also carries the organisation's
 * "fiches de poste": the jobs it recruits for all year.
 */
export const companySchemaLiteral = {
  title: 'company',
  description: 'Fiche entreprise',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    organisationId: { type: 'string', maxLength: 36 },
    name: { type: 'string', maxLength: 150 },
    siret: { type: 'string', maxLength: 14 },
    logo: fileRef,
    banner: fileRef,
    phone: { type: 'string', maxLength: 20 },
    email: { type: 'string', maxLength: 254 },
    sector: { type: 'string', maxLength: 2 },
    companyType: { type: 'string', maxLength: 20 },
    employeeCount: { type: 'integer', minimum: 0, maximum: 10000000 },
    foundedOn: { type: 'string', maxLength: 10 },
    address: addressSchemaPart,
    /** Sanitised HTML (the server keeps only an allowlist of tags and attributes). */
    description: { type: 'string', maxLength: 50000 },
    links: {
      type: 'object',
      properties: {
        website: url,
        twitter: url,
        facebook: url,
        instagram: url,
        linkedin: url,
        youtube: url,
      },
      additionalProperties: false,
    },
    groupId: { type: 'string', maxLength: 36 },
    published: { type: 'boolean' },
    jobs: {
      type: 'array',
      maxItems: 300,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          appellationCode: { type: 'string', maxLength: 10 },
          jobTitle: { type: 'string', maxLength: 150 },
          romeCode: { type: 'string', maxLength: 5 },
          description: { type: 'string', maxLength: 5000 },
          published: { type: 'boolean' },
          createdAt: isoDateTime,
        },
        required: ['id', 'jobTitle', 'published', 'createdAt'],
        additionalProperties: false,
      },
    },
    createdBy: { type: 'string', maxLength: 36 },
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: ['id', 'organisationId', 'name', 'published', 'jobs', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  indexes: ['name'],
} as const;

const companySchemaTyped = toTypedRxJsonSchema(companySchemaLiteral);
export type CompanyDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof companySchemaTyped>;
export const companySchema: RxJsonSchema<CompanyDoc> = companySchemaLiteral;
