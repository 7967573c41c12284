import { getBridge } from '../lib/bridge';
import { type AtRestKey, importAtRestKey } from './at-rest';

/**
 * How this computer protects the signed-in user's sensitive local data (DESIGN §5, issue 8):
 * - `system`: encrypted, the key kept by the system's keychain (desktop app);
 * - `weak`: encrypted, but the computer has no keychain: the key sits in a file of the user's account;
 * - `browser`: the web workstation; the browser's profile and the disk's encryption protect it.
 */
export type LocalProtection = 'system' | 'weak' | 'browser';

/** The desktop could not give the key back (keychain locked or changed): shown as is, in French. */
export class LocalDataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalDataKeyError';
  }
}

let known: { userId: string; protection: LocalProtection } | null = null;
let loading: {
  userId: string;
  promise: Promise<{ key: AtRestKey | null; protection: LocalProtection }>;
} | null = null;

/** Electron wraps a handler's error: « Error invoking remote method 'x': Error: <message> ». */
function bridgeMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '');
}

/** This user's data key (null in a browser) and how it is protected; asked once per user. */
export function loadLocalDataKey(
  userId: string,
): Promise<{ key: AtRestKey | null; protection: LocalProtection }> {
  if (loading?.userId === userId) return loading.promise;
  const promise = askKey(userId);
  loading = { userId, promise };
  promise.catch(() => {
    if (loading?.promise === promise) loading = null;
  });
  return promise;
}

async function askKey(userId: string): Promise<{ key: AtRestKey | null; protection: LocalProtection }> {
  const bridge = getBridge();
  if (!bridge?.getDataKey) {
    known = { userId, protection: 'browser' };
    return { key: null, protection: 'browser' };
  }
  let answer: Awaited<ReturnType<NonNullable<typeof bridge.getDataKey>>>;
  try {
    answer = await bridge.getDataKey(userId);
  } catch (error) {
    throw new LocalDataKeyError(bridgeMessage(error));
  }
  const key = await importAtRestKey(answer.key);
  known = { userId, protection: answer.protection };
  return { key, protection: answer.protection };
}

/** How the open replica of this user is protected (null before it was opened). */
export function localProtectionOf(userId: string): LocalProtection | null {
  return known?.userId === userId ? known.protection : null;
}

/** Forgets this user's key on the desktop (data wipe): what remains on the disk can no longer be read. */
export async function forgetLocalDataKey(userId: string): Promise<void> {
  if (known?.userId === userId) known = null;
  if (loading?.userId === userId) loading = null;
  await getBridge()?.forgetDataKey?.(userId);
}
