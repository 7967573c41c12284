import type { RxCollection, RxDatabase } from 'rxdb';
import { type NoticeDoc, noticeSchema, type OfferDoc, offerSchema } from '../../../shared/schemas';
import { makeConflictHandler, resolveNoticeConflict, resolveOfferConflict } from './conflict';

export type OfferCollection = RxCollection<OfferDoc>;
export type NoticeCollection = RxCollection<NoticeDoc>;

export interface WorkstationCollections {
  offers: OfferCollection;
  notices: NoticeCollection;
}

export type WorkstationDatabase = RxDatabase<WorkstationCollections>;

/** The two replicated collections of the workstation, with their conflict handlers. */
export const collectionCreators = {
  offers: { schema: offerSchema, conflictHandler: makeConflictHandler<OfferDoc>(resolveOfferConflict) },
  notices: { schema: noticeSchema, conflictHandler: makeConflictHandler<NoticeDoc>(resolveNoticeConflict) },
};
