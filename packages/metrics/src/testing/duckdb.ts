/**
 * Test support (not built into dist): one in-memory DuckDB per test file, opened before the tests
 * and closed after them, and the day arithmetic the property tests use to make dates.
 */
import { afterAll, beforeAll } from 'vitest';
import { DuckDBDateValue, DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export const isoOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A DuckDB DATE for an appender from `YYYY-MM-DD`. */
export const dateValue = (iso: string): DuckDBDateValue => new DuckDBDateValue(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);

/**
 * Opens an in-memory DuckDB for the calling test file (running `setupSql` first, if given) and
 * closes it after the file's tests. Read `.connection` inside tests, not at import time.
 */
export function inMemoryDuckDb(setupSql?: string): { readonly connection: DuckDBConnection } {
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    if (setupSql) await connection.run(setupSql);
  });
  afterAll(() => {
    connection?.closeSync();
    instance?.closeSync();
  });
  return {
    get connection(): DuckDBConnection {
      if (!connection) throw new Error('The in-memory DuckDB is opened in beforeAll: use it inside a test.');
      return connection;
    },
  };
}
