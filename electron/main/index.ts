/** Main process lifecycle only: single instance, ready → window, quit when all windows are closed (not on macOS). */
import { resolve } from 'node:path';
import { app, BrowserWindow, dialog, Menu, shell } from 'electron';
import { type DesktopNavigation, NAVIGATE_EVENT } from '../../shared/ipc/contract';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink } from './deep-link';
import { createErrorLog, describeError, type ErrorLog } from './error-log';
import { buildMenuTemplate } from './menu';
import { type AppServices, startServices } from './services';
import { createMainWindow } from './window';

// Tests and side-by-side profiles: a separate data directory (must be set before the lock and `ready`).
if (process.env.WORKSTATION_USER_DATA_DIR) {
  app.setPath('userData', resolve(process.env.WORKSTATION_USER_DATA_DIR));
}

/** Errors and crashes, without personal data, in a file the user can send (created when ready). */
let errorLog: ErrorLog | null = null;
if (process.versions.electron) {
  process.on('uncaughtException', (error) => {
    errorLog?.write('erreur', describeError(error));
    console.error('[poste] Erreur :', error);
  });
  process.on('unhandledRejection', (reason) => errorLog?.write('erreur', describeError(reason)));
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
    openErrorLog: () => {
      if (errorLog) shell.showItemInFolder(errorLog.path);
    },
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

  app.on('render-process-gone', (_event, _contents, details) =>
    errorLog?.write('erreur', `Page de l’application arrêtée : ${details.reason} (code ${details.exitCode})`),
  );
  app.on('child-process-gone', (_event, details) =>
    errorLog?.write('avertissement', `Processus ${details.type} arrêté : ${details.reason}`),
  );

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });

  app
    .whenReady()
    .then(() => {
      errorLog = createErrorLog({ dir: app.getPath('logs') });
      errorLog.write('info', `Démarrage de la version ${app.getVersion()} (${process.platform})`);
      services = startServices({ navigate: sendNavigation });
      installMenu();
      openMainWindow();
    })
    .catch((error: unknown) => {
      errorLog?.write('erreur', `Démarrage impossible : ${describeError(error)}`);
      console.error('[poste] Démarrage impossible :', error);
      app.exit(1);
    });
}
