import { defineConfig } from 'vitest/config';

// One run covers every workspace; each project keeps its own config beside its code.
export default defineConfig({
  test: {
    projects: ['packages/metrics', 'packages/etl', 'apps/api', 'apps/portal', 'test'],
  },
});
