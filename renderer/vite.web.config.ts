import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web workstation: the same renderer as Electron, built for the sync server, which serves it
 * at `/workstation/` (same origin as `/api`, session cookie). `npm run build:web`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/workstation/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/workstation', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
