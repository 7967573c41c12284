import type { Migration } from '../migrations';

/**
 * Content-addressed files (DESIGN §4, "Files"). A file is named by the SHA-256 of its bytes;
 * documents refer to it by that name. `file_refs` records which replicated document refers to which
 * file: a reference may exist before its file (a document captured offline arrives first), so it
 * has no foreign key to `files`. Account ids carry no foreign key either: files outlive an account
 * deletion until nothing refers to them.
 */
export const FILES_MIGRATION: Migration = {
  id: 7,
  name: 'content-addressed files',
  sql: `
    create table files (
      sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
      mime text not null,
      size int not null check (size > 0),
      bytes bytea not null,
      purpose text not null,
      uploaded_by uuid,
      created_at timestamptz not null default now()
    );

    -- Everyone who sent the bytes of a file (the first one is also files.uploaded_by).
    create table file_uploaders (
      sha256 text not null references files(sha256) on delete cascade,
      account_id uuid not null,
      created_at timestamptz not null default now(),
      primary key (sha256, account_id)
    );
    create index file_uploaders_account on file_uploaders (account_id);

    create table file_refs (
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      collection text not null,
      doc_id text not null,
      created_at timestamptz not null default now(),
      primary key (sha256, collection, doc_id)
    );
    create index file_refs_document on file_refs (collection, doc_id);
  `,
};
