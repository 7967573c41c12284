/**
 * The packaged shape of the desktop app: launches the built main process (`out/main/index.js`) with
 * the installed Electron binary and checks the window, the preload bridge and the security guards.
 * Skipped, with the reason printed, on machines without an Electron binary (`node_modules/electron/dist`).
 * Run `npm run build:electron` first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from 'playwright';
import { WORKSTATION_BRIDGE_CHANNELS, WORKSTATION_GLOBAL } from '../shared/ipc/contract';
import {
  ELECTRON_SKIP_REASON,
  findElectronBinary,
  type LaunchedWorkstation,
  launchWorkstation,
  projectRoot,
} from './fixtures/electron';

const SERVER_URL = 'http://127.0.0.1:39999';
const electronBinary = findElectronBinary();
const SKIP_REASON = ELECTRON_SKIP_REASON;

type BridgeWindow = Window & {
  [WORKSTATION_GLOBAL]?: Record<string, (...args: unknown[]) => Promise<unknown>>;
};

test.describe('application Electron', () => {
  if (!electronBinary) {
    console.log(`${SKIP_REASON} (ni ELECTRON_EXEC_PATH, ni node_modules/electron/dist).`);
  }
  // Skipped only where no Electron binary exists (it cannot be downloaded on every machine); the reason is printed.
  test.skip(!electronBinary, SKIP_REASON);

  let app: ElectronApplication;
  let page: Page;
  let launched: LaunchedWorkstation;

  test.beforeAll(async () => {
    launched = await launchWorkstation(SERVER_URL);
    app = launched.app;
    page = launched.page;
  });

  test.afterAll(async () => {
    await launched?.close();
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
