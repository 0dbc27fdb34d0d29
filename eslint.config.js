import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'release/**', 'node_modules/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    // The `soothe` launcher is CommonJS on purpose (see its header).
    files: ['bin/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // shared/ is pure: it runs in the renderer, in main, in the CLI and in workers alike.
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'os', 'crypto', 'events', 'electron', 'react', 'react-dom', 'pixi.js', 'serialport', '@serialport/*', 'ws'], message: 'shared/ must stay pure (no Node, Electron, DOM, React or Pixi).' },
      ] }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'performance'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Take the clock as an argument.' }, { object: 'Math', property: 'random', message: 'Inject a seeded Rng.' }],
    },
  },
  {
    // Raw Electron IPC only in the wrapper files: everything else goes through the typed contract.
    files: ['**/*.{ts,tsx}'],
    ignores: ['main/electron/ipc.ts', 'main/preload/index.ts', 'shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'Use the typed wrappers in main/electron/ipc.ts and main/preload.' }] }],
    },
  },
);
