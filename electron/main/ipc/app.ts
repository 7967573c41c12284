import type { IpcHandlers } from './types';

export interface AppHandlerDeps {
  version: string;
  serverUrl: () => string;
}

export function createAppHandlers({ version, serverUrl }: AppHandlerDeps) {
  return {
    getVersion: () => version,
    getServerUrl: () => serverUrl(),
  } satisfies IpcHandlers<'app'>;
}
