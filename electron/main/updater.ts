/**
 * The workstation's updates through electron-updater's generic provider, pointed at the sync
 * server's feed (`/updates/<platform>/`). The decisions are update-policy.ts's (unit-tested); this
 * module only connects them to electron-updater, which downloads in the background (resuming with
 * byte ranges) and checks the file against the feed's SHA-512 before it may be installed.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import electronUpdater, { type AppUpdater, type UpdateInfo } from 'electron-updater';
import { isUpdateChannel, type UpdateChannel } from '../../shared/domain/updates';
import type { RestartToUpdateResult, UpdateStatusView } from '../../shared/ipc/contract';
import {
  decideRestart,
  evaluateOffer,
  feedUrl,
  INITIAL_STATUS,
  nextCheckDelay,
  reduceStatus,
  type UpdateEvent,
  type UpdateStatus,
} from './update-policy';

export interface UpdaterOptions {
  serverUrl: string;
  installedVersion: string;
  userDataPath: string;
  /** Only a packaged application updates itself (in development there is nothing to replace). */
  packaged: boolean;
  platform: NodeJS.Platform;
  /** `WORKSTATION_UPDATE_CHANNEL` (stable by default). */
  channel?: string;
  log: (message: string) => void;
}

export interface Updater {
  status(): UpdateStatusView;
  checkNow(): Promise<void>;
  restart(pendingChanges: number, confirmed: boolean): RestartToUpdateResult;
  stop(): void;
}

/**
 * electron-updater keeps the installation's staging id in `.updaterId`; the same id is read here
 * (and made first, in its format, when absent) so that both apply the same roll-out rule.
 */
function stagingUserId(userDataPath: string): string {
  const file = join(userDataPath, '.updaterId');
  try {
    const id = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/i.test(id)) return id;
  } catch {
    // absent: made below
  }
  const id = randomUUID();
  try {
    writeFileSync(file, id);
  } catch {
    // read-only profile: the id lives for this run only
  }
  return id;
}

export function startUpdater(options: UpdaterOptions): Updater {
  let status: UpdateStatus = INITIAL_STATUS;
  const apply = (event: UpdateEvent) => {
    status = reduceStatus(status, event);
  };
  const url = feedUrl(options.serverUrl, options.platform);
  if (!options.packaged || !url) {
    status = {
      state: 'disabled',
      reason: options.packaged
        ? 'Mises à jour automatiques indisponibles sur ce système.'
        : 'Mises à jour automatiques désactivées : application non installée (développement).',
    };
    return {
      status: () => status,
      checkNow: async () => {},
      restart: () => 'nothing-to-install',
      stop: () => {},
    };
  }

  const channel: UpdateChannel = isUpdateChannel(options.channel) ? options.channel : 'stable';
  const updater: AppUpdater = electronUpdater.autoUpdater;
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = false;
  updater.allowPrerelease = channel === 'beta';
  updater.allowDowngrade = false;
  updater.setFeedURL({
    provider: 'generic',
    url,
    channel: channel === 'stable' ? 'latest' : channel,
    // The server answers single byte ranges (several in one request get the whole file).
    useMultipleRangeRequest: false,
  });
  const staging = stagingUserId(options.userDataPath);
  const now = () => new Date().toISOString();

  updater.on('download-progress', (p: { percent: number; bytesPerSecond: number }) =>
    apply({ type: 'progress', percent: p.percent, bytesPerSecond: p.bytesPerSecond }),
  );
  updater.on('update-downloaded', (info: UpdateInfo) => apply({ type: 'downloaded', version: info.version }));
  updater.on('error', (error: Error) => {
    options.log(`Mise à jour : ${error.message}`);
    apply({ type: 'failed', message: error.message, at: now() });
  });

  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;

  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void check(), nextCheckDelay(failures));
    timer.unref?.();
  };

  const check = (): Promise<void> => {
    if (running) return running;
    running = (async () => {
      if (status.state === 'ready' || status.state === 'downloading') return;
      apply({ type: 'check-started' });
      try {
        const result = await updater.checkForUpdates();
        const info = result?.updateInfo;
        const decision = evaluateOffer({
          installed: options.installedVersion,
          channel,
          offered: info
            ? {
                version: info.version,
                ...(typeof info.stagingPercentage === 'number'
                  ? { stagingPercentage: info.stagingPercentage }
                  : {}),
              }
            : null,
          stagingUserId: staging,
        });
        failures = 0;
        if (!decision.take) {
          apply({ type: 'nothing-new', at: now() });
          return;
        }
        apply({ type: 'download-started', version: decision.version });
        await updater.downloadUpdate();
      } catch (error) {
        failures++;
        const message = error instanceof Error ? error.message : String(error);
        options.log(`Mise à jour : ${message}`);
        apply({ type: 'failed', message, at: now() });
      }
    })().finally(() => {
      running = null;
      schedule();
    });
    return running;
  };

  void check();

  return {
    status: () => status,
    checkNow: () => check(),
    restart(pendingChanges, confirmed) {
      const decision = decideRestart({
        downloaded: status.state === 'ready',
        pendingChanges,
        confirmedPending: confirmed,
      });
      if (decision === 'install') setImmediate(() => updater.quitAndInstall(false, true));
      return decision;
    },
    stop() {
      clearTimeout(timer);
    },
  };
}
