import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Queryable } from '../db/database';
import { csvObjects } from './csv';
import {
  ROME_BUILTIN_APPELLATIONS,
  ROME_BUILTIN_CODES,
  ROME_BUILTIN_MOBILITY,
  ROME_BUILTIN_VERSION,
} from './rome-builtin';

/** France Travail's official ROME export files (version 4.60), as published in open data. */
export const ROME_FILES = {
  codes: 'unix_referentiel_code_rome_v460_utf8.csv',
  appellations: 'unix_referentiel_appellation_v460_utf8.csv',
  mobility: 'unix_rubrique_mobilite_v460_utf8.csv',
} as const;
export const ROME_VERSION = '4.60';

/** The referential as rows, whatever its source (official files or the built-in set). */
export interface RomeRows {
  codes: { code: string; label: string; parentCode: string | null }[];
  appellations: {
    codeOgr: string;
    label: string;
    shortLabel: string;
    romeCode: string;
    rarelyUsed: boolean;
  }[];
  mobility: { romeCode: string; targetCode: string; rank: number }[];
}

export interface RomeTableCounts {
  codes: number;
  appellations: number;
  mobility: number;
}

export interface RomeImportResult extends RomeTableCounts {
  /** The version recorded: ROME_VERSION, or ROME_BUILTIN_VERSION for the built-in set. */
  version: string;
  /** Rows that were not there before. */
  inserted: RomeTableCounts;
  /** Rows whose label (or parent, rank…) changed. Unchanged rows are neither inserted nor updated. */
  updated: RomeTableCounts;
  /** Mobility links of an imported code that the new files no longer list. */
  removedMobility: number;
}

/** Lower-case, accent-free text for matching (« Pâtissière » → « patissiere »). */
export function searchText(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

const ROME_CODE = /^[A-N]\d{4}$/;

/** Reads and checks a folder of official CSV files; throws in French on a missing file, column or bad code. */
export function readRomeFolder(dir: string): RomeRows {
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path)) throw new Error(`Fichier du référentiel ROME introuvable : ${path}`);
    return readFileSync(path, 'utf8');
  };
  const codes = csvObjects(
    read(ROME_FILES.codes),
    ['code_rome', 'libelle_rome', 'code_rome_parent'],
    ROME_FILES.codes,
  );
  const apps = csvObjects(
    read(ROME_FILES.appellations),
    ['code_ogr', 'libelle_appellation_long', 'libelle_appellation_court', 'code_rome', 'peu_usite'],
    ROME_FILES.appellations,
  );
  const mob = csvObjects(
    read(ROME_FILES.mobility),
    ['code_rome', 'code_rome_cible', 'numero_ordre'],
    ROME_FILES.mobility,
  );
  const badRow =
    codes.find((c) => !ROME_CODE.test(c.code_rome!)) ??
    apps.find((a) => !ROME_CODE.test(a.code_rome!) || !a.code_ogr) ??
    mob.find((m) => !ROME_CODE.test(m.code_rome!) || !ROME_CODE.test(m.code_rome_cible!));
  if (badRow)
    throw new Error(`Référentiel ROME : code ROME invalide dans la ligne ${JSON.stringify(badRow)}.`);
  return {
    codes: codes.map((c) => ({
      code: c.code_rome!,
      label: c.libelle_rome!,
      parentCode: c.code_rome_parent || null,
    })),
    appellations: apps.map((a) => ({
      codeOgr: a.code_ogr!,
      label: a.libelle_appellation_long!,
      shortLabel: a.libelle_appellation_court!,
      romeCode: a.code_rome!,
      rarelyUsed: a.peu_usite === 'O',
    })),
    mobility: mob.map((m) => ({
      romeCode: m.code_rome!,
      targetCode: m.code_rome_cible!,
      rank: Number(m.numero_ordre) || 0,
    })),
  };
}

/** The small built-in referential (rome-builtin.ts), for when the official files are missing. */
export function builtinRomeRows(): RomeRows {
  return {
    codes: ROME_BUILTIN_CODES.map(([code, label, parent]) => ({ code, label, parentCode: parent || null })),
    appellations: ROME_BUILTIN_APPELLATIONS.map(([codeOgr, label, shortLabel, romeCode, rarelyUsed]) => ({
      codeOgr,
      label,
      shortLabel,
      romeCode,
      rarelyUsed,
    })),
    mobility: ROME_BUILTIN_MOBILITY.map(([romeCode, targetCode, rank]) => ({ romeCode, targetCode, rank })),
  };
}

/** One row per key, the last one read winning (a file listing a code twice must not fail the upsert). */
function uniqueBy<T>(rows: T[], key: (row: T) => string): T[] {
  return [...new Map(rows.map((r) => [key(r), r] as const)).values()];
}

/** Runs an `insert … on conflict do update … where changed returning (xmax = 0) as ins` and counts. */
async function countUpsert(
  tx: Queryable,
  sql: string,
  params: unknown[],
): Promise<{ inserted: number; updated: number }> {
  const { rows } = await tx.query<{ inserted: string; updated: string }>(
    `with r as (${sql} returning (xmax = 0) as ins)
     select count(*) filter (where ins)::text as inserted, count(*) filter (where not ins)::text as updated from r`,
    params,
  );
  return { inserted: Number(rows[0]?.inserted ?? 0), updated: Number(rows[0]?.updated ?? 0) };
}

/**
 * Upserts the referential in one transaction: new codes, appellations and links are added, changed
 * labels are updated, nothing is duplicated, and a re-run of the same files changes nothing.
 * Codes and appellations missing from the files are kept (offers refer to them); with
 * `replaceMobility` (a complete export), the mobility links of each imported code are replaced by
 * those the files list.
 */
export async function upsertRome(
  db: Database,
  input: RomeRows,
  version: string,
  options: { replaceMobility?: boolean } = {},
): Promise<RomeImportResult> {
  const replaceMobility = options.replaceMobility ?? true;
  const codes = uniqueBy(input.codes, (c) => c.code);
  const apps = uniqueBy(input.appellations, (a) => a.codeOgr);
  const mob = uniqueBy(input.mobility, (m) => `${m.romeCode}>${m.targetCode}`);
  return db.transaction(async (tx: Queryable) => {
    const c = await countUpsert(
      tx,
      `insert into rome_codes (code, label, parent_code)
       select * from unnest($1::text[], $2::text[], $3::text[])
       on conflict (code) do update set label = excluded.label, parent_code = excluded.parent_code
       where (rome_codes.label, rome_codes.parent_code) is distinct from (excluded.label, excluded.parent_code)`,
      [codes.map((r) => r.code), codes.map((r) => r.label), codes.map((r) => r.parentCode)],
    );
    const a = await countUpsert(
      tx,
      `insert into rome_appellations (code_ogr, label, short_label, rome_code, rarely_used, search)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[])
       on conflict (code_ogr) do update set label = excluded.label, short_label = excluded.short_label,
         rome_code = excluded.rome_code, rarely_used = excluded.rarely_used, search = excluded.search
       where (rome_appellations.label, rome_appellations.short_label, rome_appellations.rome_code,
              rome_appellations.rarely_used, rome_appellations.search)
         is distinct from (excluded.label, excluded.short_label, excluded.rome_code, excluded.rarely_used,
              excluded.search)`,
      [
        apps.map((r) => r.codeOgr),
        apps.map((r) => r.label),
        apps.map((r) => r.shortLabel),
        apps.map((r) => r.romeCode),
        apps.map((r) => r.rarelyUsed),
        apps.map((r) => searchText(r.label)),
      ],
    );
    const sources = replaceMobility ? [...new Set(mob.map((m) => m.romeCode))] : [];
    const removed = await tx.query<{ n: string }>(
      `with keep (s, t) as (select * from unnest($2::text[], $3::text[])),
            d as (delete from rome_mobility m
                   where m.rome_code = any($1::text[])
                     and not exists (select 1 from keep where keep.s = m.rome_code and keep.t = m.target_code)
                   returning 1)
       select count(*)::text as n from d`,
      [sources, mob.map((m) => m.romeCode), mob.map((m) => m.targetCode)],
    );
    const m = await countUpsert(
      tx,
      `insert into rome_mobility (rome_code, target_code, rank)
       select * from unnest($1::text[], $2::text[], $3::int[])
       on conflict (rome_code, target_code) do update set rank = excluded.rank
       where rome_mobility.rank is distinct from excluded.rank`,
      [mob.map((r) => r.romeCode), mob.map((r) => r.targetCode), mob.map((r) => r.rank)],
    );
    const total = await tx.query<{ n: string }>('select count(*)::text as n from rome_appellations');
    const changed = c.inserted + c.updated + a.inserted + a.updated + m.inserted + m.updated;
    const removedMobility = Number(removed.rows[0]?.n ?? 0);
    // The version row changes only with the content, so clients' cached copies stay valid after a no-op re-run.
    await tx.query(
      `insert into reference_versions (name, version, row_count) values ('rome', $1, $2)
       on conflict (name) do update set version = excluded.version, row_count = excluded.row_count, imported_at = now()
       where reference_versions.version is distinct from excluded.version
          or reference_versions.row_count is distinct from excluded.row_count or $3::boolean`,
      [version, Number(total.rows[0]?.n ?? apps.length), changed + removedMobility > 0],
    );
    return {
      version,
      codes: codes.length,
      appellations: apps.length,
      mobility: mob.length,
      inserted: { codes: c.inserted, appellations: a.inserted, mobility: m.inserted },
      updated: { codes: c.updated, appellations: a.updated, mobility: m.updated },
      removedMobility,
    };
  });
}

/** Imports (or re-imports: an idempotent upsert) the ROME referential from a folder of official CSV files. */
export async function importRome(db: Database, dir: string): Promise<RomeImportResult> {
  return upsertRome(db, readRomeFolder(dir), ROME_VERSION);
}

/**
 * Imports the small built-in referential (same upsert). On top of a complete referential it only
 * restores missing rows: it removes no link and keeps the recorded version.
 */
export async function importRomeBuiltin(db: Database): Promise<RomeImportResult> {
  const { rows } = await db.query<{ version: string }>(
    "select version from reference_versions where name = 'rome'",
  );
  const present = rows[0]?.version;
  const version = present && present !== ROME_BUILTIN_VERSION ? present : ROME_BUILTIN_VERSION;
  return upsertRome(db, builtinRomeRows(), version, { replaceMobility: false });
}

const n = (x: number) => x.toLocaleString('fr-FR');

/** What an import did, in French, for the console. */
export function describeRomeImport(r: RomeImportResult): string[] {
  const which = r.version === ROME_BUILTIN_VERSION ? 'intégré réduit' : r.version;
  return [
    `Référentiel ROME ${which} : ${n(r.codes)} codes, ${n(r.appellations)} appellations, ${n(r.mobility)} liens de mobilité lus.`,
    `  codes ROME : ${n(r.inserted.codes)} ajoutés, ${n(r.updated.codes)} mis à jour`,
    `  appellations : ${n(r.inserted.appellations)} ajoutées, ${n(r.updated.appellations)} mises à jour`,
    `  liens de mobilité : ${n(r.inserted.mobility)} ajoutés, ${n(r.updated.mobility)} mis à jour, ${n(r.removedMobility)} retirés`,
  ];
}

function hasOfficialFiles(dir: string | undefined): dir is string {
  return !!dir && existsSync(join(dir, ROME_FILES.appellations));
}

/**
 * At start: imports the official files when the database has no referential yet (or only the
 * built-in set); without the files, imports the small built-in set unless told not to.
 */
export async function ensureRome(
  db: Database,
  dir: string | undefined,
  options: { builtinWhenMissing?: boolean } = {},
): Promise<string> {
  const { rows } = await db.query<{ version: string }>(
    "select version from reference_versions where name = 'rome'",
  );
  const present = rows[0]?.version;
  if (present && present !== ROME_BUILTIN_VERSION) return `Référentiel ROME ${present} présent.`;
  if (hasOfficialFiles(dir)) {
    const r = await importRome(db, dir);
    return `Référentiel ROME ${ROME_VERSION} importé : ${n(r.codes)} codes, ${n(r.appellations)} appellations, ${n(r.mobility)} liens de mobilité.`;
  }
  const hint =
    'indiquez le dossier des fichiers officiels avec ROME_DATA_DIR, ou importez-les avec « npm run import:rome -- <dossier> »';
  if (present) return `Référentiel ROME intégré réduit présent (référentiel complet absent : ${hint}).`;
  if (options.builtinWhenMissing === false) {
    return `Référentiel ROME absent : ${hint} (recherche de métiers indisponible).`;
  }
  const r = await importRomeBuiltin(db);
  return `Référentiel ROME complet absent : jeu intégré réduit importé (${n(r.codes)} codes, ${n(r.appellations)} appellations) ; pour le référentiel complet, ${hint}.`;
}

export interface RomeAppellation {
  codeOgr: string;
  label: string;
  romeCode: string;
  romeLabel: string;
}

/** Job titles matching what the user typed, best first (accent-insensitive, typo-tolerant). */
export async function searchAppellations(
  db: Queryable,
  query: string,
  limit: number,
): Promise<RomeAppellation[]> {
  const q = searchText(query.trim()).slice(0, 100);
  if (q.length < 2) return [];
  const { rows } = await db.query<{ code_ogr: string; label: string; rome_code: string; rome_label: string }>(
    `select a.code_ogr, a.label, a.rome_code, c.label as rome_label
       from rome_appellations a join rome_codes c on c.code = a.rome_code
      where a.search like '%' || $1 || '%' or a.search % $1 or a.rome_code = upper($1)
      order by (a.search like $1 || '%') desc, (a.search like '%' || $1 || '%') desc, a.rarely_used,
               similarity(a.search, $1) desc, a.label
      limit $2`,
    [q, limit],
  );
  return rows.map((r) => ({
    codeOgr: r.code_ogr,
    label: r.label,
    romeCode: r.rome_code,
    romeLabel: r.rome_label,
  }));
}
