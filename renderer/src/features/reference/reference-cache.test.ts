import { describe, expect, it } from 'vitest';
import { COMMUNE_COLUMNS, COORDINATE_SOURCES, NAF_COLUMNS } from '../../../../shared/domain/reference';
import { formatDateTime } from '../../lib/format';
import { MemoryStore } from './idb-store';
import { offlineListText } from './OfflineListsStatus';
import {
  kindsToDownload,
  parseReference,
  ReferenceCache,
  type ReferenceKind,
  type ReferenceTransport,
  type ServerVersions,
  type StoredReference,
} from './reference-cache';

const communes = (version: string, name = 'Lyon') =>
  JSON.stringify({
    version,
    generatedAt: '',
    sources: [],
    columns: COMMUNE_COLUMNS,
    coordinateSources: COORDINATE_SOURCES,
    departements: [['69', 'Rhône', '84']],
    regions: [],
    rows: [['69123', name, ['69001'], '69', 500000, 45.75, 4.85, 0]],
  });
const naf = (version: string) =>
  JSON.stringify({
    version,
    generatedAt: '',
    sources: [],
    columns: NAF_COLUMNS,
    sections: [['J', 'Information et communication']],
    divisions: [],
    rows: [['62.01Z', 'Programmation informatique', 'J']],
  });
const rome = (revision: string) =>
  JSON.stringify({
    version: '4.60',
    revision,
    codes: [['D1102', 'Boulangerie - viennoiserie']],
    appellations: [['11573', 'Boulanger / Boulangère', 'D1102']],
  });

/** A server whose versions and files the test changes, counting what it is asked. */
class FakeServer implements ReferenceTransport {
  versionsAsked = 0;
  downloads: ReferenceKind[] = [];
  offline = false;
  files: Record<ReferenceKind, string | null> = {
    communes: communes('c1'),
    naf: naf('n1'),
    rome: rome('r1'),
  };

  async versions(): Promise<ServerVersions> {
    this.versionsAsked++;
    if (this.offline) throw new Error('Le serveur est injoignable. Vérifiez votre connexion.');
    const v = (k: ReferenceKind) => {
      const f = this.files[k];
      if (!f) return null;
      const d = JSON.parse(f) as { version: string; revision?: string };
      return d.revision ?? d.version;
    };
    return { communes: v('communes'), naf: v('naf'), rome: v('rome') };
  }

  async download(kind: ReferenceKind): Promise<string> {
    if (this.offline) throw new Error('Le serveur est injoignable. Vérifiez votre connexion.');
    this.downloads.push(kind);
    const f = this.files[kind];
    if (!f) throw new Error('absent');
    return f;
  }
}

describe('ReferenceCache', () => {
  it('downloads every referential once, keeps it with its version, and makes it searchable', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const cache = new ReferenceCache(store, server);
    let notified = 0;
    cache.subscribe(() => notified++);
    await cache.ensureAll();
    expect(server.downloads.sort()).toEqual(['communes', 'naf', 'rome']);
    expect(server.versionsAsked).toBe(1);
    expect(cache.getState('communes')).toMatchObject({ status: 'ready', version: 'c1', error: null });
    expect(cache.getState('communes').index!.byCode.get('69123')!.name).toBe('Lyon');
    expect(cache.getState('rome').index!.byCodeOgr.get('11573')!.romeLabel).toBe(
      'Boulangerie - viennoiserie',
    );
    expect(cache.getState('naf').version).toBe('n1');
    expect((await store.get<StoredReference>('communes'))!.version).toBe('c1');
    expect(notified).toBeGreaterThan(0);
    // Within the session, nothing more is asked.
    await cache.ensure('communes');
    expect(server.versionsAsked).toBe(1);
  });

  it('works offline from what an earlier session stored', async () => {
    const store = new MemoryStore();
    const first = new FakeServer();
    await new ReferenceCache(store, first).ensureAll();
    const offline = new FakeServer();
    offline.offline = true;
    const cache = new ReferenceCache(store, offline);
    await cache.ensure('communes');
    expect(cache.getState('communes')).toMatchObject({ status: 'ready', version: 'c1' });
    expect(cache.getState('communes').index!.communes).toHaveLength(1);
    expect(offline.downloads).toEqual([]);
  });

  it('downloads only what changed on the server', async () => {
    const store = new MemoryStore();
    await new ReferenceCache(store, new FakeServer()).ensureAll();
    const server = new FakeServer();
    server.files.communes = communes('c2', 'Lyon (nouveau)');
    const cache = new ReferenceCache(store, server);
    await cache.ensureAll();
    expect(server.downloads).toEqual(['communes']);
    expect(cache.getState('communes').version).toBe('c2');
    expect(cache.getState('communes').index!.byCode.get('69123')!.name).toBe('Lyon (nouveau)');
    expect((await store.get<StoredReference>('communes'))!.version).toBe('c2');
  });

  it('says a referential is missing when offline with nothing cached, and retries later', async () => {
    let now = 1_000_000;
    const server = new FakeServer();
    server.offline = true;
    const cache = new ReferenceCache(new MemoryStore(), server, () => now);
    await cache.ensure('naf');
    expect(cache.getState('naf')).toMatchObject({ status: 'missing', index: null });
    expect(cache.getState('naf').error).toMatch(/injoignable/);
    await cache.ensure('naf');
    expect(server.versionsAsked).toBe(1);
    server.offline = false;
    now += 61_000;
    await cache.ensure('naf');
    expect(cache.getState('naf')).toMatchObject({ status: 'ready', version: 'n1', error: null });
  });

  it('marks a referential the server does not have (ROME not imported) as missing', async () => {
    const server = new FakeServer();
    server.files.rome = null;
    const cache = new ReferenceCache(new MemoryStore(), server);
    await cache.ensureAll();
    expect(cache.getState('rome').status).toBe('missing');
    expect(cache.getState('communes').status).toBe('ready');
  });

  it('drops a corrupt stored file and downloads it again', async () => {
    const store = new MemoryStore();
    await store.put('naf', { version: 'n0', savedAt: '', json: '{not json' });
    const server = new FakeServer();
    const cache = new ReferenceCache(store, server);
    await cache.ensure('naf');
    expect(cache.getState('naf').version).toBe('n1');
    expect(server.downloads).toContain('naf');
  });
});

describe('the user’s check (« Vérifier les mises à jour »)', () => {
  it('asks the server again within the session, even right after a failure, and says what each list is', async () => {
    const server = new FakeServer();
    const cache = new ReferenceCache(new MemoryStore(), server, () => 1_000_000);
    await cache.ensureAll();
    server.files.naf = naf('n2');
    await cache.ensure('naf');
    expect(cache.getState('naf').version).toBe('n1');
    await cache.refresh();
    expect(server.versionsAsked).toBe(2);
    expect(cache.getState('naf').version).toBe('n2');
    expect(offlineListText(cache.getState('naf'))).toBe(
      `Disponible hors connexion (téléchargée le ${formatDateTime(new Date(1_000_000).toISOString())}).`,
    );

    server.offline = true;
    await cache.refresh();
    expect(cache.getState('naf').status).toBe('ready');
    expect(offlineListText(cache.getState('naf'))).toMatch(
      /^Disponible hors connexion \(téléchargée le .*\) ; la vérification des mises à jour a échoué : Le serveur est injoignable/,
    );
    // A second click at once still asks (no retry delay for the user).
    await cache.refresh();
    expect(server.versionsAsked).toBe(4);
  });

  it('says a list is missing, and why, when this computer never got it', async () => {
    const server = new FakeServer();
    server.offline = true;
    const cache = new ReferenceCache(new MemoryStore(), server);
    await cache.ensure('communes');
    expect(offlineListText(cache.getState('communes'))).toBe(
      'Pas encore sur cet ordinateur : Le serveur est injoignable. Vérifiez votre connexion. Elle sera téléchargée à la prochaine connexion.',
    );
    expect(
      offlineListText({ status: 'loading', version: null, index: null, savedAt: null, error: null }),
    ).toBe('Téléchargement en cours…');
  });
});

describe('parseReference and kindsToDownload', () => {
  it('refuses files of the wrong shape with a French message', () => {
    expect(() => parseReference('communes', '{"rows":[]}')).toThrow(/communes au format inattendu/);
    expect(() => parseReference('rome', '{"codes":[],"appellations":[]}')).toThrow(/ROME/);
    expect(() => parseReference('naf', 'nope')).toThrow(/illisible/);
    expect(parseReference('naf', naf('n9')).version).toBe('n9');
  });
  it('lists the kinds whose server version differs from ours', () => {
    expect(
      kindsToDownload({ communes: 'a', naf: null, rome: 'r' }, { communes: 'b', naf: 'n', rome: 'r' }).sort(),
    ).toEqual(['communes', 'naf']);
    expect(
      kindsToDownload({ communes: 'a', naf: 'n', rome: null }, { communes: 'a', naf: 'n', rome: null }),
    ).toEqual([]);
  });
});
