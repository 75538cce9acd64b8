import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest and TypeORM need decorator metadata, which esbuild does not emit: SWC compiles the sources.
export default defineConfig({
  plugins: [swc.vite({ module: { type: 'es6' } })],
  // Test against the metrics sources, so a stale or missing build of that package cannot mislead.
  resolve: {
    alias: {
      '@rollbook/metrics': fileURLToPath(new URL('../../packages/metrics/src/index.ts', import.meta.url)),
      // Node loads graphql's CommonJS entry for Nest and Apollo; Vite would pick its .mjs for our
      // sources, and graphql refuses to mix types from the two ("another module or realm").
      graphql: createRequire(import.meta.url).resolve('graphql'),
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/test/setup.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
