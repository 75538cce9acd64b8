import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';

export type Params = Record<string, DuckDBValue> | DuckDBValue[];
export type Row = Record<string, unknown>;

/** An in-memory DuckDB instance with one connection; the caller owns it and must close it. */
export interface Duck {
  readonly connection: DuckDBConnection;
  run(sql: string, params?: Params): Promise<void>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  close(): void;
}

export interface DuckOptions {
  threads?: number;
  memoryLimit?: string;
  tempDirectory?: string;
}

export async function openDuck(options: DuckOptions = {}): Promise<Duck> {
  const config: Record<string, string> = {};
  if (options.threads) config.threads = String(options.threads);
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.tempDirectory) config.temp_directory = options.tempDirectory;
  const instance = await DuckDBInstance.create(':memory:', config);
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
    await connection.run("SET TimeZone = 'UTC'");
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  return {
    connection,
    async run(sql, params) {
      await connection.run(sql, params);
    },
    async all<T = Row>(sql: string, params?: Params) {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map(normaliseRow) as T[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs `fn` with a fresh DuckDB and releases it whatever happens. */
export async function withDuck<T>(fn: (duck: Duck) => Promise<T>, options?: DuckOptions): Promise<T> {
  const duck = await openDuck(options);
  try {
    return await fn(duck);
  } finally {
    duck.close();
  }
}

/** DuckDB returns BIGINT as bigint; everything Rollbook counts fits a JS number. */
function normaliseRow(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = typeof value === 'bigint' ? Number(value) : value;
  }
  return out;
}

/** A SQL string literal. Only for values DuckDB cannot take as parameters (COPY targets). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A quoted SQL identifier. */
export function sqlIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
