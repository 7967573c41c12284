/**
 * When the workstation checks, downloads and installs an update (issue 8). Pure functions and a
 * small state reducer, unit-tested; updater.ts applies them to electron-updater.
 *
 * - A check on start, then every few hours; after a failure, sooner but backing off.
 * - An offer is taken only if it is newer than the installed version, on the installation's channel
 *   (stable never takes a pre-release), and within the feed's staged roll-out.
 * - The download runs in the background; electron-updater verifies it against the feed's SHA-512
 *   before it can be installed. A failed or interrupted download leaves the installed version as
 *   it is, and the next check starts again.
 * - Installing restarts the app: offered to the user (« Redémarrer pour mettre à jour »), never
 *   done by itself, and never over local changes not yet synchronised without asking first.
 */

import {
  compareVersions,
  isInStagedRollout,
  parseVersion,
  type UpdateChannel,
} from '../../shared/domain/updates';
import type { RestartToUpdateResult, UpdateStatusView } from '../../shared/ipc/contract';

export const CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;
/** First retry after a failed check; doubled at each failure, up to the normal interval. */
export const RETRY_AFTER_FAILURE_MS = 15 * 60 * 1000;

/** Delay before the next check, given the consecutive failures so far (0: the last check worked). */
export function nextCheckDelay(consecutiveFailures: number): number {
  if (consecutiveFailures <= 0) return CHECK_INTERVAL_MS;
  return Math.min(CHECK_INTERVAL_MS, RETRY_AFTER_FAILURE_MS * 2 ** Math.min(consecutiveFailures - 1, 10));
}

export interface OfferInput {
  installed: string;
  channel: UpdateChannel;
  /** What the feed offers (null: nothing published, or the feed unreadable). */
  offered: { version: string; stagingPercentage?: number } | null;
  /** This installation's staging id (a UUID kept in its data folder). */
  stagingUserId: string;
}

export type OfferDecision =
  | { take: true; version: string }
  | {
      take: false;
      reason: 'nothing-offered' | 'invalid-version' | 'not-newer' | 'pre-release' | 'not-staged';
    };

export function evaluateOffer(input: OfferInput): OfferDecision {
  const { offered } = input;
  if (!offered) return { take: false, reason: 'nothing-offered' };
  const version = parseVersion(offered.version);
  if (!version || !parseVersion(input.installed)) return { take: false, reason: 'invalid-version' };
  if (input.channel === 'stable' && version.pre.length > 0) return { take: false, reason: 'pre-release' };
  if (compareVersions(offered.version, input.installed) <= 0) return { take: false, reason: 'not-newer' };
  if (!isInStagedRollout(offered.stagingPercentage, input.stagingUserId))
    return { take: false, reason: 'not-staged' };
  return { take: true, version: offered.version };
}

/** What the user asked, and what the workstation knows, when « Redémarrer pour mettre à jour » is chosen. */
export interface RestartInput {
  /** A verified update is ready to install. */
  downloaded: boolean;
  /** Local changes not yet acknowledged by the server. */
  pendingChanges: number;
  /** The user confirmed after being told about the pending changes. */
  confirmedPending: boolean;
}

export type RestartDecision = RestartToUpdateResult;

export function decideRestart(input: RestartInput): RestartDecision {
  if (!input.downloaded) return 'nothing-to-install';
  if (input.pendingChanges > 0 && !input.confirmedPending) return 'confirm-pending';
  return 'install';
}

/** What the renderer shows (a plain, serialisable state). */
export type UpdateStatus = UpdateStatusView;

export type UpdateEvent =
  | { type: 'check-started' }
  | { type: 'nothing-new'; at: string }
  | { type: 'download-started'; version: string }
  | { type: 'progress'; percent: number; bytesPerSecond: number }
  | { type: 'downloaded'; version: string }
  | { type: 'failed'; message: string; at: string };

export const INITIAL_STATUS: UpdateStatus = { state: 'idle', lastCheckAt: null, error: null };

/**
 * The status after an event. Once an update is ready it stays ready (a later check does not undo
 * it); a failure while downloading goes back to idle with the message (the installed app is intact).
 */
export function reduceStatus(status: UpdateStatus, event: UpdateEvent): UpdateStatus {
  if (status.state === 'disabled') return status;
  if (status.state === 'ready' && event.type !== 'downloaded') return status;
  switch (event.type) {
    case 'check-started':
      return status.state === 'downloading' ? status : { state: 'checking' };
    case 'nothing-new':
      return { state: 'idle', lastCheckAt: event.at, error: null };
    case 'download-started':
      return { state: 'downloading', version: event.version, percent: 0, bytesPerSecond: 0 };
    case 'progress':
      if (status.state !== 'downloading') return status;
      return {
        ...status,
        percent: Math.max(status.percent, Math.min(100, Math.max(0, Math.round(event.percent)))),
        bytesPerSecond: Math.max(0, Math.round(event.bytesPerSecond)),
      };
    case 'downloaded':
      return { state: 'ready', version: event.version };
    case 'failed':
      return { state: 'idle', lastCheckAt: event.at, error: friendlyUpdateError(event.message) };
  }
}

/** A French message for an updater failure (the raw error goes to the log, not to the user). */
export function friendlyUpdateError(message: string): string {
  if (/sha512|checksum|signature/i.test(message))
    return 'La mise à jour téléchargée est corrompue : elle a été écartée, un nouvel essai aura lieu plus tard.';
  if (/ENOTFOUND|ECONNREFUSED|ETIMEDOUT|ECONNRESET|net::|network|socket/i.test(message))
    return 'Serveur de mises à jour injoignable : nouvel essai plus tard.';
  if (/404|Cannot find channel|latest.*\.yml/i.test(message))
    return 'Aucune mise à jour publiée pour ce poste.';
  return 'La recherche de mise à jour a échoué : nouvel essai plus tard.';
}

/** The feed's URL for this platform (electron-updater's generic provider adds the channel file). */
export function feedUrl(serverUrl: string, platform: NodeJS.Platform): string | null {
  const folder =
    platform === 'linux' ? 'linux' : platform === 'win32' ? 'win' : platform === 'darwin' ? 'mac' : null;
  return folder ? `${serverUrl.replace(/\/+$/, '')}/updates/${folder}` : null;
}
