import type { Migration } from '../migrations';

/**
 * Application folders (« Mes dossiers de candidature », seed 004): a CV (one of the candidate's
 * CVs, or a CV file alone), a cover letter (text and/or a file) and a video link.
 * Files are content-addressed (`files.sha256`); the CV id points into the candidate's CVs.
 */
export const FOLDERS_MIGRATION: Migration = {
  id: 14,
  name: 'application folders',
  sql: `
    create table application_folders (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      name text not null,
      cv_id uuid,
      cv_file jsonb,
      letter_text text not null default '',
      letter_file jsonb,
      video_url text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check (cv_id is null or cv_file is null)
    );
    create index application_folders_account on application_folders (account_id, updated_at desc);
  `,
};
