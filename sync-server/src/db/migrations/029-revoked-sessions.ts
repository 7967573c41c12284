import type { Migration } from '../migrations';

/**
 * Issue 8: sessions closed from elsewhere (password changed on another device, account suspended
 * or deleted). Their token hashes are kept for the sessions' lifetime (30 days) so that a
 * workstation presenting one is told its session was revoked (`session-revoked`), and wipes its
 * local copy of the data, instead of a plain « session expirée ».
 */
export const REVOKED_SESSIONS_MIGRATION: Migration = {
  id: 29,
  name: 'revoked sessions',
  sql: `
    create table revoked_sessions (
      token_hash text primary key,
      account_id uuid not null,
      revoked_at timestamptz not null default now()
    );
    create index revoked_sessions_revoked_at on revoked_sessions (revoked_at);
  `,
};
