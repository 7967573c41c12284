import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROME_FILES } from '../sync-server/src/reference/rome';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'import-rome-'));
const files = join(work, 'rome');
mkdirSync(files);

function writeFiles(bakerLabel: string): void {
  writeFileSync(
    join(files, ROME_FILES.codes),
    '"code_rome","code_fiche_metier","code_ogr","libelle_rome","code_rome_parent"\n"D1102","1","1","Boulangerie","D1102"\n',
  );
  writeFileSync(
    join(files, ROME_FILES.appellations),
    '"code_ogr","libelle_appellation_long","libelle_appellation_court","code_rome","peu_usite"\n' +
      `"11573","${bakerLabel}","${bakerLabel}","D1102","N"\n"11574","Boulanger-pâtissier","Boulanger-pâtissier","D1102","N"\n`,
  );
  writeFileSync(join(files, ROME_FILES.mobility), '"code_rome","code_rome_cible","numero_ordre"\n');
}

function run(...args: string[]) {
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/import-rome.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: join(work, 'pglite'), DATABASE_URL: '' },
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run import:rome', () => {
  it('imports into the configured PGlite database, then updates a changed label on a re-run', () => {
    writeFiles('Boulanger / Boulangère');
    const first = run(files);
    expect(first.out).toContain('appellations : 2 ajoutées, 0 mises à jour');
    expect(first.out).toContain('codes ROME : 1 ajoutés');
    expect(first.status).toBe(0);

    writeFiles('Boulanger / Boulangère de nuit');
    const second = run(files);
    expect(second.out).toContain('appellations : 0 ajoutées, 1 mises à jour');
    expect(second.out).toContain('codes ROME : 0 ajoutés, 0 mis à jour');
    expect(second.status).toBe(0);
  }, 180_000);

  it('explains its usage and refuses a missing folder, in French', () => {
    const none = run();
    expect(none.status).toBe(2);
    expect(none.out).toContain('Usage : npm run import:rome -- <dossier>');
    const missing = run(join(work, 'absent'));
    expect(missing.status).toBe(1);
    expect(missing.out).toContain('Dossier introuvable');
  });
});
