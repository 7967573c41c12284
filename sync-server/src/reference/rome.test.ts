import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../db/database';
import { migrate } from '../db/migrations';
import { parseCsv } from './csv';
import { ensureRome, importRome, searchAppellations, searchText } from './rome';

const ROME_DIR = resolve(__dirname, '../../../../shared/data/rome/official');

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

describe.runIf(existsSync(ROME_DIR))('ROME referential (official 4.60 files)', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
  });
  afterAll(async () => db.close());

  it('imports every code, appellation and mobility link once, and is idempotent', async () => {
    const first = await importRome(db, ROME_DIR);
    expect(first.appellations).toBeGreaterThan(13000);
    expect(first.codes).toBeGreaterThan(1500);
    const second = await importRome(db, ROME_DIR);
    expect(second).toEqual(first);
    const { rows } = await db.query<{ n: string }>('select count(*)::text as n from rome_appellations');
    expect(Number(rows[0]!.n)).toBe(first.appellations);
    expect(await ensureRome(db, ROME_DIR)).toContain('4.60');
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
