import type { Migration } from '../migrations';

/** Issue 7, messaging: the replicated `conversations` and `messages` tables, blocks, reports. */
export const MESSAGING_MIGRATION: Migration = {
  id: 23,
  name: 'messaging',
  sql: `select 1;`,
};
