import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDataKeyStore, DATA_KEY_BYTES, DataKeyError, dataKeyFileName } from './data-keys';
import type { TokenEncryptor } from './token-store';

/** Reversible but visibly not plain: XOR, behind a marker (stands for safeStorage). */
function fakeKeychain(available = true): TokenEncryptor & { available: boolean; xor: number } {
  const fake = {
    available,
    xor: 0x3c,
    isAvailable: () => fake.available,
    encrypt: (plain: string) => Uint8Array.from([0xee, ...Buffer.from(plain).map((b) => b ^ fake.xor)]),
    decrypt: (data: Uint8Array) => {
      if (data[0] !== 0xee) throw new Error('not ours');
      return Buffer.from(data.subarray(1).map((b) => b ^ fake.xor)).toString();
    },
  };
  return fake;
}

let directory: string;
beforeEach(async () => {
  directory = join(await mkdtemp(join(tmpdir(), 'data-keys-')), 'data-keys');
});
afterEach(async () => {
  await rm(join(directory, '..'), { recursive: true, force: true });
});

describe('createDataKeyStore', () => {
  it('creates a random key per user at first use, under the keychain, and gives it back at the next launch', async () => {
    const keychain = fakeKeychain();
    const store = createDataKeyStore({ directory, encryptor: keychain });
    const first = await store.get('user-a');
    expect(first.protection).toBe('system');
    expect(Buffer.from(first.key, 'base64')).toHaveLength(DATA_KEY_BYTES);
    const other = await store.get('user-b');
    expect(other.key).not.toBe(first.key);

    const file = await readFile(join(directory, dataKeyFileName('user-a')));
    // Neither the key nor its base64 is in the file; the file is the user's only.
    expect(file.includes(Buffer.from(first.key, 'base64'))).toBe(false);
    expect(file.toString('latin1')).not.toContain(first.key);
    expect((await stat(join(directory, dataKeyFileName('user-a')))).mode & 0o777).toBe(0o600);
    // File names do not say who used the computer.
    expect((await readdir(directory)).join()).not.toMatch(/user-/);

    const nextLaunch = createDataKeyStore({ directory, encryptor: keychain });
    expect(await nextLaunch.get('user-a')).toEqual(first);
  });

  it('gives one key to callers asking at the same time', async () => {
    const store = createDataKeyStore({ directory, encryptor: fakeKeychain() });
    const [a, b, c] = await Promise.all([store.get('u'), store.get('u'), store.get('u')]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('forgets a key: the data it protected can no longer be read, a new key comes next time', async () => {
    const store = createDataKeyStore({ directory, encryptor: fakeKeychain() });
    const before = await store.get('u');
    await store.forget('u');
    expect(await readdir(directory)).toEqual([]);
    const after = await store.get('u');
    expect(after.key).not.toBe(before.key);
    await store.forget('never-seen'); // nothing to forget: no error
  });

  it('without a keychain keeps the key readable by the user only, says so, and seals it once a keychain appears', async () => {
    const keychain = fakeKeychain(false);
    const warnings: string[] = [];
    const store = createDataKeyStore({ directory, encryptor: keychain, onWarning: (w) => warnings.push(w) });
    const weak = await store.get('u');
    expect(weak.protection).toBe('weak');
    expect(warnings).toEqual([expect.stringContaining('Trousseau du système indisponible')]);
    keychain.available = true;
    const sealed = await createDataKeyStore({ directory, encryptor: keychain }).get('u');
    expect(sealed).toEqual({ key: weak.key, protection: 'system' });
    const file = await readFile(join(directory, dataKeyFileName('u')));
    expect(file.includes(Buffer.from(weak.key, 'base64'))).toBe(false);
  });

  it('refuses with a French explanation when the keychain is locked or changed, and never replaces the key', async () => {
    const keychain = fakeKeychain();
    const key = await createDataKeyStore({ directory, encryptor: keychain }).get('u');
    keychain.available = false;
    await expect(createDataKeyStore({ directory, encryptor: keychain }).get('u')).rejects.toThrow(
      /trousseau du système est indisponible ou verrouillé/,
    );
    keychain.available = true;
    keychain.xor = 0x11; // another keychain: decrypts to garbage
    const changed = createDataKeyStore({ directory, encryptor: keychain }).get('u');
    await expect(changed).rejects.toBeInstanceOf(DataKeyError);
    keychain.xor = 0x3c;
    expect(await createDataKeyStore({ directory, encryptor: keychain }).get('u')).toEqual(key);
  });

  it('refuses a damaged key file', async () => {
    const store = createDataKeyStore({ directory, encryptor: fakeKeychain() });
    await store.get('u');
    await writeFile(join(directory, dataKeyFileName('u')), Buffer.from('Pshort'));
    await expect(createDataKeyStore({ directory, encryptor: fakeKeychain() }).get('u')).rejects.toThrow(
      /mal formé/,
    );
  });
});
