import type { Migration } from '../migrations';

/**
 * Company profiles (replicated collection `companies`) and the groups or networks moderators
 * keep (seed 004 « groupe de distribution »).
 *
 * `search` is the profile's name in lower case without accents, for the portal's directory. The
 * sync engine writes only the replicated columns, and `unaccent` is not immutable (no generated
 * column), so a trigger keeps it. Function bodies stay on one line: the migration runner splits
 * statements at a semicolon that ends a line.
 */
export const COMPANIES_MIGRATION: Migration = {
  id: 5,
  name: 'company profiles, company groups',
  sql: `
      create table companies (
        id text primary key,
        doc jsonb not null,
        keys text[] not null,
        deleted boolean not null default false,
        txid bigint not null,
        seq bigint not null,
        search text not null default ''
      );
      create index companies_position on companies (txid, seq);
      create index companies_keys on companies using gin (keys);
      create index companies_organisation on companies ((doc->>'organisationId'));
      -- The portal's directory: published profiles by name, by sector, and name search.
      create index companies_published_name on companies (search, id)
        where not deleted and doc->>'published' = 'true';
      create index companies_published_sector on companies ((doc->>'sector'), search)
        where not deleted and doc->>'published' = 'true';
      create index companies_search_trgm on companies using gin (search gin_trgm_ops)
        where not deleted and doc->>'published' = 'true';

      create function companies_search_text() returns trigger language plpgsql as $$ begin new.search := lower(unaccent(coalesce(new.doc->>'name', ''))); return new; end $$;
      create trigger companies_search before insert or update of doc on companies
        for each row execute function companies_search_text();

      -- A company's published offers (offers carry the profile's id as companyId).
      create index offers_published_company on offers ((doc->>'companyId'))
        where doc->>'status' = 'publiee' and not deleted;

      create table company_groups (
        id uuid primary key,
        name text not null,
        kind text not null check (kind in ('groupe','reseau')),
        created_at timestamptz not null default now(),
        -- No foreign key: a group outlives the account of the moderator who created it.
        created_by uuid,
        updated_at timestamptz not null default now()
      );
      create unique index company_groups_name on company_groups (lower(name));
  `,
};
