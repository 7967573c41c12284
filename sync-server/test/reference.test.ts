import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  Commune,
  CommuneSuggestion,
  CommunesFile,
  NafActivity,
  NafFile,
  RomeFile,
} from '../../shared/domain/reference';
import { communesNear, findCommune, unloadCommunes } from '../src/reference/communes';
import { findNaf, unloadNaf } from '../src/reference/naf';
import { importRome, ROME_FILES } from '../src/reference/rome';
import { referenceDataDir } from '../src/reference/versioned-json';
import { api, startTestServer, type TestServer } from './harness';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The generated files (`npm run build:reference`), built here when a fresh clone has none yet. */
function ensureReferenceFiles(): void {
  const dir = referenceDataDir();
  if (existsSync(join(dir, 'communes.json')) && existsSync(join(dir, 'naf.json'))) return;
  const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/build-reference.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`npm run build:reference a échoué : ${r.stderr}`);
}

/** Raw HTTP, to see the bytes as sent (fetch decompresses on its own). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const ROME_HEADERS = {
  codes: '"code_rome","code_fiche_metier","code_ogr","libelle_rome","code_rome_parent"',
  appellations:
    '"code_ogr","libelle_appellation_long","libelle_appellation_court","code_rome","classification","peu_usite"',
  mobility: '"code_rome","code_rome_cible","numero_ordre"',
};

/** A tiny ROME export in the official format. */
function writeRome(dir: string, bakerLabel: string): void {
  writeFileSync(
    join(dir, ROME_FILES.codes),
    `${ROME_HEADERS.codes}\n"D1102","1","1","Boulangerie - viennoiserie",""\n"D1104","2","2","Pâtisserie, confiserie, chocolaterie et glacerie",""\n`,
  );
  writeFileSync(
    join(dir, ROME_FILES.appellations),
    `${ROME_HEADERS.appellations}\n` +
      `"11573","${bakerLabel}","${bakerLabel}","D1102","SYNONYME","N"\n` +
      `"38584","Pâtissier / Pâtissière","Pâtissier / Pâtissière","D1104","SYNONYME","N"\n` +
      `"99999","Mitron / Mitronne","Mitron / Mitronne","D1102","SYNONYME","O"\n`,
  );
  writeFileSync(join(dir, ROME_FILES.mobility), `${ROME_HEADERS.mobility}\n"D1102","D1104","1"\n`);
}

describe('reference data routes', () => {
  let server: TestServer;
  let communes: CommunesFile;
  let naf: NafFile;

  beforeAll(async () => {
    ensureReferenceFiles();
    communes = JSON.parse(readFileSync(join(referenceDataDir(), 'communes.json'), 'utf8')) as CommunesFile;
    naf = JSON.parse(readFileSync(join(referenceDataDir(), 'naf.json'), 'utf8')) as NafFile;
    server = await startTestServer({ demo: false });
  });
  afterAll(async () => server?.stop());

  it('serves every commune as versioned JSON, gzipped when accepted, with its version as ETag', async () => {
    const url = `${server.url}/api/reference/communes`;
    const gz = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(gz.status).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.etag).toBe(`"${communes.version}"`);
    expect(gz.headers['cache-control']).toMatch(/max-age=\d{5,}/);
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    const body = JSON.parse(gunzipSync(gz.body).toString('utf8')) as CommunesFile;
    expect(body.version).toBe(communes.version);
    expect(body.rows.length).toBeGreaterThan(34_900);
    expect(body.columns[0]).toBe('code');
    expect(gz.body.length).toBeLessThan(body.rows.length * 30);

    const plain = await rawGet(url, { 'accept-encoding': 'gzip;q=0, identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect((JSON.parse(plain.body.toString('utf8')) as CommunesFile).rows).toHaveLength(body.rows.length);
  });

  it('answers 304 when the client already has this version', async () => {
    const same = await rawGet(`${server.url}/api/reference/communes`, {
      'if-none-match': `"${communes.version}"`,
    });
    expect(same.status).toBe(304);
    expect(same.body.length).toBe(0);
    const other = await rawGet(`${server.url}/api/reference/naf`, { 'if-none-match': '"autre-version"' });
    expect(other.status).toBe(200);
  });

  it('lets the desktop app (another origin) read the ETag', async () => {
    const res = await api(`${server.url}/api/reference/naf`, { headers: { origin: 'app://poste' } });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toMatch(/etag/i);
  });

  it('searches communes by name, postal code or both', async () => {
    const lyon = await api<{ items: CommuneSuggestion[] }>(
      `${server.url}/api/reference/communes/search?q=lyon`,
    );
    expect(lyon.status).toBe(200);
    expect(lyon.body.items[0]).toMatchObject({ code: '69123', name: 'Lyon', departement: '69' });
    expect(lyon.body.items[0]!.latitude).toBeCloseTo(45.75, 1);
    expect(lyon.body.items.length).toBe(10);
    const saint = await api<{ items: CommuneSuggestion[] }>(
      `${server.url}/api/reference/communes/search?q=${encodeURIComponent('st-étienne')}&limit=3`,
    );
    expect(saint.body.items.map((c) => c.code)).toEqual(['42218', expect.any(String), expect.any(String)]);
    const postal = await api<{ items: CommuneSuggestion[] }>(
      `${server.url}/api/reference/communes/search?q=75015`,
    );
    expect(postal.body.items.map((c) => `${c.code} ${c.postalCode}`)).toEqual(['75056 75015', '75115 75015']);
    const empty = await api<{ items: CommuneSuggestion[] }>(`${server.url}/api/reference/communes/search?q=`);
    expect(empty.body.items).toEqual([]);
  });

  it('refuses bad search parameters with a French 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/api/reference/communes/search?q=lyon&limit=0', 'limit'],
      ['/api/reference/communes/search?q=lyon&limit=51', 'limit'],
      ['/api/reference/communes/search?q=lyon&limit=abc', 'limit'],
      ['/api/reference/communes/search?q=lyon&limit=2&limit=3', 'limit'],
      [`/api/reference/communes/search?q=${'a'.repeat(101)}`, 'q'],
      ['/api/reference/communes/search?q=a&q=b', 'q'],
      ['/api/reference/naf/search?q=pain&limit=-1', 'limit'],
      ['/api/reference/rome/appellations?q=a&q=b', 'q'],
    ];
    for (const [path, field] of cases) {
      const res = await api<{ error: { code: string; message: string; fields: { field: string }[] } }>(
        `${server.url}${path}`,
      );
      expect(res.status, path).toBe(400);
      expect(res.body.error.code).toBe('validation');
      expect(res.body.error.fields[0]!.field, path).toBe(field);
      expect(res.body.error.message).toMatch(/[éèàç«]|Paramètre|Recherche/);
    }
  });

  it('gives one commune by INSEE code, Corsica included, with French errors otherwise', async () => {
    const lyon = await api<Commune>(`${server.url}/api/reference/communes/69123`);
    expect(lyon.status).toBe(200);
    expect(lyon.body).toMatchObject({ code: '69123', name: 'Lyon', coordinateSource: 'commune' });
    expect(lyon.body.postalCodes).toContain('69003');
    const ajaccio = await api<Commune>(`${server.url}/api/reference/communes/2a004`);
    expect(ajaccio.body.name).toBe('Ajaccio');
    const arrondissement = await api<Commune>(`${server.url}/api/reference/communes/69383`);
    expect(arrondissement.body).toMatchObject({ parentCode: '69123', postalCodes: ['69003'] });
    const bad = await api<{ error: { fields: { field: string }[] } }>(
      `${server.url}/api/reference/communes/lyon`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields[0]!.field).toBe('code');
    const unknown = await api<{ error: { code: string; message: string } }>(
      `${server.url}/api/reference/communes/99999`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/Aucune commune/);
  });

  it('serves the NAF sous-classes and searches them by code or words', async () => {
    const all = await rawGet(`${server.url}/api/reference/naf`, {});
    expect(all.headers.etag).toBe(`"${naf.version}"`);
    const body = JSON.parse(all.body.toString('utf8')) as NafFile;
    expect(body.rows).toHaveLength(732);
    expect(body.sections).toHaveLength(21);
    const byWord = await api<{ items: NafActivity[] }>(
      `${server.url}/api/reference/naf/search?q=boulangerie`,
    );
    expect(byWord.body.items.map((a) => a.code)).toContain('10.71C');
    const byCode = await api<{ items: NafActivity[] }>(`${server.url}/api/reference/naf/search?q=6201z`);
    expect(byCode.body.items).toEqual([
      {
        code: '62.01Z',
        label: 'Programmation informatique',
        section: 'J',
        sectionLabel: 'Information et communication',
      },
    ]);
  });

  it('serves the ROME referential with a content revision, and says every version', async () => {
    const before = await api<Record<string, string | null>>(`${server.url}/api/reference/versions`);
    expect(before.body).toEqual({ communes: communes.version, naf: naf.version, rome: null });
    const none = await api<RomeFile>(`${server.url}/api/reference/rome`);
    expect(none.body).toEqual({ version: null, codes: [], appellations: [] });

    const dir = mkdtempSync(join(tmpdir(), 'rome-'));
    try {
      writeRome(dir, 'Boulanger / Boulangère');
      await importRome(server.db, dir);
      const first = await rawGet(`${server.url}/api/reference/rome`, { 'accept-encoding': 'gzip' });
      expect(first.headers['content-encoding']).toBe('gzip');
      const rome = JSON.parse(gunzipSync(first.body).toString('utf8')) as RomeFile;
      expect(rome.version).toBe('4.60');
      expect(rome.revision).toMatch(/^[0-9a-f]{16}$/);
      expect(first.headers.etag).toBe(`"${rome.revision}"`);
      // Rarely used titles are left out.
      expect(rome.appellations).toEqual([
        ['11573', 'Boulanger / Boulangère', 'D1102'],
        ['38584', 'Pâtissier / Pâtissière', 'D1104'],
      ]);
      // The mobility links travel with it: nearby métiers are suggested offline.
      expect(rome.mobility).toEqual([['D1102', 'D1104']]);
      const versions = await api<Record<string, string | null>>(`${server.url}/api/reference/versions`);
      expect(versions.body.rome).toBe(rome.revision);
      const cached = await rawGet(`${server.url}/api/reference/rome`, {
        'if-none-match': `"${rome.revision}"`,
      });
      expect(cached.status).toBe(304);

      writeRome(dir, 'Boulanger / Boulangère de nuit');
      await importRome(server.db, dir);
      const after = await api<Record<string, string | null>>(`${server.url}/api/reference/versions`);
      expect(after.body.rome).not.toBe(rome.revision);
      const changed = await rawGet(`${server.url}/api/reference/rome`, {
        'if-none-match': `"${rome.revision}"`,
      });
      expect(changed.status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers 503 in French when the files were not generated; the helpers name the command to run', async () => {
    const previous = process.env.REFERENCE_DATA_DIR;
    const empty = mkdtempSync(join(tmpdir(), 'reference-'));
    process.env.REFERENCE_DATA_DIR = empty;
    unloadCommunes();
    unloadNaf();
    try {
      const res = await api<{ error: { code: string; message: string } }>(
        `${server.url}/api/reference/communes/search?q=lyon`,
      );
      expect(res.status).toBe(503);
      expect(res.body.error.message).toMatch(/Référentiel indisponible/);
      const versions = await api<Record<string, string | null>>(`${server.url}/api/reference/versions`);
      expect(versions.body).toMatchObject({ communes: null, naf: null });
      expect(() => findCommune('69123')).toThrow(/npm run build:reference/);
    } finally {
      if (previous === undefined) delete process.env.REFERENCE_DATA_DIR;
      else process.env.REFERENCE_DATA_DIR = previous;
      unloadCommunes();
      unloadNaf();
      rmSync(empty, { recursive: true, force: true });
    }
    expect(findCommune('69123')!.name).toBe('Lyon');
  });
});

describe('reference helpers for other server modules', () => {
  beforeAll(() => ensureReferenceFiles());

  it('finds a commune and the communes around a point, nearest first', () => {
    const lyon = findCommune('69123')!;
    expect(lyon.name).toBe('Lyon');
    expect(findCommune('2a004')!.name).toBe('Ajaccio');
    expect(findCommune('00000')).toBeNull();
    const near = communesNear(lyon.latitude, lyon.longitude, 10);
    expect(near[0]!.distanceKm).toBe(0);
    expect(near.map((c) => c.code)).toContain('69266'); // Villeurbanne
    expect(
      near.every((c, i) => c.distanceKm <= 10 && (i === 0 || near[i - 1]!.distanceKm <= c.distanceKm)),
    ).toBe(true);
    expect(near.some((c) => c.code === '75056')).toBe(false);
  });

  it('finds a NAF sous-classe however its code is written', () => {
    expect(findNaf('6201z')!.label).toBe('Programmation informatique');
    expect(findNaf('62.01Z')!.section).toBe('J');
    expect(findNaf('99.99Z')).toBeNull();
    expect(findNaf('abc')).toBeNull();
  });
});
