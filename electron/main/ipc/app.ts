import type { DesktopAttention } from '../../../shared/ipc/contract';
import { readAttention } from '../attention';
import type { IpcHandlers } from './types';
import { invalidArgument } from './validate';

export interface AppHandlerDeps {
  version: string;
  serverUrl: () => string;
  /** Shows the unread messages and pending changes on the badge and the tray (no-op in tests). */
  showAttention?: (attention: DesktopAttention) => void;
}

export function createAppHandlers({ version, serverUrl, showAttention }: AppHandlerDeps) {
  return {
    getVersion: () => version,
    getServerUrl: () => serverUrl(),
    setAttention: (value: unknown) => {
      const attention = readAttention(value);
      if (!attention)
        throw invalidArgument(
          'Compteurs attendus : messages non lus et modifications en attente (entiers positifs).',
        );
      showAttention?.(attention);
    },
  } satisfies IpcHandlers<'app'>;
}
