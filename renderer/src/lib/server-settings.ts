import { useSyncExternalStore } from 'react';
import { OFFER_ONLINE_DAYS } from '../../../shared/domain/offer';
import type { ServerSettings } from '../../../shared/sync/protocol';
import { loadUserRecord, saveUserRecord } from './local-store';

/**
 * What the server's configuration decides and the workstation's texts say (« en ligne 60 jours »):
 * read from `GET /api/sync` at each start of the sync, kept per user on this computer so that a
 * start without network says the same, and the defaults until a server has told.
 */

const RECORD = 'server-settings';
const DEFAULTS: ServerSettings = { offerOnlineDays: OFFER_ONLINE_DAYS };

let current: ServerSettings = DEFAULTS;
const listeners = new Set<() => void>();

/** The settings a server sent, checked field by field (anything else keeps the default). */
export function parseServerSettings(raw: unknown): ServerSettings {
  const given = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const days = given.offerOnlineDays;
  return {
    offerOnlineDays:
      typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 365
        ? days
        : DEFAULTS.offerOnlineDays,
  };
}

function set(next: ServerSettings): void {
  if (next.offerOnlineDays === current.offerOnlineDays) return;
  current = next;
  for (const l of listeners) l();
}

/** At sign-in or reopening: what the server told this user last time, else the defaults. */
export function restoreServerSettings(userId: string): void {
  set(parseServerSettings(loadUserRecord<unknown>(userId, RECORD)));
}

/** The server answered: shown from now on, and kept for the next start. */
export function rememberServerSettings(userId: string, raw: unknown): void {
  if (raw === undefined) return;
  const settings = parseServerSettings(raw);
  saveUserRecord(userId, RECORD, settings);
  set(settings);
}

export function serverSettings(): ServerSettings {
  return current;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Days an offer stays online once published, as this user's server is configured. */
export function useOfferOnlineDays(): number {
  return useSyncExternalStore(subscribe, () => serverSettings().offerOnlineDays);
}
