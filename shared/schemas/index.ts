import { applicationSchema } from './application.schema';
import { companySchema } from './company.schema';
import { conversationSchema } from './conversation.schema';
import { cvSchema } from './cv.schema';
import { cvListSchema } from './cv-list.schema';
import { evaluationSchema } from './evaluation.schema';
import { eventSchema } from './event.schema';
import { messageSchema } from './message.schema';
import { noticeSchema } from './notice.schema';
import { offerSchema } from './offer.schema';
import { organisationSchema } from './organisation.schema';
import { searchSchema } from './search.schema';

export type { ApplicationDoc } from './application.schema';
export type { CompanyDoc } from './company.schema';
export type { ConversationDoc } from './conversation.schema';
export type { CvDoc } from './cv.schema';
export type { CvListDoc } from './cv-list.schema';
export type { EvaluationDoc } from './evaluation.schema';
export type { EventDoc } from './event.schema';
export type { MessageDoc } from './message.schema';
export type { NoticeDoc } from './notice.schema';
export type { OfferDoc } from './offer.schema';
export type { OrganisationDoc } from './organisation.schema';
export type { SearchDoc } from './search.schema';
export {
  applicationSchema,
  companySchema,
  conversationSchema,
  cvListSchema,
  cvSchema,
  evaluationSchema,
  eventSchema,
  messageSchema,
  noticeSchema,
  offerSchema,
  organisationSchema,
  searchSchema,
};

/** The replicated collections, their schemas and versions: one table for client and server. */
export const REPLICATED_SCHEMAS = {
  offers: offerSchema,
  notices: noticeSchema,
  companies: companySchema,
  organisations: organisationSchema,
  cvs: cvSchema,
  cvLists: cvListSchema,
  searches: searchSchema,
  applications: applicationSchema,
  evaluations: evaluationSchema,
  events: eventSchema,
  // Issue 7: messaging.
  conversations: conversationSchema,
  messages: messageSchema,
} as const;
export type CollectionName = keyof typeof REPLICATED_SCHEMAS;
export const COLLECTION_NAMES = Object.keys(REPLICATED_SCHEMAS) as CollectionName[];

export function isCollectionName(name: string): name is CollectionName {
  return Object.hasOwn(REPLICATED_SCHEMAS, name);
}
