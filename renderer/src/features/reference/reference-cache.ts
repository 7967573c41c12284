import {
  type AppellationIndex,
  buildAppellationIndex,
  buildCommuneIndex,
  buildNafIndex,
  type CommuneIndex,
  type CommunesFile,
  type NafFile,
  type NafIndex,
  type RomeFile,
} from '../../../../shared/domain/reference';
import { apiUrl, errorFromResponse, NetworkError } from '../../lib/api';
import { reportNetworkFailure, reportNetworkSuccess } from '../../lib/network-status';
import { defaultStore, type KeyValueStore } from './idb-store';

/**
 * Reference data for offline type-ahead: ROME job titles, communes and NAF codes, downloaded from
 * the server (after sign-in, or on first use), kept in IndexedDB with their version and reused
 * offline. At most once per session, and again when asked, the cache asks the server for the
 * current versions (`GET /api/reference/versions`, a few bytes) and downloads only the files whose
 * version changed.
 */

export type ReferenceKind = 'communes' | 'naf' | 'rome';
export const REFERENCE_KINDS: readonly ReferenceKind[] = ['rome', 'communes', 'naf'];

export interface ReferenceIndexes {
  communes: CommuneIndex;
  naf: NafIndex;
  rome: AppellationIndex;
}

export interface ReferenceState<K extends ReferenceKind = ReferenceKind> {
  /** idle: not asked yet; loading: reading or downloading; ready: searchable offline; missing: neither cached nor downloadable now. */
  status: 'idle' | 'loading' | 'ready' | 'missing';
  version: string | null;
  index: ReferenceIndexes[K] | null;
  /** When this computer got the list in use (ISO date), if it has one. */
  savedAt: string | null;
  /** Why the last download failed, in French (the cached version, if any, stays in use). */
  error: string | null;
}

export type ServerVersions = Record<ReferenceKind, string | null>;

/** How the cache reaches the server (replaced in tests). */
export interface ReferenceTransport {
  versions(): Promise<ServerVersions>;
  /** The file as JSON text. */
  download(kind: ReferenceKind): Promise<string>;
}

/** What IndexedDB keeps per kind: the JSON text as downloaded, and its version. */
export interface StoredReference {
  version: string;
  savedAt: string;
  json: string;
}

const PATHS: Record<ReferenceKind, string> = {
  communes: '/api/reference/communes',
  naf: '/api/reference/naf',
  rome: '/api/reference/rome',
};

/** Checks a downloaded or stored file and returns its version and search index (French error otherwise). */
export function parseReference<K extends ReferenceKind>(
  kind: K,
  json: string,
): { version: string; index: ReferenceIndexes[K] } {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new Error('Référentiel reçu illisible.');
  }
  const d = data as {
    version?: unknown;
    revision?: string;
    rows?: unknown;
    codes?: unknown;
    appellations?: unknown;
  };
  if (kind === 'rome') {
    if (!d || !Array.isArray(d.appellations) || !Array.isArray(d.codes) || !d.revision)
      throw new Error('Référentiel ROME au format inattendu.');
    const index = buildAppellationIndex(data as RomeFile);
    return { version: d.revision, index: index as ReferenceIndexes[K] };
  }
  if (!d || typeof d.version !== 'string' || !Array.isArray(d.rows))
    throw new Error(`Référentiel ${kind === 'communes' ? 'des communes' : 'NAF'} au format inattendu.`);
  const index =
    kind === 'communes' ? buildCommuneIndex(data as CommunesFile) : buildNafIndex(data as NafFile);
  return { version: d.version, index: index as ReferenceIndexes[K] };
}

/** The kinds to download: the server has a version and it is not the one we hold. */
export function kindsToDownload(
  local: Record<ReferenceKind, string | null>,
  server: ServerVersions,
): ReferenceKind[] {
  return REFERENCE_KINDS.filter((k) => server[k] !== null && server[k] !== local[k]);
}

const IDLE: ReferenceState = { status: 'idle', version: null, index: null, savedAt: null, error: null };
/** After a failed check (offline), the next use tries again after this delay. */
const RETRY_MS = 60_000;

export class ReferenceCache {
  private states: Record<ReferenceKind, ReferenceState> = { communes: IDLE, naf: IDLE, rome: IDLE };
  private localLoads = new Map<ReferenceKind, Promise<void>>();
  private syncing: Promise<void> | null = null;
  private synced = false;
  private lastFailure = 0;
  private listeners = new Set<() => void>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly transport: ReferenceTransport,
    private readonly now: () => number = Date.now,
  ) {}

  getState<K extends ReferenceKind>(kind: K): ReferenceState<K> {
    return this.states[kind] as ReferenceState<K>;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(kind: ReferenceKind, patch: Partial<ReferenceState>): void {
    this.states = { ...this.states, [kind]: { ...this.states[kind], ...patch } };
    for (const l of this.listeners) l();
  }

  /** Makes a kind searchable: from IndexedDB at once, then checks the server (once per session). */
  async ensure(kind: ReferenceKind): Promise<void> {
    let load = this.localLoads.get(kind);
    if (!load) {
      load = this.loadLocal(kind);
      this.localLoads.set(kind, load);
    }
    await load;
    if (!this.synced && this.now() - this.lastFailure >= RETRY_MS) await this.sync();
  }

  /** Everything, as after sign-in. */
  async ensureAll(): Promise<void> {
    await Promise.all(REFERENCE_KINDS.map((k) => this.ensure(k)));
  }

  private async loadLocal(kind: ReferenceKind): Promise<void> {
    if (this.states[kind].status === 'idle') this.set(kind, { status: 'loading' });
    let stored: StoredReference | undefined;
    try {
      stored = await this.store.get<StoredReference>(kind);
    } catch {
      stored = undefined;
    }
    if (stored && this.states[kind].status !== 'ready') {
      try {
        const { version, index } = parseReference(kind, stored.json);
        this.set(kind, { status: 'ready', version, index, savedAt: stored.savedAt || null });
        return;
      } catch {
        await this.store.delete(kind).catch(() => undefined);
      }
    }
    if (this.states[kind].status === 'loading' && this.synced) this.set(kind, { status: 'missing' });
  }

  /** Asked by the user: checks the server again even if this session already did. */
  refresh(): Promise<void> {
    this.lastFailure = 0;
    return this.sync();
  }

  /** Asks the server for its versions and downloads what changed; offline, keeps what is cached. */
  sync(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.runSync().finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing;
  }

  private async runSync(): Promise<void> {
    await Promise.all(
      REFERENCE_KINDS.map((k) => {
        let load = this.localLoads.get(k);
        if (!load) {
          load = this.loadLocal(k);
          this.localLoads.set(k, load);
        }
        return load;
      }),
    );
    let server: ServerVersions;
    try {
      server = await this.transport.versions();
    } catch (err) {
      this.lastFailure = this.now();
      // A list already here stays in use; its error says the check failed.
      for (const k of REFERENCE_KINDS)
        this.set(k, {
          status: this.states[k].status === 'ready' ? 'ready' : 'missing',
          error: messageOf(err, 'Référentiel indisponible hors connexion.'),
        });
      return;
    }
    const local = {
      communes: this.states.communes.version,
      naf: this.states.naf.version,
      rome: this.states.rome.version,
    };
    const wanted = kindsToDownload(local, server);
    let failed = false;
    for (const kind of REFERENCE_KINDS) {
      if (!wanted.includes(kind)) {
        this.set(kind, { status: this.states[kind].status === 'ready' ? 'ready' : 'missing', error: null });
        continue;
      }
      try {
        if (this.states[kind].status !== 'ready') this.set(kind, { status: 'loading' });
        const json = await this.transport.download(kind);
        const { version, index } = parseReference(kind, json);
        const savedAt = new Date(this.now()).toISOString();
        this.set(kind, { status: 'ready', version, index, savedAt, error: null });
        const record: StoredReference = { version, savedAt, json };
        await this.store.put(kind, record).catch(() => undefined);
      } catch (err) {
        failed = true;
        this.set(kind, {
          status: this.states[kind].index ? 'ready' : 'missing',
          error: messageOf(err, 'Téléchargement du référentiel impossible.'),
        });
      }
    }
    if (failed) this.lastFailure = this.now();
    else this.synced = true;
  }
}

function messageOf(err: unknown, fallback: string): string {
  return err instanceof Error && err.message ? err.message : fallback;
}

/** The server, through the renderer's API settings (base URL). Reference routes are public. */
export const httpReferenceTransport: ReferenceTransport = {
  async versions() {
    return (await getText('/api/reference/versions').then((t) => JSON.parse(t))) as ServerVersions;
  },
  download(kind) {
    return getText(PATHS[kind]);
  },
};

async function getText(path: string): Promise<string> {
  let res: Response;
  try {
    // Public routes: no credentials, so the desktop app's cross-origin calls pass CORS; no HTTP
    // cache either: the versions endpoint decides what to download.
    res = await fetch(apiUrl(path), { credentials: 'same-origin', cache: 'no-store' });
  } catch (err) {
    reportNetworkFailure();
    throw new NetworkError(err);
  }
  reportNetworkSuccess();
  if (!res.ok) throw await errorFromResponse(res);
  return res.text();
}

/** The workstation's cache (IndexedDB, this server). */
export const referenceCache = new ReferenceCache(defaultStore(), httpReferenceTransport);

/** To call after sign-in: makes every referential available offline (errors are kept in the state). */
export function prefetchReferenceData(): Promise<void> {
  return referenceCache.ensureAll().catch(() => undefined);
}
