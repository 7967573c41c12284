import type { SessionUser } from '../../../shared/domain/account';

/**
 * Small non-secret records kept in localStorage: the last signed-in profile (to reopen offline),
 * the last synchronisation time and the pending-change record. Never a token or a password.
 */

const LAST_USER_KEY = 'ws:last-user';

function read<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: these records are conveniences only.
  }
}

function isSessionUser(v: unknown): v is SessionUser {
  if (!v || typeof v !== 'object') return false;
  const u = v as Partial<SessionUser>;
  return typeof u.id === 'string' && typeof u.email === 'string' && Array.isArray(u.memberships);
}

export function loadLastUser(): SessionUser | null {
  const v = read<unknown>(LAST_USER_KEY);
  return isSessionUser(v) ? v : null;
}

export function saveLastUser(user: SessionUser | null): void {
  if (!user) {
    write(LAST_USER_KEY, null);
    return;
  }
  const { id, email, firstName, lastName, jobTitle, kind, memberships } = user;
  write(LAST_USER_KEY, { id, email, firstName, lastName, jobTitle, kind, memberships });
}

export function loadUserRecord<T>(userId: string, name: string): T | null {
  return read<T>(`ws:${userId}:${name}`);
}

export function saveUserRecord(userId: string, name: string, value: unknown): void {
  write(`ws:${userId}:${name}`, value);
}

/** Forgets every record of this user on this computer (and the last signed-in profile if it is theirs). */
export function clearUserRecords(userId: string): void {
  try {
    const prefix = `ws:${userId}:`;
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(prefix)) keys.push(key);
    }
    for (const key of keys) localStorage.removeItem(key);
    if (loadLastUser()?.id === userId) localStorage.removeItem(LAST_USER_KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
