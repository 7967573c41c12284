import type { Migration } from '../migrations';

/**
 * The RGPD jobs find the notices of an erased document and its audit entries by document id: two
 * indexes instead of a scan of every notice and audit entry per erased application or account.
 */
export const RETENTION_INDEXES_MIGRATION: Migration = {
  id: 26,
  name: 'retention indexes',
  sql: `
    create index notices_document on notices ((doc->>'documentId')) where not deleted and doc->>'documentId' is not null;
    create index audit_log_document on audit_log (document_id) where document_id is not null;
  `,
};
