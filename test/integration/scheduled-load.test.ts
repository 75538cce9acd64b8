import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/stack.js';

// The ETL container's command (infra/etl/scheduled-load.sh), run here with the real rollbook CLI:
// it loads what is dropped into the incoming folder, files each entry under processed/ or
// rejected/, leaves half-copied files alone, keeps a heartbeat, and stops on SIGTERM.
const SCRIPT = path.join(ROOT, 'infra', 'etl', 'scheduled-load.sh');
const CLI = path.join(ROOT, 'packages', 'etl', 'bin', 'rollbook.mjs');

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the scheduled load (infra/etl/scheduled-load.sh)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync('/tmp/rollbook-scheduled-');
    mkdirSync(path.join(dir, 'incoming'));
    mkdirSync(path.join(dir, 'data'));
    execFileSync(process.execPath, [CLI, 'demo', '--pupils', '200', '--out', path.join(dir, 'incoming', 'dudley'), '--data-dir', path.join(dir, 'data')], {
      stdio: 'pipe',
      env: { ...process.env, TZ: 'UTC' },
    });
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads, files entries as processed or rejected, skips partial copies and stops on SIGTERM', async () => {
    const incoming = path.join(dir, 'incoming');
    writeFileSync(path.join(incoming, 'notes.txt'), 'not a return\n');
    writeFileSync(path.join(incoming, 'copying.zip.part'), 'half a zip');
    const child = spawn('sh', [SCRIPT], {
      env: {
        ...process.env,
        TZ: 'UTC',
        ROLLBOOK_CLI: `${process.execPath} ${CLI}`,
        ROLLBOOK_INCOMING_DIR: incoming,
        ROLLBOOK_DATA_DIR: path.join(dir, 'data'),
        ROLLBOOK_LOAD_INTERVAL_SECONDS: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const day = new Date().toISOString().slice(0, 10);
      const processed = path.join(incoming, 'processed', day);
      const rejected = path.join(incoming, 'rejected', day);
      await until(() => existsSync(path.join(processed, 'dudley')) && existsSync(path.join(rejected, 'notes.txt')), 45_000);
      expect(readdirSync(path.join(dir, 'data', 'marts', 'fct_enrolment_term'))).toEqual(['la=332']);
      expect(existsSync(path.join(incoming, 'copying.zip.part'))).toBe(true);
      expect(existsSync(path.join(dir, 'data', 'logs', 'scheduled-load.heartbeat'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited, output.slice(-2000)).toBe(0);
    expect(output).toContain('scheduled load stopped');
  });
});
