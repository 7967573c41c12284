import type { Migration } from '../migrations';

/**
 * Issue 6, invitations to private events: each invitation carries a token (its hash kept here)
 * that opens the event's registration form on the portal, public or not. Invitations sent before
 * have none (they were to public events, whose form is open to everyone).
 */
export const EVENT_INVITATION_TOKENS_MIGRATION: Migration = {
  id: 25,
  name: 'event invitation tokens',
  sql: `
    alter table event_invitations add column token_hash text;
    create unique index event_invitations_token on event_invitations (token_hash) where token_hash is not null;
  `,
};
