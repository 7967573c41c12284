import type { Migration } from '../migrations';

export const APPLICATIONS_MIGRATION: Migration = {
  id: 11,
  name: 'applications and offer selections',
  sql: `
    select 1;
  `,
};
