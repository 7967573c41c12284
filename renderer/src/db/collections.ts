import { addRxPlugin, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import {
  type ApplicationDoc,
  applicationSchema,
  type CompanyDoc,
  type CvDoc,
  type CvListDoc,
  companySchema,
  cvListSchema,
  cvSchema,
  type EvaluationDoc,
  type EventDoc,
  evaluationSchema,
  eventSchema,
  type NoticeDoc,
  noticeSchema,
  type OfferDoc,
  type OrganisationDoc,
  offerSchema,
  organisationSchema,
  type SearchDoc,
  searchSchema,
} from '../../../shared/schemas';
import { type ConversationDoc, conversationSchema } from '../../../shared/schemas/conversation.schema';
import { type MessageDoc, messageSchema } from '../../../shared/schemas/message.schema';
import { migrationStrategiesFor } from '../../../shared/schemas/migrations';
import { loadLastUser } from '../lib/local-store';
import {
  type ConflictInput,
  makeConflictHandler,
  resolveNoticeConflict,
  resolveOfferConflict,
  type WithDeleted,
} from './conflict';
import { companyEditorCheck, resolveCompanyConflict } from './conflict-companies';
import { resolveCvListConflict } from './conflict-cv-lists';
import { resolveConversationConflict, resolveMessageConflict } from './conflict-messaging';
import { resolveOrganisationConflict } from './conflict-organisations';
import { resolveSearchConflict } from './conflict-searches';
import {
  resolveApplicationConflict,
  resolveEvaluationConflict,
  resolveEventConflict,
} from './conflict-triage';

/** CVs: the server's state, always (RxDB's local bookkeeping left out). */
export function resolveCvConflict(input: ConflictInput<CvDoc>): WithDeleted<CvDoc> {
  const { _meta, _rev, _attachments, ...master } = input.realMasterState as WithDeleted<CvDoc> &
    Record<string, unknown>;
  return master as WithDeleted<CvDoc>;
}

// Replicas written by an older version of the app upgrade their documents when they open
// (schema versions > 0 need the plugin even when there is nothing to migrate).
addRxPlugin(RxDBMigrationSchemaPlugin);

export type OfferCollection = RxCollection<OfferDoc>;
export type NoticeCollection = RxCollection<NoticeDoc>;
export type CompanyCollection = RxCollection<CompanyDoc>;
export type OrganisationCollection = RxCollection<OrganisationDoc>;
export type CvCollection = RxCollection<CvDoc>;
export type CvListCollection = RxCollection<CvListDoc>;
export type SearchCollection = RxCollection<SearchDoc>;
export type ApplicationCollection = RxCollection<ApplicationDoc>;
export type EvaluationCollection = RxCollection<EvaluationDoc>;
export type EventCollection = RxCollection<EventDoc>;
export type ConversationCollection = RxCollection<ConversationDoc>;
export type MessageCollection = RxCollection<MessageDoc>;

export interface WorkstationCollections {
  offers: OfferCollection;
  notices: NoticeCollection;
  companies: CompanyCollection;
  organisations: OrganisationCollection;
  cvs: CvCollection;
  cvLists: CvListCollection;
  searches: SearchCollection;
  applications: ApplicationCollection;
  evaluations: EvaluationCollection;
  events: EventCollection;
  conversations: ConversationCollection;
  messages: MessageCollection;
}

/** Every replicated collection of the workstation's replica. */
export type ReplicaName = keyof WorkstationCollections;

/**
 * Collections replicated only when the server offers them (`GET /api/sync`): the app keeps
 * working against a server older than them (issue 7's messaging).
 */
export const OPTIONAL_COLLECTIONS: readonly ReplicaName[] = ['conversations', 'messages'];

export type WorkstationDatabase = RxDatabase<WorkstationCollections>;

/** The replicated collections of the workstation, with their conflict handlers. */
export const collectionCreators = {
  offers: {
    schema: offerSchema,
    conflictHandler: makeConflictHandler<OfferDoc>(resolveOfferConflict),
    migrationStrategies: migrationStrategiesFor('offers'),
  },
  notices: { schema: noticeSchema, conflictHandler: makeConflictHandler<NoticeDoc>(resolveNoticeConflict) },
  companies: {
    schema: companySchema,
    // The signed-in user's rights, read when a conflict happens (the last user is the current one).
    conflictHandler: makeConflictHandler<CompanyDoc>((input) =>
      resolveCompanyConflict(input, companyEditorCheck(loadLastUser())),
    ),
  },
  organisations: {
    schema: organisationSchema,
    conflictHandler: makeConflictHandler<OrganisationDoc>(resolveOrganisationConflict),
  },
  // The CVthèque is written by the server only (candidates publish on the portal): master wins.
  cvs: {
    schema: cvSchema,
    conflictHandler: makeConflictHandler<CvDoc>(resolveCvConflict),
    migrationStrategies: migrationStrategiesFor('cvs'),
  },
  // Saved lists merge (additions and removals of both sides kept); searches merge latest-wins per field.
  cvLists: { schema: cvListSchema, conflictHandler: makeConflictHandler<CvListDoc>(resolveCvListConflict) },
  searches: { schema: searchSchema, conflictHandler: makeConflictHandler<SearchDoc>(resolveSearchConflict) },
  // Issue 6: a recruiter's status change is re-applied on the new master (the server judges it again);
  // evaluations of one author merge; events keep the fields each side changed.
  applications: {
    schema: applicationSchema,
    conflictHandler: makeConflictHandler<ApplicationDoc>(resolveApplicationConflict),
  },
  evaluations: {
    schema: evaluationSchema,
    conflictHandler: makeConflictHandler<EvaluationDoc>(resolveEvaluationConflict),
  },
  events: { schema: eventSchema, conflictHandler: makeConflictHandler<EventDoc>(resolveEventConflict) },
  // Issue 7: messages are the server's (immutable, never in conflict); a conversation is the server's
  // but for each member's own read and hidden marks, merged per account (latest wins).
  conversations: {
    schema: conversationSchema,
    conflictHandler: makeConflictHandler<ConversationDoc>((input) =>
      resolveConversationConflict(input, loadLastUser()?.id ?? null),
    ),
  },
  messages: {
    schema: messageSchema,
    conflictHandler: makeConflictHandler<MessageDoc>(resolveMessageConflict),
  },
};

/** The names of the replica's collections, in creation order. */
export const REPLICA_NAMES = Object.keys(collectionCreators) as ReplicaName[];
