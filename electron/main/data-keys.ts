/**
 * The keys that encrypt each user's sensitive local data (applicants' contact data, notes, messages,
 * cached files: renderer/src/db/at-rest.ts). One random 256-bit key per user of this computer,
 * created at first use and kept in `<userData>/data-keys/`, itself encrypted with the system's
 * keychain (Electron's safeStorage: Keychain, DPAPI, libsecret/kwallet). Forgetting a key (« effacer
 * les données de cet ordinateur », a session revoked remotely) makes whatever the disk still holds of
 * that user's replica unreadable.
 *
 * Where the system offers no keychain (Linux without a secret service), the key is kept in a file
 * readable by the user's account only and reported as `weak`: the workstation must still open its
 * offline data at the next launch, and the settings screen says what protects it. A key kept that way
 * is moved under the keychain as soon as one is available.
 *
 * Plain Node (encryption and randomness injected), so that it is unit-tested without Electron.
 */
import { createHash, randomBytes as nodeRandomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalDataKey } from '../../shared/ipc/contract';
import type { TokenEncryptor } from './token-store';

export const DATA_KEY_BYTES = 32;

/** First byte of a key file: how the key inside is kept. */
const SEALED = 0x53; // 'S': encrypted by the system's keychain
const PLAIN = 0x50; // 'P': the key itself (no keychain)

export class DataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyError';
  }
}

export interface DataKeyStore {
  get(userId: string): Promise<LocalDataKey>;
  forget(userId: string): Promise<void>;
}

export interface DataKeyStoreOptions {
  /** e.g. `<userData>/data-keys` */
  directory: string;
  encryptor: TokenEncryptor;
  randomBytes?: (size: number) => Uint8Array;
  onWarning?: (message: string) => void;
}

function isMissingFile(error: unknown): boolean {
  return !!error && typeof error === 'object' && 'code' in error && error.code === 'ENOENT';
}

/** The key file of a user: named by a hash, so that the folder does not list who used the computer. */
export function dataKeyFileName(userId: string): string {
  return `${createHash('sha256').update(`recrutement-data-key:${userId}`).digest('hex').slice(0, 40)}.key`;
}

export function createDataKeyStore({
  directory,
  encryptor,
  randomBytes = (size) => nodeRandomBytes(size),
  onWarning = () => {},
}: DataKeyStoreOptions): DataKeyStore {
  /** One read or creation at a time per user: two windows asking at once get the same key. */
  const pending = new Map<string, Promise<LocalDataKey>>();

  async function write(path: string, key: Uint8Array): Promise<LocalDataKey['protection']> {
    const sealed = encryptor.isAvailable();
    const body = sealed
      ? Uint8Array.from([SEALED, ...encryptor.encrypt(Buffer.from(key).toString('base64'))])
      : Uint8Array.from([PLAIN, ...key]);
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, body, { mode: 0o600 });
    await rename(temporary, path);
    return sealed ? 'system' : 'weak';
  }

  async function read(userId: string): Promise<LocalDataKey> {
    const path = join(directory, dataKeyFileName(userId));
    let body: Uint8Array;
    try {
      body = await readFile(path);
    } catch (error) {
      if (!isMissingFile(error)) throw error;
      const key = randomBytes(DATA_KEY_BYTES);
      if (key.length !== DATA_KEY_BYTES) throw new DataKeyError('Clé de chiffrement mal formée.');
      const protection = await write(path, key);
      if (protection === 'weak')
        onWarning('Trousseau du système indisponible : la clé des données locales est gardée sans lui.');
      return { key: Buffer.from(key).toString('base64'), protection };
    }
    if (body[0] === SEALED) {
      if (!encryptor.isAvailable())
        throw new DataKeyError(
          'Le trousseau du système est indisponible ou verrouillé : les données de ce poste ne peuvent pas être lues. Déverrouillez-le, puis relancez l’application.',
        );
      let text: string;
      try {
        text = encryptor.decrypt(body.subarray(1));
      } catch {
        throw new DataKeyError(
          'La clé des données de ce poste ne peut plus être lue (trousseau du système changé ?). Effacez les données de cet ordinateur pour les recharger depuis le serveur.',
        );
      }
      const key = Buffer.from(text, 'base64');
      if (key.length !== DATA_KEY_BYTES) throw new DataKeyError('Clé des données locales mal formée.');
      return { key: key.toString('base64'), protection: 'system' };
    }
    if (body[0] === PLAIN && body.length === DATA_KEY_BYTES + 1) {
      const key = body.subarray(1);
      // The keychain came back (or was unlocked since): the key goes under it.
      const protection = encryptor.isAvailable() ? await write(path, key) : 'weak';
      return { key: Buffer.from(key).toString('base64'), protection };
    }
    throw new DataKeyError('Fichier de clé des données locales mal formé.');
  }

  return {
    get(userId) {
      const running = pending.get(userId);
      if (running) return running;
      const promise = read(userId).finally(() => pending.delete(userId));
      pending.set(userId, promise);
      return promise;
    },
    async forget(userId) {
      await pending.get(userId)?.catch(() => undefined);
      await rm(join(directory, dataKeyFileName(userId)), { force: true });
    },
  };
}
