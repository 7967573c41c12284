/**
 * The main process wiring, run in Node against a fake `electron` module (no Electron binary needed):
 * lifecycle, secure window options, IPC registration and sender check, navigation and window-open
 * guards, CSP header and permissions. What only a real Electron can show is in e2e/electron.spec.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS } from '../../shared/ipc/contract';

type Listener = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? [])
        (listener as (...a: unknown[]) => unknown)(...args);
    }
  }

  const state = { userData: '' };
  const windows: FakeWindow[] = [];

  class FakeWindow extends Emitter {
    readonly options: Record<string, unknown>;
    readonly loadURL = vi.fn(async (_url: string) => {});
    readonly focus = vi.fn();
    readonly restore = vi.fn();
    readonly show = vi.fn();
    readonly maximize = vi.fn();
    readonly webContents = Object.assign(new Emitter(), { isLoading: vi.fn(() => false), send: vi.fn() });
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
    }
    isMinimized() {
      return false;
    }
    isMaximized() {
      return false;
    }
    getNormalBounds() {
      return { x: 10, y: 20, width: 1300, height: 820 };
    }
    static getAllWindows() {
      return windows;
    }
  }

  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    setPath: vi.fn(),
    getPath: vi.fn(() => state.userData),
    getVersion: () => '1.2.3',
    setBadgeCount: vi.fn(),
    whenReady: () => Promise.resolve(),
  });

  return {
    state,
    windows,
    Emitter,
    electron: {
      app,
      BrowserWindow: FakeWindow,
      ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
      Menu: {
        buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
        setApplicationMenu: vi.fn(),
      },
      dialog: { showMessageBox: vi.fn(async () => ({ response: 0 })) },
      Tray: vi.fn(),
      shell: { openExternal: vi.fn(async () => {}) },
      screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'basic_text',
        encryptString: vi.fn(),
        decryptString: vi.fn(),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: vi.fn(),
          webRequest: { onHeadersReceived: vi.fn() },
        },
      },
    },
  };
});

vi.mock('electron', () => fake.electron);

const { app, ipcMain, session, shell, Menu } = fake.electron;
const SERVER_URL = 'https://sync.example.fr';
// The variables this file changes, put back one by one (the worker's other files keep `process.env`).
const CHANGED_ENV = ['WORKSTATION_SERVER_URL', 'ELECTRON_RENDERER_URL', 'WORKSTATION_USER_DATA_DIR'] as const;
const savedEnv = Object.fromEntries(CHANGED_ENV.map((k) => [k, process.env[k]]));
let appUrl = '';
/** Calls made during start-up, copied before the per-test mock reset. */
const startup = {
  lockRequests: 0,
  ipcHandles: [] as unknown[][],
  headersListeners: [] as unknown[][],
  permissionHandlers: [] as unknown[][],
  menus: [] as unknown[][],
};

beforeAll(async () => {
  fake.state.userData = mkdtempSync(join(tmpdir(), 'poste-main-'));
  process.env.WORKSTATION_SERVER_URL = SERVER_URL;
  delete process.env.ELECTRON_RENDERER_URL;
  delete process.env.WORKSTATION_USER_DATA_DIR;
  vi.spyOn(console, 'warn').mockImplementation(() => {});
  process.argv.push('recrutement://offre/100014A');
  await import('./index');
  process.argv.pop();
  await new Promise((resolve) => setTimeout(resolve, 0));
  appUrl = String(fake.windows[0]?.loadURL.mock.calls[0]?.[0]);
  startup.lockRequests = app.requestSingleInstanceLock.mock.calls.length;
  startup.ipcHandles = [...ipcMain.handle.mock.calls];
  startup.headersListeners = [...session.defaultSession.webRequest.onHeadersReceived.mock.calls];
  startup.permissionHandlers = [...session.defaultSession.setPermissionRequestHandler.mock.calls];
  startup.menus = [...Menu.setApplicationMenu.mock.calls];
});

afterAll(() => {
  for (const k of CHANGED_ENV) {
    const v = savedEnv[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(fake.state.userData, { recursive: true, force: true });
});

function ipcListener(channel: string) {
  const call = startup.ipcHandles.find(([name]) => name === channel);
  if (!call) throw new Error(`pas de gestionnaire pour ${channel}`);
  return call[1] as (event: unknown, ...args: unknown[]) => Promise<unknown>;
}

describe('main process', () => {
  it('takes the single-instance lock and opens one secure window on ready', () => {
    expect(startup.lockRequests).toBe(1);
    expect(fake.windows).toHaveLength(1);
    const options = fake.windows[0]?.options as { title: string; webPreferences: Record<string, unknown> };
    expect(options.title).toBe('Poste recruteur');
    expect(options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(String(options.webPreferences.preload)).toMatch(/[/\\]preload[/\\]index\.cjs$/);
  });

  it('loads the built renderer when no dev server URL is set', () => {
    expect(appUrl).toMatch(/^file:\/\/.*\/renderer\/index\.html$/);
  });

  it('keeps the French title whatever the page title is', () => {
    const preventDefault = vi.fn();
    fake.windows[0]?.emit('page-title-updated', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
  });

  it('registers exactly the contract channels and answers from the app pages only', async () => {
    expect(startup.ipcHandles.map(([channel]) => channel).sort()).toEqual([...IPC_CHANNELS].sort());
    const fromApp = { senderFrame: { url: appUrl } };
    expect(await ipcListener('app:getServerUrl')(fromApp)).toBe(SERVER_URL);
    expect(await ipcListener('app:getVersion')(fromApp)).toBe('1.2.3');
    await expect(
      ipcListener('app:getServerUrl')({ senderFrame: { url: 'https://evil.example/' } }),
    ).rejects.toMatchObject({ code: 'forbidden-sender' });
    await expect(ipcListener('app:getVersion')({ senderFrame: null })).rejects.toMatchObject({
      code: 'forbidden-sender',
    });
  });

  it('keeps the token in memory with the Linux basic_text backend (no real encryption)', async () => {
    const fromApp = { senderFrame: { url: appUrl } };
    await ipcListener('session:saveToken')(fromApp, 'jeton.abc');
    expect(fake.electron.safeStorage.encryptString).not.toHaveBeenCalled();
    expect(await ipcListener('session:loadToken')(fromApp)).toBe('jeton.abc');
    await expect(ipcListener('session:saveToken')(fromApp, { token: 1 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });

  it('guards navigation and new windows of every web contents', () => {
    const contents = Object.assign(new fake.Emitter(), { setWindowOpenHandler: vi.fn() });
    app.emit('web-contents-created', {}, contents);

    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const external = { url: 'https://example.com/', preventDefault: vi.fn() };
      contents.emit(event, external);
      expect(external.preventDefault).toHaveBeenCalled();
      const internal = { url: appUrl, preventDefault: vi.fn() };
      contents.emit(event, internal);
      expect(internal.preventDefault).not.toHaveBeenCalled();
    }

    const webview = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    const openHandler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as (details: {
      url: string;
    }) => unknown;
    expect(openHandler({ url: 'https://www.francetravail.fr/' })).toEqual({ action: 'deny' });
    expect(openHandler({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(shell.openExternal.mock.calls).toEqual([['https://www.francetravail.fr/']]);
  });

  it('adds the CSP header to the app documents only', () => {
    const listener = startup.headersListeners[0]?.[0] as (
      details: Record<string, unknown>,
      callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
    ) => void;
    const callback = vi.fn();
    listener({ resourceType: 'mainFrame', url: appUrl, responseHeaders: {} }, callback);
    const policy = callback.mock.calls[0]?.[0].responseHeaders['Content-Security-Policy'][0] as string;
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain(`connect-src 'self' ${SERVER_URL}`);

    const other = vi.fn();
    listener({ resourceType: 'mainFrame', url: 'https://example.com/', responseHeaders: {} }, other);
    expect(other).toHaveBeenCalledWith({});
  });

  it('grants notifications to the app pages and nothing else', () => {
    const handler = startup.permissionHandlers[0]?.[0] as (
      contents: { getURL(): string },
      permission: string,
      callback: (granted: boolean) => void,
      details: { requestingUrl: string },
    ) => void;
    const answers: boolean[] = [];
    const contents = { getURL: () => appUrl };
    handler(contents, 'notifications', (granted) => answers.push(granted), { requestingUrl: appUrl });
    handler(contents, 'media', (granted) => answers.push(granted), { requestingUrl: appUrl });
    handler(contents, 'notifications', (granted) => answers.push(granted), {
      requestingUrl: 'https://x.fr/',
    });
    expect(answers).toEqual([true, false, false]);
  });

  it('focuses the existing window on a second launch and quits when all windows close (not macOS)', () => {
    app.emit('second-instance');
    expect(fake.windows[0]?.focus).toHaveBeenCalled();
    app.emit('window-all-closed');
    if (process.platform === 'darwin') expect(app.quit).not.toHaveBeenCalled();
    else expect(app.quit).toHaveBeenCalledTimes(1);
  });
});

describe('menu and deep links', () => {
  it('installs the French application menu', () => {
    expect(startup.menus).toHaveLength(1);
    const menu = startup.menus[0]![0] as { template: { label: string }[] };
    expect(menu.template.map((m) => m.label)).toEqual([
      'Fichier',
      'Édition',
      'Aller à',
      'Affichage',
      'Fenêtre',
      'Aide',
    ]);
  });

  it('opens the offer of a recrutement:// link: at launch once the page is loaded, then from a second launch', () => {
    const window = fake.windows[0]!;
    window.webContents.send.mockClear();
    window.webContents.emit('did-finish-load');
    expect(window.webContents.send.mock.calls).toEqual([
      ['event:navigate', { screen: 'offer', number: '100014A' }],
    ]);
    window.webContents.emit('did-finish-load');
    expect(window.webContents.send).toHaveBeenCalledTimes(1);

    app.emit('second-instance', {}, ['/opt/poste', 'recrutement://offre/100020B'], '/');
    expect(window.webContents.send.mock.calls.at(-1)).toEqual([
      'event:navigate',
      { screen: 'offer', number: '100020B' },
    ]);
    app.emit('second-instance', {}, ['/opt/poste', 'recrutement://offre/../../etc/passwd'], '/');
    app.emit('open-url', { preventDefault: () => {} }, 'https://example.com/');
    expect(window.webContents.send).toHaveBeenCalledTimes(2);
    app.emit('open-url', { preventDefault: () => {} }, 'recrutement://offre/100021C');
    expect(window.webContents.send.mock.calls.at(-1)).toEqual([
      'event:navigate',
      { screen: 'offer', number: '100021C' },
    ]);
  });
});
