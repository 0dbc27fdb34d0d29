import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

// `npm start` (electron-vite dev) and `npm run build:electron`: main, the sandboxed preload
// (bundled, since a sandboxed preload can only require 'electron') and the same renderer the
// browser edition serves.
export default defineConfig({
  main: { plugins: [externalizeDepsPlugin()], build: { rollupOptions: { input: resolve('main/index.ts') } } },
  // A sandboxed preload runs as a classic script: CommonJS, one self-contained file.
  preload: { build: { rollupOptions: { input: resolve('main/preload/index.ts'), output: { format: 'cjs', entryFileNames: '[name].cjs' } } } },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    build: { rollupOptions: { input: resolve('renderer/index.html') } },
  },
});
