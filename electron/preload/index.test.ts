import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NAVIGATE_EVENT,
  WORKSTATION_BRIDGE_CHANNELS,
  WORKSTATION_EVENT_KEYS,
  WORKSTATION_GLOBAL,
} from '../../shared/ipc/contract';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ channel, args })),
  on: new Map<string, (event: unknown, ...args: unknown[]) => void>(),
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, value: unknown) => electron.exposed.set(key, value),
  },
  ipcRenderer: {
    invoke: electron.invoke,
    send: vi.fn(),
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      electron.on.set(channel, listener),
  },
}));

beforeEach(() => {
  electron.invoke.mockClear();
});

describe('preload bridge', () => {
  it('exposes only `workstation`, with exactly the contract keys, all functions', async () => {
    await import('./index');
    expect([...electron.exposed.keys()]).toEqual([WORKSTATION_GLOBAL]);
    const bridge = electron.exposed.get(WORKSTATION_GLOBAL) as Record<string, unknown>;
    expect(Object.keys(bridge).sort()).toEqual(
      [...Object.keys(WORKSTATION_BRIDGE_CHANNELS), ...WORKSTATION_EVENT_KEYS].sort(),
    );
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(bridge).not.toHaveProperty('invoke');
    expect(Object.values(bridge)).not.toContain(electron.invoke);
  });

  it('makes each wrapper invoke its own namespace:method channel with the given arguments', async () => {
    const { workstation } = await import('./index');
    for (const [key, channel] of Object.entries(WORKSTATION_BRIDGE_CHANNELS)) {
      if ((WORKSTATION_EVENT_KEYS as readonly string[]).includes(key)) continue;
      electron.invoke.mockClear();
      const wrapper = workstation[key as keyof typeof workstation] as (
        ...args: unknown[]
      ) => Promise<unknown>;
      const result = await wrapper('premier', 'second', 'de trop');
      expect(electron.invoke).toHaveBeenCalledTimes(1);
      const [calledChannel, ...args] = electron.invoke.mock.calls[0] ?? [];
      expect(calledChannel).toBe(channel);
      // Each wrapper forwards its own arguments, in order, and never more than its method takes.
      expect(args.length).toBeLessThanOrEqual(2);
      expect(args).toEqual(['premier', 'second'].slice(0, args.length));
      expect(result).toEqual({ channel, args });
    }
  });

  it('forwards the pending changes and the confirmation of « Redémarrer pour mettre à jour »', async () => {
    const { workstation } = await import('./index');
    electron.invoke.mockClear();
    await workstation.restartToUpdate(3, true);
    expect(electron.invoke.mock.calls).toEqual([['updates:restartToUpdate', 3, true]]);
  });

  it('forwards the token and the URL to their channels', async () => {
    const { workstation } = await import('./index');
    await workstation.saveToken('abc');
    await workstation.openExternal('https://example.fr/');
    expect(electron.invoke.mock.calls).toEqual([
      ['session:saveToken', 'abc'],
      ['shell:openExternal', 'https://example.fr/'],
    ]);
  });

  it('passes on checked navigations only; one sent before any listener waits for the first', async () => {
    const { workstation } = await import('./index');
    const send = electron.on.get(NAVIGATE_EVENT)!;
    expect(send).toBeDefined();
    send({}, { screen: 'offer', number: '100014A' });
    const seen: unknown[] = [];
    const stop = workstation.onNavigate((n) => seen.push(n));
    expect(seen).toEqual([{ screen: 'offer', number: '100014A' }]);
    send({}, { screen: 'messages' });
    send({}, { screen: 'admin' });
    send({}, { screen: 'offer', number: '<script>' });
    expect(seen).toEqual([{ screen: 'offer', number: '100014A' }, { screen: 'messages' }]);
    stop();
    send({}, { screen: 'offers' });
    expect(seen).toHaveLength(2);
  });
});
