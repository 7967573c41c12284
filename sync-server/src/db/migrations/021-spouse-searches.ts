import type { Migration } from '../migrations';

/**
 * Issue 6, « Rapprochement de conjoints »: the spouse's job searches that a recruiter registers,
 * with the person's consent, when hiring their partner (`domain/spouse-searches.ts`). The CV
 * itself is a row of the replicated `cvs` collection with the same id (`origin.kind` «
 * conjoint »); this table keeps who registered it, for which hired application, the consent (text
 * and time), the person's contact and what the form said, and what became of it.
 */
export const SPOUSE_SEARCHES_MIGRATION: Migration = {
  id: 21,
  name: 'spouse job searches (rapprochement de conjoints)',
  sql: `
    create table spouse_searches (
      id uuid primary key,
      organisation_id uuid not null references organisations(id) on delete cascade,
      application_id text not null,
      created_by uuid references accounts(id) on delete set null,
      created_by_name text not null,
      first_name text not null,
      last_name text not null,
      email text,
      phone text,
      doc jsonb not null,
      consent_text text not null,
      consent_at timestamptz not null,
      status text not null check (status in ('en_ligne', 'retiree', 'pourvue')),
      email_sent boolean not null default false,
      claimed_account_id uuid references accounts(id) on delete set null,
      claimed_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index spouse_searches_organisation on spouse_searches (organisation_id, created_at desc);
    create unique index spouse_searches_application on spouse_searches (application_id) where status = 'en_ligne';
  `,
};
