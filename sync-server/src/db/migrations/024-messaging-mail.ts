import type { Migration } from '../migrations';

/**
 * Issue 7, messaging by e-mail: the server's signing secret, notification and digest state, and
 * the replies received by e-mail (so a message an SMTP client sends twice lands once).
 *
 * - `server_secrets`: secrets generated once per installation (the reply addresses' HMAC key when
 *   `MESSAGING_SECRET` is not set). Shared by every server instance of the database.
 * - `messaging_mail_state`: per candidate account, when they were last e-mailed about messages
 *   (immediately or by a digest): within 30 minutes, new messages wait for the digest.
 * - `messaging_mail_pending`: the messages waiting for a candidate's digest, with what the e-mail
 *   shows (copied when the message was stored: messages are immutable).
 * - `messaging_mail_inbound`: replies received by e-mail, by the hash of their Message-ID and
 *   conversation, and what became of them.
 *
 * Rows about a candidate go with their account (`on delete cascade`, RGPD erasure).
 */
export const MESSAGING_MAIL_MIGRATION: Migration = {
  id: 24,
  name: 'messaging mail',
  sql: `
    create table server_secrets (
      name text primary key,
      value text not null,
      created_at timestamptz not null default now()
    );

    create table messaging_mail_state (
      account_id uuid primary key references accounts(id) on delete cascade,
      last_notified_at timestamptz
    );

    create table messaging_mail_pending (
      id bigserial primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      conversation_id text not null,
      message_id text not null unique,
      organisation_name text not null,
      subject text not null,
      author_name text not null,
      body text not null,
      attachment_names jsonb not null default '[]'::jsonb,
      sent_at timestamptz not null,
      created_at timestamptz not null
    );
    create index messaging_mail_pending_account on messaging_mail_pending (account_id, id);

    create table messaging_mail_inbound (
      message_key text not null,
      conversation_id text not null,
      account_id uuid not null references accounts(id) on delete cascade,
      outcome text not null,
      received_at timestamptz not null,
      primary key (message_key, conversation_id)
    );
    create index messaging_mail_inbound_account on messaging_mail_inbound (account_id);
  `,
};
