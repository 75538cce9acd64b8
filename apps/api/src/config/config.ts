import path from 'node:path';
import { packageRoot } from '../common/paths.js';

export type NodeEnv = 'development' | 'production' | 'test';

export type DatabaseConfig =
  | { kind: 'embedded'; /** fixed port from ROLLBOOK_PG_PORT; otherwise 5433 or a free one */ port?: number }
  | { kind: 'server'; url: string };

/** The API's whole configuration, read from the environment once at start. */
export interface ApiConfig {
  /** Absolute path of the Rollbook data folder (lake, marts, postgres, …). */
  dataDir: string;
  database: DatabaseConfig;
  host: string;
  port: number;
  nodeEnv: NodeEnv;
}

export interface ConfigIssue {
  key: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration: ${issues.map((i) => `${i.key} ${i.message}`).join('; ')}`);
    this.name = 'ConfigError';
  }
}

/** The repository root's `data/` folder, found from this package's own location. */
export const defaultDataDir = path.resolve(packageRoot, '../../data');

const nodeEnvs: readonly NodeEnv[] = ['development', 'production', 'test'];

function parsePort(raw: string, min: number): number | undefined {
  if (!/^\d{1,5}$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= 65_535 ? value : undefined;
}

/**
 * Validates the environment into an {@link ApiConfig}; throws {@link ConfigError} listing every
 * bad key at once. Blank values count as unset.
 */
export function loadConfig(env: Record<string, string | undefined>): ApiConfig {
  const issues: ConfigIssue[] = [];
  const read = (key: string): string | undefined => {
    const value = env[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const rawDataDir = read('ROLLBOOK_DATA_DIR');
  const dataDir = rawDataDir === undefined ? defaultDataDir : path.resolve(rawDataDir);
  if (!path.isAbsolute(dataDir)) {
    issues.push({ key: 'ROLLBOOK_DATA_DIR', message: 'must resolve to an absolute path' });
  }

  let database: DatabaseConfig = { kind: 'embedded' };
  const rawUrl = read('DATABASE_URL');
  const rawPgPort = read('ROLLBOOK_PG_PORT');
  if (rawUrl !== undefined) {
    let protocol = '';
    try {
      protocol = new URL(rawUrl).protocol;
    } catch {
      // reported below
    }
    if (protocol === 'postgres:' || protocol === 'postgresql:') database = { kind: 'server', url: rawUrl };
    else issues.push({ key: 'DATABASE_URL', message: 'must be a postgres:// or postgresql:// URL' });
  } else if (rawPgPort !== undefined) {
    const port = parsePort(rawPgPort, 1);
    if (port === undefined) issues.push({ key: 'ROLLBOOK_PG_PORT', message: 'must be a port number (1–65535)' });
    else database = { kind: 'embedded', port };
  }

  const host = read('API_HOST') ?? '127.0.0.1';

  const rawPort = read('API_PORT');
  let port = 4000;
  if (rawPort !== undefined) {
    const parsed = parsePort(rawPort, 0);
    if (parsed === undefined) issues.push({ key: 'API_PORT', message: 'must be a port number (0–65535)' });
    else port = parsed;
  }

  const rawNodeEnv = read('NODE_ENV') ?? 'development';
  if (!nodeEnvs.includes(rawNodeEnv as NodeEnv)) {
    issues.push({ key: 'NODE_ENV', message: `must be one of ${nodeEnvs.join(', ')}` });
  }

  if (issues.length > 0) throw new ConfigError(issues);
  return { dataDir, database, host, port, nodeEnv: rawNodeEnv as NodeEnv };
}
