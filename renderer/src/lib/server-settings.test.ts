import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../test-support/memory-storage';
import {
  parseServerSettings,
  rememberServerSettings,
  restoreServerSettings,
  serverSettings,
} from './server-settings';

describe('réglages du serveur montrés par le poste', () => {
  const previous = (globalThis as { localStorage?: unknown }).localStorage;
  beforeEach(() => {
    Object.defineProperty(globalThis, 'localStorage', { value: new MemoryStorage(), configurable: true });
    restoreServerSettings('personne');
  });
  afterEach(() => {
    Object.defineProperty(globalThis, 'localStorage', { value: previous, configurable: true });
  });

  it('garde la durée en ligne d’une offre envoyée par le serveur, et 60 jours pour tout le reste', () => {
    expect(parseServerSettings({ offerOnlineDays: 30 })).toEqual({ offerOnlineDays: 30 });
    for (const bad of [
      undefined,
      null,
      'x',
      {},
      { offerOnlineDays: 0 },
      { offerOnlineDays: 366 },
      { offerOnlineDays: 12.5 },
      { offerOnlineDays: '30' },
    ])
      expect(parseServerSettings(bad)).toEqual({ offerOnlineDays: 60 });
  });

  it('retient ce que le serveur a dit pour ce compte : un démarrage hors ligne dit la même chose', () => {
    expect(serverSettings().offerOnlineDays).toBe(60);
    rememberServerSettings('u1', { offerOnlineDays: 45 });
    expect(serverSettings().offerOnlineDays).toBe(45);
    // Another account on this computer, never told: the default.
    restoreServerSettings('u2');
    expect(serverSettings().offerOnlineDays).toBe(60);
    // The first account again, without network: what its server said.
    restoreServerSettings('u1');
    expect(serverSettings().offerOnlineDays).toBe(45);
    // An older server says nothing: what was known stays.
    rememberServerSettings('u1', undefined);
    expect(serverSettings().offerOnlineDays).toBe(45);
  });
});
