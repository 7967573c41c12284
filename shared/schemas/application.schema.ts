import type { ExtractDocumentTypeFromTypedRxJsonSchema, RxJsonSchema } from 'rxdb';
import { APPLICATION_SOURCES, APPLICATION_STATUSES, CIVILITIES } from '../domain/application';
import { toTypedRxJsonSchema } from './typed';

const isoDateTime = { type: 'string', maxLength: 40 } as const;
const id = { type: 'string', maxLength: 36 } as const;
/** A file referred to by the SHA-256 of its content (DESIGN §4, files). */
const fileRef = { type: 'string', maxLength: 64 } as const;
const text = (maxLength: number) => ({ type: 'string', maxLength }) as const;

/** The CV as the candidate sent it (a copy: later edits of the CV do not change the application). */
const cvSnapshot = {
  type: 'object',
  properties: {
    title: text(150),
    summary: text(3000),
    appellationLabel: text(200),
    romeCode: text(5),
    experiences: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        properties: {
          company: text(150),
          jobTitle: text(150),
          start: text(10),
          end: { type: ['string', 'null'], maxLength: 10 },
          description: text(5000),
        },
        additionalProperties: false,
      },
    },
    diplomas: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        properties: { title: text(200), date: text(10), description: text(3000) },
        additionalProperties: false,
      },
    },
    skills: {
      type: 'array',
      maxItems: 100,
      items: {
        type: 'object',
        properties: { label: text(100), level: { type: 'integer', minimum: 1, maximum: 5 } },
        additionalProperties: false,
      },
    },
    languages: {
      type: 'array',
      maxItems: 30,
      items: {
        type: 'object',
        properties: { language: text(60), level: text(20) },
        additionalProperties: false,
      },
    },
    licences: { type: 'array', maxItems: 30, items: text(10) },
  },
  additionalProperties: false,
} as const;

/**
 * An application, a capture made at a fair, or a proposal (DESIGN §4). The recruiters of the
 * offer's (or company profile's) organisation replicate it; the candidate reads and changes it
 * through the portal's REST routes only.
 */
export const applicationSchemaLiteral = {
  title: 'application',
  description: 'Candidature',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id,
    organisationId: id,
    /** The offer applied to; absent for a spontaneous application (companyId, and jobId for a fiche de poste). */
    offerId: id,
    companyId: id,
    jobId: id,
    /** The offer (or company) as it was when the candidate applied: shown even after it expires. */
    offer: {
      type: 'object',
      properties: {
        number: text(20),
        title: text(150),
        companyName: text(150),
        city: text(120),
        postalCode: text(5),
      },
      required: ['title', 'companyName'],
      additionalProperties: false,
    },
    /** The candidate's account; absent for an application without an account or a capture. */
    candidateId: id,
    /** What the application gives the organisation, whatever the CV's anonymity (DESIGN §6). */
    applicant: {
      type: 'object',
      properties: {
        civility: { type: 'string', enum: [...CIVILITIES] },
        firstName: text(100),
        lastName: text(100),
        email: text(254),
        phone: text(20),
        /** The job the person looks for, as said at a fair (captures). */
        jobSought: text(150),
        consent: {
          type: 'object',
          properties: { at: isoDateTime, text: text(1000) },
          required: ['at', 'text'],
          additionalProperties: false,
        },
      },
      required: ['firstName', 'lastName'],
      additionalProperties: false,
    },
    cvId: id,
    cv: cvSnapshot,
    cvFile: fileRef,
    letterFile: fileRef,
    /** The candidate's message or cover letter (plain text). */
    message: text(5000),
    videoUrl: text(500),
    folderId: id,
    status: { type: 'string', enum: [...APPLICATION_STATUSES] },
    refusalReason: text(500),
    /** Whether the candidate sees the refusal reason (portal, e-mail); absent: not shown. */
    refusalVisible: { type: 'boolean' },
    /** An optional message to the candidate with the refusal: sent once by e-mail, shown on the portal. */
    refusalMessage: text(2000),
    withdrawalReason: text(500),
    history: {
      type: 'array',
      maxItems: 200,
      items: {
        type: 'object',
        properties: {
          at: isoDateTime,
          from: { type: 'string', enum: [...APPLICATION_STATUSES] },
          to: { type: 'string', enum: [...APPLICATION_STATUSES] },
          by: id,
          byName: text(120),
        },
        required: ['at', 'to'],
        additionalProperties: false,
      },
    },
    source: { type: 'string', enum: [...APPLICATION_SOURCES] },
    eventId: id,
    /** One capture at a fair gives one application per offer of interest: they share this id. */
    captureId: id,
    /** Who captured the person (fair, session): the day summary counts per colleague. */
    capturedBy: id,
    capturedByName: text(120),
    /** A hint set by the server: this looks like the same person as another application (or account). */
    duplicateOf: id,
    /** Why: the same e-mail, phone or name (`shared/domain/duplicates.ts`). */
    duplicateReasons: {
      type: 'array',
      maxItems: 3,
      items: { type: 'string', enum: ['email', 'phone', 'name'] },
    },
    /** The recruiter confirmed: this capture was merged into that application (and archived). */
    mergedInto: id,
    /** When the server sent the captured person the e-mail inviting them to complete their profile. */
    followUpAt: isoDateTime,
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  },
  required: ['id', 'organisationId', 'status', 'source', 'history', 'createdAt', 'updatedAt'],
  additionalProperties: false,
  indexes: ['updatedAt'],
} as const;

const applicationSchemaTyped = toTypedRxJsonSchema(applicationSchemaLiteral);
export type ApplicationDoc = ExtractDocumentTypeFromTypedRxJsonSchema<typeof applicationSchemaTyped>;
export const applicationSchema: RxJsonSchema<ApplicationDoc> = applicationSchemaLiteral;
