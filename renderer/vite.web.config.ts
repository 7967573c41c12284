import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const outDir = fileURLToPath(new URL('../dist/workstation', import.meta.url));

/**
 * The app shell's service worker (public/sw.js) gets the list of every built asset to cache at
 * install, and a cache name derived from that list: a new build changes the worker's bytes, so
 * browsers install it and drop the previous assets.
 */
function appShellPrecache(): Plugin {
  let assets: string[] = [];
  return {
    name: 'app-shell-precache',
    apply: 'build',
    generateBundle(_options, bundle) {
      assets = Object.keys(bundle)
        .filter((f) => f.startsWith('assets/') && !f.endsWith('.map'))
        .sort();
    },
    closeBundle() {
      const file = join(outDir, 'sw.js');
      const version = createHash('sha256').update(assets.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(file, 'utf8');
      const out = source
        .replace("const CACHE = 'poste-shell-dev';", `const CACHE = 'poste-shell-${version}';`)
        .replace('const PRECACHE = [];', `const PRECACHE = ${JSON.stringify(assets)};`);
      if (out === source) throw new Error('sw.js : marqueurs CACHE et PRECACHE introuvables');
      writeFileSync(file, out);
    },
  };
}

/**
 * The web workstation: the same renderer as Electron, built for the sync server, which serves it
 * at `/workstation/` (same origin as `/api`, session cookie). `npm run build:web`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/workstation/',
  plugins: [react(), appShellPrecache()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
