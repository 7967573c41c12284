import type { Migration } from '../migrations';

/**
 * Issue 7, messaging (review fixes):
 * - `conversation_candidate_marks`: the candidate's own marks on a conversation (read up to
 *   `read_at`, hidden up to `hidden_at`), kept on the server only: they never replicate to the
 *   organisation's members. ISO strings, compared with the conversation's `lastMessageAt`.
 *   Existing marks are moved from the documents.
 * - `cv_lists` by organisation (the messaging facts and recipients look up an organisation's lists).
 * - one open report per (conversation, reporter): a second report updates the reason.
 */
export const MESSAGING_INDEXES_MIGRATION: Migration = {
  id: 28,
  name: 'messaging indexes',
  sql: `
    create table conversation_candidate_marks (
      conversation_id text not null,
      account_id uuid not null references accounts(id) on delete cascade,
      read_at text,
      hidden_at text,
      primary key (conversation_id, account_id)
    );
    create index conversation_candidate_marks_account on conversation_candidate_marks (account_id);

    insert into conversation_candidate_marks (conversation_id, account_id, read_at, hidden_at)
    select c.id, a.id, c.doc->>'candidateReadAt',
           (select max(h->>'at') from jsonb_array_elements(c.doc->'hiddenBy') h
             where h->>'accountId' = c.doc->>'candidateId')
      from conversations c join accounts a on a.id::text = c.doc->>'candidateId'
     where not c.deleted;

    create index cv_lists_organisation on cv_lists ((doc->>'organisationId')) where not deleted;
  `,
};
