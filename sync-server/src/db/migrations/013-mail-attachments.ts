import type { Migration } from '../migrations';

/**
 * E-mails with attachments, copies and a reply address (a CV sent by e-mail, seed 002 « Envoyer
 * par courriel »), and the log of the CVs a candidate sent (their « messages envoyés », and the
 * daily limit). The attachments of an e-mail are dropped once it is sent.
 */
export const MAIL_ATTACHMENTS_MIGRATION: Migration = {
  id: 13,
  name: 'e-mail attachments, copies and reply address; CVs sent by e-mail',
  sql: `
    alter table email_outbox add column attachments jsonb;
    alter table email_outbox add column cc_addresses text[];
    alter table email_outbox add column reply_to text;

    create table cv_sends (
      id uuid primary key,
      account_id uuid not null,
      cv_id uuid not null,
      to_address text not null,
      cc_addresses text[] not null default '{}',
      subject text not null,
      layout text not null,
      sort_order text not null,
      outbox_id bigint,
      sent_at timestamptz not null
    );
    create index cv_sends_account on cv_sends (account_id, sent_at desc);
  `,
};
