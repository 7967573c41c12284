import type { Migration } from '../migrations';

export const CANDIDATE_ACCOUNTS_MIGRATION: Migration = {
  id: 8,
  name: 'candidate accounts, profiles and e-mail tokens',
  sql: `
    select 1;
  `,
};
