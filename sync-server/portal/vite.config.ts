import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The built page carries a strict CSP (no inline script or style). The dev server injects an
 * inline React Refresh preamble, so the meta tag is dropped while serving only.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'portal-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i, ''),
  };
}

/** Candidate portal, served by the sync server at `/`. */
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir: '../../dist/portal',
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    proxy: { '/api': process.env.SYNC_SERVER_URL ?? 'http://localhost:3000' },
  },
});
