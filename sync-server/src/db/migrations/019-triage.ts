import type { Migration } from '../migrations';

/**
 * Issue 6, applicant triage: `evaluations`, the replicated collection (DESIGN §5 table layout),
 * found by subject (RGPD erasure); applications found by capture (one capture, one follow-up
 * e-mail), by organisation (duplicate detection of fair captures) and by the applicant's e-mail
 * (captures linked to the account that confirms this address).
 */
export const TRIAGE_MIGRATION: Migration = {
  id: 19,
  name: 'triage: evaluations',
  sql: `
    create table evaluations (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index evaluations_position on evaluations (txid, seq);
    create index evaluations_keys on evaluations using gin (keys);
    create index evaluations_subject on evaluations ((doc->>'subjectId')) where not deleted;

    create index applications_capture on applications ((doc->>'captureId'))
      where not deleted and doc->>'captureId' is not null;
    create index applications_organisation on applications ((doc->>'organisationId')) where not deleted;
    create index applications_applicant_email on applications ((lower(doc->'applicant'->>'email')))
      where not deleted and doc->'applicant'->>'email' is not null;
  `,
};
