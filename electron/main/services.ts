/**
 * Builds what the main process needs once the app is ready: server URL, token store, IPC handlers,
 * security guards. Kept out of index.ts so that index.ts stays lifecycle only.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell, Tray } from 'electron';
import type { DesktopAttention, DesktopNavigation } from '../../shared/ipc/contract';
import { attentionView } from './attention';
import { buildContentSecurityPolicy } from './csp';
import { createDataKeyStore } from './data-keys';
import { createIpcHandlers, registerAllIpcHandlers } from './ipc';
import { installSecurity } from './security';
import { resolveServerUrl, SETTINGS_FILE_NAME } from './server-url';
import { createTokenStore, type TokenEncryptor } from './token-store';
import { appOriginFromUrl, isAppNavigation } from './trusted-url';
import { startUpdater } from './updater';

export interface AppServices {
  /** « Rechercher une mise à jour… » of the menu. */
  checkForUpdates: () => void;
  appUrl: string;
  preloadPath: string;
  iconPath: string | undefined;
  serverUrl: string;
}

const log = (message: string) => console.warn(`[poste] ${message}`);

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** safeStorage, except Linux's "basic_text" backend (a hard-coded key): that is not encryption. */
const safeStorageEncryptor: TokenEncryptor = {
  isAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encrypt: (plainText) => safeStorage.encryptString(plainText),
  decrypt: (encrypted) => safeStorage.decryptString(Buffer.from(encrypted)),
};

/** The renderer to load: the electron-vite dev server when not packaged, else the built files. */
function resolveAppUrl(): string {
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (!app.isPackaged && devUrl) return devUrl;
  return pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;
}

/** Window icon (Linux and Windows): shipped as an extra resource when packaged, from `resources/` in development. */
function resolveIconPath(): string | undefined {
  const path = app.isPackaged
    ? join(process.resourcesPath, 'icon.png')
    : join(import.meta.dirname, '../../resources/icon.png');
  return existsSync(path) ? path : undefined;
}

/**
 * The badge (macOS, Linux launchers) and the tray icon: unread messages and pending changes; the
 * tray's menu opens the window or the messages.
 */
function attentionShower(iconPath: string | undefined, navigate: (n: DesktopNavigation) => void) {
  let tray: Tray | null = null;
  return (attention: DesktopAttention) => {
    const view = attentionView(attention);
    app.setBadgeCount(view.badgeCount);
    if (!iconPath) return;
    if (!tray) {
      tray = new Tray(iconPath);
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: 'Ouvrir le Poste recruteur', click: () => navigate({ screen: 'offers' }) },
          { label: 'Mes messages', click: () => navigate({ screen: 'messages' }) },
          { type: 'separator' },
          { role: 'quit', label: 'Quitter' },
        ]),
      );
      tray.on('click', () => navigate({ screen: 'messages' }));
    }
    tray.setToolTip(view.tooltip);
  };
}

export function startServices(
  options: { navigate?: (navigation: DesktopNavigation) => void } = {},
): AppServices {
  const userData = app.getPath('userData');
  const server = resolveServerUrl({
    env: process.env,
    settingsText: readText(join(userData, SETTINGS_FILE_NAME)),
  });
  for (const warning of server.warnings) log(warning);

  const appUrl = resolveAppUrl();
  const appOrigin = appOriginFromUrl(appUrl);
  const devServerUrl = appUrl.startsWith('file:') ? undefined : appUrl;

  installSecurity({
    session: session.defaultSession,
    appOrigin,
    contentSecurityPolicy: buildContentSecurityPolicy({ serverUrl: server.url, devServerUrl }),
    log,
  });

  const updates = startUpdater({
    serverUrl: server.url,
    installedVersion: app.getVersion(),
    userDataPath: userData,
    packaged: app.isPackaged,
    platform: process.platform,
    ...(process.env.WORKSTATION_UPDATE_CHANNEL ? { channel: process.env.WORKSTATION_UPDATE_CHANNEL } : {}),
    log,
  });
  const handlers = createIpcHandlers({
    updates,
    showAttention: attentionShower(resolveIconPath(), options.navigate ?? (() => {})),
    version: app.getVersion(),
    serverUrl: () => server.url,
    openExternal: (url) => shell.openExternal(url),
    tokenStore: createTokenStore({
      filePath: join(userData, 'session-token.bin'),
      encryptor: safeStorageEncryptor,
      onWarning: log,
    }),
    saveFile: {
      showSaveDialog: (options) => {
        const parent = BrowserWindow.getFocusedWindow();
        return parent ? dialog.showSaveDialog(parent, options) : dialog.showSaveDialog(options);
      },
      writeFile: (path, bytes) => writeFile(path, bytes),
      downloadsDirectory: () => app.getPath('downloads'),
    },
    dataKeys: createDataKeyStore({
      directory: join(userData, 'data-keys'),
      encryptor: safeStorageEncryptor,
      onWarning: log,
    }),
  });
  registerAllIpcHandlers(ipcMain, handlers, {
    isTrustedSender: (event) => isAppNavigation(event.senderFrame?.url, appOrigin),
    onError: (channel, error) =>
      log(`IPC ${channel} : ${error instanceof Error ? error.stack : String(error)}`),
  });

  return {
    checkForUpdates: () => void updates.checkNow(),
    appUrl,
    preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
    iconPath: resolveIconPath(),
    serverUrl: server.url,
  };
}
