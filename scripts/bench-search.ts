/**
 * Offer search benchmark: `npm run bench:search -- [--offers N] [--queries 200]`.
 *
 * Fills a fresh database with N published offers (default 1,000,000 on PostgreSQL when
 * DATABASE_URL is set: a temporary database is created next to it and dropped at the end;
 * 100,000 on PGlite otherwise, in a temporary directory), inserted in `unnest` batches straight
 * into `offers` with the search trigger on (so `offer_search` is built as in production), then
 * runs keyword + radius + contract searches through `searchOffers` (the same function as the
 * portal's route) and prints p50/p95 latency. Goals (issue 4): p95 ≤ 100 ms on PostgreSQL,
 * ≤ 150 ms on PGlite. Offers: French job titles of the built-in ROME set, descriptions from a
 * French vocabulary (common words, plus a few words of the job's domain: a keyword is in a few
 * per cent of the descriptions, not in a third of them), communes drawn by population from the
 * communes referential.
 *
 * `--keep-database NAME` (PostgreSQL): fills the database NAME (created next to DATABASE_URL) only
 * when it does not hold N offers yet, and keeps it afterwards, to measure again without refilling.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CONTRACT_TYPES, QUALIFICATION_LEVELS } from '../shared/domain/offer';
import { offerNumberFromSequence } from '../shared/domain/offer-number';
import type { CommunesFile } from '../shared/domain/reference';
import { type Database, openDatabase } from '../sync-server/src/db/database';
import { migrate } from '../sync-server/src/db/migrations';
import { importRomeBuiltin } from '../sync-server/src/reference/rome';
import { ROME_BUILTIN_APPELLATIONS } from '../sync-server/src/reference/rome-builtin';
import { searchOffers } from '../sync-server/src/search/offer-search';
import { createScratchPostgres } from '../sync-server/test/harness';
import { log, option } from './bench-cli';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ON_POSTGRES = !!process.env.DATABASE_URL?.trim();

const OFFERS = option('offers', ON_POSTGRES ? 1_000_000 : 100_000);
const QUERIES = option('queries', 200);
const BATCH = option('batch', 2_000);
const GOAL_MS = ON_POSTGRES ? 100 : 150;
/** Diagnostics: `--explain` prints the plan of the slowest kind of query (EXPLAIN ANALYZE). */
const EXPLAIN = process.argv.includes('--explain');
const KEEP = (() => {
  const args = process.argv.slice(2);
  const i = args.indexOf('--keep-database');
  if (i === -1) return null;
  const name = args[i + 1] ?? '';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    console.error(`Option --keep-database : nom de base invalide « ${name} » (minuscules, chiffres, _).`);
    process.exit(2);
  }
  if (!ON_POSTGRES) {
    console.error('Option --keep-database : seulement sur PostgreSQL (DATABASE_URL).');
    process.exit(2);
  }
  return name;
})();

const fmt = (n: number) => n.toLocaleString('fr-FR');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Deterministic pseudo-random numbers (the same corpus on every run). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20261204);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Words any description may use (none of the benchmark's keywords). */
const FILLER = (
  'accueil équipe polyvalent expérience débutant accepté formation assurée horaires journée ' +
  'week-end permis véhicule autonomie rigueur organisation entreprise familiale croissance ' +
  'mutuelle tickets-restaurant prime treizième mois évolution poste temps plein partiel ' +
  'région centre-ville zone industrielle qualité sécurité hygiène planning motivation sérieux ' +
  'ponctualité dynamisme esprit contrat rémunération avantages transport commun parking'
).split(' ');

/** Words of a domain (first letter of the ROME code): a description uses a few of its own. */
const DOMAIN_WORDS: Record<string, string[]> = {
  D: 'vente magasin rayon caisse clientèle commande encaissement étiquetage pain viennoiseries fournil'.split(
    ' ',
  ),
  G: 'cuisine salle restaurant service plonge brasserie terrasse commis'.split(' '),
  F: 'chantier bâtiment rénovation plomberie électricité peinture maçonnerie'.split(' '),
  K: 'domicile personnes âgées nettoyage entretien enfants repas aide'.split(' '),
  J: 'patients soins résidents hôpital clinique Ehpad'.split(' '),
  N: 'entrepôt colis quai caces manutention livraison tournée expédition'.split(' '),
  M: 'logiciel gestion comptabilité informatique facturation administratif accueil'.split(' '),
};

const LABELS = ROME_BUILTIN_APPELLATIONS.map(([code, label, , rome]) => ({ code, label, rome }));
const KEYWORDS = [
  'vendeur',
  'boulanger',
  'cariste',
  'comptable',
  'serveuse',
  'aide-soignant',
  'développeur',
  'manutentionnaire',
  'cuisine',
  'nettoyage',
  'infirmier',
  'chauffeur livreur',
  'préparateur commandes',
  'boulanjer',
  'secretaire',
];

interface Place {
  code: string;
  name: string;
  postal: string;
  lat: number;
  lon: number;
  weight: number;
}

function loadCommunes(): Place[] {
  const file = JSON.parse(
    readFileSync(join(ROOT, 'resources', 'reference', 'communes.json'), 'utf8'),
  ) as CommunesFile;
  return file.rows
    .filter((r) => r[5] > 41 && r[5] < 51.5 && r[6] > -5.5 && r[6] < 9.8 && !r[8])
    .map((r) => ({
      code: r[0],
      name: r[1],
      postal: r[2][0] ?? '',
      lat: r[5],
      lon: r[6],
      weight: Math.max(r[4], 50),
    }));
}

function weightedPicker(places: Place[]): () => Place {
  const cumulative: number[] = [];
  let total = 0;
  for (const p of places) {
    total += p.weight;
    cumulative.push(total);
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return places[lo]!;
  };
}

function makeOffer(i: number, place: Place, now: number) {
  const job = pick(LABELS);
  const title =
    job.label.replace(/ \/ .*$/, '') + (random() < 0.3 ? ' H/F' : random() < 0.5 ? ' polyvalent' : '');
  const own = DOMAIN_WORDS[job.rome[0]!] ?? [];
  const description = Array.from({ length: 30 + Math.floor(random() * 40) }, () =>
    own.length && random() < 0.15 ? pick(own) : pick(FILLER),
  ).join(' ');
  const published = new Date(now - Math.floor(random() * 60 * 86_400_000)).toISOString();
  const contracts = random() < 0.2 ? [pick(CONTRACT_TYPES), pick(CONTRACT_TYPES)] : [pick(CONTRACT_TYPES)];
  return {
    id: randomUUID(),
    organisationId: '0b0e0000-0000-4000-8000-00000000be0c',
    number: offerNumberFromSequence(200_000 + i),
    title,
    jobTitle: job.label,
    romeCode: job.rome,
    appellationCode: job.code,
    city: place.name,
    postalCode: place.postal,
    communeCode: place.code,
    latitude: place.lat,
    longitude: place.lon,
    companyName: `Entreprise ${i % 5000}`,
    contactPhone: '01 00 00 00 00',
    seasonal: random() < 0.1,
    contractTypes: [...new Set(contracts)],
    description,
    qualification: pick(QUALIFICATION_LEVELS),
    workingTime: random() < 0.8 ? 'temps_plein' : 'temps_partiel',
    salaryMin: 1700 + Math.floor(random() * 1500),
    salaryPeriod: 'mensuel',
    status: 'publiee',
    createdAt: published,
    updatedAt: published,
    publishedAt: published,
    expiresAt: new Date(Date.parse(published) + 60 * 86_400_000).toISOString(),
  };
}

async function fill(db: Database, places: Place[]): Promise<number> {
  const next = weightedPicker(places);
  const now = Date.now();
  const started = performance.now();
  for (let done = 0; done < OFFERS; done += BATCH) {
    const n = Math.min(BATCH, OFFERS - done);
    const docs = Array.from({ length: n }, (_, k) => makeOffer(done + k, next(), now));
    await db.transaction(async (tx) => {
      await tx.query(
        `insert into offers (id, doc, keys, deleted, txid, seq)
         select t.id, t.doc::jsonb, array['published', 'org:bench'], false, pg_current_xact_id()::text::bigint, nextval('sync_seq')
           from unnest($1::text[], $2::text[]) as t(id, doc)`,
        [docs.map((d) => d.id), docs.map((d) => JSON.stringify(d))],
      );
    });
    if ((done / BATCH) % 25 === 0 || done + n >= OFFERS) {
      const s = (performance.now() - started) / 1000;
      process.stdout.write(
        `\r  ${fmt(done + n)} offres insérées (${fmt(Math.round((done + n) / s))} / s)   `,
      );
    }
  }
  process.stdout.write('\n');
  return (performance.now() - started) / 1000;
}

async function main() {
  const places = loadCommunes();
  let database: { url?: string; dir?: string; drop: () => Promise<void> };
  if (KEEP) {
    const admin = new URL(process.env.DATABASE_URL!.trim());
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    const exists = await client.query('select 1 from pg_database where datname = $1', [KEEP]);
    if (exists.rowCount === 0) await client.query(`create database ${KEEP}`);
    await client.end();
    admin.pathname = `/${KEEP}`;
    database = { url: admin.toString(), drop: async () => {} };
  } else if (ON_POSTGRES) {
    const scratch = await createScratchPostgres(process.env.DATABASE_URL!.trim(), 'bench_search');
    database = { url: scratch.url, drop: scratch.drop };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'bench-search-'));
    database = { dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await openDatabase(database.url ? { databaseUrl: database.url } : { dataDir: database.dir! });
  try {
    log(
      `Base ${db.kind === 'postgres' ? (KEEP ? `PostgreSQL « ${KEEP} » (conservée)` : 'PostgreSQL (temporaire)') : 'PGlite (répertoire temporaire)'}, ${fmt(OFFERS)} offres publiées à insérer par lots de ${fmt(BATCH)}.`,
    );
    await migrate(db);
    await importRomeBuiltin(db);
    const before = Number(
      (await db.query<{ n: string }>('select count(*)::text as n from offer_search')).rows[0]!.n,
    );
    if (KEEP && before === OFFERS) log(`Base « ${KEEP} » conservée : ${fmt(before)} offres déjà là.`);
    else {
      if (before > 0) await db.query('truncate offers, offer_search, offer_search_words');
      const seconds = await fill(db, places);
      log(
        `Insertion (déclencheur d’index compris) : ${seconds.toFixed(1)} s, ${fmt(Math.round(OFFERS / seconds))} offres / s.`,
      );
    }
    await db.query('analyze offers');
    await db.query('analyze offer_search');
    await db.query('analyze offer_search_words');
    const { rows } = await db.query<{ n: string; words: string }>(
      'select (select count(*) from offer_search)::text as n, (select count(*) from offer_search_words)::text as words',
    );
    log(
      `Index de recherche : ${fmt(Number(rows[0]!.n))} offres, ${fmt(Number(rows[0]!.words))} mots de titres.`,
    );

    const cities = [...places].sort((a, b) => b.weight - a.weight).slice(0, 300);
    const radii = [10, 20, 30, 50];
    const run = async () => {
      const city = pick(cities);
      const contracts =
        random() < 0.5 ? [pick(CONTRACT_TYPES)] : [pick(CONTRACT_TYPES), pick(CONTRACT_TYPES)];
      const keywords = pick(KEYWORDS);
      const started = performance.now();
      const r = await searchOffers(db, {
        keywords,
        place: { kind: 'commune', code: city.code },
        radiusKm: pick(radii),
        contractTypes: [...new Set(contracts)],
      });
      return { ms: performance.now() - started, found: r.exactTotal + r.closeTotal, keywords };
    };
    for (let i = 0; i < 10; i++) await run();
    if (EXPLAIN) {
      const captured: { sql: string; params: unknown[] }[] = [];
      const spy = {
        query: <T>(sql: string, params?: unknown[]) => {
          if (sql.includes('with c as')) captured.push({ sql, params: params ?? [] });
          return db.query<T>(sql, params);
        },
      };
      await searchOffers(spy, {
        keywords: 'nettoyage',
        place: { kind: 'commune', code: '75056' },
        radiusKm: 50,
        contractTypes: ['CDI'],
      });
      const c = captured[0]!;
      const plan = await db.query<Record<string, string>>(`explain analyze ${c.sql}`, c.params);
      console.log(plan.rows.map((r) => Object.values(r)[0]).join('\n'));
    }
    const times: number[] = [];
    const found: number[] = [];
    const byKeyword = new Map<string, number[]>();
    for (let i = 0; i < QUERIES; i++) {
      const r = await run();
      times.push(r.ms);
      found.push(r.found);
      byKeyword.set(r.keywords, [...(byKeyword.get(r.keywords) ?? []), r.ms]);
    }
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    console.log(
      `\nRecherche mots-clés + rayon + contrat (${db.kind === 'postgres' ? 'PostgreSQL' : 'PGlite'}, ${fmt(OFFERS)} offres, ${QUERIES} requêtes) :`,
    );
    console.log(`  p50 : ${p50.toFixed(1)} ms`);
    console.log(
      `  p95 : ${p95.toFixed(1)} ms   (objectif ≤ ${GOAL_MS} ms : ${p95 <= GOAL_MS ? 'atteint' : 'NON atteint'})`,
    );
    console.log(`  max : ${Math.max(...times).toFixed(1)} ms`);
    console.log(
      `  résultats trouvés par requête : médiane ${percentile(found, 50)}, p95 ${percentile(found, 95)}`,
    );
    console.log('  par mot-clé (p50 / max, ms) :');
    for (const [k, v] of [...byKeyword].sort((a, b) => percentile(b[1], 50) - percentile(a[1], 50)))
      console.log(
        `    ${k.padEnd(24)} ${percentile(v, 50).toFixed(1).padStart(7)} / ${Math.max(...v).toFixed(1)}`,
      );
  } finally {
    await db.close();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
