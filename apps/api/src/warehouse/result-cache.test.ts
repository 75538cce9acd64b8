import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir, writeEnrolmentTerms, type EnrolmentTermRow } from '../test/fixtures.js';
import { ResultCache, warehouseVersion, type WatchedFolder } from './result-cache.js';
import { WarehouseService } from './warehouse.service.js';

const row = (urn: number, upn: string, possible: number): EnrolmentTermRow => ({
  la_code: '332',
  academic_year: '2024/25',
  term: 'autumn',
  urn,
  upn,
  scope: 'dfe',
  possible_sessions: possible,
  approved_educational_activity: 0,
  authorised_absence: 1,
  unauthorised_absence: 0,
});

describe('ResultCache', () => {
  it('computes once per key and version, shares a running computation, and empties on a new version', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 10, maxRows: 100 });
    let runs = 0;
    const compute = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 5));
      return [{ n: runs }];
    };
    const [a, b] = await Promise.all([cache.get('v1', 'k', compute), cache.get('v1', 'k', compute)]);
    expect(runs).toBe(1);
    expect(a).toEqual([{ n: 1 }]);
    expect(b).toEqual([{ n: 1 }]);
    a[0]!.n = 99; // a caller editing its copy changes nobody else's
    expect(await cache.get('v1', 'k', compute)).toEqual([{ n: 1 }]);
    expect(runs).toBe(1);
    expect(await cache.get('v2', 'k', compute)).toEqual([{ n: 2 }]);
    expect(runs).toBe(2);
  });

  it('does not keep failures, and keeps within its entry and row limits', async () => {
    const cache = new ResultCache<{ n: number }>({ maxEntries: 2, maxRows: 3 });
    await expect(cache.get('v', 'bad', () => Promise.reject(new Error('engine down')))).rejects.toThrow('engine down');
    expect(cache.size).toBe(0);
    for (const key of ['a', 'b', 'c']) await cache.get('v', key, async () => [{ n: 1 }]);
    expect(cache.size).toBe(2);
    await cache.get('v', 'big', async () => [{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(cache.size).toBe(1);
  });
});

describe('warehouseVersion', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeDataDir();
  });
  afterEach(async () => {
    await removeDataDir(dir);
  });

  it('changes when a load renames a file into place, replaces one, or a purge takes a folder away', () => {
    const marts = path.join(dir, 'marts');
    const watched: WatchedFolder[] = [{ dir: marts, depth: 4, fileDepth: 4 }];
    const term = path.join(marts, 'fct_enrolment_term', 'la=332', 'academic_year=2024-25', 'term=autumn');
    const tmp = path.join(dir, 'tmp');
    mkdirSync(term, { recursive: true });
    mkdirSync(tmp);
    const seen = new Set([warehouseVersion(dir, watched)]);
    const renameIn = (content: string) => {
      writeFileSync(path.join(tmp, 'next.parquet'), content);
      renameSync(path.join(tmp, 'next.parquet'), path.join(term, 'part-0.parquet'));
      return warehouseVersion(dir, watched);
    };
    const first = renameIn('first');
    expect(seen.has(first)).toBe(false);
    seen.add(first);
    expect(warehouseVersion(dir, watched)).toBe(first); // nothing changed: same version
    const second = renameIn('same size');
    expect(seen.has(second)).toBe(false);
    seen.add(second);
    renameSync(path.join(marts, 'fct_enrolment_term', 'la=332', 'academic_year=2024-25'), path.join(tmp, 'purged'));
    rmSync(path.join(tmp, 'purged'), { recursive: true });
    expect(seen.has(warehouseVersion(dir, watched))).toBe(false);
  });

  it('lets the warehouse answer from the cache until a load changes the marts, then from the new files', async () => {
    await writeEnrolmentTerms(dir, [row(100001, 'A1', 60)]);
    const warehouse = await WarehouseService.open({ dataDir: dir });
    try {
      const total = 'SELECT CAST(sum(possible_sessions) AS INTEGER) AS possible FROM fct_enrolment_term';
      expect(await warehouse.query(total)).toEqual([{ possible: 60 }]);
      expect(await warehouse.query(total)).toEqual([{ possible: 60 }]);
      await writeEnrolmentTerms(dir, [row(100001, 'A1', 60), row(100002, 'B1', 40)]);
      expect(await warehouse.query(total)).toEqual([{ possible: 100 }]);
    } finally {
      warehouse.close();
    }
  });
});
