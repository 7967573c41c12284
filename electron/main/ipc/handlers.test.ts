import { describe, expect, it, vi } from 'vitest';
import { MAX_TOKEN_LENGTH } from '../../../shared/ipc/contract';
import { DataKeyError } from '../data-keys';
import type { TokenStore } from '../token-store';
import { createAppHandlers } from './app';
import { createSessionHandlers } from './session';
import { createShellHandlers } from './shell';
import { createLocalDataHandlers } from './storage';
import { createUpdateHandlers } from './updates';
import { IpcError } from './validate';

function memoryStore(): TokenStore & { saved: string[] } {
  let token: string | null = null;
  const saved: string[] = [];
  return {
    saved,
    save: async (value) => {
      token = value;
      saved.push(value);
      return 'memory';
    },
    load: async () => token,
    clear: async () => {
      token = null;
    },
  };
}

describe('app handlers', () => {
  it('answer the version and the current server URL', () => {
    let url = 'http://localhost:3000';
    const handlers = createAppHandlers({ version: '1.2.3', serverUrl: () => url });
    expect(handlers.getVersion()).toBe('1.2.3');
    url = 'https://sync.example.fr';
    expect(handlers.getServerUrl()).toBe('https://sync.example.fr');
  });
});

describe('session handlers', () => {
  it('save, load and clear a valid token', async () => {
    const store = memoryStore();
    const handlers = createSessionHandlers(store);
    await handlers.saveToken('eyJhbGciOi.abc_DEF-123~+/=');
    expect(await handlers.loadToken()).toBe('eyJhbGciOi.abc_DEF-123~+/=');
    await handlers.clearToken();
    expect(await handlers.loadToken()).toBeNull();
  });

  it.each([
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an object', { token: 'abc' }],
    ['an array', ['abc']],
    ['an empty string', ''],
    ['a string with a space', 'abc def'],
    ['a string with a newline', 'abc\ndef'],
    ['a string with non-ASCII characters', 'jéton'],
    ['a string that is too long', 'a'.repeat(MAX_TOKEN_LENGTH + 1)],
  ])('refuse %s without touching the store', async (_label, value) => {
    const store = memoryStore();
    const handlers = createSessionHandlers(store);
    const error = await handlers.saveToken(value).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(IpcError);
    expect((error as IpcError).code).toBe('invalid-argument');
    expect(store.saved).toEqual([]);
  });

  it('accept a token of the maximum length', async () => {
    const store = memoryStore();
    await createSessionHandlers(store).saveToken('a'.repeat(MAX_TOKEN_LENGTH));
    expect(store.saved).toHaveLength(1);
  });
});

describe('shell handlers', () => {
  it('open allowlisted URLs', async () => {
    const openExternal = vi.fn(async () => {});
    const handlers = createShellHandlers({ openExternal });
    expect(await handlers.openExternal('https://www.francetravail.fr/')).toBe(true);
    expect(await handlers.openExternal('mailto:rh@example.fr')).toBe(true);
    expect(openExternal.mock.calls).toEqual([['https://www.francetravail.fr/'], ['mailto:rh@example.fr']]);
  });

  it('refuse other protocols without opening anything', async () => {
    const openExternal = vi.fn(async () => {});
    const handlers = createShellHandlers({ openExternal });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'http://example.com', 'ms-settings:']) {
      expect(await handlers.openExternal(url)).toBe(false);
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('reject arguments that are not a reasonable string', async () => {
    const openExternal = vi.fn(async () => {});
    const handlers = createShellHandlers({ openExternal });
    for (const value of [
      undefined,
      1,
      { href: 'https://example.com' },
      '',
      `https://e.fr/${'a'.repeat(3000)}`,
    ]) {
      await expect(handlers.openExternal(value)).rejects.toMatchObject({ code: 'invalid-argument' });
    }
    expect(openExternal).not.toHaveBeenCalled();
  });
});

describe('update handlers', () => {
  function fakeUpdates() {
    const restart = vi.fn((pending: number, confirmed: boolean) =>
      pending > 0 && !confirmed ? ('confirm-pending' as const) : ('install' as const),
    );
    const checkNow = vi.fn(async () => {});
    return {
      restart,
      checkNow,
      handlers: createUpdateHandlers({
        updates: { status: () => ({ state: 'ready', version: '1.4.1' }), checkNow, restart },
      }),
    };
  }

  it('answer the status, check on demand, and pass the pending changes and the confirmation', async () => {
    const { handlers, restart, checkNow } = fakeUpdates();
    expect(handlers.getUpdateStatus()).toEqual({ state: 'ready', version: '1.4.1' });
    await handlers.checkForUpdates();
    expect(checkNow).toHaveBeenCalledTimes(1);
    expect(handlers.restartToUpdate(2, false)).toBe('confirm-pending');
    expect(handlers.restartToUpdate(2, true)).toBe('install');
    expect(restart.mock.calls).toEqual([
      [2, false],
      [2, true],
    ]);
  });

  it('refuse anything but a count and a yes or no, without restarting', () => {
    const { handlers, restart } = fakeUpdates();
    for (const [pending, confirmed] of [
      ['3', true],
      [-1, true],
      [1.5, true],
      [Number.NaN, false],
      [2, 'oui'],
      [2, undefined],
      [{ valueOf: () => 0 }, true],
    ] as const) {
      expect(() => handlers.restartToUpdate(pending, confirmed)).toThrow(IpcError);
    }
    expect(restart).not.toHaveBeenCalled();
  });
});

describe('attention handler', () => {
  it('shows checked counters only', () => {
    const shown: unknown[] = [];
    const handlers = createAppHandlers({
      version: '1',
      serverUrl: () => '',
      showAttention: (a) => shown.push(a),
    });
    handlers.setAttention({ unreadMessages: 2, pendingChanges: 1 });
    expect(() => handlers.setAttention({ unreadMessages: -2, pendingChanges: 1 })).toThrow(IpcError);
    expect(() => handlers.setAttention('2')).toThrow(IpcError);
    expect(shown).toEqual([{ unreadMessages: 2, pendingChanges: 1 }]);
  });
});

describe('local data key handlers', () => {
  it('answer the key of a valid user id and forget it', async () => {
    const calls: string[] = [];
    const handlers = createLocalDataHandlers({
      get: async (id) => {
        calls.push(`get ${id}`);
        return { key: 'a2V5', protection: 'system' };
      },
      forget: async (id) => {
        calls.push(`forget ${id}`);
      },
    });
    const id = '0b0e0000-0000-4000-8000-000000000001';
    expect(await handlers.getDataKey(id)).toEqual({ key: 'a2V5', protection: 'system' });
    await handlers.forgetDataKey(id);
    expect(calls).toEqual([`get ${id}`, `forget ${id}`]);
  });

  it('refuse anything but a user id, without touching a key', async () => {
    const get = vi.fn();
    const forget = vi.fn();
    const handlers = createLocalDataHandlers({ get, forget });
    for (const bad of [undefined, null, 42, '', 'a'.repeat(65), '../../etc/passwd', 'a b', { id: 'x' }]) {
      await expect(handlers.getDataKey(bad)).rejects.toBeInstanceOf(IpcError);
      await expect(handlers.forgetDataKey(bad)).rejects.toBeInstanceOf(IpcError);
    }
    expect(get).not.toHaveBeenCalled();
    expect(forget).not.toHaveBeenCalled();
  });

  it('pass the keychain’s French refusal on, not an internal error', async () => {
    const handlers = createLocalDataHandlers({
      get: async () => {
        throw new DataKeyError('Le trousseau du système est indisponible ou verrouillé.');
      },
      forget: async () => {},
    });
    await expect(handlers.getDataKey('u-1')).rejects.toMatchObject({
      code: 'internal',
      message: 'Le trousseau du système est indisponible ou verrouillé.',
    });
  });
});
