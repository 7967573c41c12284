/**
 * Preload (sandboxed, bundled to one CommonJS file): exposes `window.workstation`, one flat object of
 * one-line wrappers, each invoking its `namespace:method` channel. `ipcRenderer` itself is never exposed.
 */
import { contextBridge, ipcRenderer } from 'electron';
import {
  type DesktopNavigation,
  type IpcChannel,
  type IpcChannelArgs,
  type IpcChannelResult,
  isDesktopNavigation,
  NAVIGATE_EVENT,
  type WorkstationBridge,
  type WorkstationEvents,
} from '../../shared/ipc/contract';

/** Typed `ipcRenderer.invoke`: a misspelt channel or a wrong argument does not compile. */
const invoke = <C extends IpcChannel>(channel: C, ...args: IpcChannelArgs<C>): Promise<IpcChannelResult<C>> =>
  ipcRenderer.invoke(channel, ...args);

/**
 * Navigations from main (menu, deep link, notification): checked, then given to the renderer's
 * listeners; one arriving before any listener (a deep link that launched the app, before sign-in)
 * waits for the first.
 */
const listeners = new Set<(navigation: DesktopNavigation) => void>();
let waiting: DesktopNavigation | null = null;
ipcRenderer.on(NAVIGATE_EVENT, (_event, navigation: unknown) => {
  if (!isDesktopNavigation(navigation)) return;
  if (listeners.size === 0) waiting = navigation;
  for (const listener of listeners) listener(navigation);
});

const events = {
  onNavigate: (listener) => {
    listeners.add(listener);
    if (waiting) {
      const navigation = waiting;
      waiting = null;
      listener(navigation);
    }
    return () => {
      listeners.delete(listener);
    };
  },
} satisfies WorkstationEvents;

export const workstation = {
  ...events,
  getVersion: () => invoke('app:getVersion'),
  getServerUrl: () => invoke('app:getServerUrl'),
  setAttention: (attention) => invoke('app:setAttention', attention),
  saveToken: (token) => invoke('session:saveToken', token),
  loadToken: () => invoke('session:loadToken'),
  clearToken: () => invoke('session:clearToken'),
  getDataKey: (userId) => invoke('storage:getDataKey', userId),
  forgetDataKey: (userId) => invoke('storage:forgetDataKey', userId),
  saveFile: (suggestedName, bytes) => invoke('files:saveFile', suggestedName, bytes),
  openExternal: (url) => invoke('shell:openExternal', url),
  getUpdateStatus: () => invoke('updates:getUpdateStatus'),
  checkForUpdates: () => invoke('updates:checkForUpdates'),
  restartToUpdate: (pendingChanges, confirmed) =>
    invoke('updates:restartToUpdate', pendingChanges, confirmed),
} satisfies WorkstationBridge & WorkstationEvents;

contextBridge.exposeInMainWorld('workstation', workstation);
