import type { Migration } from '../migrations';

/**
 * Extra headers of a queued e-mail, from a small allow-list (`List-Unsubscribe`,
 * `List-Unsubscribe-Post`, `List-Id`: RFC 2369, 2919 and 8058 one-click unsubscribe of the alert
 * e-mails), as a JSON object `{ name: value }`. Null when the e-mail has none.
 */
export const MAIL_HEADERS_MIGRATION: Migration = {
  id: 18,
  name: 'e-mail list headers (one-click unsubscribe)',
  sql: `
    alter table email_outbox add column headers jsonb;
  `,
};
