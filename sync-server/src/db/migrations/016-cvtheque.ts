import type { Migration } from '../migrations';

/**
 * Issue 5, the CVthèque on the server (`sync-server/src/cvtheque/`):
 * - `cv_search`: one row per CV of the CVthèque projection (`cvs`), written in TypeScript with the
 *   projection: `stems` are the keys of `cvStems(doc)` (shared French normalisation), `facets` the
 *   filters (« r:<rqth> », « q:<qualification> », « d:<domain> », « c:<contract> »,
 *   « a:<availability> », « l:<licence> », « n:<language> », « o:<ROME code> », « g:<département> »,
 *   « m:<commune> », « p:<row>:<column> » grid cells of 0.5° around each position), `weights` the
 *   weight of each stem (`cvStems`: scoring without reading the whole document). A GIN index on
 *   each pre-selects the CVs the server search then scores with `scoreCv`. Filled for existing
 *   projections at startup (`ensureCvSearchIndex`): stems are computed in TypeScript, not SQL.
 * - `cvtheque_scopes`: per organisation, the (département, domain) keys of the CVthèque that its
 *   members replicate (nearest first, up to the cap), and how many CVs that is.
 * - `applications_cv`: the applications made with a CV (who else replicates it).
 */
export const CVTHEQUE_MIGRATION: Migration = {
  id: 16,
  name: 'CVthèque search index and replication scopes',
  sql: `
    create table cv_search (
      id text primary key,
      stems text[] not null,
      facets text[] not null,
      weights jsonb not null default '{}'::jsonb,
      updated_at timestamptz not null default now()
    );
    create index cv_search_stems on cv_search using gin (stems);
    create index cv_search_facets on cv_search using gin (facets);

    create table cvtheque_scopes (
      organisation_id uuid primary key references organisations(id) on delete cascade,
      keys text[] not null,
      cv_count int not null,
      computed_at timestamptz not null
    );

    -- The organisations a CV was sent to: they replicate it (cvtheque/audience.ts).
    create index applications_cv on applications ((doc->>'cvId')) where not deleted and doc->>'cvId' is not null;
  `,
};
