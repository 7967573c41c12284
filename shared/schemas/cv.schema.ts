import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const month = { type: 'string', maxLength: 7 } as const;

/**
 * A CV as recruiters, advisors and training bodies see it in the CVthèque (DESIGN §4 `cvs`): the
 * projection the server writes from a candidate's published CV that is « visible dans la
 * CVthèque ». Anonymous CVs carry no name and no contact; contact data only when the candidate
 * chose to show it. The candidate's account id is never in it. Read-only for every client.
 */
export const cvSchemaLiteral = {
  title: 'cv',
  description: 'CV de la CVthèque',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 36 },
    title: { type: 'string', maxLength: 150 },
    express: { type: 'boolean' },
    appellationCode: { type: 'string', maxLength: 10 },
    appellationLabel: { type: 'string', maxLength: 200 },
    romeCode: { type: 'string', maxLength: 5 },
    workplaces: {
      type: 'array',
      maxItems: 5,
      items: {
        type: 'object',
        properties: {
          communeCode: { type: 'string', maxLength: 5 },
          communeName: { type: 'string', maxLength: 150 },
          lat: { type: 'number', minimum: -90, maximum: 90 },
          lon: { type: 'number', minimum: -180, maximum: 180 },
        },
        required: ['communeCode', 'communeName'],
        additionalProperties: false,
      },
    },
    contractTypes: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 20 } },
    workingTimes: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 20 } },
    summary: { type: 'string', maxLength: 2000 },
    experiences: {
      type: 'array',
      maxItems: 30,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          company: { type: 'string', maxLength: 150 },
          jobTitle: { type: 'string', maxLength: 150 },
          start: month,
          /** Absent: « aujourd'hui ». */
          end: month,
          description: { type: 'string', maxLength: 4000 },
        },
        required: ['id', 'company', 'jobTitle', 'start', 'description'],
        additionalProperties: false,
      },
    },
    diplomas: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          title: { type: 'string', maxLength: 200 },
          date: month,
          description: { type: 'string', maxLength: 2000 },
        },
        required: ['id', 'title', 'date', 'description'],
        additionalProperties: false,
      },
    },
    skills: {
      type: 'array',
      maxItems: 30,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          label: { type: 'string', maxLength: 100 },
          level: { type: 'integer', minimum: 1, maximum: 5 },
        },
        required: ['id', 'label', 'level'],
        additionalProperties: false,
      },
    },
    languages: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: {
          id: { type: 'string', maxLength: 36 },
          language: { type: 'string', maxLength: 60 },
          level: { type: 'string', maxLength: 20 },
        },
        required: ['id', 'language', 'level'],
        additionalProperties: false,
      },
    },
    licences: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 5 } },
    /** RQTH status of the profile (reconnue, en_cours, non, non_precise). */
    rqth: { type: 'string', maxLength: 20 },
    /** Availability of the profile (immediate, a_partir_du, preavis, a_l_ecoute) and its date. */
    availability: { type: 'string', maxLength: 20 },
    availableFrom: { type: 'string', maxLength: 10 },
    /** The candidate's commune (never the street address). */
    commune: {
      type: 'object',
      properties: {
        code: { type: 'string', maxLength: 5 },
        name: { type: 'string', maxLength: 150 },
        lat: { type: 'number', minimum: -90, maximum: 90 },
        lon: { type: 'number', minimum: -180, maximum: 180 },
      },
      required: ['code', 'name'],
      additionalProperties: false,
    },
    /** Qualification and domains of the profile (seed 000 « Mon profil »). */
    qualification: { type: 'string', maxLength: 30 },
    domains: { type: 'array', maxItems: 14, items: { type: 'string', maxLength: 1 } },
    completeness: { type: 'integer', minimum: 0, maximum: 100 },
    /** The attached personal CV (readable through GET /api/files/:sha256 while the CV is visible). */
    file: {
      type: 'object',
      properties: {
        sha256: { type: 'string', maxLength: 64 },
        name: { type: 'string', maxLength: 200 },
        mime: { type: 'string', maxLength: 100 },
        size: { type: 'integer', minimum: 0, maximum: 100000000 },
      },
      required: ['sha256', 'name', 'mime', 'size'],
      additionalProperties: false,
    },
    /** The start of the attached file's text (what keyword searches read on both sides). */
    fileText: { type: 'string', maxLength: 3000 },
    anonymous: { type: 'boolean' },
    /** Advisors may pass the CV on to employers with personal data. */
    advisorsMayShare: { type: 'boolean' },
    /** Only when the CV is not anonymous. */
    firstName: { type: 'string', maxLength: 100 },
    lastName: { type: 'string', maxLength: 100 },
    /** Only when not anonymous and the candidate shows contact data (phone: and « afficher mon numéro »). */
    email: { type: 'string', maxLength: 254 },
    phone: { type: 'string', maxLength: 20 },
    publishedAt: isoDateTime,
    updatedAt: isoDateTime,
    /**
     * (v1) A CV created on a person's behalf, with their recorded consent: « conjoint » for a
     * spouse's job search registered by the recruiter who hired their partner (« Rapprochement de
     * conjoints »), with that organisation's name. Absent for CVs written by candidates.
     */
    origin: {
      type: 'object',
      properties: {
        kind: { type: 'string', maxLength: 20 },
        byOrganisationName: { type: 'string', maxLength: 200 },
        /** Distance around the wished communes the person accepts (km). */
        radiusKm: { type: 'integer', minimum: 0, maximum: 200 },
      },
      required: ['kind', 'byOrganisationName'],
      additionalProperties: false,
    },
  },
  required: [
    'id',
    'title',
    'express',
    'experiences',
    'diplomas',
    'skills',
    'languages',
    'licences',
    'completeness',
    'anonymous',
    'updatedAt',
  ],
  additionalProperties: false,
} as const;

const cvSchemaTyped = toTypedRxJsonSchema(cvSchemaLiteral);
export type CvDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof cvSchemaTyped>;
export const cvSchema: RxJsonSchema<CvDoc> = cvSchemaLiteral;
