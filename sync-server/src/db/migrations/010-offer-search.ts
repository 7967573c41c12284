import type { Migration } from '../migrations';

export const OFFER_SEARCH_MIGRATION: Migration = {
  id: 10,
  name: 'offer search index',
  sql: `
    select 1;
  `,
};
