// `npm run bench:api` — the API under the portal's real page loads from many concurrent clients.
//
//   npm run bench:api                              median LA (Dudley's schools, 44,000 pupils), 6 years
//   npm run bench:api -- --seconds 60 --clients 50 --pupils 44000 --years 6
//   npm run bench:api -- --pupils 3000 --years 2     a small LA, for development
//   npm run bench:api -- --data-dir DIR             a data folder already loaded (e.g. ./data)
//   npm run bench:api -- --fresh                    generate and load again, ignoring the cache
//   npm run bench:api -- --schools 5                school pages and TSM packs of 5 schools only (warm cache)
//   npm run bench:api -- --settle-minutes 30        longest wait for the API's work after a load (default 30)
//   npm run bench:api -- --api DIST                 another build of the API (e.g. a baseline worktree's apps/api/dist/main.js)
//
// Generates the demo LA with `rollbook demo --years N` and loads it, once: the loaded data folder
// is kept in `<tmp>/rollbook-bench-api/<key>/` (key: pupils, years, seed and a hash of the demo
// generator, the ETL's SQL and the attendance rules), so a re-run only starts the API; its
// Postgres is kept there too. Then starts the built API (embedded Postgres) on loopback, waits
// until it has settled (after a load it files the loader's records and builds the TSM packs in
// the background, once), signs in 2 × N demo users and runs N clients, each opening one portal page after
// another for a bounded time. A page sends the GraphQL documents the portal sends for it (taken
// from `apps/portal/src/lib/`): the `me` query, then LA overview (years, overview, benchmarks), a
// school page, a TSM pack (officer, audited) or the caseload (social worker, audited). Prints the
// generation and load times, throughput, p50/p95/p99 latency per request and per page, errors and
// the API's peak memory (VmHWM). Target: p95 ≤ 300 ms per request, no errors.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { apiNodeFlags } from '../../../scripts/lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(ROOT, 'packages/etl/bin/rollbook.mjs');
const PASSWORD = 'rollbook-demo';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const flag = (name) => args.includes(`--${name}`);
const seconds = Number(option('seconds', '30'));
const clients = Number(option('clients', '50'));
const pupils = Number(option('pupils', '44000'));
const years = Number(option('years', '6'));
const seed = Number(option('seed', '1'));
const schoolLimit = option('schools', undefined);
const settleMinutes = Number(option('settle-minutes', '30'));
const reuse = option('data-dir', undefined);
const apiMain = path.resolve(option('api', path.join(ROOT, 'apps/api/dist/main.js')));
const publicData = process.env.ROLLBOOK_PUBLIC_DATA_DIR ?? path.join(ROOT, '..', 'shared', 'data');
for (const [name, value] of Object.entries({ seconds, clients, pupils, years, seed })) {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number`);
}

const fmt = (n) => Math.round(n).toLocaleString('en-GB');
const say = (text) => console.log(text);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs the CLI; returns seconds taken. */
function run(label, argv, env) {
  const t = performance.now();
  // Progress bars are for terminals: keep the output, show its end only if the step fails.
  const result = spawnSync('node', argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status}):\n${`${result.stdout}${result.stderr}`.slice(-3000)}`);
  const summary = result.stdout.trim().split('\n').at(-1);
  if (summary) say(`  ${summary}`);
  const s = (performance.now() - t) / 1000;
  say(`  ${label}: ${s.toFixed(1)} s`);
  return s;
}

/** Peak resident memory (VmHWM) of a process, in MB; undefined when /proc does not say. */
function peakMb(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function waitFor(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The API exited (${child.exitCode}) before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

/** CPU seconds a process has used (user + system), from /proc; undefined when /proc does not say. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the API has filed the loader's records (`submissions/pending` empty) and then used
 * under 10 % of a core for 10 s: after a load it builds every new TSM pack in the background,
 * which a real LA's API does once, when the load lands, not while people read.
 */
async function settle(pid, dataDir, timeoutMs) {
  const started = Date.now();
  const pending = path.join(dataDir, 'submissions', 'pending');
  const filed = () => !existsSync(pending) || readdirSync(pending).filter((n) => n.endsWith('.json')).length === 0;
  let quietSince = Date.now();
  let last = cpuSeconds(pid);
  while (Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 1000));
    const now = cpuSeconds(pid);
    if (now === undefined || last === undefined) return (Date.now() - started) / 1000;
    if (now - last > 0.1 || !filed()) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= 10_000) return (Date.now() - started) / 1000;
  }
  say(`  (the API was still busy after ${timeoutMs / 60_000} minutes: benchmarking anyway, beside its background work)`);
  return (Date.now() - started) / 1000;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Hash of every non-test source file under the given folders (what the cached lake depends on). */
function sourceHash(dirs) {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|sql)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) hash.update(full.slice(ROOT.length)).update(readFileSync(full));
    }
  };
  for (const dir of dirs) walk(path.join(ROOT, dir));
  return hash.digest('hex').slice(0, 12);
}

/**
 * The portal's own GraphQL documents: its `src/lib` modules transpiled (types stripped) into the
 * cache folder and imported, so the bench sends exactly what the pages send.
 */
async function portalQueries(into) {
  // The portal of the same tree as the API run (`--api`): its queries match its schema.
  const lib = path.resolve(path.dirname(apiMain), '../../portal/src/lib');
  mkdirSync(into, { recursive: true });
  // Each module and the relative modules it imports, types stripped; `$lib/...` is not followed.
  const done = new Set();
  const transpile = (name) => {
    if (done.has(name)) return;
    done.add(name);
    const source = readFileSync(path.join(lib, `${name}.ts`), 'utf8');
    const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
    const imports = [...js.matchAll(/from '\.\/([\w-]+)(\.js)?'/g)].map((m) => m[1]);
    writeFileSync(path.join(into, `${name}.mjs`), js.replace(/from '\.\/([\w-]+)(\.js)?'/g, "from './$1.mjs'"));
    for (const next of imports) transpile(next);
  };
  for (const name of ['la-overview', 'benchmarks', 'tsm', 'social-care']) transpile(name);
  const load = (name) => import(pathToFileURL(path.join(into, `${name}.mjs`)).href);
  const [overview, benchmarks, tsm, socialCare] = await Promise.all(['la-overview', 'benchmarks', 'tsm', 'social-care'].map(load));
  const session = readFileSync(path.join(lib, 'server/session.ts'), 'utf8');
  const me = /export const ME_QUERY = \/\* GraphQL \*\/ `([^`]+)`/.exec(session)?.[1];
  if (!me) throw new Error('ME_QUERY not found in apps/portal/src/lib/server/session.ts');
  return {
    ME: me,
    YEARS: overview.ACADEMIC_YEARS_QUERY,
    LA_OVERVIEW: overview.LA_OVERVIEW_QUERY,
    LA_BENCHMARKS: benchmarks.LA_BENCHMARKS_QUERY,
    SCHOOL_PAGE: benchmarks.SCHOOL_PAGE_QUERY,
    TSM_PACK: tsm.TSM_PACK_QUERY,
    CASELOAD: socialCare.CASELOAD_QUERY,
  };
}

const cacheRoot = path.join(os.tmpdir(), 'rollbook-bench-api');
const key = `la332-p${pupils}-y${years}-s${seed}-${sourceHash(['packages/etl/src/demo', 'packages/etl/sql', 'packages/metrics/src'])}`;
const dataDir = reuse ? path.resolve(reuse) : path.join(cacheRoot, key);
const readyStamp = path.join(dataDir, 'bench-ready.json');
const queriesDir = path.join(cacheRoot, `portal-queries-${process.pid}`);
let api;
try {
  if (!reuse) {
    if (flag('fresh') || !existsSync(readyStamp)) {
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      for (let dir = dataDir; dir !== path.dirname(dir) && dir.startsWith(cacheRoot); dir = path.dirname(dir)) chmodSync(dir, 0o755);
      say(`Generating and loading a demo LA (${fmt(pupils)} pupils, ${years} academic year${years === 1 ? '' : 's'}) into ${dataDir}…`);
      const env = { ROLLBOOK_PUBLIC_DATA_DIR: publicData };
      const demo = path.join(dataDir, 'demo');
      const generation = run('rollbook demo', [CLI, 'demo', '--pupils', String(pupils), '--years', String(years), '--seed', String(seed), '--data-dir', dataDir], env);
      let load = run('rollbook load', [CLI, 'load', demo, '--data-dir', dataDir], env);
      if (existsSync(path.join(demo, 'out-of-area'))) load += run('rollbook load (out of area)', [CLI, 'load', path.join(demo, 'out-of-area'), '--data-dir', dataDir], env);
      // The generated CSV files are in the lake now (and copied to uploads/ as sent): drop them.
      rmSync(demo, { recursive: true, force: true });
      writeFileSync(readyStamp, `${JSON.stringify({ pupils, years, seed, generationSeconds: generation, loadSeconds: load, at: new Date().toISOString() })}\n`);
    } else {
      const ready = JSON.parse(readFileSync(readyStamp, 'utf8'));
      say(`Using the demo LA loaded earlier in ${dataDir} (generated in ${ready.generationSeconds.toFixed(1)} s, loaded in ${ready.loadSeconds.toFixed(1)} s; --fresh to redo)`);
    }
  }
  if (!existsSync(apiMain)) throw new Error(`Build first (npm run build): ${apiMain} is missing`);
  const Q = await portalQueries(queriesDir);

  const [apiPort, pgPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${apiPort}`;
  // The flags every launch of the API uses, then any of the bench's own.
  api = spawn('node', [...apiNodeFlags(), ...(process.env.BENCH_API_NODE_OPTIONS ?? '').split(' ').filter(Boolean), apiMain], {
    cwd: ROOT,
    env: {
      ...process.env,
      ROLLBOOK_DATA_DIR: dataDir,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      ROLLBOOK_PG_PORT: String(pgPort),
      ROLLBOOK_DEMO_USERS: 'on',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitFor(`${base}/ready`, api, 180_000);
  say(`API settled in ${(await settle(api.pid, dataDir, settleMinutes * 60_000)).toFixed(0)} s (filing the loads and building TSM packs in the background, once)`);

  const signIn = async (email) => {
    const response = await fetch(`${base}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    const body = await response.json();
    if (!response.ok || !body.token) throw new Error(`Sign-in as ${email} failed: HTTP ${response.status}`);
    return body.token;
  };
  // One session per client and role, as 50 people would have.
  const sessions = [];
  for (let i = 0; i < clients; i++) {
    sessions.push({ officer: await signIn('officer@demo-la.example'), socialWorker: await signIn('social-worker@demo-la.example') });
  }
  const { officer, socialWorker } = sessions[0];

  const latencies = [];
  const byQuery = new Map();
  const bytesBy = new Map();
  const graphql = async (token, name, query, variables = {}) => {
    const t = performance.now();
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text);
    if (!response.ok || body.errors?.length) {
      throw new Error(`${name}: HTTP ${response.status}: ${body.errors?.map((e) => e.extensions?.code ?? e.message).join(', ') ?? ''}`);
    }
    const ms = performance.now() - t;
    latencies.push(ms);
    if (!byQuery.has(name)) byQuery.set(name, []);
    byQuery.get(name).push(ms);
    bytesBy.set(name, (bytesBy.get(name) ?? 0) + Buffer.byteLength(text));
    return body.data;
  };

  const { academicYears } = await graphql(officer, 'academicYears', Q.YEARS);
  const year = [...academicYears].sort().at(-1);
  const { laOverview } = await graphql(officer, 'laOverview', Q.LA_OVERVIEW, { academicYear: year, scope: 'DFE' });
  // --schools N: the pages of the first N schools only (a working set the result cache holds).
  const urns = laOverview.schools.map((s) => s.urn).slice(0, schoolLimit === undefined ? undefined : Number(schoolLimit));
  const { caseload } = await graphql(socialWorker, 'caseload', Q.CASELOAD);
  say(`API ready on ${base}: ${academicYears.length} academic years (${[...academicYears].sort().join(', ')}), ${urns.length} schools, ` +
    `${fmt(laOverview.enrolments)} enrolments in ${year}; the social worker holds ${caseload.children.length} children`);
  latencies.length = 0;
  byQuery.clear();
  bytesBy.clear();

  const TERMS = ['autumn', 'spring', 'summer'];
  let n = 0;
  const pages = [
    ['LA overview', async (s) => {
      await graphql(s.officer, 'me', Q.ME);
      await graphql(s.officer, 'academicYears', Q.YEARS);
      await graphql(s.officer, 'laOverview', Q.LA_OVERVIEW, { academicYear: year, scope: n % 2 ? 'DFE' : 'OPERATIONAL' });
      await graphql(s.officer, 'laBenchmarks', Q.LA_BENCHMARKS, { academicYear: year });
    }],
    ['school page', async (s) => {
      await graphql(s.officer, 'me', Q.ME);
      await graphql(s.officer, 'schoolBenchmarks', Q.SCHOOL_PAGE, { urn: urns[n++ % urns.length], academicYear: year, national: false });
    }],
    ['TSM pack', async (s) => {
      await graphql(s.officer, 'me', Q.ME);
      await graphql(s.officer, 'tsmPack', Q.TSM_PACK, { urn: urns[n++ % urns.length], academicYear: year, term: TERMS[n % 3] });
    }],
    ['caseload', async (s) => {
      await graphql(s.socialWorker, 'me', Q.ME);
      await graphql(s.socialWorker, 'caseload', Q.CASELOAD);
    }],
  ];

  const load = os.loadavg();
  say(`Driving ${clients} clients for ${seconds} s (load average ${load.map((l) => l.toFixed(2)).join(' ')})…`);
  const byPage = new Map(pages.map(([name]) => [name, []]));
  const errors = new Map();
  let turn = 0;
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  const cpuBefore = { api: cpuSeconds(api.pid), bench: process.cpuUsage() };
  await Promise.all(
    sessions.map(async (session) => {
      while (Date.now() < end) {
        const [name, open] = pages[turn++ % pages.length];
        const t = performance.now();
        try {
          await open(session);
          byPage.get(name).push(performance.now() - t);
        } catch (error) {
          const key = `${name}: ${error instanceof Error ? error.message : String(error)}`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const apiCpu = cpuSeconds(api.pid) - cpuBefore.api;
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  const peak = peakMb(api.pid);
  latencies.sort((a, b) => a - b);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  const p95 = percentile(latencies, 95);
  const pageCount = [...byPage.values()].reduce((a, l) => a + l.length, 0);

  say('');
  say(`requests:    ${fmt(latencies.length)} answered in ${elapsed.toFixed(1)} s (${(latencies.length / elapsed).toFixed(1)} req/s; ${(pageCount / elapsed).toFixed(1)} pages/s)`);
  say(`latency:     p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(0)} ms`);
  say('  by request:');
  for (const [name, list] of byQuery) {
    list.sort((a, b) => a - b);
    say(`    ${name.padEnd(18)} ${String(list.length).padStart(6)} × p50 ${percentile(list, 50).toFixed(0).padStart(5)} ms, p95 ${percentile(list, 95).toFixed(0).padStart(5)} ms, ${(bytesBy.get(name) / list.length / 1024).toFixed(1).padStart(6)} KB each`);
  }
  say('  by page (all its requests, one after another):');
  for (const [name, list] of byPage) {
    list.sort((a, b) => a - b);
    say(`    ${name.padEnd(18)} ${String(list.length).padStart(6)} × p50 ${percentile(list, 50).toFixed(0).padStart(5)} ms, p95 ${percentile(list, 95).toFixed(0).padStart(5)} ms`);
  }
  say(`errors:      ${errorCount}`);
  for (const [k, count] of errors) say(`  ${count} × ${k}`);
  say(`CPU:         API ${(apiCpu / elapsed).toFixed(2)} cores, this bench's clients ${((benchCpu.user + benchCpu.system) / 1e6 / elapsed).toFixed(2)} cores (of ${os.cpus().length})`);
  say(`API memory:  peak RSS ${peak === undefined ? 'unknown' : `${peak.toFixed(0)} MB`}`);
  say(`load avg:    ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (at the end; ${os.cpus().length} cores)`);
  say(`target:      p95 ≤ 300 ms and no errors: ${p95 <= 300 && errorCount === 0 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(queriesDir, { recursive: true, force: true });
  if (api && api.exitCode === null) {
    api.kill('SIGTERM');
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        api.kill('SIGKILL');
        resolve();
      }, 20_000);
      api.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
