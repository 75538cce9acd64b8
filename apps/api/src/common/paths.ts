import { fileURLToPath } from 'node:url';

/**
 * The `apps/api` folder. This file compiles to `dist/common/paths.js`, at the same depth as
 * `src/common/paths.ts`, so the same relative URL works from sources (Vitest) and from the build.
 */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a file under `apps/api/src`; `.sql` files are read from there, not copied. */
export function sourcePath(...segments: string[]): string {
  return fileURLToPath(new URL(`../../src/${segments.join('/')}`, import.meta.url));
}
