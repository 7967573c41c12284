/**
 * Preload (sandboxed, bundled to one CommonJS file): exposes `window.workstation`, one flat object of
 * one-line wrappers, each invoking its `namespace:method` channel. `ipcRenderer` itself is never exposed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type {
  IpcChannel,
  IpcChannelArgs,
  IpcChannelResult,
  WorkstationBridge,
} from '../../shared/ipc/contract';

/** Typed `ipcRenderer.invoke`: a misspelt channel or a wrong argument does not compile. */
const invoke = <C extends IpcChannel>(channel: C, ...args: IpcChannelArgs<C>): Promise<IpcChannelResult<C>> =>
  ipcRenderer.invoke(channel, ...args);

export const workstation = {
  getVersion: () => invoke('app:getVersion'),
  getServerUrl: () => invoke('app:getServerUrl'),
  saveToken: (token) => invoke('session:saveToken', token),
  loadToken: () => invoke('session:loadToken'),
  clearToken: () => invoke('session:clearToken'),
  openExternal: (url) => invoke('shell:openExternal', url),
  getUpdateStatus: () => invoke('updates:getUpdateStatus'),
  checkForUpdates: () => invoke('updates:checkForUpdates'),
  restartToUpdate: (pendingChanges, confirmed) =>
    invoke('updates:restartToUpdate', pendingChanges, confirmed),
} satisfies WorkstationBridge;

contextBridge.exposeInMainWorld('workstation', workstation);
