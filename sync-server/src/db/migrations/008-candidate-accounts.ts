import type { Migration } from '../migrations';

export const CANDIDATE_ACCOUNTS_MIGRATION: Migration = {
  id: 8,
  name: 'candidate accounts, profiles and e-mail tokens',
  sql: `
    -- A candidate's e-mail is confirmed by a link; recruiters' accounts count as confirmed.
    alter table accounts add column email_confirmed_at timestamptz;

    create table email_confirmations (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      email text not null,
      token_hash text not null unique,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      confirmed_at timestamptz
    );
    create index email_confirmations_account on email_confirmations (account_id, created_at);

    create table password_resets (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      token_hash text not null unique,
      created_at timestamptz not null,
      expires_at timestamptz not null,
      used_at timestamptz
    );
    create index password_resets_account on password_resets (account_id, created_at);

    -- « Mon profil » and « Ma recherche » (shared/domain/candidate-profile.ts). The document is
    -- the profile as the API answers it; the commune and coordinates are copied out for queries.
    create table candidate_profiles (
      account_id uuid primary key references accounts(id) on delete cascade,
      doc jsonb not null,
      commune_code text,
      lat double precision,
      lon double precision,
      -- When the candidate accepted the terms of use (sign-up).
      terms_accepted_at timestamptz,
      updated_at timestamptz not null
    );
  `,
};
