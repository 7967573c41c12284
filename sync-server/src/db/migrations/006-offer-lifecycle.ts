import type { Migration } from '../migrations';

export const OFFER_LIFECYCLE_MIGRATION: Migration = {
  id: 6,
  name: 'offer lifecycle, scheduled jobs',
  sql: `
    -- The expiry job reads published offers by expiry date.
    create index offers_expiry on offers ((doc->>'expiresAt')) where doc->>'status' = 'publiee' and not deleted;
    -- Duplicate checks compare a submitted offer with the published offers of its organisation.
    create index offers_organisation_status on offers ((doc->>'organisationId'), (doc->>'status')) where not deleted;
    create index offers_published_company_name on offers (lower(doc->>'companyName')) where doc->>'status' = 'publiee' and not deleted;

    -- One row per scheduled job run: what it did, for the operators.
    create table job_runs (
      id bigserial primary key,
      job text not null,
      started_at timestamptz not null,
      finished_at timestamptz,
      outcome jsonb,
      error text
    );
    create index job_runs_job on job_runs (job, started_at desc);
  `,
};
