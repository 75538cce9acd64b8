import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataLayout } from '../layout.js';
import { tempDir } from '../testing/fixtures.js';
import { commit, recoverCommit, WAREHOUSE_VERSION_FILE, type CommitPlan } from './commit.js';
import { acquireLoadLock } from './lock.js';

function setup() {
  const layout = dataLayout(tempDir('rollbook-commit-'));
  mkdirSync(layout.tmp, { recursive: true });
  const final = (name: string) => path.join(layout.lake, 'x', name);
  const temp = (name: string) => path.join(layout.tmp, name);
  mkdirSync(path.dirname(final('a')), { recursive: true });
  for (const n of ['a', 'b', 'gone']) writeFileSync(final(n), `old ${n}`);
  for (const n of ['a', 'b']) writeFileSync(temp(n), `new ${n}`);
  const plan: CommitPlan = { moves: [{ from: temp('a'), to: final('a') }, { from: temp('b'), to: final('b') }], removals: [final('gone')] };
  return { layout, final, temp, plan };
}

describe('committing a load', () => {
  it('moves every new file into place and removes what the plan removes', () => {
    const { layout, final, plan } = setup();
    commit(layout, plan);
    expect([readFileSync(final('a'), 'utf8'), readFileSync(final('b'), 'utf8'), existsSync(final('gone'))]).toEqual(['new a', 'new b', false]);
    expect(existsSync(path.join(layout.root, 'commit.json'))).toBe(false);
  });

  it('finishes a commit whose process died after the commit point, half-way through the moves', async () => {
    const { layout, final, plan } = setup();
    // What a process killed after writing the journal and the first move leaves behind.
    writeFileSync(path.join(layout.root, 'commit.json'), JSON.stringify(plan));
    renameSync(plan.moves[0].from, plan.moves[0].to);
    (await acquireLoadLock(layout)).release();
    expect([readFileSync(final('a'), 'utf8'), readFileSync(final('b'), 'utf8'), existsSync(final('gone'))]).toEqual(['new a', 'new b', false]);
    expect(recoverCommit(layout)).toBe(false);
  });

  it('writes a new warehouse version with every commit, and when it finishes a killed one', async () => {
    const version = (layout: ReturnType<typeof setup>['layout']) => readFileSync(path.join(layout.root, WAREHOUSE_VERSION_FILE), 'utf8');
    const a = setup();
    commit(a.layout, a.plan);
    const first = version(a.layout);
    writeFileSync(a.temp('a'), 'newer a');
    commit(a.layout, { moves: [{ from: a.temp('a'), to: a.final('a') }], removals: [] });
    expect(version(a.layout)).not.toBe(first);
    const b = setup();
    writeFileSync(path.join(b.layout.root, 'commit.json'), JSON.stringify(b.plan));
    expect(existsSync(path.join(b.layout.root, WAREHOUSE_VERSION_FILE))).toBe(false);
    expect(recoverCommit(b.layout)).toBe(true);
    expect(version(b.layout)).toMatch(/^\d{4}-\d{2}-\d{2}T.* [0-9a-f-]{36}\n$/);
  });

  it('drops the work of a process that died before the commit point', async () => {
    const { layout, final, temp } = setup();
    writeFileSync(path.join(layout.root, 'commit.json.tmp'), '{"moves": [');
    writeFileSync(path.join(layout.root, 'load.lock'), JSON.stringify({ pid: 999_999_999, host: (await import('node:os')).hostname(), since: 'then' }));
    (await acquireLoadLock(layout, { timeoutMs: 2_000 })).release();
    expect([readFileSync(final('a'), 'utf8'), readFileSync(final('b'), 'utf8'), existsSync(final('gone'))]).toEqual(['old a', 'old b', true]);
    expect([existsSync(temp('a')), existsSync(path.join(layout.root, 'commit.json.tmp')), existsSync(path.join(layout.root, 'load.lock'))]).toEqual([false, false, false]);
  });

  it('waits for a live load and says who holds the lock', async () => {
    const { layout } = setup();
    const first = await acquireLoadLock(layout);
    let told: number | null = null;
    const second = acquireLoadLock(layout, { timeoutMs: 5_000, onWait: (h) => (told = h.pid) });
    await new Promise((r) => setTimeout(r, 300));
    expect(told).toBe(process.pid);
    first.release();
    (await second).release();
    await expect(acquireLoadLock(layout, { timeoutMs: 1 }).then((l) => l.release())).resolves.toBeUndefined();
  });
});
