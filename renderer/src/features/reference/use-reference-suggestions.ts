import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import {
  type Appellation,
  type CommuneSuggestion,
  type NafActivity,
  searchAppellations,
  searchCommunes,
  searchNaf,
} from '../../../../shared/domain/reference';
import { apiFetch } from '../../lib/api';
import {
  type ReferenceIndexes,
  type ReferenceKind,
  type ReferenceState,
  referenceCache,
} from './reference-cache';

/**
 * Type-ahead suggestions from the offline cache (IndexedDB), or, while the cache is not loaded yet
 * and the network is up, from the server's search routes (debounced).
 */

export interface Suggestions<T> {
  items: T[];
  /** Where the items come from: the offline cache, the server, or nowhere (too short, offline without cache). */
  source: 'local' | 'server' | 'none';
  /** A server search is under way. */
  loading: boolean;
  /** Neither the cache nor the server can answer now (offline before the first download). */
  unavailable: boolean;
}

/** Where to look for suggestions. */
export function suggestionSource(options: {
  hasIndex: boolean;
  online: boolean;
  query: string;
  minLength: number;
}): Suggestions<never>['source'] {
  const q = options.query.trim();
  if (q.length < options.minLength) return 'none';
  if (options.hasIndex) return 'local';
  return options.online && q.length >= Math.max(2, options.minLength) ? 'server' : 'none';
}

export function useReferenceState<K extends ReferenceKind>(kind: K): ReferenceState<K> {
  const state = useSyncExternalStore(referenceCache.subscribe, () => referenceCache.getState(kind));
  useEffect(() => {
    void referenceCache.ensure(kind).catch(() => undefined);
  }, [kind]);
  return state;
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

function useSuggestions<K extends ReferenceKind, T>(
  kind: K,
  query: string,
  options: {
    minLength: number;
    limit: number;
    search: (index: ReferenceIndexes[K], query: string, limit: number) => T[];
    serverPath: (query: string, limit: number) => string;
  },
): Suggestions<T> {
  const state = useReferenceState(kind);
  const online = useOnline();
  const { minLength, limit, search, serverPath } = options;
  const source = suggestionSource({ hasIndex: state.index !== null, online, query, minLength });
  const local = useMemo(
    () => (source === 'local' && state.index ? search(state.index, query, limit) : null),
    [source, state.index, query, limit, search],
  );
  const [server, setServer] = useState<{ query: string; items: T[] } | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  useEffect(() => {
    if (source !== 'server') return;
    let cancelled = false;
    setPending(query);
    const timer = setTimeout(() => {
      apiFetch<{ items: T[] }>(serverPath(query.trim(), limit))
        .then((r) => {
          if (!cancelled) setServer({ query, items: r.items });
        })
        .catch(() => {
          if (!cancelled) setServer({ query, items: [] });
        })
        .finally(() => {
          if (!cancelled) setPending(null);
        });
    }, 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [source, query, limit, serverPath]);

  if (local) return { items: local, source: 'local', loading: false, unavailable: false };
  if (source === 'server')
    return {
      items: server?.query === query ? server.items : [],
      source: 'server',
      loading: pending === query,
      unavailable: false,
    };
  const tooShort = query.trim().length < minLength;
  return {
    items: [],
    source: 'none',
    loading: !tooShort && state.status === 'loading',
    unavailable: !tooShort && state.status === 'missing',
  };
}

const communeSearch = (index: ReferenceIndexes['communes'], q: string, limit: number) =>
  searchCommunes(index, q, limit);
const communePath = (q: string, limit: number) =>
  `/api/reference/communes/search?q=${encodeURIComponent(q)}&limit=${limit}`;

/** Communes by name or postal code (see `searchCommunes`). */
export function useCommuneSuggestions(query: string, limit = 8): Suggestions<CommuneSuggestion> {
  return useSuggestions('communes', query, {
    minLength: 1,
    limit,
    search: communeSearch,
    serverPath: communePath,
  });
}

const appellationSearch = (index: ReferenceIndexes['rome'], q: string, limit: number) =>
  searchAppellations(index, q, limit);
const appellationPath = (q: string, limit: number) =>
  `/api/reference/rome/appellations?q=${encodeURIComponent(q)}&limit=${limit}`;

/** ROME job titles (appellations), offline once the referential is cached. */
export function useAppellationSuggestions(query: string, limit = 8): Suggestions<Appellation> {
  return useSuggestions('rome', query, {
    minLength: 2,
    limit,
    search: appellationSearch,
    serverPath: appellationPath,
  });
}

const nafSearch = (index: ReferenceIndexes['naf'], q: string, limit: number) => searchNaf(index, q, limit);
const nafPath = (q: string, limit: number) =>
  `/api/reference/naf/search?q=${encodeURIComponent(q)}&limit=${limit}`;

/** NAF sous-classes by code or label words. */
export function useNafSuggestions(query: string, limit = 8): Suggestions<NafActivity> {
  return useSuggestions('naf', query, { minLength: 1, limit, search: nafSearch, serverPath: nafPath });
}
