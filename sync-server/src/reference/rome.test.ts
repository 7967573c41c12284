import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { memoryDatabaseOptions } from '../../test/harness';
import { type Database, openDatabase } from '../db/database';
import { migrate } from '../db/migrations';
import { parseCsv } from './csv';
import {
  builtinRomeRows,
  describeRomeImport,
  ensureRome,
  importRome,
  importRomeBuiltin,
  ROME_FILES,
  readRomeFolder,
  searchAppellations,
  searchText,
} from './rome';
import { ROME_BUILTIN_VERSION } from './rome-builtin';

const ROME_DIR = resolve(__dirname, '../../../../shared/data/rome/official');

const HEADERS = {
  codes: '"code_rome","code_fiche_metier","code_ogr","libelle_rome","code_rome_parent"',
  appellations:
    '"code_ogr","libelle_appellation_long","libelle_appellation_court","code_rome","classification","peu_usite"',
  mobility: '"code_rome","code_rome_cible","numero_ordre"',
};

/** A tiny export in the official format. */
function writeRome(dir: string, rows: { codes: string[]; appellations: string[]; mobility: string[] }): void {
  writeFileSync(join(dir, ROME_FILES.codes), [HEADERS.codes, ...rows.codes, ''].join('\n'));
  writeFileSync(
    join(dir, ROME_FILES.appellations),
    [HEADERS.appellations, ...rows.appellations, ''].join('\n'),
  );
  writeFileSync(join(dir, ROME_FILES.mobility), [HEADERS.mobility, ...rows.mobility, ''].join('\n'));
}

const count = async (db: Database, table: string) =>
  Number((await db.query<{ n: string }>(`select count(*)::text as n from ${table}`)).rows[0]!.n);

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, separators and line endings inside fields', () => {
    const rows = parseCsv('"a","b ""c""","d,e"\r\n"1","deux\nlignes",""\n');
    expect(rows).toEqual([
      ['a', 'b "c"', 'd,e'],
      ['1', 'deux\nlignes', ''],
    ]);
  });
  it('folds accents for search', () => {
    expect(searchText('Pâtissier / Pâtissière')).toBe('patissier / patissiere');
  });
});

describe('ROME upsert (small files in the official format)', () => {
  let db: Database;
  let dir: string;
  beforeAll(async () => {
    db = await openDatabase(memoryDatabaseOptions());
    await migrate(db);
  });
  afterAll(async () => db.close());
  beforeEach(async () => {
    await db.query('delete from rome_mobility');
    await db.query('delete from rome_appellations');
    await db.query('delete from rome_codes');
    await db.query('delete from reference_versions');
    dir = mkdtempSync(join(tmpdir(), 'rome-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  const first = {
    codes: ['"D1102","1","1","Boulangerie - viennoiserie","D1102"', '"D1104","2","2","Pâtisserie","D1104"'],
    appellations: [
      '"11573","Boulanger / Boulangère","Boulanger / Boulangère","D1102","PRINCIPALE","N"',
      '"17576","Pâtissier / Pâtissière","Pâtissier / Pâtissière","D1104","PRINCIPALE","N"',
    ],
    mobility: ['"D1102","D1104","1"', '"D1104","D1102","1"'],
  };

  it('re-imports: updates a changed label, adds new rows, never duplicates, removes dropped links', async () => {
    writeRome(dir, first);
    const a = await importRome(db, dir);
    expect(a.inserted).toEqual({ codes: 2, appellations: 2, mobility: 2 });
    expect(a.updated).toEqual({ codes: 0, appellations: 0, mobility: 0 });

    // Same files again: nothing changes.
    const same = await importRome(db, dir);
    expect(same.inserted).toEqual({ codes: 0, appellations: 0, mobility: 0 });
    expect(same.updated).toEqual({ codes: 0, appellations: 0, mobility: 0 });
    expect(same.removedMobility).toBe(0);

    // A new version: one label changed, one appellation and one code added, one link dropped, one re-ranked.
    writeRome(dir, {
      codes: [...first.codes, '"G1602","3","3","Personnel de cuisine","G1602"'],
      appellations: [
        '"11573","Boulanger / Boulangère de nuit","Boulanger / Boulangère","D1102","PRINCIPALE","N"',
        first.appellations[1]!,
        '"12756","Commis / Commise de cuisine","Commis / Commise de cuisine","G1602","PRINCIPALE","N"',
      ],
      mobility: ['"D1102","D1104","2"', '"D1102","G1602","1"'],
    });
    const b = await importRome(db, dir);
    expect(b.inserted).toEqual({ codes: 1, appellations: 1, mobility: 1 });
    expect(b.updated).toEqual({ codes: 0, appellations: 1, mobility: 1 });
    // D1104 → D1102 stays: D1104 is not a source in the new file. Only D1102's own links are replaced.
    expect(b.removedMobility).toBe(0);

    expect(await count(db, 'rome_codes')).toBe(3);
    expect(await count(db, 'rome_appellations')).toBe(3);
    const label = await db.query<{ label: string; search: string }>(
      "select label, search from rome_appellations where code_ogr = '11573'",
    );
    expect(label.rows[0]).toEqual({
      label: 'Boulanger / Boulangère de nuit',
      search: 'boulanger / boulangere de nuit',
    });
    const links = await db.query<{ rome_code: string; target_code: string; rank: number }>(
      'select rome_code, target_code, rank from rome_mobility order by rome_code, target_code',
    );
    expect(links.rows).toEqual([
      { rome_code: 'D1102', target_code: 'D1104', rank: 2 },
      { rome_code: 'D1102', target_code: 'G1602', rank: 1 },
      { rome_code: 'D1104', target_code: 'D1102', rank: 1 },
    ]);

    // D1104 now lists no link to D1102: that link goes.
    writeRome(dir, {
      ...first,
      mobility: ['"D1102","D1104","2"', '"D1102","G1602","1"', '"D1104","G1602","3"'],
    });
    const c = await importRome(db, dir);
    expect(c.removedMobility).toBe(1);
    expect(c.inserted.mobility).toBe(1);
    // The code and appellation missing from this file are kept: offers may refer to them.
    expect(await count(db, 'rome_codes')).toBe(3);
    expect(await count(db, 'rome_appellations')).toBe(3);
    expect(describeRomeImport(c).join('\n')).toContain('1 retirés');
  });

  it('records the version and bumps it only when something changed', async () => {
    writeRome(dir, first);
    await importRome(db, dir);
    const v1 = await db.query<{ version: string; row_count: number; at: string }>(
      "select version, row_count, imported_at::text as at from reference_versions where name = 'rome'",
    );
    expect(v1.rows[0]).toMatchObject({ version: '4.60', row_count: 2 });
    await importRome(db, dir);
    const v2 = await db.query<{ at: string }>(
      "select imported_at::text as at from reference_versions where name = 'rome'",
    );
    expect(v2.rows[0]!.at).toBe(v1.rows[0]!.at);
  });

  it('accepts a file listing a row twice (last one wins) and refuses a bad code in French', async () => {
    writeRome(dir, {
      ...first,
      appellations: [
        ...first.appellations,
        '"11573","Boulanger / Boulangère (bis)","Boulanger","D1102","PRINCIPALE","N"',
      ],
    });
    const r = await importRome(db, dir);
    expect(r.appellations).toBe(2);
    expect(await count(db, 'rome_appellations')).toBe(2);

    writeRome(dir, { ...first, codes: [...first.codes, '"Z9999","9","9","Inconnu",""'] });
    await expect(importRome(db, dir)).rejects.toThrow(/code ROME invalide/);
    rmSync(join(dir, ROME_FILES.mobility));
    expect(() => readRomeFolder(dir)).toThrow(/introuvable/);
  });

  it('falls back to the built-in set when the folder is missing, unless told not to', async () => {
    const missing = join(dir, 'absent');
    expect(await ensureRome(db, missing, { builtinWhenMissing: false })).toMatch(/^Référentiel ROME absent/);
    expect(await count(db, 'rome_codes')).toBe(0);

    const report = await ensureRome(db, missing);
    expect(report).toContain('jeu intégré réduit importé');
    expect(report).toContain('npm run import:rome');
    const builtin = builtinRomeRows();
    expect(await count(db, 'rome_codes')).toBe(builtin.codes.length);
    expect(await count(db, 'rome_appellations')).toBe(builtin.appellations.length);
    expect(await ensureRome(db, missing)).toContain('intégré réduit présent');
    const v = await db.query<{ version: string }>(
      "select version from reference_versions where name = 'rome'",
    );
    expect(v.rows[0]!.version).toBe(ROME_BUILTIN_VERSION);
    expect((await searchAppellations(db, 'boulanger', 5)).some((x) => x.romeCode === 'D1102')).toBe(true);

    // The files appear: the next start imports them on top of the built-in set.
    writeRome(dir, first);
    expect(await ensureRome(db, dir)).toMatch(/importé/);
    const after = await db.query<{ version: string }>(
      "select version from reference_versions where name = 'rome'",
    );
    expect(after.rows[0]!.version).toBe('4.60');
    expect(await ensureRome(db, dir)).toBe('Référentiel ROME 4.60 présent.');
  });
});

describe('built-in ROME set', () => {
  it('covers about thirty common codes of the main sectors, each with a few appellations', () => {
    const { codes, appellations, mobility } = builtinRomeRows();
    expect(codes.length).toBeGreaterThanOrEqual(30);
    const known = new Set(codes.map((c) => c.code));
    for (const prefix of ['D', 'G', 'F', 'K', 'J', 'N', 'M']) {
      expect(
        codes.some((c) => c.code.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    for (const c of codes) {
      const mine = appellations.filter((a) => a.romeCode === c.code);
      expect(mine.length, c.code).toBeGreaterThanOrEqual(2);
    }
    for (const a of appellations) expect(known.has(a.romeCode)).toBe(true);
    for (const m of mobility) expect(known.has(m.romeCode) && known.has(m.targetCode)).toBe(true);
    expect(new Set(appellations.map((a) => a.codeOgr)).size).toBe(appellations.length);
  });

  // Needs France Travail's official files from the team folder beside the project (always there in
  // CI); a lone clone without them skips this comparison and keeps every other test.
  it.runIf(existsSync(ROME_DIR))('is an exact extract of the official 4.60 files', () => {
    const official = readRomeFolder(ROME_DIR);
    const codes = new Map(official.codes.map((c) => [c.code, c]));
    const apps = new Map(official.appellations.map((a) => [a.codeOgr, a]));
    const links = new Map(official.mobility.map((m) => [`${m.romeCode}>${m.targetCode}`, m]));
    const builtin = builtinRomeRows();
    for (const c of builtin.codes) expect(c).toEqual(codes.get(c.code));
    for (const a of builtin.appellations) expect(a).toEqual(apps.get(a.codeOgr));
    for (const m of builtin.mobility) expect(m).toEqual(links.get(`${m.romeCode}>${m.targetCode}`));
  });
});

describe.runIf(existsSync(ROME_DIR))('ROME referential (official 4.60 files)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(memoryDatabaseOptions());
    await migrate(db);
  });
  afterAll(async () => db.close());

  it('imports every code, appellation and mobility link once, and is idempotent', async () => {
    const first = await importRome(db, ROME_DIR);
    expect(first.appellations).toBe(13120);
    expect(first.codes).toBe(1584);
    expect(first.inserted.appellations).toBe(13120);
    expect(first.inserted.codes).toBe(1584);
    expect(first.inserted.mobility).toBe(first.mobility);
    const second = await importRome(db, ROME_DIR);
    expect(second).toEqual({
      ...first,
      inserted: { codes: 0, appellations: 0, mobility: 0 },
      updated: { codes: 0, appellations: 0, mobility: 0 },
    });
    expect(await count(db, 'rome_appellations')).toBe(13120);
    expect(await count(db, 'rome_codes')).toBe(1584);
    expect(await count(db, 'rome_mobility')).toBe(first.mobility);
    expect(await ensureRome(db, ROME_DIR)).toContain('4.60');
  });

  it('adds nothing when the built-in set is imported on top of the full referential', async () => {
    const links = await count(db, 'rome_mobility');
    const r = await importRomeBuiltin(db);
    expect(r.inserted).toEqual({ codes: 0, appellations: 0, mobility: 0 });
    expect(r.updated).toEqual({ codes: 0, appellations: 0, mobility: 0 });
    expect(r.removedMobility).toBe(0);
    expect(r.version).toBe('4.60');
    expect(await count(db, 'rome_mobility')).toBe(links);
    expect(await ensureRome(db, ROME_DIR)).toBe('Référentiel ROME 4.60 présent.');
  });

  it('suggests job titles without accents and with typos, with their ROME code', async () => {
    const bakers = await searchAppellations(db, 'boulanger', 5);
    expect(bakers[0]!.label.toLowerCase()).toContain('boulang');
    expect(bakers.some((a) => a.romeCode === 'D1102')).toBe(true);
    const pastry = await searchAppellations(db, 'patissiere', 5);
    expect(pastry.some((a) => a.label.includes('Pâtissier'))).toBe(true);
    const typo = await searchAppellations(db, 'boulangre', 5);
    expect(typo.some((a) => a.romeCode === 'D1102')).toBe(true);
    expect(await searchAppellations(db, 'x', 5)).toEqual([]);
  });
});
