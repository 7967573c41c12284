import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../../shared/ipc/contract';
import {
  assertHandlersMatchContract,
  type IpcMainLike,
  registerAllIpcHandlers,
  registerIpcHandlers,
} from './register';
import type { IpcHandlers } from './types';
import { invalidArgument } from './validate';

interface FakeEvent {
  url: string;
}

type Listener = (event: FakeEvent, ...args: unknown[]) => unknown;

function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  const ipcMain: IpcMainLike<FakeEvent> = {
    handle(channel, listener) {
      if (listeners.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      listeners.set(channel, listener);
    },
    removeHandler(channel) {
      listeners.delete(channel);
    },
  };
  const invoke = (channel: string, ...args: unknown[]) => {
    const listener = listeners.get(channel);
    if (!listener) throw new Error(`No handler registered for '${channel}'`);
    return Promise.resolve(listener({ url: 'app://poste/index.html' }, ...args));
  };
  const invokeFrom = (url: string, channel: string, ...args: unknown[]) =>
    Promise.resolve(listeners.get(channel)?.({ url }, ...args));
  return { ipcMain, listeners, invoke, invokeFrom };
}

const appHandlers: IpcHandlers<'app'> = {
  getVersion: () => '9.9.9',
  getServerUrl: () => 'http://localhost:3000',
  setAttention: () => {},
};

describe('registerIpcHandlers', () => {
  it('registers one namespace:method channel per contract method and forwards arguments', async () => {
    const { ipcMain, listeners, invoke } = fakeIpcMain();
    const openExternal = vi.fn((url: unknown) => url === 'https://ok.fr');
    registerIpcHandlers(ipcMain, 'shell', { openExternal });
    expect([...listeners.keys()]).toEqual(['shell:openExternal']);
    expect(await invoke('shell:openExternal', 'https://ok.fr', 'extra')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://ok.fr', 'extra');
  });

  it('returns a function that unregisters its channels', () => {
    const { ipcMain, listeners } = fakeIpcMain();
    const unregister = registerIpcHandlers(ipcMain, 'app', appHandlers);
    expect([...listeners.keys()].sort()).toEqual(['app:getServerUrl', 'app:getVersion', 'app:setAttention']);
    unregister();
    expect(listeners.size).toBe(0);
  });

  it('refuses calls from untrusted senders without running the handler', async () => {
    const { ipcMain, invokeFrom } = fakeIpcMain();
    const getVersion = vi.fn(() => '1.0.0');
    registerIpcHandlers(
      ipcMain,
      'app',
      { ...appHandlers, getVersion },
      { isTrustedSender: (event) => event.url.startsWith('app://poste/') },
    );
    await expect(invokeFrom('https://evil.example/', 'app:getVersion')).rejects.toMatchObject({
      code: 'forbidden-sender',
    });
    expect(getVersion).not.toHaveBeenCalled();
    expect(await invokeFrom('app://poste/index.html', 'app:getVersion')).toBe('1.0.0');
  });

  it('passes validation errors through and hides unexpected ones behind a generic message', async () => {
    const { ipcMain, invoke } = fakeIpcMain();
    const onError = vi.fn();
    registerIpcHandlers(
      ipcMain,
      'session',
      {
        saveToken: () => {
          throw invalidArgument('Jeton de session : une chaîne de caractères est attendue.');
        },
        loadToken: () => Promise.reject(new Error('EACCES: /home/secret/path')),
        clearToken: () => {},
      },
      { onError },
    );
    await expect(invoke('session:saveToken', 1)).rejects.toMatchObject({
      code: 'invalid-argument',
      message: 'Jeton de session : une chaîne de caractères est attendue.',
    });
    expect(onError).not.toHaveBeenCalled();
    const error = await invoke('session:loadToken').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'internal', message: 'Erreur interne du poste de travail.' });
    expect(String((error as Error).message)).not.toContain('/home/secret');
    expect(onError).toHaveBeenCalledWith('session:loadToken', expect.any(Error));
  });

  it('refuses handler objects that drift from the contract', () => {
    const { ipcMain, listeners } = fakeIpcMain();
    const incomplete = { getVersion: () => '1' } as unknown as IpcHandlers<'app'>;
    expect(() => registerIpcHandlers(ipcMain, 'app', incomplete)).toThrow(/manquants : getServerUrl/);
    const extra = { ...appHandlers, quit: () => {} } as unknown as IpcHandlers<'app'>;
    expect(() => registerIpcHandlers(ipcMain, 'app', extra)).toThrow(/en trop : quit/);
    expect(() => assertHandlersMatchContract('app', { getVersion: 'x', getServerUrl: () => '' })).toThrow(
      /pas des fonctions : getVersion/,
    );
    expect(listeners.size).toBe(0);
  });
});

describe('registerAllIpcHandlers', () => {
  it('registers exactly the contract channels', () => {
    const { ipcMain, listeners } = fakeIpcMain();
    registerAllIpcHandlers(ipcMain, {
      app: appHandlers,
      session: { saveToken: () => {}, loadToken: () => null, clearToken: () => {} },
      storage: { getDataKey: () => ({ key: '', protection: 'system' }), forgetDataKey: () => {} },
      files: { saveFile: () => ({ saved: false }) },
      shell: { openExternal: () => false },
      updates: {
        getUpdateStatus: () => ({ state: 'checking' }),
        checkForUpdates: () => {},
        restartToUpdate: () => 'nothing-to-install',
      },
    });
    expect([...listeners.keys()].sort()).toEqual([...IPC_CHANNELS].sort());
  });
});
