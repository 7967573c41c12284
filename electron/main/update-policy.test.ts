import { describe, expect, it } from 'vitest';
import {
  CHECK_INTERVAL_MS,
  decideRestart,
  evaluateOffer,
  feedUrl,
  friendlyUpdateError,
  INITIAL_STATUS,
  nextCheckDelay,
  RETRY_AFTER_FAILURE_MS,
  reduceStatus,
  type UpdateEvent,
  type UpdateStatus,
} from './update-policy';

/** A staging id whose last four bytes put it at `percent` % of the population. */
function idAt(percent: number): string {
  const value = Math.floor((percent / 100) * 0xffffffff)
    .toString(16)
    .padStart(8, '0');
  return `00000000-0000-4000-8000-0000${value}`;
}

describe('quand chercher une mise à jour', () => {
  it('toutes les 4 heures ; après un échec plus tôt, en espaçant, jamais au-delà de 4 heures', () => {
    expect(nextCheckDelay(0)).toBe(CHECK_INTERVAL_MS);
    expect(nextCheckDelay(1)).toBe(RETRY_AFTER_FAILURE_MS);
    expect(nextCheckDelay(2)).toBe(2 * RETRY_AFTER_FAILURE_MS);
    expect(nextCheckDelay(3)).toBe(4 * RETRY_AFTER_FAILURE_MS);
    expect(nextCheckDelay(50)).toBe(CHECK_INTERVAL_MS);
  });
});

describe('quelle version prendre', () => {
  const base = { installed: '1.4.0', channel: 'stable' as const, stagingUserId: idAt(50) };

  it('une version plus récente, sur le bon canal, dans le déploiement progressif', () => {
    expect(evaluateOffer({ ...base, offered: { version: '1.4.1' } })).toEqual({
      take: true,
      version: '1.4.1',
    });
    expect(evaluateOffer({ ...base, offered: { version: '1.10.0' } })).toEqual({
      take: true,
      version: '1.10.0',
    });
    expect(evaluateOffer({ ...base, offered: { version: '1.4.0' } })).toEqual({
      take: false,
      reason: 'not-newer',
    });
    expect(evaluateOffer({ ...base, offered: { version: '1.3.9' } })).toEqual({
      take: false,
      reason: 'not-newer',
    });
    expect(evaluateOffer({ ...base, offered: null })).toEqual({ take: false, reason: 'nothing-offered' });
    expect(evaluateOffer({ ...base, offered: { version: 'v1.5' } })).toEqual({
      take: false,
      reason: 'invalid-version',
    });
  });

  it('le canal stable ne prend jamais une pré-version ; le canal bêta oui, et passe à la version finale', () => {
    expect(evaluateOffer({ ...base, offered: { version: '1.5.0-beta.1' } })).toEqual({
      take: false,
      reason: 'pre-release',
    });
    const beta = { ...base, channel: 'beta' as const };
    expect(evaluateOffer({ ...beta, offered: { version: '1.5.0-beta.1' } }).take).toBe(true);
    expect(
      evaluateOffer({ ...beta, installed: '1.5.0-beta.1', offered: { version: '1.5.0-beta.2' } }).take,
    ).toBe(true);
    expect(evaluateOffer({ ...beta, installed: '1.5.0-beta.2', offered: { version: '1.5.0' } }).take).toBe(
      true,
    );
    expect(evaluateOffer({ ...beta, installed: '1.5.0', offered: { version: '1.5.0-beta.9' } })).toEqual({
      take: false,
      reason: 'not-newer',
    });
  });

  it('le pourcentage de déploiement du flux est respecté', () => {
    const offered = { version: '1.4.1', stagingPercentage: 30 };
    expect(evaluateOffer({ ...base, stagingUserId: idAt(10), offered }).take).toBe(true);
    expect(evaluateOffer({ ...base, stagingUserId: idAt(45), offered })).toEqual({
      take: false,
      reason: 'not-staged',
    });
    expect(
      evaluateOffer({ ...base, stagingUserId: idAt(45), offered: { ...offered, stagingPercentage: 50 } })
        .take,
    ).toBe(true);
    expect(evaluateOffer({ ...base, stagingUserId: 'illisible', offered }).take).toBe(false);
    expect(evaluateOffer({ ...base, stagingUserId: 'illisible', offered: { version: '1.4.1' } }).take).toBe(
      true,
    );
  });
});

describe('redémarrer pour installer', () => {
  it('jamais sans mise à jour prête ; avec des modifications non synchronisées, seulement après confirmation', () => {
    expect(decideRestart({ downloaded: false, pendingChanges: 0, confirmedPending: true })).toBe(
      'nothing-to-install',
    );
    expect(decideRestart({ downloaded: true, pendingChanges: 0, confirmedPending: false })).toBe('install');
    expect(decideRestart({ downloaded: true, pendingChanges: 3, confirmedPending: false })).toBe(
      'confirm-pending',
    );
    expect(decideRestart({ downloaded: true, pendingChanges: 3, confirmedPending: true })).toBe('install');
  });
});

describe('état affiché', () => {
  const run = (events: UpdateEvent[], from: UpdateStatus = INITIAL_STATUS) =>
    events.reduce(reduceStatus, from);

  it('recherche, téléchargement avec progression, prêt ; une recherche suivante ne l’annule pas', () => {
    const status = run([
      { type: 'check-started' },
      { type: 'download-started', version: '1.4.1' },
      { type: 'progress', percent: 12.4, bytesPerSecond: 1e6 },
      { type: 'progress', percent: 57.6, bytesPerSecond: 2e6 },
    ]);
    expect(status).toEqual({ state: 'downloading', version: '1.4.1', percent: 58, bytesPerSecond: 2000000 });
    // Progress never goes back (a resumed download reports again from its start).
    expect(run([{ type: 'progress', percent: 10, bytesPerSecond: 5 }], status)).toMatchObject({
      percent: 58,
    });
    const ready = run([{ type: 'downloaded', version: '1.4.1' }], status);
    expect(ready).toEqual({ state: 'ready', version: '1.4.1' });
    expect(run([{ type: 'check-started' }, { type: 'failed', message: 'x', at: 'y' }], ready)).toBe(ready);
  });

  it('un téléchargement qui échoue revient à l’état précédent, avec un message en français', () => {
    const status = run([
      { type: 'download-started', version: '2.0.0' },
      { type: 'progress', percent: 40, bytesPerSecond: 1 },
      { type: 'failed', message: 'sha512 checksum mismatch, expected abc', at: '2026-12-05T10:00:00.000Z' },
    ]);
    expect(status).toEqual({
      state: 'idle',
      lastCheckAt: '2026-12-05T10:00:00.000Z',
      error:
        'La mise à jour téléchargée est corrompue : elle a été écartée, un nouvel essai aura lieu plus tard.',
    });
    expect(friendlyUpdateError('getaddrinfo ENOTFOUND serveur')).toContain('injoignable');
    expect(friendlyUpdateError('HttpError: 404 Not Found')).toContain('Aucune mise à jour');
    expect(friendlyUpdateError('boom')).toContain('nouvel essai');
  });
});

describe('adresse du flux', () => {
  it('par plateforme, sur le serveur de synchronisation', () => {
    expect(feedUrl('https://emploi.exemple.fr/', 'linux')).toBe('https://emploi.exemple.fr/updates/linux');
    expect(feedUrl('https://emploi.exemple.fr', 'win32')).toBe('https://emploi.exemple.fr/updates/win');
    expect(feedUrl('http://127.0.0.1:3000', 'darwin')).toBe('http://127.0.0.1:3000/updates/mac');
    expect(feedUrl('http://127.0.0.1:3000', 'aix')).toBeNull();
  });
});
