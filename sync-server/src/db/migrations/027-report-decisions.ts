import type { Migration } from '../migrations';

/**
 * Issue 7, moderation of reported conversations (`sync-server/src/messaging/moderation.ts`): a
 * moderator's decision resolves every open report of the conversation — when, by whom, which
 * decision (« classer » or « suspendre-candidat ») and the moderator's optional note. Open reports
 * (not resolved yet) are found by conversation.
 */
export const REPORT_DECISIONS_MIGRATION: Migration = {
  id: 27,
  name: 'report decisions',
  sql: `
    alter table conversation_reports add column resolved_at timestamptz;
    alter table conversation_reports add column resolved_by uuid references accounts(id) on delete set null;
    alter table conversation_reports add column decision text
      check (decision is null or decision in ('classer', 'suspendre-candidat'));
    alter table conversation_reports add column decision_note text;
    create index conversation_reports_open on conversation_reports (conversation_id) where resolved_at is null;
  `,
};
