import type { Database } from './database';
import { ORGANISATIONS_MIGRATION } from './migrations/004-organisations';
import { COMPANIES_MIGRATION } from './migrations/005-companies';
import { OFFER_LIFECYCLE_MIGRATION } from './migrations/006-offer-lifecycle';
import { FILES_MIGRATION } from './migrations/007-files';
import { CANDIDATE_ACCOUNTS_MIGRATION } from './migrations/008-candidate-accounts';
import { CVS_MIGRATION } from './migrations/009-cvs';
import { OFFER_SEARCH_MIGRATION } from './migrations/010-offer-search';
import { APPLICATIONS_MIGRATION } from './migrations/011-applications';
import { ALERTS_RGPD_MIGRATION } from './migrations/012-alerts-rgpd';
import { MAIL_ATTACHMENTS_MIGRATION } from './migrations/013-mail-attachments';
import { FOLDERS_MIGRATION } from './migrations/014-folders';
import { OFFER_SEARCH_FACETS_MIGRATION } from './migrations/015-offer-search-facets';
import { CVTHEQUE_MIGRATION } from './migrations/016-cvtheque';
import { CV_LISTS_SEARCHES_MIGRATION } from './migrations/017-cv-lists-searches';
import { MAIL_HEADERS_MIGRATION } from './migrations/018-mail-headers';
import { TRIAGE_MIGRATION } from './migrations/019-triage';
import { EVENTS_MIGRATION } from './migrations/020-events';
import { SPOUSE_SEARCHES_MIGRATION } from './migrations/021-spouse-searches';
import { EVENT_INVITATIONS_MIGRATION } from './migrations/022-event-invitations';
import { MESSAGING_MIGRATION } from './migrations/023-messaging';
import { MESSAGING_MAIL_MIGRATION } from './migrations/024-messaging-mail';
import { EVENT_INVITATION_TOKENS_MIGRATION } from './migrations/025-event-invitation-tokens';
import { RETENTION_INDEXES_MIGRATION } from './migrations/026-retention-indexes';
import { REPORT_DECISIONS_MIGRATION } from './migrations/027-report-decisions';
import { MESSAGING_INDEXES_MIGRATION } from './migrations/028-messaging-indexes';
import { REVOKED_SESSIONS_MIGRATION } from './migrations/029-revoked-sessions';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/**
 * Schema migrations, applied in order, each in its own transaction. Never edit a
 * migration that has shipped: add a new one.
 */
export const MIGRATIONS: Migration[] = [
  {
    id: 1,
    name: 'accounts, organisations, sessions',
    sql: `
      create extension if not exists unaccent;
      create extension if not exists pg_trgm;

      create table organisations (
        id uuid primary key,
        kind text not null check (kind in ('employer','agency','prescriber','training','platform')),
        subtype text,
        name text not null,
        siret text,
        verified boolean not null default false,
        created_at timestamptz not null default now()
      );

      create table accounts (
        id uuid primary key,
        email text not null,
        password_hash text not null,
        kind text not null check (kind in ('recruiter','candidate')),
        first_name text not null,
        last_name text not null,
        job_title text,
        created_at timestamptz not null default now(),
        disabled_at timestamptz
      );
      create unique index accounts_email on accounts (lower(email));

      create table memberships (
        account_id uuid not null references accounts(id) on delete cascade,
        organisation_id uuid not null references organisations(id) on delete cascade,
        role text not null check (role in ('admin','member')),
        created_at timestamptz not null default now(),
        primary key (account_id, organisation_id)
      );

      create table sessions (
        token_hash text primary key,
        account_id uuid not null references accounts(id) on delete cascade,
        created_at timestamptz not null default now(),
        last_seen_at timestamptz not null default now(),
        expires_at timestamptz not null,
        user_agent text
      );
      create index sessions_account on sessions (account_id);

      create table login_failures (
        key text not null,
        at timestamptz not null default now()
      );
      create index login_failures_key on login_failures (key, at);

      create table audit_log (
        id bigserial primary key,
        at timestamptz not null default now(),
        actor_id uuid,
        action text not null,
        collection text,
        document_id text,
        detail jsonb
      );
    `,
  },
  {
    id: 2,
    name: 'replicated collections and change positions',
    sql: `
      -- Positions: the writing transaction's id (pg_current_xact_id(), stored as bigint) and a
      -- global sequence inside it.
      create sequence sync_seq;
      create sequence offer_number_seq start 100001;

      create table offers (
        id text primary key,
        doc jsonb not null,
        keys text[] not null,
        deleted boolean not null default false,
        txid bigint not null,
        seq bigint not null
      );
      create index offers_position on offers (txid, seq);
      create index offers_keys on offers using gin (keys);
      create index offers_published on offers ((doc->>'publishedAt') desc, id) where doc->>'status' = 'publiee' and not deleted;
      create unique index offers_number on offers ((doc->>'number')) where doc->>'number' is not null;

      create table notices (
        id text primary key,
        doc jsonb not null,
        keys text[] not null,
        deleted boolean not null default false,
        txid bigint not null,
        seq bigint not null
      );
      create index notices_position on notices (txid, seq);

      -- When a document leaves an audience (scope keys), the users of that audience get a
      -- tombstone at a new position.
      create table sync_exits (
        collection text not null,
        doc_id text not null,
        keys text[] not null,
        txid bigint not null,
        seq bigint not null
      );
      create index sync_exits_position on sync_exits (collection, txid, seq);
    `,
  },
  {
    id: 3,
    name: 'ROME reference data',
    sql: `
      create table reference_versions (
        name text primary key,
        version text not null,
        imported_at timestamptz not null default now(),
        row_count int not null
      );
      create table rome_codes (
        code text primary key,
        label text not null,
        parent_code text
      );
      create table rome_appellations (
        code_ogr text primary key,
        label text not null,
        short_label text not null,
        rome_code text not null,
        rarely_used boolean not null default false,
        search text not null
      );
      create index rome_appellations_rome on rome_appellations (rome_code);
      create index rome_appellations_trgm on rome_appellations using gin (search gin_trgm_ops);
      create table rome_mobility (
        rome_code text not null,
        target_code text not null,
        rank int not null,
        primary key (rome_code, target_code)
      );
    `,
  },
  // Later migrations live in ./migrations/, one file each.
  ORGANISATIONS_MIGRATION,
  COMPANIES_MIGRATION,
  OFFER_LIFECYCLE_MIGRATION,
  FILES_MIGRATION,
  CANDIDATE_ACCOUNTS_MIGRATION,
  CVS_MIGRATION,
  OFFER_SEARCH_MIGRATION,
  APPLICATIONS_MIGRATION,
  ALERTS_RGPD_MIGRATION,
  MAIL_ATTACHMENTS_MIGRATION,
  FOLDERS_MIGRATION,
  OFFER_SEARCH_FACETS_MIGRATION,
  CVTHEQUE_MIGRATION,
  CV_LISTS_SEARCHES_MIGRATION,
  MAIL_HEADERS_MIGRATION,
  TRIAGE_MIGRATION,
  EVENTS_MIGRATION,
  SPOUSE_SEARCHES_MIGRATION,
  EVENT_INVITATIONS_MIGRATION,
  MESSAGING_MIGRATION,
  MESSAGING_MAIL_MIGRATION,
  EVENT_INVITATION_TOKENS_MIGRATION,
  RETENTION_INDEXES_MIGRATION,
  REPORT_DECISIONS_MIGRATION,
  MESSAGING_INDEXES_MIGRATION,
  REVOKED_SESSIONS_MIGRATION,
];

export async function migrate(db: Database): Promise<number> {
  await db.query(
    'create table if not exists schema_migrations (id int primary key, name text not null, applied_at timestamptz not null default now())',
  );
  // One migrator at a time across instances.
  const { rows } = await db.query<{ id: number }>('select id from schema_migrations');
  const done = new Set(rows.map((r) => Number(r.id)));
  let applied = 0;
  for (const m of MIGRATIONS) {
    if (done.has(m.id)) continue;
    await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock(727001)');
      const again = await tx.query('select 1 from schema_migrations where id = $1', [m.id]);
      if (again.rows.length > 0) return;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (id, name) values ($1, $2)', [m.id, m.name]);
      applied++;
    });
  }
  return applied;
}

/** Splits a migration into statements (our migrations have no semicolons inside literals). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
