import type { Migration } from '../migrations';

/**
 * Issue 6, fairs and recruitment sessions: `events`, the replicated collection (DESIGN §5 table
 * layout); the portal's agenda reads the public planned ones by date; registrations from the
 * portal are counted per address and hour (the same rule as the public applications).
 */
export const EVENTS_MIGRATION: Migration = {
  id: 20,
  name: 'events: fairs and recruitment sessions',
  sql: `
    create table events (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index events_position on events (txid, seq);
    create index events_keys on events using gin (keys);
    create index events_agenda on events ((doc->>'date'))
      where not deleted and doc->>'public' = 'true' and doc->>'status' = 'planifiee';
    create index applications_event on applications ((doc->>'eventId'))
      where not deleted and doc->>'eventId' is not null;

    create table event_registration_attempts (
      ip text not null,
      at timestamptz not null
    );
    create index event_registration_attempts_ip on event_registration_attempts (ip, at);
  `,
};
