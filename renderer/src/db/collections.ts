import { addRxPlugin, type RxCollection, type RxDatabase } from 'rxdb';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import {
  type CompanyDoc,
  companySchema,
  type NoticeDoc,
  noticeSchema,
  type OfferDoc,
  type OrganisationDoc,
  offerSchema,
  organisationSchema,
} from '../../../shared/schemas';
import { migrationStrategiesFor } from '../../../shared/schemas/migrations';
import { loadLastUser } from '../lib/local-store';
import { makeConflictHandler, resolveNoticeConflict, resolveOfferConflict } from './conflict';
import { companyEditorCheck, resolveCompanyConflict } from './conflict-companies';
import { resolveOrganisationConflict } from './conflict-organisations';

// Replicas written by an older version of the app upgrade their documents when they open
// (schema versions > 0 need the plugin even when there is nothing to migrate).
addRxPlugin(RxDBMigrationSchemaPlugin);

export type OfferCollection = RxCollection<OfferDoc>;
export type NoticeCollection = RxCollection<NoticeDoc>;
export type CompanyCollection = RxCollection<CompanyDoc>;
export type OrganisationCollection = RxCollection<OrganisationDoc>;

export interface WorkstationCollections {
  offers: OfferCollection;
  notices: NoticeCollection;
  companies: CompanyCollection;
  organisations: OrganisationCollection;
}

export type WorkstationDatabase = RxDatabase<WorkstationCollections>;

/** The two replicated collections of the workstation, with their conflict handlers. */
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
};
