/**
 * The README's first command, as a newcomer runs it: `npm start` (scripts/start.mjs) on an empty data
 * folder generates and loads a demo LA, starts the API and the portal and says where to go; a person
 * signs in with the demo account it names and sees the LA overview; Ctrl+C stops everything.
 * (The demo is made smaller with ROLLBOOK_DEMO_PUPILS to keep the test short.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { ROOT, freePort } from '../support/stack.js';

let child: ChildProcess;
let output = '';
let dataDir: string;
let browser: Browser;
let portalUrl: string;

beforeAll(async () => {
  dataDir = mkdtempSync('/tmp/rollbook-quick-start-');
  chmodSync(dataDir, 0o755);
  const [api, portal, pg] = [await freePort(), await freePort(), await freePort()];
  child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ROLLBOOK_DATA_DIR: dataDir, ROLLBOOK_DEMO_PUPILS: '1200', API_PORT: String(api), PORT: String(portal), ROLLBOOK_PG_PORT: String(pg), ORIGIN: undefined },
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not say it was running within 240 s:\n${output.slice(-3000)}`)), 240_000);
    const check = () => {
      const m = /Rollbook is running .*open (http:\/\/\S+?)\/?\s/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it was running:\n${output.slice(-3000)}`)));
  });
  portalUrl = ready;
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('says what it is doing as it goes, and where to go and how to sign in', () => {
    expect(output).toContain('generating the demo LA');
    expect(output).toContain('Loading the demo');
    expect(output).toMatch(/Rollbook is running \(ready in \d+ s\): open http:\/\/127\.0\.0\.1:\d+\/ {2}— sign in as officer@demo-la\.example, password rollbook-demo/);
  });

  it('lets the demo officer sign in and see the LA overview with its charts', async () => {
    const page = await browser.newPage();
    await signInThroughPortal(page, portalUrl, 'officer@demo-la.example');
    await expect(page.locator('h1').textContent()).resolves.toContain('Attendance overview');
    await expect(page.locator('body').textContent()).resolves.toContain('Dudley');
    await page.locator('[data-chart-state="rendered"]').first().waitFor({ timeout: 20_000 });
    await page.close();
  });

  it('stops the API, the portal and PostgreSQL on Ctrl+C', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    const left = (await import('node:child_process')).spawnSync('pgrep', ['-f', dataDir]).stdout.toString().trim();
    expect(left).toBe('');
  }, 30_000);
});
