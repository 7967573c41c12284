/**
 * The offer search engine (seed 002 « La recherche d'offres »): plain functions over SQL, no HTTP.
 * Used by the portal's search route, the RSS/Atom feeds, the saved-search alerts and the « offres
 * correspondant à ce CV » route.
 *
 * It reads the side table `offer_search` (migration 010, one row per published offer, kept in sync
 * by a trigger on `offers`):
 * - keywords (at most 5) in title and description, French-aware: accents and case folded, each
 *   keyword matched by its French stem and by its root as a prefix (plurals, feminine forms,
 *   « boulangerie » / « boulanger »), a misspelt keyword corrected against the vocabulary of the
 *   titles by trigram similarity; « strictement »: every keyword, as a whole word;
 * - a commune with a radius (the grid cells covering its box, intersected with the keywords and
 *   contracts in the text-and-facets index, migration 015; then the haversine distance),
 *   a département or a région;
 * - an appellation or a ROME code, with the close results of seed 002: the other appellations of
 *   the same ROME code, the nearby ROME codes (`rome_mobility`), a wider radius;
 * - filters: contract types, domain, qualification, working time, publication date, salary, seasonal.
 * Results: exact ones first, then close ones, each ranked (relevance, date, distance or salary),
 * at most `MAX_RESULTS`, paged.
 */

import { normaliseOfferNumber } from '../../../shared/domain/offer-number';
import {
  type CloseReason,
  keywordList,
  keywordRoot,
  MAX_RESULTS,
  type OfferSearchCriteria,
  type OfferSearchResult,
  type PublicOfferHit,
  SEARCH_PAGE_SIZE,
  type SearchSort,
  validateCriteria,
  WIDER_RADIUS_FACTOR,
  WIDER_RADIUS_MIN_KM,
} from '../../../shared/domain/offer-search';
import { toPublicOffer } from '../../../shared/domain/public-offer';
import type { OfferDoc } from '../../../shared/schemas/offer.schema';
import type { FieldError } from '../../../shared/sync/errors';
import { clock } from '../clock';
import type { Queryable } from '../db/database';
import { cellsCovering } from './geo-cells';
import { type ResolvedPlace, resolvePlace } from './places';

export interface OfferSearchOptions {
  page?: number;
  pageSize?: number;
  /** ISO instant: only offers published after it (alerts). */
  publishedSince?: string;
  /** Default: relevance. */
  sort?: SearchSort;
}

/** What was understood of the criteria, for the form (labels of the place and the job). */
export interface SearchContext {
  place?: { kind: string; code: string; label: string };
  appellation?: { code: string; label: string; romeCode: string };
  romeCode?: { code: string; label: string };
}

export type OfferSearchResultWithContext = OfferSearchResult & { context: SearchContext };

/** Criteria that cannot be searched (French messages naming the fields). */
export class SearchCriteriaError extends Error {
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => f.message).join(' '));
    this.name = 'SearchCriteriaError';
  }
}

/** Builds positional parameters. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

const EARTH_RADIUS_KM = 6371.0088;
/** Similarity a title word needs to correct a misspelt keyword. */
const TYPO_SIMILARITY = 0.4;
/** Relevance of a close result, against an exact one, per reason. */
const CLOSE_FACTORS: Record<CloseReason, number> = {
  autre_appellation: 0.75,
  metier_proche: 0.5,
  rayon_elargi: 0.7,
};

/** A tsquery lexeme (our keywords are [a-z0-9]+, stems too; quoted all the same). */
const lexeme = (word: string, prefix: boolean) => `'${word.replace(/'/g, "''")}'${prefix ? ':*' : ''}`;

interface KeywordPlan {
  word: string;
  /** tsquery (simple configuration) of the keyword itself: stem and root prefix. */
  main: string | null;
  /** tsquery of the corrections of a misspelt keyword. */
  fixes: string | null;
}

/** Above this many lexemes, a prefix stays a prefix in the query (« 'mot':* ») rather than a list. */
const MAX_EXPANSION = 200;

/** The smallest string above every string that starts with `prefix` ([a-z0-9] words, C collation). */
const prefixEnd = (prefix: string) =>
  prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/**
 * Stems each keyword (`french_stem`) and expands its stem and root, which match as prefixes, into
 * the lexemes that exist (`offer_search_lexemes`, migration 015): the text index then looks up
 * whole lexemes, which it intersects with the facets without reading every row of the prefix.
 * A keyword that matches nothing is corrected against the titles' vocabulary (trigram similarity).
 */
async function planKeywords(q: Queryable, words: string[]): Promise<KeywordPlan[]> {
  if (words.length === 0) return [];
  const { rows } = await q.query<{ word: string; stem: string | null }>(
    `select k.word, (ts_lexize('french_stem', k.word))[1] as stem
       from unnest($1::text[]) with ordinality as k(word, n) order by k.n`,
    [words],
  );
  // Each keyword: its stem (a prefix from 4 letters) and its root (a prefix, from 5 letters).
  const terms: { plan: number; text: string; prefix: boolean }[] = [];
  rows.forEach((r, plan) => {
    if (r.stem === null) return; // a stop word (« de », « et »)
    terms.push({ plan, text: r.stem, prefix: r.stem.length >= 4 });
    // A root shorter than 5 letters matches unrelated words (« vend » : vendeur, vendanges, vendredi).
    const root = keywordRoot(r.word);
    if (root.length >= 5 && root !== r.stem) terms.push({ plan, text: root, prefix: true });
  });
  const { rows: expanded } = await q.query<{ lexemes: string[] }>(
    `select array(select distinct v.lexeme from offer_search_lexemes v
                   where case when t.prefix then v.lexeme >= t.lo and v.lexeme < t.hi else v.lexeme = t.lo end
                   order by 1 limit ${MAX_EXPANSION + 1}) as lexemes
       from unnest($1::text[], $2::text[], $3::boolean[]) with ordinality as t(lo, hi, prefix, n) order by t.n`,
    [terms.map((t) => t.text), terms.map((t) => prefixEnd(t.text)), terms.map((t) => t.prefix)],
  );
  const plans: (KeywordPlan & { found: boolean; parts: Set<string> })[] = rows.map((r) => ({
    word: r.word,
    main: null,
    fixes: null,
    found: false,
    parts: new Set<string>(),
  }));
  terms.forEach((t, i) => {
    const plan = plans[t.plan]!;
    const lexemes = expanded[i]?.lexemes ?? [];
    if (lexemes.length > MAX_EXPANSION) plan.parts.add(lexeme(t.text, true));
    else for (const l of lexemes) plan.parts.add(lexeme(l, false));
    if (lexemes.length > 0) plan.found = true;
  });
  for (const [i, plan] of plans.entries()) {
    const stem = rows[i]!.stem;
    if (stem === null) continue;
    // Found nowhere: the stem itself, which matches nothing unless an offer brings it.
    plan.main = plan.found ? [...plan.parts].join(' | ') : lexeme(stem, false);
  }
  const unknown = plans.filter((p) => p.main && !p.found);
  if (unknown.length > 0) {
    const { rows: found } = await q.query<{ word: string; fixes: string[] }>(
      `select k.word,
              array(select coalesce((ts_lexize('french_stem', v.word))[1], v.word)
                      from offer_search_words v
                     where v.word % k.word and similarity(v.word, k.word) >= $2
                     order by similarity(v.word, k.word) desc, v.word limit 3) as fixes
         from unnest($1::text[]) as k(word)`,
      [unknown.map((p) => p.word), TYPO_SIMILARITY],
    );
    for (const f of found) {
      if (f.fixes.length === 0) continue;
      const plan = plans.find((p) => p.word === f.word)!;
      plan.fixes = [...new Set(f.fixes)].map((w) => lexeme(w, false)).join(' | ');
    }
  }
  return plans.map(({ word, main, fixes }) => ({ word, main, fixes }));
}

/** Haversine distance (km) from a point given as parameters to the row's position. */
function distanceSql(lat: string, lon: string): string {
  return `(2 * ${EARTH_RADIUS_KM} * asin(least(1, sqrt(
      power(sin(radians(s.lat - ${lat}) / 2), 2)
      + cos(radians(${lat})) * cos(radians(s.lat)) * power(sin(radians(s.lon - ${lon}) / 2), 2)))))`;
}

function sortSql(sort: SearchSort, prefix = ''): string {
  const p = prefix;
  switch (sort) {
    case 'date':
      return `${p}published_at desc nulls last, ${p}score desc, ${p}id`;
    case 'distance':
      return `${p}dist asc nulls last, ${p}score desc, ${p}id`;
    case 'salaire':
      return `${p}salary desc nulls last, ${p}score desc, ${p}id`;
    default:
      return `${p}score desc, ${p}published_at desc nulls last, ${p}id`;
  }
}

interface ResultRow {
  exact_total: string | number;
  close_total: string | number;
  shown: string | number;
  id: string | null;
  score: number | null;
  dist: number | null;
  is_close: boolean | null;
  reasons: CloseReason[] | null;
  doc: OfferDoc | null;
}

function toHit(row: ResultRow): PublicOfferHit {
  const hit: PublicOfferHit = {
    ...toPublicOffer(row.doc!),
    score: Math.round(Number(row.score) * 1000) / 1000,
  };
  if (row.dist !== null && row.dist !== undefined) hit.distanceKm = Math.round(Number(row.dist) * 10) / 10;
  if (row.is_close) hit.closeReasons = row.reasons ?? [];
  return hit;
}

/** One offer by its number (« 100001A »), when published: the search by number. */
async function searchByNumber(
  q: Queryable,
  number: string,
  options: OfferSearchOptions,
  pageSize: number,
): Promise<OfferSearchResultWithContext> {
  const params: unknown[] = [number];
  let since = '';
  if (options.publishedSince) {
    params.push(options.publishedSince);
    since = `and (doc->>'publishedAt')::timestamptz > $2::timestamptz`;
  }
  const { rows } = await q.query<{ doc: OfferDoc }>(
    `select doc from offers where doc->>'number' = $1 and not deleted and doc->>'status' = 'publiee' ${since}`,
    params,
  );
  const exact = rows.map((r) => ({ ...toPublicOffer(r.doc), score: 1 }));
  return {
    exact,
    close: [],
    total: exact.length,
    exactTotal: exact.length,
    closeTotal: 0,
    page: 1,
    pageSize,
    context: {},
  };
}

/**
 * Searches the published offers. Throws `SearchCriteriaError` (French, per field) on criteria
 * that cannot be searched: the caller answers 400.
 */
export async function searchOffers(
  q: Queryable,
  criteria: OfferSearchCriteria,
  options: OfferSearchOptions = {},
): Promise<OfferSearchResultWithContext> {
  const errors = validateCriteria(criteria);
  if (errors.length > 0) throw new SearchCriteriaError(errors);
  const pageSize = Math.max(1, Math.min(options.pageSize ?? SEARCH_PAGE_SIZE, MAX_RESULTS));
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const sort = options.sort ?? 'pertinence';

  if (criteria.offerNumber) {
    return searchByNumber(q, normaliseOfferNumber(criteria.offerNumber)!, options, pageSize);
  }

  const context: SearchContext = {};
  const p = new Params();
  const where: string[] = [];
  /** Groups of facets (migration 015), matched in the text-and-facets index. */
  const facets: string[][] = [];

  // ── Job: appellation (code OGR) or ROME code, with the nearby codes for the close results.
  let appellation: string | null = null;
  let rome: string | null = null;
  let nearby: string[] = [];
  if (criteria.appellation) {
    const { rows } = await q.query<{ label: string; rome_code: string }>(
      'select label, rome_code from rome_appellations where code_ogr = $1',
      [criteria.appellation],
    );
    if (!rows[0])
      throw new SearchCriteriaError([
        { field: 'appellation', message: 'Ce métier est inconnu : choisissez-le dans la liste proposée.' },
      ]);
    appellation = criteria.appellation;
    rome = rows[0].rome_code;
    context.appellation = { code: appellation, label: rows[0].label, romeCode: rome };
  } else if (criteria.romeCode) {
    rome = criteria.romeCode;
    const { rows } = await q.query<{ label: string }>('select label from rome_codes where code = $1', [rome]);
    if (rows[0]) context.romeCode = { code: rome, label: rows[0].label };
  }
  if (rome) {
    const { rows } = await q.query<{ target_code: string }>(
      'select target_code from rome_mobility where rome_code = $1 and target_code <> $1 order by rank',
      [rome],
    );
    nearby = rows.map((r) => r.target_code);
    where.push(`s.rome_code = any(${p.add([rome, ...nearby], '::text[]')})`);
  }

  // ── Place.
  let place: ResolvedPlace | null = null;
  if (criteria.place) {
    place = resolvePlace(criteria.place);
    if (!place)
      throw new SearchCriteriaError([
        {
          field: 'place',
          message:
            criteria.place.kind === 'commune'
              ? 'Cette commune est inconnue : choisissez-la dans la liste.'
              : criteria.place.kind === 'departement'
                ? 'Ce département est inconnu : choisissez-le dans la liste.'
                : 'Cette région est inconnue : choisissez-la dans la liste.',
        },
      ]);
    context.place = { kind: place.kind, code: place.code, label: place.label };
  }
  let distExpr = 'null::float8';
  let placeExact = 'true';
  let placeWide = 'true';
  if (place?.kind === 'commune') {
    const radius = criteria.radiusKm ?? 0;
    const wide = Math.max(radius * WIDER_RADIUS_FACTOR, WIDER_RADIUS_MIN_KM);
    const lat = p.add(place.lat, '::float8');
    const lon = p.add(place.lon, '::float8');
    const codes = p.add(place.codes, '::text[]');
    const dLat = wide / 111.2 + 0.001;
    const cos = Math.cos((place.lat * Math.PI) / 180);
    const dLon = cos > 0.01 ? wide / (111.2 * cos) + 0.001 : 180;
    const cells = cellsCovering(place.lat, place.lon, dLat, dLon);
    if (cells) {
      // The cells around the commune, and the commune itself (offers without a position): one
      // condition of the text-and-facets index; the exact distance is checked on its rows.
      facets.push([...cells, ...place.codes.map((code) => `m:${code}`)]);
    } else {
      where.push(
        `((s.lat between ${p.add(place.lat - dLat)} and ${p.add(place.lat + dLat)}
           and s.lon between ${p.add(place.lon - dLon)} and ${p.add(place.lon + dLon)})
          or s.commune_code = any(${codes}))`,
      );
    }
    distExpr = `case when s.lat is null or s.lon is null then (case when s.commune_code = any(${codes}) then 0::float8 end) else ${distanceSql(lat, lon)} end`;
    placeExact =
      radius > 0
        ? `(c.dist <= ${p.add(radius)} or c.commune_code = any(${codes}))`
        : `c.commune_code = any(${codes})`;
    placeWide = `(c.dist <= ${p.add(wide)} or c.commune_code = any(${codes}))`;
  } else if (place) {
    facets.push(place.departments.map((d) => `d:${d}`));
  }

  // ── Filters.
  if (criteria.contractTypes?.length) facets.push(criteria.contractTypes.map((c) => `c:${c}`));
  // Each group is « any of these facets »; the groups are all required.
  for (const group of facets) where.push(`s.facets && ${p.add(group, '::text[]')}`);
  if (criteria.domain) where.push(`s.domain = ${p.add(criteria.domain)}`);
  if (criteria.qualifications?.length)
    where.push(`s.qualification = any(${p.add(criteria.qualifications, '::text[]')})`);
  if (criteria.workingTimes?.length)
    where.push(`s.working_time = any(${p.add(criteria.workingTimes, '::text[]')})`);
  const now = clock.now();
  if (criteria.publishedWithinDays) {
    const since = new Date(now.getTime() - criteria.publishedWithinDays * 86_400_000).toISOString();
    where.push(`s.published_at >= ${p.add(since, '::timestamptz')}`);
  }
  if (options.publishedSince)
    where.push(`s.published_at > ${p.add(options.publishedSince, '::timestamptz')}`);
  if (criteria.salaryMin !== undefined && criteria.salaryMin > 0)
    where.push(`s.salary_monthly_max >= ${p.add(criteria.salaryMin)}`);
  if (criteria.seasonal) where.push('s.seasonal');

  // ── Keywords.
  const words = keywordList(criteria.keywords);
  let join = '';
  let coverage = '1::float8';
  let rank = '0::float8';
  let hasKeywords = false;
  if (criteria.strict && words.length > 0) {
    hasKeywords = true;
    const { rows } = await q.query<{ word: string; stem: string | null }>(
      `select k.word, (ts_lexize('french_stem', k.word))[1] as stem from unnest($1::text[]) as k(word)`,
      [words],
    );
    // The index narrows the rows (every stem); each keyword must then be a whole word of the text.
    const stems = rows.filter((r) => r.stem && !/\d/.test(r.word)).map((r) => lexeme(r.stem!, false));
    if (stems.length > 0) where.push(`s.tsv @@ to_tsquery('simple', ${p.add(stems.join(' & '))})`);
    join = 'join offers o on o.id = s.id';
    const text = `search_unaccent(lower(coalesce(o.doc->>'title', '') || ' ' || coalesce(o.doc->>'jobTitle', '') || ' ' || coalesce(o.doc->>'description', '')))`;
    for (const w of words) where.push(`${text} ~ ${p.add(`\\m${w}\\M`)}`);
    if (stems.length > 0) rank = `ts_rank_cd(s.tsv, to_tsquery('simple', ${p.add(stems.join(' | '))}), 32)`;
  } else if (words.length > 0) {
    const plans = (await planKeywords(q, words)).filter((k) => k.main);
    if (plans.length > 0) {
      hasKeywords = true;
      const any = plans.map((k) => `(${k.fixes ? `${k.main} | ${k.fixes}` : k.main})`).join(' | ');
      where.push(`s.tsv @@ to_tsquery('simple', ${p.add(any)})`);
      const parts = plans.map((k) => {
        const main = `(s.tsv @@ to_tsquery('simple', ${p.add(k.main)}))::int`;
        return k.fixes
          ? `greatest(${main}, 0.6 * (s.tsv @@ to_tsquery('simple', ${p.add(k.fixes)}))::int)`
          : main;
      });
      coverage = `((${parts.join(' + ')})::float8 / ${plans.length})`;
      rank = `ts_rank_cd(s.tsv, to_tsquery('simple', ${p.add(any)}), 32)`;
    }
  }

  // ── Exact or close.
  const jobExact = appellation
    ? `c.appellation = ${p.add(appellation)}`
    : rome
      ? `c.rome_code = ${p.add(rome)}`
      : 'true';
  const sameRome = rome ? `c.rome_code = ${p.add(rome)}` : 'true';
  const reasons: string[] = [];
  if (appellation) reasons.push(`case when not (${jobExact}) and ${sameRome} then 'autre_appellation' end`);
  if (rome) reasons.push(`case when not (${sameRome}) then 'metier_proche' end`);
  if (place?.kind === 'commune') reasons.push(`case when not (${placeExact}) then 'rayon_elargi' end`);
  const reasonsSql = reasons.length
    ? `array_remove(array[${reasons.join(', ')}]::text[], null)`
    : `'{}'::text[]`;
  const factor = [
    appellation
      ? `case when not (${jobExact}) and ${sameRome} then ${CLOSE_FACTORS.autre_appellation} else 1 end`
      : '1',
    rome ? `case when not (${sameRome}) then ${CLOSE_FACTORS.metier_proche} else 1 end` : '1',
    place?.kind === 'commune'
      ? `case when not (${placeExact}) then ${CLOSE_FACTORS.rayon_elargi} else 1 end`
      : '1',
  ].join(' * ');
  const radius = place?.kind === 'commune' && criteria.radiusKm ? p.add(criteria.radiusKm, '::float8') : null;
  const distFactor = radius ? `(1 - 0.15 * least(1, coalesce(c.dist, 0) / ${radius}))` : '1';
  const nowParam = p.add(now.toISOString(), '::timestamptz');
  const recency = `greatest(0, 1 - extract(epoch from (${nowParam} - coalesce(c.published_at, ${nowParam}))) / 86400 / 60)`;
  const base = hasKeywords ? `(0.35 + 0.65 * (0.6 * c.coverage + 0.4 * least(1, c.rank * 3)))` : '1';
  const score = `least(1, ${base} * (0.85 + 0.15 * ${recency}) * ${distFactor} * ${factor})`;

  const offset = (page - 1) * pageSize;
  // Without keywords, commune or job, every result is exact and relevance follows the publication
  // date: the newest offers come straight from the (published_at) index, counted apart.
  if (!hasKeywords && !rome && place?.kind !== 'commune' && (sort === 'pertinence' || sort === 'date')) {
    const filters = where.length ? `where ${where.join(' and ')}` : '';
    const fast = `
      with top as (
        select s.id, s.published_at, row_number() over (order by s.published_at desc nulls last, s.id) as rn
          from (select id, published_at from offer_search s ${filters}
                 order by published_at desc nulls last, id limit ${MAX_RESULTS}) s
      )
      select (select count(*) from offer_search s ${filters}) as exact_total, 0 as close_total,
             (select count(*) from top) as shown,
             pg.id, ${score.replace(/c\./g, 'pg.')} as score, null::float8 as dist, false as is_close,
             '{}'::text[] as reasons, o.doc
        from (select 1) one
        left join lateral (select top.*, null::float8 as dist from top where rn > ${offset} and rn <= ${offset + pageSize}) pg on true
        left join offers o on o.id = pg.id
       order by pg.rn`;
    return finish(await q.query<ResultRow>(fast, p.values), page, pageSize, context);
  }
  const sql = `
    with c as (
      select s.id, s.published_at, s.salary_monthly_max as salary, s.appellation, s.rome_code, s.commune_code,
             ${distExpr} as dist, ${coverage} as coverage, ${rank} as rank
        from offer_search s ${join}
       ${where.length ? `where ${where.join('\n and ')}` : ''}
    ), r as (
      select c.id, c.published_at, c.salary, c.dist,
             not ((${jobExact}) and ${placeExact}) as is_close,
             ${reasonsSql} as reasons,
             ${score} as score
        from c where ${placeWide}
    ), ranked as (
      select r.*, row_number() over (order by r.is_close, ${sortSql(sort, 'r.')}) as rn,
             count(*) filter (where not r.is_close) over () as exact_total,
             count(*) filter (where r.is_close) over () as close_total
        from r
    ), top as (
      select * from ranked where rn <= ${MAX_RESULTS}
    )
    select t.exact_total, t.close_total, t.shown, pg.id, pg.score, pg.dist, pg.is_close, pg.reasons, o.doc
      from (select coalesce(max(exact_total), 0) as exact_total, coalesce(max(close_total), 0) as close_total,
                   count(*) as shown from top) t
      left join lateral (select * from top where rn > ${offset} and rn <= ${offset + pageSize}) pg on true
      left join offers o on o.id = pg.id
     order by pg.rn`;
  return finish(await q.query<ResultRow>(sql, p.values), page, pageSize, context);
}

function finish(
  { rows }: { rows: ResultRow[] },
  page: number,
  pageSize: number,
  context: SearchContext,
): OfferSearchResultWithContext {
  const first = rows[0];
  const exact: PublicOfferHit[] = [];
  const close: PublicOfferHit[] = [];
  for (const row of rows) {
    if (!row.id || !row.doc) continue;
    (row.is_close ? close : exact).push(toHit(row));
  }
  return {
    exact,
    close,
    total: Number(first?.shown ?? 0),
    exactTotal: Number(first?.exact_total ?? 0),
    closeTotal: Number(first?.close_total ?? 0),
    page,
    pageSize,
    context,
  };
}
