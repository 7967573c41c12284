import type { Migration } from '../migrations';

export const CVS_MIGRATION: Migration = {
  id: 9,
  name: 'candidate CVs, folders and the cvs replicated collection',
  sql: `
    select 1;
  `,
};
