/**
 * The warehouse version file: a real load (through `@rollbook/etl`, which writes the file when it
 * commits) makes the API's warehouse see the new data at once, without walking the partitions;
 * identical queries running at once share one DuckDB execution.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { dataLayout, loadPath } from '@rollbook/etl';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeDataDir, removeDataDir } from '../test/fixtures.js';
import { currentWarehouseVersion, WAREHOUSE_VERSION_FILE } from './result-cache.js';
import { TEST_URN, writeSchoolList, writeTestReturn } from './test-returns.js';
import { WarehouseService } from './warehouse.service.js';

const BY_TERM = `SELECT academic_year || ' ' || term AS k, CAST(count(*) AS INTEGER) AS n
  FROM fct_enrolment_term WHERE scope = 'operational' GROUP BY ALL ORDER BY k`;

describe('the warehouse version file', () => {
  let dataDir: string;
  let inputs: string;
  let warehouse: WarehouseService;
  let executions: ReturnType<typeof vi.fn>;
  const load = async (target: string) => {
    const summary = await loadPath(target, { layout: dataLayout(dataDir), threads: 1 });
    expect(summary.rejected, target).toBe(0);
  };

  beforeAll(async () => {
    dataDir = await makeDataDir();
    inputs = path.join(dataDir, 'inputs');
    mkdirSync(inputs);
    await load(writeSchoolList(inputs));
    await load(writeTestReturn(path.join(inputs, 'autumn'), '2024-11-04', 30, 10));
    warehouse = await WarehouseService.open({ dataDir });
    // Counts the executions that reach DuckDB (the engine itself still runs every one).
    const target = warehouse as unknown as { queryNow: (...args: unknown[]) => Promise<unknown> };
    const real = target.queryNow.bind(warehouse);
    executions = vi.fn((...args: unknown[]) => real(...args));
    target.queryNow = executions;
  }, 60_000);

  afterAll(async () => {
    warehouse?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('is written by the load under the name the API reads, and stands in for the walk of the partitions', () => {
    const file = path.join(dataDir, WAREHOUSE_VERSION_FILE);
    expect(existsSync(file)).toBe(true);
    const token = readFileSync(file, 'utf8').trim();
    const full = { dir: path.join(dataDir, 'marts'), depth: 5, fileDepth: 5 };
    const version = currentWarehouseVersion(dataDir, { full: [full], stamped: [] });
    expect(version.startsWith(`${token}|`)).toBe(true);
    expect(version.split('|')).toHaveLength(2); // the token and the data folder: no partition was looked at
  });

  it('shares one execution among identical queries at once, answers from the cache, and sees a new load at once', async () => {
    const before = executions.mock.calls.length;
    const answers = await Promise.all(Array.from({ length: 10 }, () => warehouse.query(BY_TERM)));
    expect(executions.mock.calls.length - before).toBe(1);
    for (const rows of answers) expect(rows).toEqual([{ k: '2024/25 autumn', n: 30 }]);
    await warehouse.query(BY_TERM);
    expect(executions.mock.calls.length - before).toBe(1);

    const version = readFileSync(path.join(dataDir, WAREHOUSE_VERSION_FILE), 'utf8');
    await load(writeTestReturn(path.join(inputs, 'spring'), '2025-01-13', 20, 10));
    expect(readFileSync(path.join(dataDir, WAREHOUSE_VERSION_FILE), 'utf8')).not.toBe(version);
    expect(await warehouse.query(BY_TERM)).toEqual([
      { k: '2024/25 autumn', n: 30 },
      { k: '2024/25 spring', n: 20 },
    ]);
    expect(executions.mock.calls.length - before).toBe(2);
  }, 60_000);

  it('sees a load that does not go through the commit journal (the school list) once it ends', async () => {
    const name = `SELECT name FROM dim_school WHERE urn = ${TEST_URN}`;
    expect(await warehouse.query(name)).toEqual([{ name: 'Fixture Primary' }]);
    const version = readFileSync(path.join(dataDir, WAREHOUSE_VERSION_FILE), 'utf8');
    const renamed = path.join(inputs, 'renamed');
    writeFileSync(path.join(mkdirSync(renamed, { recursive: true }) ?? renamed, 'schools.csv'), readFileSync(writeSchoolList(inputs), 'utf8').replace('Fixture Primary', 'Renamed Primary'));
    await load(path.join(renamed, 'schools.csv'));
    expect(readFileSync(path.join(dataDir, WAREHOUSE_VERSION_FILE), 'utf8')).toBe(version); // no commit journal for this one
    expect(await warehouse.query(name)).toEqual([{ name: 'Renamed Primary' }]);
  }, 60_000);

  it('remembers a computation made outside its queries until the next load, sharing one that is running', async () => {
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
      return { runs };
    };
    const [a, b] = await Promise.all([warehouse.remember('k', compute), warehouse.remember('k', compute)]);
    expect([a, b, runs]).toEqual([{ runs: 1 }, { runs: 1 }, 1]);
    expect(await warehouse.remember('other', compute)).toEqual({ runs: 2 });
    expect(await warehouse.remember('k', compute)).toEqual({ runs: 1 });
    await load(writeTestReturn(path.join(inputs, 'summer'), '2025-04-28', 10, 5));
    expect(await warehouse.remember('k', compute)).toEqual({ runs: 3 });
  }, 60_000);

  it('runs queries on a pool of connections: at most that many open, every query answered', async () => {
    const connect = vi.spyOn(DuckDBInstance.prototype, 'connect');
    const pooled = await WarehouseService.open({ dataDir, connections: 2 });
    try {
      const opened = connect.mock.calls.length;
      const [{ n: total }] = (await warehouse.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM fct_enrolment_term WHERE scope = 'operational'`)) as [{ n: number }];
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => pooled.query(`SELECT CAST(count(*) AS INTEGER) + $i AS n FROM fct_enrolment_term WHERE scope = 'operational'`, { i })),
      );
      expect(answers.map((rows) => rows[0]!.n)).toEqual(Array.from({ length: 12 }, (_, i) => total + i));
      expect(connect.mock.calls.length).toBeLessThanOrEqual(2);
      expect(opened).toBeLessThanOrEqual(1); // opening the views took one
    } finally {
      pooled.close();
      connect.mockRestore();
    }
  });
});
