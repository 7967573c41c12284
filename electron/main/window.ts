/** The main window: secure web preferences, remembered bounds, dev server or built renderer. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrowserWindow, screen } from 'electron';
import { restoreWindowState, serializeWindowState, WINDOW_STATE_FILE_NAME } from './window-state';

export const WINDOW_TITLE = 'Poste recruteur';

export interface MainWindowOptions {
  /** Absolute path of the built preload script (CommonJS, required by the sandbox). */
  preloadPath: string;
  /** What to load: the electron-vite dev server URL or the `file:` URL of `out/renderer/index.html`. */
  appUrl: string;
  userDataPath: string;
  iconPath?: string;
  log?: (message: string) => void;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function createMainWindow({
  preloadPath,
  appUrl,
  userDataPath,
  iconPath,
  log = () => {},
}: MainWindowOptions): BrowserWindow {
  const statePath = join(userDataPath, WINDOW_STATE_FILE_NAME);
  const state = restoreWindowState(
    readText(statePath),
    screen.getAllDisplays().map((display) => display.workArea),
  );

  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // A middle click on a link would otherwise open it in a new window (the guards still apply).
      disableBlinkFeatures: 'Auxclick',
      spellcheck: true,
    },
  });

  // Keep the French product name even if the page's <title> is missing or changes.
  window.on('page-title-updated', (event) => event.preventDefault());
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    try {
      writeFileSync(statePath, serializeWindowState(window.getNormalBounds(), window.isMaximized()));
    } catch (error) {
      log(`Position de la fenêtre non enregistrée : ${String(error)}`);
    }
  });

  window
    .loadURL(appUrl)
    .catch((error: unknown) => log(`Chargement de l'interface impossible : ${String(error)}`));
  return window;
}
