import { MAX_USER_ID_LENGTH } from '../../../shared/ipc/contract';
import { DataKeyError, type DataKeyStore } from '../data-keys';
import type { IpcHandlers } from './types';
import { expectString, IpcError, invalidArgument } from './validate';

/** A user id as the server gives it (a UUID): letters, digits and dashes only. */
function expectUserId(value: unknown): string {
  const id = expectString(value, 'Identifiant de l’utilisateur', { max: MAX_USER_ID_LENGTH });
  if (!/^[A-Za-z0-9-]+$/.test(id))
    throw invalidArgument('Identifiant de l’utilisateur : caractères non autorisés.');
  return id;
}

export function createLocalDataHandlers(keys: DataKeyStore) {
  return {
    getDataKey: async (userId: unknown) => {
      try {
        return await keys.get(expectUserId(userId));
      } catch (error) {
        // The keychain's refusal is the user's to read (French); anything else stays an internal error.
        if (error instanceof DataKeyError) throw new IpcError('internal', error.message);
        throw error;
      }
    },
    forgetDataKey: async (userId: unknown) => keys.forget(expectUserId(userId)),
  } satisfies IpcHandlers<'storage'>;
}
