/**
 * Keeps the sync server's bearer token between launches. Encryption is injected (Electron's
 * `safeStorage` in the app, a fake in tests), so this module never imports Electron.
 * When the OS offers no real encryption, the token stays in memory only: the user signs in again at
 * the next launch rather than leaving a readable token on disk.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface TokenEncryptor {
  isAvailable(): boolean;
  encrypt(plainText: string): Uint8Array;
  decrypt(encrypted: Uint8Array): string;
}

export type TokenStorage = 'encrypted-file' | 'memory';

export interface TokenStore {
  save(token: string): Promise<TokenStorage>;
  load(): Promise<string | null>;
  clear(): Promise<void>;
}

export interface TokenStoreOptions {
  /** The encrypted token file, e.g. `<userData>/session-token.bin`. */
  filePath: string;
  encryptor: TokenEncryptor;
  onWarning?: (message: string) => void;
}

function isMissingFile(error: unknown): boolean {
  return !!error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT';
}

export function createTokenStore({
  filePath,
  encryptor,
  onWarning = () => {},
}: TokenStoreOptions): TokenStore {
  /** `undefined`: not known yet, read the file; `null`: known to be absent. */
  let current: string | null | undefined;

  async function removeFile(): Promise<void> {
    await rm(filePath, { force: true });
  }

  return {
    async save(token) {
      current = token;
      if (!encryptor.isAvailable()) {
        await removeFile();
        onWarning(
          'Chiffrement du système indisponible : le jeton de session est gardé en mémoire seulement.',
        );
        return 'memory';
      }
      const encrypted = encryptor.encrypt(token);
      await mkdir(dirname(filePath), { recursive: true });
      const temporary = `${filePath}.${process.pid}.tmp`;
      await writeFile(temporary, encrypted, { mode: 0o600 });
      await rename(temporary, filePath);
      return 'encrypted-file';
    },

    async load() {
      if (current !== undefined) return current;
      let encrypted: Uint8Array;
      try {
        encrypted = await readFile(filePath);
      } catch (error) {
        if (isMissingFile(error)) {
          current = null;
          return null;
        }
        throw error;
      }
      if (!encryptor.isAvailable()) {
        // Keychain locked or unavailable right now: keep the file for a later launch.
        onWarning('Chiffrement du système indisponible : le jeton enregistré ne peut pas être lu.');
        return null;
      }
      try {
        current = encryptor.decrypt(encrypted);
      } catch {
        onWarning('Jeton de session illisible (clé du trousseau changée ?) : il est effacé.');
        await removeFile();
        current = null;
      }
      return current;
    },

    async clear() {
      current = null;
      await removeFile();
    },
  };
}
