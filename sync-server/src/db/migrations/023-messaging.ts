import type { Migration } from '../migrations';

/**
 * Issue 7, messaging (`sync-server/src/messaging/`):
 * - `conversations`, `messages`: the replicated collections (DESIGN §5 table layout: document,
 *   audience keys, tombstone flag, position). Conversations are found by candidate and
 *   organisation (the rules' facts, the portal's inbox, RGPD) and by organisation in inbox order;
 *   messages by conversation in the order the server accepted them, by candidate (RGPD, prior
 *   exchange) and by author and time (rate limit).
 * - `messaging_blocks`: who blocked whom: a candidate blocking an organisation, or a member
 *   blocking a candidate for the whole organisation (one row per side).
 * - `conversation_reports`: « signaler » — a conversation sent to the moderators, by whom and why.
 */
export const MESSAGING_MIGRATION: Migration = {
  id: 23,
  name: 'messaging',
  sql: `
    create table conversations (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index conversations_position on conversations (txid, seq);
    create index conversations_keys on conversations using gin (keys);
    create index conversations_candidate on conversations ((doc->>'candidateId'), (doc->>'organisationId'))
      where not deleted;
    create index conversations_organisation on conversations ((doc->>'organisationId'), (doc->>'inboxKey'))
      where not deleted;
    create index conversations_reported on conversations ((doc->>'reportedAt'))
      where not deleted and doc->>'reportedAt' is not null;

    create table messages (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index messages_position on messages (txid, seq);
    create index messages_keys on messages using gin (keys);
    create index messages_conversation on messages ((doc->>'conversationId'), (doc->>'sentAt'))
      where not deleted;
    create index messages_candidate on messages ((doc->>'candidateId'), (doc->>'organisationId'))
      where not deleted;
    create index messages_author on messages ((doc->>'authorId'), (doc->>'sentAt')) where not deleted;

    create table messaging_blocks (
      candidate_account_id uuid not null references accounts(id) on delete cascade,
      organisation_id uuid not null references organisations(id) on delete cascade,
      blocked_by text not null check (blocked_by in ('candidate', 'organisation')),
      blocked_by_account uuid references accounts(id) on delete set null,
      at timestamptz not null,
      primary key (candidate_account_id, organisation_id, blocked_by)
    );
    create index messaging_blocks_organisation on messaging_blocks (organisation_id);

    create table conversation_reports (
      id uuid primary key,
      conversation_id text not null,
      reporter_id uuid references accounts(id) on delete set null,
      reporter_kind text not null check (reporter_kind in ('candidate', 'organisation')),
      reason text not null,
      at timestamptz not null
    );
    create index conversation_reports_conversation on conversation_reports (conversation_id, at);
  `,
};
