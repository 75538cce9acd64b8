import { defineConfig } from 'vitest/config';

// Cross-app tests: each starts the real stack (built API and portal, embedded PostgreSQL, DuckDB)
// and, for browser journeys, Chromium. Files run one at a time: the machine has two cores.
export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', 'artifacts/**'],
    env: { TZ: 'UTC' },
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
