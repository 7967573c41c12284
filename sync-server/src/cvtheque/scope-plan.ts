/**
 * Which part of the CVthèque an organisation replicates (issue 5, DESIGN §5 guarantee 3): the
 * « cvt:<département>:<domain> » keys, département by département from the nearest to the
 * organisation's commune, first for the organisation's domains (those of its offers' ROME codes;
 * every domain for prescribers and training bodies, or without offers), then, while room is left,
 * for the other domains, as long as the number of CVs stays within the cap. CVs without commune
 * (« - ») come first, CVs without domain go with the organisation's domains. Keys without CVs yet
 * are kept (new CVs there reach the replicas at once).
 */
import type { OrganisationKind } from '../../../shared/domain/account';
import { distanceKm } from '../../../shared/domain/cv-search';
import { ROME_DOMAINS } from '../../../shared/domain/rome-domains';
import type { Queryable } from '../db/database';
import { CVT_ALL, cvtDepartementKey, cvtKey, departementOf, NONE } from './keys';
import { departementCentres, locateCommune } from './places';

export const CVTHEQUE_ORG_KINDS: readonly OrganisationKind[] = [
  'employer',
  'agency',
  'prescriber',
  'training',
];
export const DEFAULT_REPLICA_CAP = 20_000;
const ALL_DOMAINS: string[] = ROME_DOMAINS.map((d) => d.code);

export function isCvthequeKind(kind: string): boolean {
  return (CVTHEQUE_ORG_KINDS as readonly string[]).includes(kind);
}

/** `CVTHEQUE_REPLICA_CAP` (CVs replicated at most per organisation), default 20,000. */
export function replicaCap(): number {
  const n = Number(process.env.CVTHEQUE_REPLICA_CAP);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_REPLICA_CAP;
}

/** Live CVs per « cvt: » key (one grouped query on `cvs.keys`). */
export async function cvKeyCounts(q: Queryable): Promise<Map<string, number>> {
  const { rows } = await q.query<{ key: string; n: number }>(
    `select k as key, count(*)::int as n from cvs, unnest(keys) as k
      where not deleted and k like 'cvt:%:%' and k not like '%:*' group by k`,
  );
  return new Map(rows.map((r) => [r.key, Number(r.n)]));
}

export interface ScopePlanInput {
  /** Départements, nearest first (« - » included where it belongs). */
  departements: string[];
  /** The organisation's domains. */
  domains: string[];
  counts: Map<string, number>;
  cap: number;
}

/**
 * The keys of a scope and the CVs they hold (a CV under two keys counts twice: an upper bound).
 * Whole départements are written « cvt:<d>:* », the whole CVthèque « cvt:all ».
 */
export function planScope(input: ScopePlanInput): { keys: string[]; estimate: number } {
  const { keys, estimate } = planScopeKeys(input);
  const chosen = new Set(keys);
  const domains = [...ALL_DOMAINS, NONE];
  const whole = input.departements.filter((d) => domains.every((x) => chosen.has(cvtKey(d, x))));
  if (whole.length === input.departements.length) return { keys: [CVT_ALL], estimate };
  const wholeSet = new Set(whole);
  const out = whole.map(cvtDepartementKey);
  for (const k of keys) if (!wholeSet.has(k.split(':')[1]!)) out.push(k);
  return { keys: out, estimate };
}

function planScopeKeys(input: ScopePlanInput): { keys: string[]; estimate: number } {
  const keys: string[] = [];
  let total = 0;
  const phase = (domains: string[]): boolean => {
    for (const d of input.departements)
      for (const domain of domains) {
        const key = cvtKey(d, domain);
        const n = input.counts.get(key) ?? 0;
        if (total + n > input.cap) return false;
        keys.push(key);
        total += n;
      }
    return true;
  };
  const own = [...new Set(input.domains)].sort();
  if (phase([...own, NONE])) phase(ALL_DOMAINS.filter((d) => !own.includes(d)));
  return { keys, estimate: total };
}

export interface OrganisationFacts {
  id: string;
  kind: OrganisationKind;
  communeCode: string | null;
  /** The domains its CVthèque scope starts with. */
  domains: string[];
}

export async function organisationFacts(
  q: Queryable,
  organisationId: string,
): Promise<OrganisationFacts | null> {
  const { rows } = await q.query<{ kind: OrganisationKind; commune: string | null }>(
    `select kind, address->>'communeCode' as commune from organisations where id = $1`,
    [organisationId],
  );
  const o = rows[0];
  if (!o) return null;
  let domains = ALL_DOMAINS;
  if (o.kind === 'employer' || o.kind === 'agency') {
    const offers = await q.query<{ d: string }>(
      `select distinct upper(left(doc->>'romeCode', 1)) as d from offers
        where not deleted and doc->>'organisationId' = $1 and coalesce(doc->>'romeCode', '') <> ''`,
      [organisationId],
    );
    const own = offers.rows.map((r) => r.d).filter((d) => ALL_DOMAINS.includes(d));
    if (own.length) domains = own.sort();
  }
  return { id: organisationId, kind: o.kind, communeCode: o.commune, domains };
}

/** Départements nearest first from a commune (« - » first; unknown centres last, by code). */
export function departementsByDistance(communeCode: string | null, seen: Iterable<string>): string[] {
  const centres = departementCentres();
  const all = new Set<string>([...centres.keys(), ...seen]);
  all.delete(NONE);
  const origin = communeCode ? locateCommune(communeCode) : null;
  const home = communeCode ? departementOf(communeCode) : null;
  const distance = (d: string): number => {
    if (d === home) return -1;
    const c = centres.get(d);
    return origin && c ? distanceKm(origin.lat, origin.lon, c.lat, c.lon) : Number.POSITIVE_INFINITY;
  };
  const ordered = [...all]
    .map((d) => ({ d, km: distance(d) }))
    .sort((a, b) => a.km - b.km || (a.d < b.d ? -1 : a.d > b.d ? 1 : 0))
    .map((x) => x.d);
  return [NONE, ...ordered];
}

/** The scope an organisation should have now. */
export async function computeScope(
  q: Queryable,
  organisationId: string,
  options: { cap?: number; counts?: Map<string, number> } = {},
): Promise<{ keys: string[]; cvCount: number } | null> {
  const facts = await organisationFacts(q, organisationId);
  if (!facts || !isCvthequeKind(facts.kind)) return null;
  const counts = options.counts ?? (await cvKeyCounts(q));
  const seen = [...counts.keys()].map((k) => k.split(':')[1]!).filter(Boolean);
  const { keys } = planScope({
    departements: departementsByDistance(facts.communeCode, seen),
    domains: facts.domains,
    counts,
    cap: options.cap ?? replicaCap(),
  });
  const { rows } = await q.query<{ n: number }>(
    'select count(*)::int as n from cvs where not deleted and keys && $1::text[]',
    [keys],
  );
  return { keys, cvCount: Number(rows[0]?.n ?? 0) };
}
