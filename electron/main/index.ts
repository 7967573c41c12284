/** Main process lifecycle only: single instance, ready → window, quit when all windows are closed (not on macOS). */
import { resolve } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { type AppServices, startServices } from './services';
import { createMainWindow } from './window';

// Tests and side-by-side profiles: a separate data directory (must be set before the lock and `ready`).
if (process.env.WORKSTATION_USER_DATA_DIR) {
  app.setPath('userData', resolve(process.env.WORKSTATION_USER_DATA_DIR));
}

let services: AppServices | undefined;
let mainWindow: BrowserWindow | null = null;

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
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
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
      services = startServices();
      openMainWindow();
    })
    .catch((error: unknown) => {
      console.error('[poste] Démarrage impossible :', error);
      app.exit(1);
    });
}
