import type { RestartToUpdateResult, UpdateStatusView } from '../../../shared/ipc/contract';
import type { IpcHandlers } from './types';
import { invalidArgument } from './validate';

/** What the update handlers need (updater.ts in the app, fakes in tests). */
export interface UpdateHandlerDeps {
  updates: {
    status(): UpdateStatusView;
    checkNow(): Promise<void>;
    restart(pendingChanges: number, confirmed: boolean): RestartToUpdateResult;
  };
}

export function createUpdateHandlers({ updates }: UpdateHandlerDeps) {
  return {
    getUpdateStatus: () => updates.status(),
    checkForUpdates: () => updates.checkNow(),
    restartToUpdate: (pendingChanges: unknown, confirmed: unknown) => {
      if (
        typeof pendingChanges !== 'number' ||
        !Number.isInteger(pendingChanges) ||
        pendingChanges < 0 ||
        pendingChanges > 1e9
      )
        throw invalidArgument('Modifications en attente : entier positif attendu.');
      if (typeof confirmed !== 'boolean') throw invalidArgument('Confirmation : vrai ou faux attendu.');
      return updates.restart(pendingChanges, confirmed);
    },
  } satisfies IpcHandlers<'updates'>;
}
