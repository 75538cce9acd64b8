import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiNodeFlags } from '../../scripts/lib.mjs';
import { writeMartFixture } from './mart-fixture.js';

export { apiNodeFlags };

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the CLI, the API and the portal start from, below an app folder (the repository, or an image's /app). */
const CLI_PATH = 'packages/etl/bin/rollbook.mjs';
const API_MAIN_PATH = 'apps/api/dist/main.js';
const PORTAL_MAIN_PATH = 'apps/portal/build/index.js';
const CLI = path.join(ROOT, CLI_PATH);

/** What to put in the warehouse before the API starts. */
export type StackData =
  /** `rollbook demo --pupils N`, then `rollbook load` of the demo folder (school list and returns). */
  | {
      kind: 'demo';
      pupils: number;
      seed?: number;
      /** also load `demo/out-of-area` (virtual school) */ outOfArea?: boolean;
      /** more demo LAs in the same warehouse (`rollbook demo --la N --out demo-N`, then load), e.g. [333] */ moreLas?: number[];
      /** also load DfE's published 2024/25 statistics and the statistical-neighbour list (benchmarks) */ published?: boolean;
    }
  /** Small mart Parquet files written with DuckDB (see mart-fixture.ts): no loader involved. */
  | { kind: 'mart-fixture'; schools?: number; pupilsPerSchool?: number }
  /** Nothing: an empty warehouse. */
  | { kind: 'empty' };

/** The demo users the API seeds on an embedded default (README "Signing in and roles"). */
export const DEMO_PASSWORD = 'rollbook-demo';
export const DEMO_USERS = {
  la_admin: 'admin@demo-la.example',
  la_officer: 'officer@demo-la.example',
  school_user: 'school@demo-la.example',
  social_worker: 'social-worker@demo-la.example',
  team_manager: 'team-manager@demo-la.example',
  virtual_school: 'virtual-school@demo-la.example',
  analyst: 'analyst@demo-la.example',
} as const;

export interface StackOptions {
  data: StackData;
  /** More API settings, e.g. the OIDC_* keys. */
  apiEnv?: Record<string, string>;
  /** Start the portal too (default true). */
  portal?: boolean;
  /** Give up on a step after this long (default 120 s). */
  timeoutMs?: number;
  /**
   * Run the loads, the API and the portal from this app folder instead of the repository (e.g. a
   * container image's file layout assembled on disk). The demo is still generated from the repository.
   */
  appRoot?: string;
}

export interface Stack {
  dataDir: string;
  /** e.g. `http://127.0.0.1:41234/graphql` */
  apiUrl: string;
  /** e.g. `http://127.0.0.1:41235` (no trailing slash); undefined when the portal was not started. */
  portalUrl?: string;
  /** Query the API directly as the demo LA attendance officer; throws on GraphQL errors. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Signs in to the API with a password; returns the session token (`Authorization: Bearer …`). */
  signIn(email: string, password?: string): Promise<string>;
  /** Stop every process (process groups, then any stray PostgreSQL) and delete the data folder. */
  stop(): Promise<void>;
}

/** A process the stack started, with the tail of its output for error messages. */
interface Managed {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

const running = new Set<Managed>();

// If the test runner dies without teardown, still take the process groups down with it.
process.once('exit', () => {
  for (const managed of running) killGroup(managed, 'SIGKILL');
});

function killGroup(managed: Managed, signal: NodeJS.Signals): void {
  const pid = managed.child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already.
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function start(name: string, args: string[], env: Record<string, string>, cwd = ROOT): Managed {
  // detached: the child leads its own process group, so stop() reaches its children (PostgreSQL).
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env, NODE_ENV: 'production', TZ: 'UTC' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 60) output.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (error) => {
      output.push(String(error));
      resolve(-1);
    });
  });
  const managed: Managed = { name, child, output, exited };
  running.add(managed);
  void exited.then(() => running.delete(managed));
  return managed;
}

async function stopManaged(managed: Managed, graceMs = 10_000): Promise<void> {
  const pid = managed.child.pid;
  if (pid === undefined) return;
  killGroup(managed, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  // Wait for the whole group (not only the leader) to go, then force what is left.
  while (groupAlive(pid) && Date.now() < deadline) await sleep(100);
  if (groupAlive(pid)) killGroup(managed, 'SIGKILL');
  await managed.exited;
  running.delete(managed);
}

function describe(managed: Managed): string {
  return `${managed.name} output (last lines):\n  ${managed.output.join('\n  ') || '(none)'}`;
}

async function run(name: string, args: string[], timeoutMs: number, cwd = ROOT): Promise<void> {
  const managed = start(name, args, {}, cwd);
  const code = await Promise.race([managed.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    await stopManaged(managed, 1000);
    throw new Error(`${name} did not finish within ${timeoutMs} ms.\n${describe(managed)}`);
  }
  if (code !== 0) throw new Error(`${name} failed (exit code ${code}).\n${describe(managed)}`);
}

/** Resolves when `url` answers 200, or rejects when `managed` exits or time runs out. */
async function waitForHttp(url: string, managed: Managed, timeoutMs: number): Promise<void> {
  let exited = false;
  void managed.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${managed.name} exited before it was ready.\n${describe(managed)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(200);
  }
  throw new Error(`${managed.name} was not ready at ${url} within ${timeoutMs} ms (${last}).\n${describe(managed)}`);
}

/** A TCP port nobody is listening on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('Could not find a free port');
  return address.port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function requireBuilt(appRoot: string): void {
  const missing = [
    [path.join(appRoot, API_MAIN_PATH), 'the API'],
    [path.join(appRoot, PORTAL_MAIN_PATH), 'the portal'],
  ].filter(([file]) => !existsSync(file!));
  if (missing.length > 0) {
    throw new Error(
      `Build first: ${missing.map(([file, what]) => `${what} (${path.relative(ROOT, file!)})`).join(' and ')} ` +
        'is missing. Run `npm run build` in the repository root.',
    );
  }
}

/** Stop the PostgreSQL the API left behind, if any (its postmaster.pid names it). */
function stopStrayPostgres(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Starts Rollbook for one test: a fresh data folder (mode 0755 under /tmp, so the embedded
 * PostgreSQL's own user can reach it) with the data asked for, then the built API and portal on
 * free ports. Call `stop()` in teardown; it also runs if starting fails halfway.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const appRoot = options.appRoot ?? ROOT;
  requireBuilt(appRoot);
  const cli = path.join(appRoot, CLI_PATH);
  const load = (name: string, args: string[]) => run(name, [cli, 'load', ...args], timeoutMs, appRoot);
  const timeoutMs = options.timeoutMs ?? 120_000;
  const dataDir = mkdtempSync('/tmp/rollbook-e2e-');
  chmodSync(dataDir, 0o755);
  const started: Managed[] = [];

  const stop = async (): Promise<void> => {
    for (const managed of started.reverse()) await stopManaged(managed);
    started.length = 0;
    stopStrayPostgres(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const data = options.data;
    if (data.kind === 'demo') {
      const seed = String(data.seed ?? 1);
      await run('rollbook demo', [CLI, 'demo', '--pupils', String(data.pupils), '--seed', seed, '--data-dir', dataDir], timeoutMs);
      // The demo folder carries its school list; load takes it before the returns.
      await load('rollbook load', [path.join(dataDir, 'demo'), '--data-dir', dataDir]);
      if (data.outOfArea) {
        await load('rollbook load', [path.join(dataDir, 'demo', 'out-of-area'), '--data-dir', dataDir]);
      }
      for (const la of data.moreLas ?? []) {
        const out = path.join(dataDir, `demo-${la}`);
        await run(`rollbook demo --la ${la}`, [CLI, 'demo', '--la', String(la), '--pupils', String(data.pupils), '--seed', seed, '--out', out, '--data-dir', dataDir], timeoutMs);
        // --la: the social care files carry no LA, and the warehouse now holds several.
        await load(`rollbook load (LA ${la})`, [out, '--la', String(la), '--data-dir', dataDir]);
      }
      if (data.published) {
        const dfe = path.resolve(ROOT, '../shared/data/dfe');
        const files = [path.join(dfe, 'attendance-2024-25/EES_ytd_data_202425.csv'), path.join(dfe, 'statistical-neighbours/dfe_sn_may_2025_long.csv')];
        await load('rollbook load (DfE statistics)', [...files, '--data-dir', dataDir]);
      }
    } else if (data.kind === 'mart-fixture') {
      await writeMartFixture({ dataDir, schools: data.schools, pupilsPerSchool: data.pupilsPerSchool });
    }

    const [apiPort, pgPort, portalPort] = [await freePort(), await freePort(), await freePort()];
    const apiBase = `http://127.0.0.1:${apiPort}`;
    const api = start('API', [...apiNodeFlags(), path.join(appRoot, API_MAIN_PATH)], {
      ROLLBOOK_DATA_DIR: dataDir,
      API_HOST: '127.0.0.1',
      API_PORT: String(apiPort),
      ROLLBOOK_PG_PORT: String(pgPort),
      // Demo users on every stack, whatever its data (a demo folder would seed them anyway).
      ROLLBOOK_DEMO_USERS: 'on',
      ...options.apiEnv,
    }, appRoot);
    started.push(api);
    await waitForHttp(`${apiBase}/ready`, api, timeoutMs);

    const apiUrl = `${apiBase}/graphql`;
    let portalUrl: string | undefined;
    if (options.portal ?? true) {
      portalUrl = `http://127.0.0.1:${portalPort}`;
      const portal = start('portal', [path.join(appRoot, PORTAL_MAIN_PATH)], {
        PORT: String(portalPort),
        HOST: '127.0.0.1',
        ORIGIN: portalUrl,
        API_URL: apiUrl,
      }, appRoot);
      started.push(portal);
      await waitForHttp(`${portalUrl}/favicon.svg`, portal, timeoutMs);
    }

    const signIn = async (email: string, password = DEMO_PASSWORD): Promise<string> => {
      const response = await fetch(`${apiBase}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      const body = (await response.json()) as { token?: string; message?: string };
      if (!response.ok || !body.token) throw new Error(`Sign-in as ${email} failed: HTTP ${response.status} ${body.message ?? ''}`);
      return body.token;
    };
    let officerToken: string | undefined;
    const graphql = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      officerToken ??= await signIn(DEMO_USERS.la_officer);
      const response = await fetch(apiUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${officerToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
      if (body.errors?.length) throw new Error(`GraphQL errors: ${body.errors.map((e) => e.message).join('; ')}`);
      if (!response.ok || body.data === undefined) throw new Error(`GraphQL request failed: HTTP ${response.status}`);
      return body.data;
    };

    return { dataDir, apiUrl, portalUrl, graphql, signIn, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
