import type { Migration } from '../migrations';

/**
 * Organisations (DESIGN §4, seeds 000, 003): identity, antennas, verification by a moderator,
 * their replicated documents (`organisation_docs`, collection `organisations`), invitations,
 * e-mail address changes awaiting confirmation, and the generic e-mail outbox.
 *
 * The relational rows are the source of truth; `organisation_docs` holds what members replicate
 * (rebuilt from the rows after every change). `organisations.verified` stays true exactly when
 * `verification_state` is 'verifiee' (sessions read it to allow publishing offers).
 */
export const ORGANISATIONS_MIGRATION: Migration = {
  id: 4,
  name: 'organisations, memberships, invitations, e-mail outbox, account settings',
  sql: `
    alter table organisations
      add column naf_code text,
      add column size_band text,
      add column sector text,
      add column phone text,
      add column email text,
      add column address jsonb,
      add column parent_id uuid references organisations(id) on delete set null,
      add column verification_state text not null default 'en_attente'
        check (verification_state in ('en_attente','informations_demandees','verifiee','refusee')),
      add column verification_reason text,
      add column verification_decided_at timestamptz,
      add column verification_decided_by uuid,
      add column created_by uuid references accounts(id) on delete set null,
      add column updated_at timestamptz not null default now();

    -- Organisations that existed before verification (demo data, earlier tests) keep their standing.
    update organisations set verification_state = 'verifiee' where verified or kind not in ('employer','agency');
    update organisations set verified = (verification_state = 'verifiee');

    create index organisations_parent on organisations (parent_id) where parent_id is not null;
    create index organisations_siret on organisations (siret) where siret is not null;
    create index organisations_verification on organisations (created_at)
      where verification_state in ('en_attente','informations_demandees');
    create index memberships_organisation on memberships (organisation_id, role);

    -- Replicated collection 'organisations'.
    create table organisation_docs (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index organisation_docs_position on organisation_docs (txid, seq);
    create index organisation_docs_keys on organisation_docs using gin (keys);

    -- An invitation link carries a random token; only its SHA-256 is stored. Sending it again
    -- replaces the row (replaced_by), so the older link stops working.
    create table invitations (
      id uuid primary key,
      organisation_id uuid not null references organisations(id) on delete cascade,
      email text not null,
      token_hash text not null unique,
      invited_by uuid references accounts(id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      accepted_by uuid references accounts(id) on delete set null,
      cancelled_at timestamptz,
      replaced_by uuid
    );
    create unique index invitations_pending on invitations (organisation_id, lower(email))
      where accepted_at is null and cancelled_at is null;
    create index invitations_organisation on invitations (organisation_id, created_at);

    -- A new e-mail address waits for the confirmation link sent to it.
    create table email_changes (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      new_email text not null,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      confirmed_at timestamptz,
      cancelled_at timestamptz
    );
    create index email_changes_account on email_changes (account_id);

    -- Every e-mail the server sends goes through here, written in the same transaction as the
    -- change it tells about; a sender loop delivers it. dedupe_key makes queueing idempotent.
    create table email_outbox (
      id bigserial primary key,
      to_address text not null,
      subject text not null,
      body_text text not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      attempts int not null default 0,
      last_error text,
      next_attempt_at timestamptz not null default now(),
      locked_until timestamptz,
      dedupe_key text unique
    );
    create index email_outbox_pending on email_outbox (next_attempt_at, id) where sent_at is null;
  `,
};
