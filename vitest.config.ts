import { defineConfig } from 'vitest/config';

// Two projects on a 2-core machine: unit and integration tests run in parallel (milliseconds to
// seconds each; pty tests included), then the end-to-end tests run one file at a time, because
// each drives a real Chromium whose software WebGL needs a core of its own.
export default defineConfig({
  define: { __SOOTHE_VERSION__: JSON.stringify('test') },
  test: {
    environment: 'node',
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: ['tests/e2e/**'], testTimeout: 30_000, maxWorkers: 2 },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], testTimeout: 90_000, fileParallelism: false, maxWorkers: 1 },
      },
    ],
  },
});
