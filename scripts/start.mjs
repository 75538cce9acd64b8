// `npm start`: installs, builds, generates and loads the demo LA if there is no data yet, then
// runs the API and the portal until Ctrl+C. Configuration: see README "Configuration".
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, apiNodeFlags, checkNode, ensureBuilt, ensureInstalled, fail, say, sh } from './lib.mjs';

checkNode();
const started = Date.now();
const dataDir = path.resolve(process.env.ROLLBOOK_DATA_DIR ?? path.join(ROOT, 'data'));
const publicData = path.resolve(process.env.ROLLBOOK_PUBLIC_DATA_DIR ?? path.join(ROOT, '..', 'shared', 'data'));
const apiPort = Number(process.env.API_PORT ?? 4000);
const portalPort = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const env = { ...process.env, ROLLBOOK_DATA_DIR: dataDir, ROLLBOOK_PUBLIC_DATA_DIR: publicData };

ensureInstalled();
ensureBuilt();

const rollbook = (...args) => sh('node', ['packages/etl/bin/rollbook.mjs', ...args], { env });
const hasMarts = () => {
  const dir = path.join(dataDir, 'marts', 'fct_enrolment_term');
  return existsSync(dir) && readdirSync(dir).length > 0;
};
if (!hasMarts()) {
  const demo = path.join(dataDir, 'demo');
  if (!existsSync(path.join(demo, 'manifest.json'))) {
    if (!existsSync(publicData)) fail(`The demo is built on public DfE data, expected at ${publicData}. Set ROLLBOOK_PUBLIC_DATA_DIR.`);
    say(`No data yet in ${dataDir}: generating the demo LA (Dudley, a full year of registers; a few minutes)…`);
    rollbook('demo', ...(process.env.ROLLBOOK_DEMO_PUPILS ? ['--pupils', process.env.ROLLBOOK_DEMO_PUPILS] : []));
  }
  say('Loading the demo (school list and termly returns)…');
  rollbook('load', demo);
  // Looked-after children placed in other LAs' schools: those schools' returns, filed under their
  // own LA's partitions (the virtual school's scope reaches these children wherever they are).
  const outOfArea = path.join(demo, 'out-of-area');
  if (existsSync(outOfArea)) rollbook('load', outOfArea);
}
// Benchmarks compare with DfE's published statistics and statistical neighbours (docs/benchmarks.md).
const dfe = path.join(publicData, 'dfe');
if (!existsSync(path.join(dataDir, 'marts', 'ref_published_attendance')) && existsSync(dfe)) {
  say('Loading the published DfE attendance statistics and statistical neighbours…');
  const stats = ['EES_ytd_data_202425.csv', 'EES_aut_data.csv', 'EES_spr_data.csv', 'EES_sum_data.csv'].map((f) => path.join(dfe, 'attendance-2024-25', f));
  rollbook('load', ...stats, path.join(dfe, 'statistical-neighbours', 'dfe_sn_may_2025_long.csv'));
}

const children = [];
function startChild(name, script, extraEnv, flags = []) {
  const child = spawn('node', [...flags, script], { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} stopped (${signal ?? `exit ${code}`}); stopping Rollbook.\n`);
      stop(1);
    }
  });
  children.push(child);
  return child;
}
let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
  Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.on('exit', r))))).then(() => process.exit(code));
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url, what, seconds = 120) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${what} did not become ready at ${url} within ${seconds} s.`);
}

say('Starting the API and the portal…');
startChild('API', 'apps/api/dist/main.js', { API_PORT: String(apiPort), API_HOST: host }, apiNodeFlags());
await waitFor(`http://${host}:${apiPort}/ready`, 'The API');
// The portal checks that forms are posted from its own origin: tell it what that is.
const portalOrigin = process.env.ORIGIN || `http://${host === '0.0.0.0' ? 'localhost' : host}:${portalPort}`;
startChild('Portal', 'apps/portal/build/index.js', { PORT: String(portalPort), HOST: host, ORIGIN: portalOrigin, API_URL: `http://${host}:${apiPort}/graphql` });
await waitFor(`http://${host}:${portalPort}/`, 'The portal');
say(`Rollbook is running (ready in ${Math.round((Date.now() - started) / 1000)} s): open ${portalOrigin}/  — sign in as officer@demo-la.example, password rollbook-demo (README lists every demo user). Ctrl+C stops it.`);
