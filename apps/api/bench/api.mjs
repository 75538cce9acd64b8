// `npm run bench:api` — the API under the portal's real queries from many concurrent clients.
//
//   npm run bench:api                          median LA (Dudley's schools, 44,000 pupils), 2024/25
//   npm run bench:api -- --seconds 60 --clients 50 --pupils 44000
//   npm run bench:api -- --data-dir DIR         reuse a data folder already loaded (e.g. ./data)
//
// Generates and loads the demo LA (one academic year: the demo generator makes 2024/25 only),
// starts the built API (`apps/api/dist/main.js`, embedded Postgres) on loopback, signs in the demo
// users, then runs N clients, each sending one request after another for a bounded time, drawn
// round-robin from the portal's queries: LA overview (DfE and operational), a school page, a
// school's pupil list (school user, audited) and the academic-year list. Prints throughput,
// p50/p95/p99 latency, error count and the API's peak memory (VmHWM). Target: p95 ≤ 300 ms, no errors.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CLI = path.join(ROOT, 'packages/etl/bin/rollbook.mjs');
const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
const PASSWORD = 'rollbook-demo';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const seconds = Number(option('seconds', '30'));
const clients = Number(option('clients', '50'));
const pupils = Number(option('pupils', '44000'));
const reuse = option('data-dir', undefined);
const publicData = process.env.ROLLBOOK_PUBLIC_DATA_DIR ?? path.join(ROOT, '..', 'shared', 'data');
for (const [name, value] of Object.entries({ seconds, clients, pupils })) {
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

function run(label, argv, env) {
  const t = performance.now();
  const result = spawnSync('node', argv, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
  say(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
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

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const dataDir = reuse ? path.resolve(reuse) : mkdtempSync(path.join(os.tmpdir(), 'rollbook-bench-api-'));
if (!reuse) chmodSync(dataDir, 0o755);
let api;
try {
  if (!reuse) {
    say(`Generating and loading a median LA (${fmt(pupils)} pupils, 2024/25)…`);
    const env = { ROLLBOOK_PUBLIC_DATA_DIR: publicData };
    run('rollbook demo', [CLI, 'demo', '--pupils', String(pupils), '--seed', '1', '--data-dir', dataDir], env);
    run('rollbook load', [CLI, 'load', path.join(dataDir, 'demo'), '--data-dir', dataDir], env);
  }
  if (!existsSync(API_MAIN)) throw new Error('Build first: npm run build');

  const [apiPort, pgPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${apiPort}`;
  api = spawn('node', [API_MAIN], {
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
  await waitFor(`${base}/ready`, api, 120_000);

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
  // One session per client, as 50 people would have: the officer's and the school user's.
  const sessions = [];
  for (let i = 0; i < clients; i++) {
    sessions.push({ officer: await signIn('officer@demo-la.example'), school: await signIn('school@demo-la.example') });
  }
  const { officer, school } = sessions[0];

  const graphql = async (token, query, variables = {}) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (!response.ok || body.errors?.length) {
      throw new Error(`HTTP ${response.status}: ${body.errors?.map((e) => e.extensions?.code ?? e.message).join(', ') ?? ''}`);
    }
    return body.data;
  };

  const SCHOOL_FIELDS = `urn name phase enrolments possibleSessions attendanceRate overallAbsenceRate
    authorisedAbsenceRate unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate`;
  const LA = `query ($academicYear: String, $scope: MetricScope) { laOverview(academicYear: $academicYear, scope: $scope) {
    laCode laName academicYear scope suppressed enrolments possibleSessions attendanceRate overallAbsenceRate
    authorisedAbsenceRate unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate
    persistentAbsentees severeAbsentees schools { ${SCHOOL_FIELDS} } } }`;
  const SCHOOL = `query ($urn: Int!) { school(urn: $urn) { ${SCHOOL_FIELDS} } }`;
  const PUPILS = `query ($urn: Int!) { schoolPupils(urn: $urn, scope: OPERATIONAL) { urn schoolName academicYear scope
    pupils { upn forename surname ncYear possibleSessions overallAbsence daysMissed overallAbsenceRate absenceBand persistentAbsentee severeAbsentee } } }`;

  const { laOverview } = await graphql(officer, LA, {});
  const urns = laOverview.schools.map((s) => s.urn);
  const me = await graphql(school, 'query { me { urn } }').catch(() => undefined);
  const schoolUrn = me?.me?.urn ?? urns[0];
  say(`API ready on ${base}: ${urns.length} schools, ${fmt(laOverview.enrolments)} enrolments in ${laOverview.academicYear}`);

  let n = 0;
  const mix = [
    ['LA overview (DfE)', (s) => graphql(s.officer, LA, { scope: 'DFE' })],
    ['LA overview (operational)', (s) => graphql(s.officer, LA, { scope: 'OPERATIONAL' })],
    ['school page', (s) => graphql(s.officer, SCHOOL, { urn: urns[n++ % urns.length] })],
    ["school's pupil list", (s) => graphql(s.school, PUPILS, { urn: schoolUrn })],
    ['academic years', (s) => graphql(s.officer, 'query { academicYears }')],
  ];

  say(`Driving ${clients} clients for ${seconds} s…`);
  const latencies = [];
  const byKind = new Map(mix.map(([name]) => [name, []]));
  const errors = new Map();
  let turn = 0;
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    sessions.map(async (session) => {
      while (Date.now() < end) {
        const [name, call] = mix[turn++ % mix.length];
        const t = performance.now();
        try {
          await call(session);
          const ms = performance.now() - t;
          latencies.push(ms);
          byKind.get(name).push(ms);
        } catch (error) {
          const key = `${name}: ${error instanceof Error ? error.message : String(error)}`;
          errors.set(key, (errors.get(key) ?? 0) + 1);
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const peak = peakMb(api.pid);
  latencies.sort((a, b) => a - b);
  const errorCount = [...errors.values()].reduce((a, b) => a + b, 0);
  const p95 = percentile(latencies, 95);

  say('');
  say(`requests:    ${fmt(latencies.length)} answered in ${elapsed.toFixed(1)} s (${(latencies.length / elapsed).toFixed(1)} req/s)`);
  say(`latency:     p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(0)} ms`);
  for (const [name, list] of byKind) {
    list.sort((a, b) => a - b);
    say(`  ${name.padEnd(26)} ${String(list.length).padStart(6)} × p50 ${percentile(list, 50).toFixed(0)} ms, p95 ${percentile(list, 95).toFixed(0)} ms`);
  }
  say(`errors:      ${errorCount}`);
  for (const [key, count] of errors) say(`  ${count} × ${key}`);
  say(`API memory:  peak RSS ${peak === undefined ? 'unknown' : `${peak.toFixed(0)} MB`}`);
  say(`target:      p95 ≤ 300 ms and no errors: ${p95 <= 300 && errorCount === 0 ? 'met' : 'NOT met'}`);
} finally {
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
  if (!reuse) rmSync(dataDir, { recursive: true, force: true });
}
