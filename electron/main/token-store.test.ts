import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenStore, type TokenEncryptor } from './token-store';

/** Reversible but visibly not plain text: XOR with a key, prefixed with a marker. */
function fakeEncryptor(available = true): TokenEncryptor & { available: boolean; key: number } {
  const fake = {
    available,
    key: 0x5a,
    isAvailable: () => fake.available,
    encrypt: (plain: string) =>
      Uint8Array.from([0xee, ...Buffer.from(plain, 'utf8').map((byte) => byte ^ fake.key)]),
    decrypt: (data: Uint8Array) => {
      if (data[0] !== 0xee) throw new Error('not ours');
      return Buffer.from(data.subarray(1).map((byte) => byte ^ fake.key)).toString('utf8');
    },
  };
  return fake;
}

let directory: string;
let filePath: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'token-store-'));
  filePath = join(directory, 'nested', 'session-token.bin');
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('createTokenStore', () => {
  it('saves an encrypted file that a new store (next launch) reads back', async () => {
    const token = 'jeton-éèà-123';
    const store = createTokenStore({ filePath, encryptor: fakeEncryptor() });
    expect(await store.save(token)).toBe('encrypted-file');

    const onDisk = await readFile(filePath);
    expect(onDisk.includes(Buffer.from(token))).toBe(false);
    if (process.platform !== 'win32') expect((await stat(filePath)).mode & 0o777).toBe(0o600);

    const nextLaunch = createTokenStore({ filePath, encryptor: fakeEncryptor() });
    expect(await nextLaunch.load()).toBe(token);
  });

  it('answers null when nothing was saved', async () => {
    expect(await createTokenStore({ filePath, encryptor: fakeEncryptor() }).load()).toBeNull();
  });

  it('clears the token and its file', async () => {
    const store = createTokenStore({ filePath, encryptor: fakeEncryptor() });
    await store.save('abc');
    await store.clear();
    expect(await store.load()).toBeNull();
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await createTokenStore({ filePath, encryptor: fakeEncryptor() }).load()).toBeNull();
    await store.clear(); // clearing twice is harmless
  });

  it('keeps the token in memory only when encryption is unavailable, and removes an older file', async () => {
    await createTokenStore({ filePath, encryptor: fakeEncryptor() }).save('ancien');
    const warnings: string[] = [];
    const store = createTokenStore({
      filePath,
      encryptor: fakeEncryptor(false),
      onWarning: (message) => warnings.push(message),
    });
    expect(await store.save('nouveau')).toBe('memory');
    expect(await store.load()).toBe('nouveau');
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(warnings[0]).toMatch(/mémoire/);
    expect(await createTokenStore({ filePath, encryptor: fakeEncryptor() }).load()).toBeNull();
  });

  it('does not read, nor delete, a saved file while encryption is unavailable', async () => {
    await createTokenStore({ filePath, encryptor: fakeEncryptor() }).save('garde-moi');
    expect(await createTokenStore({ filePath, encryptor: fakeEncryptor(false) }).load()).toBeNull();
    expect(await createTokenStore({ filePath, encryptor: fakeEncryptor() }).load()).toBe('garde-moi');
  });

  it('drops a file that can no longer be decrypted', async () => {
    await createTokenStore({ filePath, encryptor: fakeEncryptor() }).save('x');
    await writeFile(filePath, Buffer.from('corrompu'));
    const warnings: string[] = [];
    const store = createTokenStore({
      filePath,
      encryptor: fakeEncryptor(),
      onWarning: (m) => warnings.push(m),
    });
    expect(await store.load()).toBeNull();
    expect(warnings).toHaveLength(1);
    await expect(stat(filePath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('overwrites a previous token', async () => {
    const store = createTokenStore({ filePath, encryptor: fakeEncryptor() });
    await store.save('premier');
    await store.save('second');
    expect(await createTokenStore({ filePath, encryptor: fakeEncryptor() }).load()).toBe('second');
  });
});
