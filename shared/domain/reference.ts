/**
 * Reference data shared by the server, the workstation and the portal: French communes (with postal
 * codes and coordinates), NAF codes and ROME job titles (appellations). The files are versioned,
 * compact JSON (`{ version, generatedAt, columns, rows }`, rows as tuples); this module documents
 * their format, turns them into search indexes and searches them in memory (pure, no I/O).
 */

// ─── Text normalisation ─────────────────────────────────────────────────────────────────────

const TOKEN_ALIASES: Record<string, string> = { st: 'saint', ste: 'sainte', sts: 'saints', stes: 'saintes' };
const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const LIGATURES = /[œæß]/g;
const LIGATURE_LETTERS: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss' };
const SEPARATORS = /[^a-z0-9]+/g;
const SAINT_ABBREVIATIONS = /(^| )(stes?|sts?)(?= |$)/g;

/**
 * Text as search compares it: lower case, no accents or ligatures, hyphens, apostrophes and other
 * punctuation as spaces, single spaces, and « st »/« ste » read as « saint »/« sainte ».
 * `normaliseSearch("St-Étienne-du-Rouvray")` → `"saint etienne du rouvray"`.
 */
export function normaliseSearch(text: string): string {
  let s = text.toLowerCase();
  if (NON_ASCII.test(s))
    s = s
      .normalize('NFD')
      .replace(COMBINING_MARKS, '')
      .replace(LIGATURES, (l) => LIGATURE_LETTERS[l] ?? l);
  s = s.replace(SEPARATORS, ' ').trim();
  return s.includes('st')
    ? s.replace(SAINT_ABBREVIATIONS, (_m, space: string, t: string) => space + TOKEN_ALIASES[t])
    : s;
}

// ─── Text search ────────────────────────────────────────────────────────────────────────────

const ENTRY_START = '\u0001';

/**
 * Normalised texts searched all at once: one string holding every entry (each as
 * `\u0001 <normalised text>`, in the order results should come within a group), so that a search
 * is one or two native `indexOf` passes rather than a loop over the entries.
 */
export interface TextSearchIndex {
  haystack: string;
  /** Offset of each entry's `\u0001`. */
  starts: Int32Array;
  /** How often each character code (< 128) occurs: searches anchor on a query's rarest letter. */
  frequency: Uint32Array;
}

/** `normalised`: the texts already through `normaliseSearch` (the default normalises them). */
export function buildTextSearchIndex(texts: readonly string[], normalised = false): TextSearchIndex {
  const starts = new Int32Array(texts.length);
  const parts: string[] = [];
  let offset = 0;
  texts.forEach((text, i) => {
    starts[i] = offset;
    const entry = `${ENTRY_START} ${normalised ? text : normaliseSearch(text)}`;
    parts.push(entry);
    offset += entry.length;
  });
  const haystack = parts.join('');
  const frequency = new Uint32Array(128);
  for (let i = 0; i < haystack.length; i++) {
    const c = haystack.charCodeAt(i);
    if (c < 128) frequency[c]!++;
  }
  return { haystack, starts, frequency };
}

function entryAt(index: TextSearchIndex, position: number): number {
  const { starts } = index;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid]! <= position) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function entryText(index: TextSearchIndex, entry: number): string {
  const end = entry + 1 < index.starts.length ? index.starts[entry + 1]! : index.haystack.length;
  return index.haystack.slice(index.starts[entry]!, end);
}

/**
 * Calls `found(position)` for each occurrence of `pattern`, in order, until it returns false.
 * `indexOf` is fast when the first character it looks for is rare, so it looks for the pattern
 * from its rarest letter on, and checks the letters before.
 */
function eachOccurrence(index: TextSearchIndex, pattern: string, found: (at: number) => boolean): void {
  let k = 0;
  for (let i = 1; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c !== 32 && (index.frequency[c] ?? 0) < (index.frequency[pattern.charCodeAt(k)] ?? 0)) k = i;
  }
  const head = pattern.slice(0, k);
  const tail = pattern.slice(k);
  const h = index.haystack;
  for (let at = h.indexOf(tail, k); at >= 0; at = h.indexOf(tail, at + 1)) {
    if (k > 0 && !h.startsWith(head, at - k)) continue;
    if (!found(at - k)) return;
  }
}

/**
 * Entries matching a query, best first, at most `limit`: the text starts with the query, then a
 * later word starts with it, then every query word starts a word (any order), then the query is
 * inside a word, then every query word is somewhere. Within a group, entries keep the index's
 * order. `keep` may refuse entries (filters); `taken` entries (already shown) are skipped.
 */
export function searchTextIndex(
  index: TextSearchIndex,
  query: string,
  limit: number,
  keep: (entry: number) => boolean = () => true,
  taken: Set<number> = new Set(),
): number[] {
  const q = normaliseSearch(query);
  if (!q || limit < 1) return [];
  const h = index.haystack;
  // 0 prefix, 1 later word, 2 every word starts a word, 3 inside a word, 4 every word somewhere.
  const groups: number[][] = [[], [], [], [], []];
  const add = (entry: number, group: number) => {
    const list = groups[group]!;
    if (list.length >= limit || taken.has(entry) || !keep(entry)) return;
    taken.add(entry);
    list.push(entry);
  };
  // One pass: an entry's occurrences are contiguous, so its best group is known when the next begins.
  let current = -1;
  let best = 9;
  eachOccurrence(index, q, (at) => {
    const entry = entryAt(index, at);
    if (entry !== current) {
      if (current >= 0) add(current, best);
      current = entry;
      best = 9;
    }
    const group = h[at - 1] !== ' ' ? 3 : h[at - 2] === ENTRY_START ? 0 : 1;
    if (group < best) best = group;
    return groups[0]!.length < limit;
  });
  if (current >= 0) add(current, best);
  const words = q.split(' ');
  const enough = () => groups[0]!.length + groups[1]!.length + groups[3]!.length >= limit;
  if (words.length > 1 && !enough()) {
    const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
    let last = -1;
    eachOccurrence(index, longest, (at) => {
      const entry = entryAt(index, at);
      if (entry === last || taken.has(entry)) return true;
      last = entry;
      const text = entryText(index, entry);
      if (words.every((w) => text.includes(` ${w}`))) add(entry, 2);
      else if (words.every((w) => text.includes(w))) add(entry, 4);
      return true;
    });
  }
  return groups.flat().slice(0, limit);
}

// ─── Geography ──────────────────────────────────────────────────────────────────────────────

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

// ─── Communes ───────────────────────────────────────────────────────────────────────────────

/**
 * Where a commune's coordinates come from: the commune itself (GeoNames point matched by INSEE
 * code or name), or, when it has none, the centroid of the communes that have one and share its
 * postal code, then its EPCI, then its (departmental) arrondissement, then its département.
 * Order matters: a row stores the index in this list.
 */
export const COORDINATE_SOURCES = [
  'commune',
  'code-postal',
  'epci',
  'arrondissement',
  'departement',
] as const;
export type CoordinateSource = (typeof COORDINATE_SOURCES)[number];

/** What the UI says about an approximate position, or null when the position is the commune's own. */
export function coordinateNote(source: CoordinateSource): string | null {
  switch (source) {
    case 'commune':
      return null;
    case 'code-postal':
      return 'position approchée (code postal)';
    case 'epci':
      return 'position approchée (intercommunalité)';
    case 'arrondissement':
      return 'position approchée (arrondissement)';
    case 'departement':
      return 'position approchée (département)';
  }
}

export const COMMUNE_COLUMNS = [
  'code',
  'nom',
  'codesPostaux',
  'departement',
  'population',
  'latitude',
  'longitude',
  'source',
  'parent',
] as const;

/**
 * One commune of `communes.json`:
 * `[code INSEE, nom, codes postaux, département, population, latitude, longitude, source, parent?]`.
 * `source` is an index in `COORDINATE_SOURCES`; `parent`, only on the arrondissements municipaux of
 * Paris, Lyon and Marseille, is the INSEE code of their commune. Latitude and longitude are WGS84
 * degrees with 4 decimals (about 10 m).
 */
export type CommuneRow =
  | [
      code: string,
      name: string,
      postalCodes: string[],
      departement: string,
      population: number,
      latitude: number,
      longitude: number,
      source: number,
    ]
  | [
      code: string,
      name: string,
      postalCodes: string[],
      departement: string,
      population: number,
      latitude: number,
      longitude: number,
      source: number,
      parent: string,
    ];

export interface CommunesFile {
  /** Hash of the content: changes exactly when the data does. */
  version: string;
  generatedAt: string;
  /** Sources and their versions (npm packages). */
  sources: string[];
  columns: typeof COMMUNE_COLUMNS;
  coordinateSources: typeof COORDINATE_SOURCES;
  /** `[code, nom, code région]` */
  departements: [code: string, name: string, region: string][];
  /** `[code, nom]` */
  regions: [code: string, name: string][];
  rows: CommuneRow[];
}

export interface Commune {
  code: string;
  name: string;
  postalCodes: string[];
  departement: string;
  departementName: string;
  region: string | null;
  population: number;
  latitude: number;
  longitude: number;
  coordinateSource: CoordinateSource;
  /** For an arrondissement municipal: its commune's INSEE code. */
  parentCode?: string;
}

/** A commune as proposed (and chosen) in a form: with the postal code that matched or was picked. */
export interface CommuneSuggestion extends Commune {
  postalCode: string;
}

export interface CommuneIndex {
  version: string;
  communes: Commune[];
  byCode: Map<string, Commune>;
  /** Communes sorted by population, largest first, and their names as a search index. */
  byPopulation: Commune[];
  names: TextSearchIndex;
  /** Normalised name → positions in `byPopulation` (an exact name comes first). */
  exact: Map<string, number[]>;
  /** Every (postal code, commune) pair, sorted by postal code then population. */
  postal: { postalCode: string; commune: Commune }[];
}

export function communeFromRow(
  row: CommuneRow,
  departements: ReadonlyMap<string, { name: string; region: string }>,
): Commune {
  const [code, name, postalCodes, departement, population, latitude, longitude, source] = row;
  const dept = departements.get(departement);
  const commune: Commune = {
    code,
    name,
    postalCodes,
    departement,
    departementName: dept?.name ?? departement,
    region: dept?.region ?? null,
    population,
    latitude,
    longitude,
    coordinateSource: COORDINATE_SOURCES[source] ?? 'departement',
  };
  if (row.length > 8 && row[8]) commune.parentCode = row[8];
  return commune;
}

export function buildCommuneIndex(file: CommunesFile): CommuneIndex {
  const departements = new Map(file.departements.map(([code, name, region]) => [code, { name, region }]));
  const communes = file.rows.map((r) => communeFromRow(r, departements));
  const largerFirst = (a: Commune, b: Commune) =>
    b.population - a.population || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  const byPopulation = [...communes].sort(largerFirst);
  const normalised = byPopulation.map((c) => normaliseSearch(c.name));
  const names = buildTextSearchIndex(normalised, true);
  const exact = new Map<string, number[]>();
  normalised.forEach((key, i) => {
    const list = exact.get(key);
    if (list) list.push(i);
    else exact.set(key, [i]);
  });
  const postal: CommuneIndex['postal'] = [];
  for (const commune of communes)
    for (const postalCode of commune.postalCodes) postal.push({ postalCode, commune });
  postal.sort((a, b) =>
    a.postalCode < b.postalCode ? -1 : a.postalCode > b.postalCode ? 1 : largerFirst(a.commune, b.commune),
  );
  return {
    version: file.version,
    communes,
    byCode: new Map(communes.map((c) => [c.code, c])),
    byPopulation,
    names,
    exact,
    postal,
  };
}

/** First index in a sorted array whose key is >= `key`. */
function lowerBound<T>(items: readonly T[], key: string, keyOf: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keyOf(items[mid]!) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function postalMatches(index: CommuneIndex, prefix: string, limit: number): CommuneSuggestion[] {
  const out: CommuneSuggestion[] = [];
  for (let i = lowerBound(index.postal, prefix, (p) => p.postalCode); i < index.postal.length; i++) {
    const { postalCode, commune } = index.postal[i]!;
    if (!postalCode.startsWith(prefix) || out.length >= limit) break;
    out.push({ ...commune, postalCode });
  }
  return out;
}

/**
 * Communes matching what the user typed, best first.
 * - Digits only: postal codes starting with them (then the commune whose INSEE code it is).
 * - Text: names starting with it, then a word of the name starting with it, then names containing
 *   it; largest population first within each group (an exact name comes first of all).
 * - Text and digits (« lyon 69003 », « 75015 paris »): the name as above, restricted to the
 *   communes with a postal code starting with the digits.
 */
export function searchCommunes(index: CommuneIndex, query: string, limit = 10): CommuneSuggestion[] {
  if (limit < 1) return [];
  const raw = query.trim();
  const compact = raw.replace(/\s+/g, '');
  if (/^\d{1,5}$/.test(compact)) {
    const out = postalMatches(index, compact, limit);
    if (compact.length === 5 && out.length < limit) {
      const byInsee = index.byCode.get(compact);
      if (byInsee && !out.some((c) => c.code === byInsee.code))
        out.push({ ...byInsee, postalCode: byInsee.postalCodes[0] ?? '' });
    }
    return out;
  }
  // INSEE code of Corsica (2A…, 2B…).
  if (/^2[ab]\d{3}$/i.test(compact)) {
    const c = index.byCode.get(compact.toUpperCase());
    return c ? [{ ...c, postalCode: c.postalCodes[0] ?? '' }] : [];
  }
  const digits = raw.match(/\b\d{2,5}\b/g);
  if (digits && digits.length === 1) {
    const byPostal = searchByName(index, raw.replace(digits[0]!, ' '), digits[0]!, limit);
    // « Paris 15 » is not a postal code: read it as text then.
    if (byPostal.length > 0) return byPostal;
  }
  return searchByName(index, raw, null, limit);
}

function searchByName(
  index: CommuneIndex,
  text: string,
  postalPrefix: string | null,
  limit: number,
): CommuneSuggestion[] {
  const postalCodeOf = (c: Commune) =>
    postalPrefix ? c.postalCodes.find((p) => p.startsWith(postalPrefix)) : (c.postalCodes[0] ?? '');
  const keep = (entry: number) => postalCodeOf(index.byPopulation[entry]!) !== undefined;
  const taken = new Set<number>();
  const found = (index.exact.get(normaliseSearch(text)) ?? []).filter(keep).slice(0, limit);
  for (const e of found) taken.add(e);
  found.push(...searchTextIndex(index.names, text, limit - found.length, keep, taken));
  return found.map((e) => {
    const commune = index.byPopulation[e]!;
    return { ...commune, postalCode: postalCodeOf(commune) ?? '' };
  });
}

/** A commune by INSEE code, or null. */
export function findCommuneIn(index: CommuneIndex, code: string): Commune | null {
  return index.byCode.get(code) ?? null;
}

/** Communes whose position is within `radiusKm` of a point, nearest first. */
export function communesWithin(
  index: CommuneIndex,
  latitude: number,
  longitude: number,
  radiusKm: number,
): (Commune & { distanceKm: number })[] {
  // A cheap box first: one degree of latitude is about 111 km.
  const dLat = radiusKm / 111 + 0.01;
  const cos = Math.cos((latitude * Math.PI) / 180);
  const dLon = cos > 0.01 ? radiusKm / (111 * cos) + 0.01 : 360;
  const out: (Commune & { distanceKm: number })[] = [];
  for (const c of index.communes) {
    if (Math.abs(c.latitude - latitude) > dLat) continue;
    if (dLon < 180 && Math.abs(c.longitude - longitude) > dLon) continue;
    const d = distanceKm(latitude, longitude, c.latitude, c.longitude);
    if (d <= radiusKm) out.push({ ...c, distanceKm: Math.round(d * 10) / 10 });
  }
  return out.sort((a, b) => a.distanceKm - b.distanceKm || b.population - a.population);
}

/** « Lyon (69003) », with the département when there is no postal code. */
export function formatCommune(c: Pick<CommuneSuggestion, 'name' | 'postalCode' | 'departement'>): string {
  return `${c.name} (${c.postalCode || c.departement})`;
}

// ─── NAF ────────────────────────────────────────────────────────────────────────────────────

export const NAF_COLUMNS = ['code', 'libelle', 'section'] as const;

/** One NAF rév. 2 sous-classe: `[code « 62.01Z », libellé, section « J »]`. */
export type NafRow = [code: string, label: string, section: string];

export interface NafFile {
  version: string;
  generatedAt: string;
  sources: string[];
  columns: typeof NAF_COLUMNS;
  /** `[lettre, libellé]`: the 21 sections A–U. */
  sections: [letter: string, label: string][];
  /** `[code « 62 », libellé, section]`: the divisions. */
  divisions: [code: string, label: string, section: string][];
  rows: NafRow[];
}

export interface NafActivity {
  code: string;
  label: string;
  section: string;
  sectionLabel: string;
}

export interface NafIndex {
  version: string;
  /** Sorted by code. */
  activities: NafActivity[];
  byCode: Map<string, NafActivity>;
  /** Codes without punctuation (« 6201Z »), in the order of `activities`. */
  compactCodes: string[];
  labels: TextSearchIndex;
}

/** « 6201z », « 62.01 Z », « 62-01Z » → « 6201Z » (code without punctuation, upper case). */
function compactNafCode(text: string): string {
  return text.replace(/[\s.-]/g, '').toUpperCase();
}

export function buildNafIndex(file: NafFile): NafIndex {
  const sections = new Map(file.sections);
  const activities = file.rows
    .map(([code, label, section]) => ({ code, label, section, sectionLabel: sections.get(section) ?? '' }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return {
    version: file.version,
    activities,
    byCode: new Map(activities.map((a) => [a.code, a])),
    compactCodes: activities.map((a) => compactNafCode(a.code)),
    labels: buildTextSearchIndex(activities.map((a) => a.label)),
  };
}

/** A NAF code as written by people (« 6201Z », « 62.01z ») in its official form « 62.01Z », or null. */
export function parseNafCode(text: string): string | null {
  const c = compactNafCode(text);
  return /^\d{4}[A-Z]$/.test(c) ? `${c.slice(0, 2)}.${c.slice(2)}` : null;
}

/**
 * NAF sous-classes by code prefix (« 62 », « 62.0 », « 6201z ») or by words of their label
 * (labels starting with them first, then by code).
 */
export function searchNaf(index: NafIndex, query: string, limit = 10): NafActivity[] {
  if (limit < 1) return [];
  const code = compactNafCode(query.trim());
  if (/^\d{1,4}[A-Z]?$/.test(code)) {
    const out: NafActivity[] = [];
    index.compactCodes.forEach((c, i) => {
      if (out.length < limit && c.startsWith(code)) out.push(index.activities[i]!);
    });
    return out;
  }
  return searchTextIndex(index.labels, query, limit).map((i) => index.activities[i]!);
}

export function formatNaf(a: Pick<NafActivity, 'code' | 'label'>): string {
  return `${a.code} — ${a.label}`;
}

// ─── ROME appellations ──────────────────────────────────────────────────────────────────────

/**
 * The ROME referential as the server serves it at `GET /api/reference/rome`: `codes` are
 * `[code ROME, libellé]`, `appellations` `[code OGR, libellé, code ROME]` (rarely used titles left
 * out). `version` is the ROME version (« 4.60 »), `revision` a hash of the content.
 */
export interface RomeFile {
  version: string | null;
  revision?: string;
  codes: [code: string, label: string][];
  appellations: [codeOgr: string, label: string, romeCode: string][];
  /** ROME « mobilité » links, nearest first per code: [from, to] (absent in older files). */
  mobility?: [romeCode: string, targetCode: string][];
}

export interface Appellation {
  codeOgr: string;
  label: string;
  romeCode: string;
  romeLabel: string;
}

export interface AppellationIndex {
  version: string;
  /** Shorter titles first, then alphabetical. */
  appellations: Appellation[];
  byCodeOgr: Map<string, Appellation>;
  labels: TextSearchIndex;
  /** Nearby ROME codes (mobility), with their labels, nearest first. */
  nearby: Map<string, { code: string; label: string }[]>;
}

const frenchOrder = new Intl.Collator('fr').compare;

export function buildAppellationIndex(file: RomeFile): AppellationIndex {
  const codes = new Map(file.codes);
  const appellations = file.appellations
    .map(([codeOgr, label, romeCode]) => ({ codeOgr, label, romeCode, romeLabel: codes.get(romeCode) ?? '' }))
    .sort((a, b) => a.label.length - b.label.length || frenchOrder(a.label, b.label));
  return {
    version: file.revision ?? file.version ?? '',
    appellations,
    byCodeOgr: new Map(appellations.map((a) => [a.codeOgr, a])),
    labels: buildTextSearchIndex(appellations.map((a) => a.label)),
    nearby: nearbyCodes(file, codes),
  };
}

function nearbyCodes(
  file: RomeFile,
  codes: Map<string, string>,
): Map<string, { code: string; label: string }[]> {
  const out = new Map<string, { code: string; label: string }[]>();
  for (const [from, to] of file.mobility ?? []) {
    if (from === to || !codes.has(to)) continue;
    const list = out.get(from) ?? [];
    if (!list.some((x) => x.code === to)) list.push({ code: to, label: codes.get(to)! });
    out.set(from, list);
  }
  return out;
}

/**
 * Job titles matching what the user typed: a ROME code (« D1102 ») gives its appellations;
 * otherwise titles starting with the text, then with a word starting with it, then containing it
 * (shorter titles first within a group). At least two characters.
 */
export function searchAppellations(index: AppellationIndex, query: string, limit = 10): Appellation[] {
  if (limit < 1) return [];
  const raw = query.trim();
  if (/^[a-n]\d{4}$/i.test(raw)) {
    const code = raw.toUpperCase();
    return index.appellations.filter((a) => a.romeCode === code).slice(0, limit);
  }
  if (normaliseSearch(raw).length < 2) return [];
  return searchTextIndex(index.labels, raw, limit).map((i) => index.appellations[i]!);
}
