import { MAX_EXTERNAL_URL_LENGTH } from '../../../shared/ipc/contract';
import { isSafeExternalUrl } from '../trusted-url';
import type { IpcHandlers } from './types';
import { expectString } from './validate';

export interface ShellHandlerDeps {
  /** Electron's `shell.openExternal` in the app. */
  openExternal: (url: string) => Promise<void>;
}

export function createShellHandlers({ openExternal }: ShellHandlerDeps) {
  return {
    openExternal: async (url: unknown) => {
      const value = expectString(url, 'Adresse', { max: MAX_EXTERNAL_URL_LENGTH });
      if (!isSafeExternalUrl(value)) return false;
      await openExternal(value);
      return true;
    },
  } satisfies IpcHandlers<'shell'>;
}
