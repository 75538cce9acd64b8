// Shared steps of `npm start` and `npm test`. Plain Node (no dependencies): these run before
// `npm ci` has installed anything.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function say(message) {
  process.stdout.write(`\x1b[1m▸ ${message}\x1b[0m\n`);
}

export function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

/** Runs a command in the repository root, inheriting the terminal; stops everything if it fails. */
export function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...options.env } });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`\`${[command, ...args].join(' ')}\` failed (exit ${result.status}).`);
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Rollbook needs Node.js 20.19 or newer; this is ${process.version}.`);
}

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(target)) {
    if (name === 'node_modules' || name === '.svelte-kit') continue;
    newest = Math.max(newest, newestMtime(path.join(target, name)));
  }
  return newest;
}

/** `npm ci` when node_modules is missing or older than the lock file. */
export function ensureInstalled() {
  const marker = path.join(ROOT, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(path.join(ROOT, 'package-lock.json')).mtimeMs) return;
  say('Installing dependencies (npm ci, about a minute)…');
  sh('npm', ['ci', '--no-audit', '--no-fund']);
}

/** Compiles the Node packages (incremental) and builds the portal when its sources changed. */
export function ensureBuilt() {
  say('Building (TypeScript, portal)…');
  sh('npx', ['tsc', '-b', 'packages/metrics', 'packages/etl', 'apps/api']);
  const portal = path.join(ROOT, 'apps', 'portal');
  const built = path.join(portal, 'build', 'index.js');
  const sources = Math.max(
    newestMtime(path.join(portal, 'src')),
    newestMtime(path.join(portal, 'svelte.config.js')),
    newestMtime(path.join(portal, 'vite.config.ts')),
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources) sh('npm', ['run', 'build', '-w', '@rollbook/portal']);
}

/** The Node flags every launch of the API uses (`rollbook.nodeFlags` in apps/api/package.json). */
export function apiNodeFlags() {
  return JSON.parse(readFileSync(path.join(ROOT, 'apps/api/package.json'), 'utf8')).rollbook.nodeFlags;
}
