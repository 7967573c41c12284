/**
 * The packaged shape of the desktop app: launches the built main process (`out/main/index.js`) with
 * the installed Electron binary and checks the window, the preload bridge and the security guards.
 * Skipped, with the reason printed, on machines without an Electron binary (`node_modules/electron/dist`).
 * Run `npm run build:electron` first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { type ElectronApplication, _electron as electron, type Page } from 'playwright';
import { WORKSTATION_BRIDGE_CHANNELS, WORKSTATION_GLOBAL } from '../shared/ipc/contract';

const projectRoot = resolve(import.meta.dirname, '..');
const mainEntry = join(projectRoot, 'out/main/index.js');
const SERVER_URL = 'http://127.0.0.1:39999';

/** Same lookup as the `electron` package: `ELECTRON_EXEC_PATH`, else `path.txt` → `dist/<executable>`. */
function findElectronBinary(): string | null {
  const fromEnv = process.env.ELECTRON_EXEC_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  try {
    const require = createRequire(import.meta.url);
    const electronDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(electronDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const executable = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

const electronBinary = findElectronBinary();
const SKIP_REASON = 'Binaire Electron absent sur cette machine : test E2E Electron ignoré';

type BridgeWindow = Window & {
  [WORKSTATION_GLOBAL]?: Record<string, (...args: unknown[]) => Promise<unknown>>;
};

test.describe('application Electron', () => {
  if (!electronBinary) {
    console.log(`${SKIP_REASON} (ni ELECTRON_EXEC_PATH, ni node_modules/electron/dist).`);
  }
  test.skip(!electronBinary, SKIP_REASON);

  let app: ElectronApplication;
  let page: Page;
  let userData: string;

  test.beforeAll(async () => {
    if (!existsSync(mainEntry)) {
      throw new Error(`${mainEntry} introuvable : lancez « npm run build:electron » avant ce test.`);
    }
    userData = mkdtempSync(join(tmpdir(), 'poste-e2e-'));
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
    delete env.ELECTRON_RENDERER_URL; // always the built renderer, never a dev server
    env.WORKSTATION_USER_DATA_DIR = userData;
    env.WORKSTATION_SERVER_URL = SERVER_URL;
    app = await electron.launch({
      executablePath: electronBinary ?? undefined,
      // Chromium refuses to start as root with its OS sandbox; the page's `sandbox: true` still applies.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), mainEntry],
      env,
      cwd: projectRoot,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  test.afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  test('ouvre une fenêtre « Poste recruteur » sur le renderer construit', async () => {
    const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
    expect(title).toBe('Poste recruteur');
    expect(page.url()).toMatch(/^file:.*\/out\/renderer\/index\.html/);
  });

  test('expose window.workstation avec exactement les clés du contrat', async () => {
    const keys = await page.evaluate(
      (global) => Object.keys((window as BridgeWindow)[global as typeof WORKSTATION_GLOBAL] ?? {}).sort(),
      WORKSTATION_GLOBAL,
    );
    expect(keys).toEqual(Object.keys(WORKSTATION_BRIDGE_CHANNELS).sort());
  });

  test('le pont répond : version, serveur, jeton, liens externes refusés', async () => {
    const results = await page.evaluate(async () => {
      const bridge = (window as BridgeWindow).workstation;
      if (!bridge) throw new Error('window.workstation absent');
      await bridge.saveToken?.('jeton-e2e.123');
      const saved = await bridge.loadToken?.();
      await bridge.clearToken?.();
      return {
        version: await bridge.getVersion?.(),
        serverUrl: await bridge.getServerUrl?.(),
        saved,
        cleared: await bridge.loadToken?.(),
        openFile: await bridge.openExternal?.('file:///etc/passwd'),
        badToken: await bridge.saveToken?.(42).then(
          () => 'accepté',
          (error: Error) => error.message,
        ),
      };
    });
    const { version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(results).toMatchObject({ version, serverUrl: SERVER_URL, saved: 'jeton-e2e.123', cleared: null });
    expect(results.openFile).toBe(false);
    expect(results.badToken).toMatch(/Jeton de session/);
  });

  test("n'expose ni Node ni ipcRenderer au renderer", async () => {
    const globals = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      module: typeof (globalThis as { module?: unknown }).module,
      Buffer: typeof (globalThis as { Buffer?: unknown }).Buffer,
      ipcRenderer: typeof (globalThis as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      Buffer: 'undefined',
      ipcRenderer: 'undefined',
    });
    const evalBlocked = await page.evaluate(() => {
      try {
        // biome-ignore lint/security/noGlobalEval: checking that the CSP forbids it
        return eval('1 + 1') !== 2;
      } catch {
        return true;
      }
    });
    expect(evalBlocked).toBe(true);
  });

  test('bloque la navigation vers un site externe et les nouvelles fenêtres', async () => {
    const before = page.url();
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(1_000);
    expect(page.url()).toBe(before);

    // Not allowlisted (http:), so nothing is opened outside either.
    const opened = await page.evaluate(() => window.open('http://example.com/') !== null);
    expect(opened).toBe(false);
    expect(app.windows()).toHaveLength(1);
  });
});
