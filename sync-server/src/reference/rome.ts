import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Queryable } from '../db/database';
import { csvObjects } from './csv';

/** France Travail's official ROME export files (version 4.60), as published in open data. */
export const ROME_FILES = {
  codes: 'unix_referentiel_code_rome_v460_utf8.csv',
  appellations: 'unix_referentiel_appellation_v460_utf8.csv',
  mobility: 'unix_rubrique_mobilite_v460_utf8.csv',
} as const;
export const ROME_VERSION = '4.60';

export interface RomeImportResult {
  codes: number;
  appellations: number;
  mobility: number;
}

/** Lower-case, accent-free text for matching (« Pâtissière » → « patissiere »). */
export function searchText(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Imports (or re-imports) the ROME referential from a folder of official CSV files, in one transaction. */
export async function importRome(db: Database, dir: string): Promise<RomeImportResult> {
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
  const ROME = /^[A-N]\d{4}$/;
  const badRow = codes.find((c) => !ROME.test(c.code_rome!)) ?? apps.find((a) => !ROME.test(a.code_rome!));
  if (badRow)
    throw new Error(`Référentiel ROME : code ROME invalide dans la ligne ${JSON.stringify(badRow)}.`);

  await db.transaction(async (tx: Queryable) => {
    await tx.query('delete from rome_mobility');
    await tx.query('delete from rome_appellations');
    await tx.query('delete from rome_codes');
    await tx.query(
      `insert into rome_codes (code, label, parent_code)
       select * from unnest($1::text[], $2::text[], $3::text[]) on conflict (code) do nothing`,
      [
        codes.map((c) => c.code_rome),
        codes.map((c) => c.libelle_rome),
        codes.map((c) => c.code_rome_parent || null),
      ],
    );
    await tx.query(
      `insert into rome_appellations (code_ogr, label, short_label, rome_code, rarely_used, search)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::text[])
       on conflict (code_ogr) do nothing`,
      [
        apps.map((a) => a.code_ogr),
        apps.map((a) => a.libelle_appellation_long),
        apps.map((a) => a.libelle_appellation_court),
        apps.map((a) => a.code_rome),
        apps.map((a) => a.peu_usite === 'O'),
        apps.map((a) => searchText(a.libelle_appellation_long!)),
      ],
    );
    await tx.query(
      `insert into rome_mobility (rome_code, target_code, rank)
       select * from unnest($1::text[], $2::text[], $3::int[]) on conflict do nothing`,
      [
        mob.map((m) => m.code_rome),
        mob.map((m) => m.code_rome_cible),
        mob.map((m) => Number(m.numero_ordre) || 0),
      ],
    );
    await tx.query(
      `insert into reference_versions (name, version, row_count) values ('rome', $1, $2)
       on conflict (name) do update set version = excluded.version, row_count = excluded.row_count, imported_at = now()`,
      [ROME_VERSION, apps.length],
    );
  });
  return { codes: codes.length, appellations: apps.length, mobility: mob.length };
}

/** Imports the ROME referential at start when the database has none and the files are there. */
export async function ensureRome(db: Database, dir: string | undefined): Promise<string> {
  const { rows } = await db.query<{ version: string }>(
    "select version from reference_versions where name = 'rome'",
  );
  if (rows[0]) return `Référentiel ROME ${rows[0].version} présent.`;
  if (!dir || !existsSync(join(dir, ROME_FILES.appellations))) {
    return `Référentiel ROME absent : indiquez le dossier des fichiers officiels avec ROME_DATA_DIR (recherche de métiers indisponible).`;
  }
  const r = await importRome(db, dir);
  return `Référentiel ROME ${ROME_VERSION} importé : ${r.codes} codes, ${r.appellations} appellations, ${r.mobility} liens de mobilité.`;
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
