import type { Migration } from '../migrations';

/**
 * Search facets: the filters of the frequent searches as elements of one array, `facets`, indexed
 * with the text in a single multicolumn GIN index, so that « keywords + around a commune +
 * contract » is answered by intersecting posting lists inside the index, not by combining the
 * bitmaps of three indexes (which became lossy at a million offers and made PostgreSQL re-read
 * hundreds of thousands of rows).
 *
 * - « c:<contract> » per contract type, « d:<département> », « m:<commune> »;
 * - « g<n>:<row>:<column> »: the offer's cell at each grid resolution of 0.1°, 0.25°, 0.5°, 1°
 *   and 2° (floor(degrees / step), a coordinate within 1e-9° of 0 taken as 0: dividing a
 *   subnormal number would underflow): see `search/geo-cells.ts`, which computes the same cells.
 *
 * `offer_search_lexemes`: every lexeme of the indexed texts. A keyword's stem and root are
 * prefixes (« nettoyag:* »); the search expands them into the lexemes that exist, because a
 * prefix makes GIN gather every matching row into a bitmap before it can intersect anything
 * (55 ms against 13 ms at a million offers). No unique constraint: an insert never waits for
 * another transaction's new lexeme (no deadlock between concurrent offer writes); a rare
 * duplicate is harmless, the search reads distinct lexemes. Lexemes of removed offers stay: they
 * expand to nothing.
 *
 * Filled by a BEFORE trigger on `offer_search` (whatever writes the row), and for the rows there.
 */
const FACETS_FUNCTION = `
create or replace function offer_search_facets(p_contracts text[], p_lat float8, p_lon float8, p_commune text, p_dept text) returns text[]
language sql immutable parallel safe as $fn$
select array(select 'c:' || c from unnest(coalesce(p_contracts, '{}'::text[])) as c)
  || case when p_commune is null then '{}'::text[] else array['m:' || p_commune] end
  || case when p_dept is null then '{}'::text[] else array['d:' || p_dept] end
  || case when p_lat is null or p_lon is null then '{}'::text[] else
       array(select 'g' || g.n || ':' || floor(p.lat / g.step)::bigint || ':' || floor(p.lon / g.step)::bigint
               from unnest(array[0.1, 0.25, 0.5, 1, 2]::float8[]) with ordinality as g(step, n),
                    (select case when abs(p_lat) < 1e-9 then 0 else p_lat end as lat,
                            case when abs(p_lon) < 1e-9 then 0 else p_lon end as lon) as p
              order by g.n) end
$fn$`;

const TRIGGER_FUNCTION = `
create or replace function offer_search_facets_trigger() returns trigger
language plpgsql as $fn$
begin
  new.facets := offer_search_facets(new.contract_types, new.lat, new.lon, new.commune_code, new.department);
  if tg_op = 'INSERT' or new.tsv is distinct from old.tsv then
    insert into offer_search_lexemes (lexeme) select l from unnest(tsvector_to_array(new.tsv)) as l where not exists (select 1 from offer_search_lexemes v where v.lexeme = l);
  end if;
  return new;
end $fn$`;

const oneLine = (sql: string) => sql.replace(/\s*\n\s*/g, ' ').trim();

export const OFFER_SEARCH_FACETS_MIGRATION: Migration = {
  id: 15,
  name: 'offer search facets',
  sql: `
    alter table offer_search add column facets text[] not null default '{}';
    create table offer_search_lexemes (lexeme text collate "C" not null);
    create index offer_search_lexemes_lexeme on offer_search_lexemes (lexeme);
    insert into offer_search_lexemes (lexeme) select distinct unnest(tsvector_to_array(tsv)) from offer_search;
    ${oneLine(FACETS_FUNCTION)};
    ${oneLine(TRIGGER_FUNCTION)};
    create trigger offer_search_facets_fill before insert or update on offer_search
      for each row execute function offer_search_facets_trigger();
    update offer_search set facets = offer_search_facets(contract_types, lat, lon, commune_code, department);
    analyze offer_search_lexemes;
    drop index offer_search_tsv;
    create index offer_search_text_facets on offer_search using gin (tsv, facets);
  `,
};
