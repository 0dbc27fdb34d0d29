import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer as a plain web page: served by `npm run web` (main/web/server.ts) and driven by the
// end-to-end tests in Debian's Chromium. The Electron build (electron.vite.config.ts) uses the same root.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: true },
});
