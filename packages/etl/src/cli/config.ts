import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file is packages/etl/{src,dist}/cli/config.{ts,js}. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export interface CliConfig {
  dataDir: string;
  publicDataDir: string;
}

/**
 * The CLI's configuration, read once: flags win over the environment, which wins over defaults.
 * `ROLLBOOK_DATA_DIR` (default `<repo>/data`), `ROLLBOOK_PUBLIC_DATA_DIR` (default `<repo>/../shared/data`).
 */
export function resolveConfig(env: NodeJS.ProcessEnv, flags: { dataDir?: string; publicData?: string }): CliConfig {
  return {
    dataDir: path.resolve(flags.dataDir ?? env.ROLLBOOK_DATA_DIR ?? path.join(REPO_ROOT, 'data')),
    publicDataDir: path.resolve(flags.publicData ?? env.ROLLBOOK_PUBLIC_DATA_DIR ?? path.join(REPO_ROOT, '..', 'shared', 'data')),
  };
}
