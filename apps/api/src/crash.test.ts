/**
 * The built API (`dist/main.js`, embedded PostgreSQL) killed with SIGKILL at random points while
 * it takes changes, then started again: it must come back every time (an orphaned PostgreSQL is
 * shut down, not left blocking the cluster), and every change it acknowledged must be there exactly
 * once. Run after `npm run build` (npm test builds first).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir, writeEnrolmentTerms } from './test/fixtures.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const ADMIN = 'admin@demo-la.example';
const PASSWORD = 'rollbook-demo';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A small seeded generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('the API killed with SIGKILL and started again', () => {
  let dataDir: string;
  let apiPort: number;
  let child: ChildProcess | undefined;
  const base = () => `http://127.0.0.1:${apiPort}`;

  async function start(nodeEnv = 'test', output?: string[]): Promise<void> {
    child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ROLLBOOK_DATA_DIR: dataDir, API_HOST: '127.0.0.1', API_PORT: String(apiPort), ROLLBOOK_DEMO_USERS: 'on', NODE_ENV: nodeEnv },
      stdio: ['ignore', output ? 'pipe' : 'ignore', output ? 'pipe' : 'ignore'],
    });
    if (output) {
      for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (text: string) => output.push(text));
    }
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`The API exited with ${child.exitCode} while starting`);
      try {
        if ((await fetch(`${base()}/ready`, { signal: AbortSignal.timeout(2000) })).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('The API was not ready within 90 s');
  }

  async function kill(): Promise<void> {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  async function signIn(): Promise<string> {
    const response = await fetch(`${base()}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN, password: PASSWORD }),
    });
    const body = (await response.json()) as { token?: string };
    if (!body.token) throw new Error(`Sign-in failed: HTTP ${response.status}`);
    return body.token;
  }

  async function graphql(token: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${base()}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
  }

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('Build first: npm run build');
    dataDir = await makeDataDir();
    await writeEnrolmentTerms(dataDir, [
      { la_code: '332', academic_year: '2024/25', term: 'autumn', urn: 100001, upn: 'A332000000001', scope: 'dfe',
        possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 3, unauthorised_absence: 1 },
    ]);
    apiPort = await freePort();
  });

  afterAll(async () => {
    // A clean stop at the end also stops its PostgreSQL.
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    }
    const pidFile = path.join(dataDir, 'postgres', 'cluster', 'postmaster.pid');
    if (existsSync(pidFile)) {
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
      } catch {
        // already gone
      }
    }
    if (dataDir) await removeDataDir(dataDir);
  });

  it('comes back after each kill with every acknowledged change present exactly once', async () => {
    const next = random(9);
    const acknowledged: string[] = [];
    const create = `mutation ($input: UserInput!) { createUser(input: $input) { email } }`;
    for (let round = 0; round < 2; round++) {
      await start();
      const token = await signIn();
      const killAt = Date.now() + 200 + Math.floor(next() * 1200);
      let n = 0;
      const writer = (async () => {
        while (Date.now() < killAt + 2000) {
          const email = `user-${round}-${n++}@la.example`;
          try {
            const body = await graphql(token, create, { input: { email, displayName: `User ${n}`, role: 'LA_OFFICER', password: 'a long enough password' } });
            if ((body.data?.createUser as { email?: string } | undefined)?.email === email) acknowledged.push(email);
          } catch {
            return; // the connection died with the process
          }
        }
      })();
      await new Promise((r) => setTimeout(r, Math.max(0, killAt - Date.now())));
      await kill();
      await writer;
    }
    await start();
    const token = await signIn();
    const listed = await graphql(token, '{ users { email } }');
    expect(listed.errors).toBeUndefined();
    const emails = (listed.data!.users as { email: string }[]).map((u) => u.email);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const email of acknowledged) expect(emails.filter((e) => e === email), email).toHaveLength(1);
    expect(new Set(emails).size).toBe(emails.length);
    expect((await graphql(token, '{ laOverview { enrolments } }')).data).toEqual({ laOverview: { enrolments: 1 } });
    await kill();
  }, 300_000);

  it('logs one JSON object a line in production, with no personal data, and stops cleanly on SIGTERM', async () => {
    const output: string[] = [];
    await start('production', output);
    const token = await signIn();
    await graphql(token, '{ pupil(upn: "A332000000001") { upn forename } }');
    await graphql(token, '{ auditLog(childUpn: "A332000000001\u0000") { action } }'); // refused by Postgres: logged as a class name only
    await fetch(`${base()}/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@la.example', password: 'wrong password here' }) });

    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    const started = Date.now();
    child!.kill('SIGTERM');
    // Nest closes everything, then ends by the same signal (128 + 15), as service managers expect.
    expect([0, 143]).toContain(await exited);
    expect(Date.now() - started).toBeLessThan(20_000);
    // PostgreSQL was stopped with the API, not left running.
    expect(existsSync(path.join(dataDir, 'postgres', 'cluster', 'postmaster.pid'))).toBe(false);

    const lines = output.join('').split('\n').filter((line) => line.trim() !== '');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) {
      const entry = JSON.parse(line) as { level?: string; message?: unknown };
      expect(entry.level, line).toMatch(/^(log|warn|error|fatal)$/);
    }
    const all = lines.join('\n');
    expect(all).toContain('listening on');
    for (const personal of ['A332000000001', ADMIN, 'nobody@la.example', PASSWORD]) expect(all).not.toContain(personal);
  }, 120_000);
});
