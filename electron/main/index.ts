/** Main process lifecycle only: single instance, ready → window, quit when all windows are closed (not on macOS). */
import { resolve } from 'node:path';
import { app, BrowserWindow, dialog, Menu } from 'electron';
import { type DesktopNavigation, NAVIGATE_EVENT } from '../../shared/ipc/contract';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink } from './deep-link';
import { buildMenuTemplate } from './menu';
import { type AppServices, startServices } from './services';
import { createMainWindow } from './window';

// Tests and side-by-side profiles: a separate data directory (must be set before the lock and `ready`).
if (process.env.WORKSTATION_USER_DATA_DIR) {
  app.setPath('userData', resolve(process.env.WORKSTATION_USER_DATA_DIR));
}

let services: AppServices | undefined;
let mainWindow: BrowserWindow | null = null;
/** A navigation asked before the window could take it (a deep link that launched the app). */
let pendingNavigation: DesktopNavigation | null = deepLinkFromArgv(process.argv);

/** Brings the window forward and asks the renderer to open a screen (its preload checks it again). */
function sendNavigation(navigation: DesktopNavigation): void {
  if (!mainWindow || mainWindow.webContents.isLoading()) {
    pendingNavigation = navigation;
    return;
  }
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
  mainWindow.webContents.send(NAVIGATE_EVENT, navigation);
}

function openMainWindow(): void {
  if (!services) return;
  mainWindow = createMainWindow({
    preloadPath: services.preloadPath,
    appUrl: services.appUrl,
    userDataPath: app.getPath('userData'),
    iconPath: services.iconPath,
    log: (message) => console.warn(`[poste] ${message}`),
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  mainWindow.webContents.on('did-finish-load', () => {
    const navigation = pendingNavigation;
    pendingNavigation = null;
    if (navigation) sendNavigation(navigation);
  });
}

function installMenu(): void {
  const template = buildMenuTemplate(process.platform, {
    navigate: sendNavigation,
    checkForUpdates: () => services?.checkForUpdates(),
    showAbout: () =>
      void dialog.showMessageBox({
        type: 'info',
        title: 'À propos du Poste recruteur',
        message: `Poste recruteur ${app.getVersion()}`,
        detail: 'Poste de travail des recruteurs et des conseillers, hors ligne et synchronisé.',
      }),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // `recrutement://offre/<numéro>` opens the offer (registered with the system when installed).
  if (app.isPackaged) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const navigation = parseDeepLink(url);
    if (navigation) sendNavigation(navigation);
  });

  app.on('second-instance', (_event, argv) => {
    const navigation = deepLinkFromArgv(argv);
    if (navigation) sendNavigation(navigation);
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });

  app
    .whenReady()
    .then(() => {
      services = startServices({ navigate: sendNavigation });
      installMenu();
      openMainWindow();
    })
    .catch((error: unknown) => {
      console.error('[poste] Démarrage impossible :', error);
      app.exit(1);
    });
}
