import { MAX_TOKEN_LENGTH } from '../../../shared/ipc/contract';
import type { TokenStore } from '../token-store';
import type { IpcHandlers } from './types';
import { expectToken } from './validate';

export function createSessionHandlers(store: TokenStore) {
  return {
    saveToken: async (token: unknown) => {
      await store.save(expectToken(token, MAX_TOKEN_LENGTH));
    },
    loadToken: () => store.load(),
    clearToken: () => store.clear(),
  } satisfies IpcHandlers<'session'>;
}
