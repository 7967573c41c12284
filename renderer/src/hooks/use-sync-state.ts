import { useSyncExternalStore } from 'react';
import type { SyncController, SyncState } from '../db/replication';

export function useSyncState(sync: SyncController): SyncState {
  return useSyncExternalStore(sync.subscribe, sync.getState);
}
