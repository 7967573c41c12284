import type { SyncController } from '../db/replication';
import { useSyncState } from '../hooks/use-sync-state';
import { formatTime, plural } from '../lib/format';

/** « En ligne » / « Hors ligne », pending changes and last synchronisation, always visible. */
export function SyncStatus({ sync }: { sync: SyncController }) {
  const state = useSyncState(sync);
  const pendingText = `${state.pending} ${plural(state.pending, 'modification', 'modifications')} en attente`;
  return (
    <div className="sync-status" data-testid="sync-status" role="status" aria-live="polite">
      <span className={`sync-status__dot ${state.online ? 'is-online' : 'is-offline'}`} aria-hidden="true" />
      <span className="sync-status__connection" data-testid="connection-state">
        {state.online ? 'En ligne' : 'Hors ligne'}
      </span>
      <span className="sync-status__sep" aria-hidden="true">
        ·
      </span>
      <span data-testid="pending-count" data-count={state.pending}>
        {pendingText}
      </span>
      <span className="sync-status__sep" aria-hidden="true">
        ·
      </span>
      <span data-testid="last-sync">
        {state.lastSyncAt
          ? `Dernière synchronisation : ${formatTime(state.lastSyncAt)}`
          : 'Pas encore synchronisé'}
      </span>
      {state.lastError && state.online ? (
        <span className="sync-status__error" data-testid="sync-error">
          {' '}
          — {state.lastError}
        </span>
      ) : null}
    </div>
  );
}
