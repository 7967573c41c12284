import type { DataKeyStore } from '../data-keys';
import type { TokenStore } from '../token-store';
import { type AppHandlerDeps, createAppHandlers } from './app';
import { createFileHandlers, type FileHandlerDeps } from './files';
import { createSessionHandlers } from './session';
import { createShellHandlers, type ShellHandlerDeps } from './shell';
import { createLocalDataHandlers } from './storage';
import type { IpcHandlerMap } from './types';
import { createUpdateHandlers, type UpdateHandlerDeps } from './updates';

export interface IpcDeps extends AppHandlerDeps, ShellHandlerDeps, UpdateHandlerDeps, FileHandlerDeps {
  tokenStore: TokenStore;
  dataKeys: DataKeyStore;
}

/** All handler objects, built from pure factories (the app passes Electron-backed dependencies). */
export function createIpcHandlers(deps: IpcDeps) {
  return {
    app: createAppHandlers(deps),
    session: createSessionHandlers(deps.tokenStore),
    storage: createLocalDataHandlers(deps.dataKeys),
    files: createFileHandlers(deps),
    shell: createShellHandlers(deps),
    updates: createUpdateHandlers(deps),
  } satisfies IpcHandlerMap;
}

export { registerAllIpcHandlers, registerIpcHandlers } from './register';
