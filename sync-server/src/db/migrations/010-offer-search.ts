import type { Migration } from '../migrations';

/**
 * The offer search index (seed 002 « La recherche d'offres »): a side table `offer_search` with
 * one row per published offer, kept in sync by a trigger on `offers` so that every write path
 * (pushes, moderation, expiry job, seeds, bulk inserts) is covered, and filled for the offers
 * already there.
 *
 * - `tsv`: French full text (`french` configuration) over the unaccented title and job title
 *   (weight A) and description (weight B).
 * - `title_norm`: the title folded (lower case, no accents), with a trigram index.
 * - `offer_search_words`: the vocabulary of the titles (folded words), with a trigram index:
 *   a misspelt keyword (« boulanjer ») is corrected against it (« boulanger »).
 * - Filters as plain columns with btree indexes; `lat`/`lon` for the radius search (a bounding
 *   box on the (lat, lon) index first, then the exact haversine distance).
 *
 * The migration runner splits statements on a semicolon at the end of a line: the function
 * bodies below keep every semicolon inside a line.
 */
const REFRESH_FUNCTION = `
create or replace function offer_search_refresh(p_id text, d jsonb, p_deleted boolean) returns void
language plpgsql as $fn$
declare v_title text; v_rome text; v_commune text; v_postal text; v_dept text; v_period text; v_min numeric; v_max numeric; v_factor numeric;
begin
  if p_deleted or d is null or d->>'status' is distinct from 'publiee' then delete from offer_search where id = p_id; return; end if;
  v_title := coalesce(d->>'title', '');
  v_rome := nullif(upper(d->>'romeCode'), '');
  v_commune := nullif(upper(d->>'communeCode'), '');
  v_postal := nullif(d->>'postalCode', '');
  v_dept := case
    when v_commune ~ '^9[78]' then left(v_commune, 3)
    when v_commune is not null then left(v_commune, 2)
    when v_postal ~ '^9[78]' then left(v_postal, 3)
    when v_postal ~ '^20[01]' then '2A'
    when v_postal ~ '^20' then '2B'
    when v_postal is not null then left(v_postal, 2)
    else null end;
  v_period := d->>'salaryPeriod';
  v_factor := case v_period when 'horaire' then 151.67 when 'annuel' then 1.0 / 12 else 1 end;
  v_min := case when jsonb_typeof(d->'salaryMin') = 'number' then round((d->'salaryMin')::numeric * v_factor) end;
  v_max := case when jsonb_typeof(d->'salaryMax') = 'number' then round((d->'salaryMax')::numeric * v_factor) end;
  insert into offer_search (id, tsv, title_norm, rome_code, appellation, domain, contract_types, qualification, working_time, salary_monthly_min, salary_monthly_max, seasonal, published_at, lat, lon, commune_code, department)
  values (
    p_id,
    setweight(to_tsvector('french', search_unaccent(v_title || ' ' || coalesce(d->>'jobTitle', ''))), 'A') || setweight(to_tsvector('french', search_unaccent(coalesce(d->>'description', ''))), 'B'),
    lower(search_unaccent(v_title)),
    v_rome,
    nullif(d->>'appellationCode', ''),
    left(v_rome, 1),
    coalesce(array(select jsonb_array_elements_text(case when jsonb_typeof(d->'contractTypes') = 'array' then d->'contractTypes' else '[]'::jsonb end)), '{}'),
    d->>'qualification',
    d->>'workingTime',
    v_min,
    coalesce(v_max, v_min),
    coalesce((d->>'seasonal')::boolean, false),
    case when d->>'publishedAt' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' then (d->>'publishedAt')::timestamptz end,
    case when jsonb_typeof(d->'latitude') = 'number' then (d->'latitude')::float8 end,
    case when jsonb_typeof(d->'longitude') = 'number' then (d->'longitude')::float8 end,
    v_commune,
    v_dept)
  on conflict (id) do update set tsv = excluded.tsv, title_norm = excluded.title_norm, rome_code = excluded.rome_code, appellation = excluded.appellation, domain = excluded.domain, contract_types = excluded.contract_types, qualification = excluded.qualification, working_time = excluded.working_time, salary_monthly_min = excluded.salary_monthly_min, salary_monthly_max = excluded.salary_monthly_max, seasonal = excluded.seasonal, published_at = excluded.published_at, lat = excluded.lat, lon = excluded.lon, commune_code = excluded.commune_code, department = excluded.department;
  insert into offer_search_words (word) select distinct w from regexp_split_to_table(lower(search_unaccent(v_title)), '[^a-z0-9]+') as w where length(w) between 3 and 40 on conflict do nothing;
end $fn$`;

const TRIGGER_FUNCTION = `
create or replace function offers_search_trigger() returns trigger
language plpgsql as $fn$
begin
  if tg_op = 'DELETE' then perform offer_search_refresh(old.id, null, true); return old; end if;
  perform offer_search_refresh(new.id, new.doc, new.deleted); return new;
end $fn$`;

/** A function body on one line: the runner splits on « ; » at the end of a line. */
const oneLine = (sql: string) => sql.replace(/\s*\n\s*/g, ' ').trim();

export const OFFER_SEARCH_MIGRATION: Migration = {
  id: 10,
  name: 'offer search index',
  sql: `
    -- unaccent() is only stable (its dictionary can change): this wrapper, immutable, may be used
    -- in index expressions and generated values.
    create or replace function search_unaccent(text) returns text
      language sql immutable parallel safe strict
      as $fn$ select unaccent('unaccent'::regdictionary, $1) $fn$;

    create table offer_search (
      id text primary key,
      tsv tsvector not null,
      title_norm text not null,
      rome_code text,
      appellation text,
      domain text,
      contract_types text[] not null default '{}',
      qualification text,
      working_time text,
      salary_monthly_min numeric,
      salary_monthly_max numeric,
      seasonal boolean not null default false,
      published_at timestamptz,
      lat double precision,
      lon double precision,
      commune_code text,
      department text
    );
    create index offer_search_tsv on offer_search using gin (tsv);
    create index offer_search_title_trgm on offer_search using gin (title_norm gin_trgm_ops);
    create index offer_search_position on offer_search (lat, lon);
    create index offer_search_published on offer_search (published_at desc nulls last, id);
    create index offer_search_rome on offer_search (rome_code);
    create index offer_search_department on offer_search (department);
    create index offer_search_commune on offer_search (commune_code);
    create index offer_search_salary on offer_search (salary_monthly_max);

    create table offer_search_words (word text primary key);
    create index offer_search_words_trgm on offer_search_words using gin (word gin_trgm_ops);

    -- « Envoyer à un ami »: who shared how often (the address hashed), for the rate limit.
    create table offer_shares (
      sender_key text not null,
      at timestamptz not null
    );
    create index offer_shares_sender on offer_shares (sender_key, at);
    create index offer_shares_at on offer_shares (at);

    ${oneLine(REFRESH_FUNCTION)};
    ${oneLine(TRIGGER_FUNCTION)};

    create trigger offers_search_sync after insert or update or delete on offers
      for each row execute function offers_search_trigger();

    select offer_search_refresh(id, doc, deleted) from offers where not deleted and doc->>'status' = 'publiee';
  `,
};
