import type { Migration } from '../migrations';

/**
 * - `candidate_cvs`: the candidate's CVs as written on the portal (the whole `CandidateCv` in
 *   `doc`); at most one CV per ROME code and candidate (seed 002).
 * - `cv_file_texts`: the text extracted from attached CV files (pdf, docx, odt, rtf, txt), by file
 *   hash, searchable (`french` full text and trigrams).
 * - `cvs`: the replicated CVthèque projection (DESIGN §5 table layout); `search` holds the CV's text
 *   and its file's text for the CVthèque search.
 */
export const CVS_MIGRATION: Migration = {
  id: 9,
  name: 'candidate CVs, folders and the cvs replicated collection',
  sql: `
    create table candidate_cvs (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      status text not null check (status in ('brouillon', 'publie', 'suspendu')),
      rome_code text,
      doc jsonb not null,
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create index candidate_cvs_account on candidate_cvs (account_id);
    create unique index candidate_cvs_rome on candidate_cvs (account_id, rome_code) where rome_code is not null;

    create table cv_file_texts (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      text text not null,
      created_at timestamptz not null default now()
    );

    create table cvs (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null,
      search text not null default ''
    );
    create index cvs_position on cvs (txid, seq);
    create index cvs_keys on cvs using gin (keys);
    create index cvs_search_trgm on cvs using gin (search gin_trgm_ops);
  `,
};
