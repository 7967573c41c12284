import type { Migration } from '../migrations';

/**
 * Issue 5, saved lists, search history and favourite alerts:
 * - `cv_lists`, `searches`: the replicated collections `cvLists` and `searches` (DESIGN §5 table
 *   layout: document, audience keys, tombstone flag, position).
 * - `cv_search_alerts`: which CV each favourite search already alerted about (each CV once).
 * - `cv_search_alert_runs`: the day each favourite search was last checked (once a day, Paris).
 */
export const CV_LISTS_SEARCHES_MIGRATION: Migration = {
  id: 17,
  name: 'saved CV lists, search history, favourite search alerts',
  sql: `
    create table cv_lists (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index cv_lists_position on cv_lists (txid, seq);
    create index cv_lists_keys on cv_lists using gin (keys);

    create table searches (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index searches_position on searches (txid, seq);
    create index searches_keys on searches using gin (keys);
    create index searches_favourite on searches ((doc->>'favourite')) where not deleted;

    create table cv_search_alerts (
      search_id text not null,
      cv_id text not null,
      sent_at timestamptz not null,
      primary key (search_id, cv_id)
    );

    create table cv_search_alert_runs (
      search_id text not null,
      day date not null,
      ran_at timestamptz not null,
      cvs integer not null default 0,
      primary key (search_id, day)
    );
  `,
};
