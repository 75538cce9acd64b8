/**
 * Loads and a purge running (as the real `rollbook` CLI, in other processes) while the API's
 * warehouse answers readers: two loads of the same return at once, a load of a new term, and a
 * purge of an old year. Every read must succeed and see each term either as it was or as it ends
 * up, never half of a load; the loads queue behind one another on the load lock; nothing is lost
 * or counted twice.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataLayout, loadPath } from '@rollbook/etl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir } from '../test/fixtures.js';
import { writeSchoolList, writeTestReturn as writeReturn } from './test-returns.js';
import { WarehouseService } from './warehouse.service.js';

const CLI = fileURLToPath(new URL('../../../../packages/etl/bin/rollbook.mjs', import.meta.url));

function cli(dataDir: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir], { stdio: 'ignore' });
    child.on('exit', (code) => resolve(code));
  });
}

const BY_TERM = `SELECT academic_year || ' ' || term AS k,
  CAST(count(*) AS INTEGER) || ' rows, ' || CAST(sum(possible_sessions) AS INTEGER) || ' possible, ' || CAST(sum(overall_absence) AS INTEGER) || ' absent' AS v
  FROM fct_enrolment_term GROUP BY ALL ORDER BY k`;

describe('loads, a purge and readers at once', () => {
  let dataDir: string;
  let warehouse: WarehouseService;

  beforeAll(async () => {
    if (!existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli', 'main.js'))) throw new Error('Build first: npm run build');
    dataDir = await makeDataDir();
    const inputs = path.join(dataDir, 'inputs');
    mkdirSync(inputs);
    writeSchoolList(inputs);
    writeReturn(path.join(inputs, 'autumn-2018'), '2018-11-05', 40, 10);
    writeReturn(path.join(inputs, 'autumn-2024'), '2024-11-04', 120, 30);
    writeReturn(path.join(inputs, 'spring-2025'), '2025-01-13', 120, 30);
    const layout = dataLayout(dataDir);
    for (const target of ['schools.csv', 'autumn-2018', 'autumn-2024']) {
      const summary = await loadPath(path.join(inputs, target), { layout });
      expect(summary.rejected, target).toBe(0);
    }
    warehouse = await WarehouseService.open({ dataDir });
  }, 120_000);

  afterAll(async () => {
    warehouse?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('every read sees each term as before or as after, and nothing is lost or doubled', async () => {
    const read = async () => new Map((await warehouse.query(BY_TERM)).map((r) => [String(r.k), String(r.v)]));
    const before = await read();
    expect([...before.keys()]).toEqual(['2018/19 autumn', '2024/25 autumn']);

    const inputs = path.join(dataDir, 'inputs');
    const jobs = Promise.all([
      cli(dataDir, ['load', path.join(inputs, 'autumn-2024')]),
      cli(dataDir, ['load', path.join(inputs, 'autumn-2024')]),
      cli(dataDir, ['load', path.join(inputs, 'spring-2025')]),
      cli(dataDir, ['purge', '--older-than', '6y', '--as-of', '2026-11-22']),
    ]);
    let done = false;
    const codes = jobs.finally(() => {
      done = true;
    });
    const seen: Map<string, string>[] = [];
    const errors: string[] = [];
    while (!done) {
      try {
        seen.push(await read());
      } catch (error) {
        errors.push(error instanceof Error ? error.message : String(error));
      }
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(await codes).toEqual([0, 0, 0, 0]);
    const after = await read();

    expect(errors).toEqual([]);
    expect(seen.length).toBeGreaterThan(5);
    // The reads overlapped the changes: they saw more than one state of the warehouse.
    expect(new Set(seen.map((view) => JSON.stringify([...view]))).size).toBeGreaterThan(1);
    expect([...after.keys()]).toEqual(['2024/25 autumn', '2024/25 spring']);
    // Loaded twice, counted once: the autumn term is exactly as it was.
    expect(after.get('2024/25 autumn')).toBe(before.get('2024/25 autumn'));
    for (const view of seen) {
      for (const term of new Set([...before.keys(), ...after.keys()])) {
        const value = view.get(term);
        expect([before.get(term), after.get(term)], `${term} during the loads`).toContain(value);
      }
    }
  }, 180_000);
});
