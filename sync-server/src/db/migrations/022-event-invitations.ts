import type { Migration } from '../migrations';

/**
 * Issue 6, invitations to a recruitment session or a fair: an advisor (or a recruiter) invites
 * the people behind CVthèque CVs; one invitation per event and CV, ever. The row names no one:
 * the CV's id only (erased with the CV), and who invited.
 */
export const EVENT_INVITATIONS_MIGRATION: Migration = {
  // 21 is the spouse searches' (H-spouse, same issue): this one comes after it.
  id: 22,
  name: 'event invitations',
  sql: `
    create table event_invitations (
      event_id text not null,
      cv_id uuid not null references candidate_cvs(id) on delete cascade,
      invited_by uuid references accounts(id) on delete set null,
      invited_at timestamptz not null,
      primary key (event_id, cv_id)
    );
    create index event_invitations_cv on event_invitations (cv_id);
  `,
};
