import { describe, expect, it } from 'vitest';
import {
  IPC_CHANNELS,
  IPC_NAMESPACES,
  ipcContract,
  ipcMethodNames,
  WORKSTATION_BRIDGE_CHANNELS,
} from '../../../shared/ipc/contract';
import { createIpcHandlers } from './index';

const handlers = createIpcHandlers({
  version: '0.0.0',
  serverUrl: () => 'http://localhost:3000',
  openExternal: async () => {},
  tokenStore: { save: async () => 'memory', load: async () => null, clear: async () => {} },
  dataKeys: { get: async () => ({ key: '', protection: 'system' }), forget: async () => {} },
  saveFile: {
    showSaveDialog: async () => ({ canceled: true }),
    writeFile: async () => {},
    downloadsDirectory: () => '/tmp',
  },
  updates: {
    status: () => ({ state: 'idle', lastCheckAt: null, error: null }),
    checkNow: async () => {},
    restart: () => 'nothing-to-install',
  },
});

describe('IPC contract', () => {
  it('names channels namespace:method', () => {
    expect(IPC_CHANNELS).toEqual([
      'app:getVersion',
      'app:getServerUrl',
      'app:setAttention',
      'session:saveToken',
      'session:loadToken',
      'session:clearToken',
      'storage:getDataKey',
      'storage:forgetDataKey',
      'files:saveFile',
      'shell:openExternal',
      'updates:getUpdateStatus',
      'updates:checkForUpdates',
      'updates:restartToUpdate',
    ]);
    for (const channel of IPC_CHANNELS) expect(channel).toMatch(/^[a-z]+:[a-z][A-Za-z]+$/);
  });

  it('has method names unique across namespaces (the bridge is flat)', () => {
    const names = IPC_NAMESPACES.flatMap((namespace) => ipcMethodNames(namespace));
    expect(new Set(names).size).toBe(names.length);
    expect(Object.keys(WORKSTATION_BRIDGE_CHANNELS).sort()).toEqual([...names].sort());
    expect(Object.values(WORKSTATION_BRIDGE_CHANNELS).sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('is implemented by main: one handler object per namespace with exactly its methods', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(ipcContract).sort());
    for (const namespace of IPC_NAMESPACES) {
      expect(Object.keys(handlers[namespace]).sort()).toEqual(ipcMethodNames(namespace).sort());
      for (const handler of Object.values(handlers[namespace])) expect(typeof handler).toBe('function');
    }
  });
});
