/**
 * A load killed with SIGKILL at any point leaves the warehouse as it was or as the load would have
 * left it, never half of each, and the next load succeeds (issue: "atomic and idempotent").
 * Runs the real CLI (`packages/etl/bin/rollbook.mjs`, built by `npm test`) in a child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemo } from '../demo/index.js';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { tempDir } from '../testing/fixtures.js';
import { acquireLoadLock } from './lock.js';

const PUBLIC = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));
const CLI = fileURLToPath(new URL('../../bin/rollbook.mjs', import.meta.url));

type Snapshot = Map<string, string>;

let root: string;
let duck: Duck;
let stateA: Snapshot;
let stateB: Snapshot;

/** Per school × term: what the mart and the lake hold for it. */
async function snapshot(layout: DataLayout): Promise<Snapshot> {
  const mart = await duck.all<{ key: string; v: string }>(
    `SELECT term || '/' || urn AS key, count(*) || ':' || sum(possible_sessions) || ':' || sum(overall_absence) AS v
     FROM read_parquet($g, hive_partitioning = true) GROUP BY ALL`,
    { g: path.join(layout.marts, 'fct_enrolment_term', '**', '*.parquet') },
  );
  const lake = await duck.all<{ key: string; v: string }>(
    `SELECT term || '/' || urn AS key, count(*) || ':' || count(DISTINCT upn) AS v
     FROM read_parquet($g, hive_partitioning = true) GROUP BY ALL`,
    { g: path.join(layout.lake, 'marks', '**', '*.parquet') },
  );
  const out: Snapshot = new Map();
  for (const r of mart) out.set(`mart ${r.key}`, r.v);
  for (const r of lake) out.set(`lake ${r.key}`, r.v);
  return out;
}

function runLoad(dataDir: string, target: string, killAfterMs: number | null): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'load', target, '--data-dir', dataDir], { stdio: 'ignore' });
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}

beforeAll(async () => {
  if (!existsSync(path.join(path.dirname(CLI), '..', 'dist', 'cli', 'main.js'))) {
    throw new Error('Build first: npm run build (npm test does it).');
  }
  root = tempDir('rollbook-crash-');
  duck = await openDuck();
  for (const [name, seed] of [['a', 1], ['b', 2]] as const) {
    await generateDemo({ outDir: path.join(root, `demo-${name}`), publicDataDir: PUBLIC, pupils: 300, seed });
    cpSync(path.join(PUBLIC, 'dfe/schools/spc_schools_202223_slim.csv.gz'), path.join(root, `demo-${name}`, 'schools', 'schools.csv.gz'), { recursive: true });
  }
  // The state before: A loaded cleanly. The state after: B loaded cleanly over A (a school and
  // term that only A has keeps A's return).
  const before = dataLayout(path.join(root, 'ref-a'));
  await loadPath(path.join(root, 'demo-a', 'schools'), { layout: before });
  expect((await loadPath(path.join(root, 'demo-a', 'returns'), { layout: before })).rejected).toBe(0);
  stateA = await snapshot(before);
  cpSync(before.root, path.join(root, 'ref-b'), { recursive: true });
  const after = dataLayout(path.join(root, 'ref-b'));
  expect((await loadPath(path.join(root, 'demo-b', 'returns'), { layout: after })).rejected).toBe(0);
  stateB = await snapshot(after);
  expect(stateA).not.toEqual(stateB);
}, 240_000);

// Removing the generated demos and data folders takes a while on a busy machine.
afterAll(() => {
  duck?.close();
  if (root) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('a load killed with SIGKILL', () => {
  it('leaves each school × term as before or as after, and the next load succeeds', async () => {
    // How long a whole load of B over A takes through the CLI, to spread the kills across it.
    const timing = path.join(root, 'timing');
    cpSync(path.join(root, 'ref-a'), timing, { recursive: true });
    const started = Date.now();
    expect(await runLoad(timing, path.join(root, 'demo-b', 'returns'), null)).toBe(0);
    const full = Date.now() - started;
    expect(await snapshot(dataLayout(timing))).toEqual(stateB);

    const fractions = [0.2, 0.5, 0.75, 0.9, 0.97];
    const outcomes = { before: 0, after: 0 };
    for (const fraction of fractions) {
      const dir = path.join(root, `trial-${fraction}`);
      cpSync(path.join(root, 'ref-a'), dir, { recursive: true });
      const layout = dataLayout(dir);
      await runLoad(dir, path.join(root, 'demo-b', 'returns'), Math.round(full * fraction));

      // What readers see (the marts) is, for every school and term, wholly A or wholly B.
      const seen = await snapshot(layout);
      for (const [key, value] of seen) {
        if (!key.startsWith('mart ')) continue;
        expect([stateA.get(key), stateB.get(key)], `${key} after a kill at ${Math.round(fraction * 100)}%`).toContain(value);
      }
      // The next load finds the dead process's lock and finishes or drops its work: then the lake
      // and marts agree, all before or all after.
      (await acquireLoadLock(layout, { timeoutMs: 5_000 })).release();
      const recovered = await snapshot(layout);
      const whole = JSON.stringify([...recovered].sort()) === JSON.stringify([...stateA].sort()) ? 'before' : JSON.stringify([...recovered].sort()) === JSON.stringify([...stateB].sort()) ? 'after' : 'mixed';
      expect(whole, `state after recovery from a kill at ${Math.round(fraction * 100)}%`).not.toBe('mixed');
      outcomes[whole]++;
      // And loading B again succeeds and gives exactly B.
      expect(await runLoad(dir, path.join(root, 'demo-b', 'returns'), null)).toBe(0);
      expect(await snapshot(layout)).toEqual(stateB);
      expect(existsSync(path.join(dir, 'load.lock'))).toBe(false);
    }
    // The kills really landed both before and after the commit point.
    expect(outcomes.before).toBeGreaterThan(0);
    expect(outcomes.before + outcomes.after).toBe(fractions.length);
  }, 300_000);

  it('loading the same returns again changes nothing', async () => {
    const dir = path.join(root, 'again');
    cpSync(path.join(root, 'ref-b'), dir, { recursive: true });
    expect(await runLoad(dir, path.join(root, 'demo-b', 'returns'), null)).toBe(0);
    expect(await snapshot(dataLayout(dir))).toEqual(stateB);
    expect(spawnSync('ls', [path.join(dir, 'tmp')]).stdout.toString().trim()).toBe('');
  }, 120_000);
});
