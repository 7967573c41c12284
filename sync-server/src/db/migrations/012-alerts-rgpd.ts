import type { Migration } from '../migrations';

/**
 * Saved searches and their daily e-mail alerts (seed 002), and RGPD retention (seed 004: an
 * account inactive for 2 years is erased, after a warning 30 days before).
 *
 * - `saved_searches`: one row per named search; the subscription ends at `expires_at` (3 months
 *   after creation or the last renewal); `last_alert_at` is where the next alert starts looking for
 *   new offers; `unsubscribe_token` is the random token of the one-click link in every e-mail.
 * - `saved_search_deliveries`: each offer mailed for a subscription, once and only once (primary key).
 * - `saved_search_runs`: the alert run of a subscription for a day (Europe/Paris), so repeated ticks,
 *   restarts or several instances send at most one e-mail per subscription and day.
 * - `accounts.last_active_at`: last sign-in or use of the API (at most one update a day);
 *   `accounts.retention_warned_at`: when the inactivity warning was sent (a warning counts for the
 *   inactivity period that started at `last_active_at`).
 */
export const ALERTS_RGPD_MIGRATION: Migration = {
  id: 12,
  name: 'saved searches, alerts and RGPD retention',
  sql: `
    alter table accounts
      add column last_active_at timestamptz,
      add column retention_warned_at timestamptz;
    update accounts set last_active_at = created_at where last_active_at is null;
    create index accounts_candidate_activity on accounts (last_active_at)
      where kind = 'candidate' and disabled_at is null;

    create table saved_searches (
      id uuid primary key,
      account_id uuid not null references accounts(id) on delete cascade,
      name text not null,
      criteria jsonb not null,
      created_at timestamptz not null,
      renewed_at timestamptz not null,
      expires_at timestamptz not null,
      alert_enabled boolean not null default true,
      last_alert_at timestamptz not null,
      expiry_warned_at timestamptz,
      unsubscribe_token text not null unique
    );
    create index saved_searches_account on saved_searches (account_id, created_at);
    create index saved_searches_active on saved_searches (expires_at) where alert_enabled;

    create table saved_search_deliveries (
      search_id uuid not null references saved_searches(id) on delete cascade,
      offer_id text not null,
      sent_at timestamptz not null,
      primary key (search_id, offer_id)
    );

    create table saved_search_runs (
      search_id uuid not null references saved_searches(id) on delete cascade,
      day date not null,
      ran_at timestamptz not null,
      offers int not null default 0,
      primary key (search_id, day)
    );
  `,
};
