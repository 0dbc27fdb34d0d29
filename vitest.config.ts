import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    // End-to-end tests start a real server and a real Chromium; unit tests finish in milliseconds.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Two cores: browser tests and pty tests must not compete with each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
  define: { __SOOTHE_VERSION__: JSON.stringify('test') },
});
