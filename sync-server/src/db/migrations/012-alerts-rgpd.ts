import type { Migration } from '../migrations';

export const ALERTS_RGPD_MIGRATION: Migration = {
  id: 12,
  name: 'saved searches, alerts and RGPD retention',
  sql: `
    select 1;
  `,
};
