import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Pure unit tests (formatters, CSV, chart option builders, the GraphQL client), run from the root
// or from here. tsconfig.json extends .svelte-kit/tsconfig.json, which `svelte-kit sync` writes:
// run it first so a fresh checkout can transform the tests.
const here = dirname(fileURLToPath(import.meta.url));
const kitBin = join(dirname(createRequire(import.meta.url).resolve('@sveltejs/kit/package.json')), 'svelte-kit.js');
execFileSync(process.execPath, [kitBin, 'sync'], { cwd: here, stdio: ['ignore', 'ignore', 'inherit'] });

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
    env: { TZ: 'UTC' },
  },
});
