import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DamagedDataDirectoryError, openDatabase } from './database';

describe('PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'recrutement-damaged-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a damaged directory at start with a French explanation', async () => {
    const db = await openDatabase({ dataDir: dir });
    await db.query('create table t (x int)');
    await db.close();
    // Simulate what an unclean exit or a bad copy can leave: the control file overwritten.
    const control = join(dir, 'global', 'pg_control');
    expect(statSync(control).size).toBeGreaterThan(0);
    writeFileSync(control, Buffer.alloc(statSync(control).size, 0xff));
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    const error = await openDatabase({ dataDir: dir }).then(
      async (reopened) => {
        await reopened.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DamagedDataDirectoryError);
    expect((error as Error).message).toContain('endommagé');
  });
});
