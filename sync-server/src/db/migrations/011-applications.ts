import type { Migration } from '../migrations';

/**
 * Applications (replicated collection `applications`), the follow links of applications made
 * without an account, the CV files uploaded without an account, and the candidate's offer binder
 * (« Mes sélections »).
 *
 * One active application per candidate and offer (or company + fiche de poste) on the portal, and
 * one per e-mail and offer without an account: partial unique indexes, so two requests racing
 * each other can never both write. Fair captures (`salon`, `email`, `session`) are outside them:
 * recruiters' duplicates are flagged (`duplicateOf`), not refused.
 */
export const APPLICATIONS_MIGRATION: Migration = {
  id: 11,
  name: 'applications and offer selections',
  sql: `
    create table applications (
      id text primary key,
      doc jsonb not null,
      keys text[] not null,
      deleted boolean not null default false,
      txid bigint not null,
      seq bigint not null
    );
    create index applications_position on applications (txid, seq);
    create index applications_keys on applications using gin (keys);
    create index applications_candidate on applications ((doc->>'candidateId'), (doc->>'createdAt'))
      where not deleted and doc->>'candidateId' is not null;
    create index applications_offer on applications ((doc->>'offerId')) where not deleted;

    create unique index applications_one_active_per_candidate on applications (
      (doc->>'candidateId'),
      (coalesce(doc->>'offerId', 'entreprise:' || coalesce(doc->>'companyId', '') || ':' || coalesce(doc->>'jobId', '')))
    ) where not deleted and doc->>'candidateId' is not null
        and doc->>'source' in ('portail', 'spontanee', 'proposition')
        and doc->>'status' in ('proposee', 'nouvelle', 'a_l_etude', 'entretien', 'preselectionnee', 'embauchee');

    create unique index applications_one_active_per_email on applications (
      (lower(doc->'applicant'->>'email')),
      (coalesce(doc->>'offerId', 'entreprise:' || coalesce(doc->>'companyId', '') || ':' || coalesce(doc->>'jobId', '')))
    ) where not deleted and doc->>'candidateId' is null
        and doc->>'source' in ('portail', 'spontanee')
        and doc->>'status' in ('proposee', 'nouvelle', 'a_l_etude', 'entretien', 'preselectionnee', 'embauchee');

    -- The link e-mailed to a person who applied without an account (only its hash is kept).
    create table application_follow_tokens (
      token_hash text primary key,
      application_id text not null,
      created_at timestamptz not null default now()
    );
    create index application_follow_tokens_application on application_follow_tokens (application_id);

    -- CV and letter files sent without an account: only these may be attached to such an application.
    create table public_application_files (
      sha256 text not null,
      ip text not null,
      created_at timestamptz not null
    );
    create index public_application_files_sha on public_application_files (sha256);
    create index public_application_files_ip on public_application_files (ip, created_at);

    -- Applications sent without an account, per address, for the rate limit.
    create table public_application_attempts (
      ip text not null,
      at timestamptz not null
    );
    create index public_application_attempts_ip on public_application_attempts (ip, at);

    -- « Mes sélections »: the offer as it was when added, so a withdrawn offer still shows.
    create table offer_selections (
      account_id uuid not null,
      offer_id text not null,
      snapshot jsonb not null,
      created_at timestamptz not null,
      primary key (account_id, offer_id)
    );
    create index offer_selections_account on offer_selections (account_id, created_at);
  `,
};
