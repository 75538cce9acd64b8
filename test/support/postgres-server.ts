import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './stack.js';

/** Debian's `postgresql` package puts its server here (scripts/test.mjs installs it when missing). */
const PG_ROOT = '/usr/lib/postgresql';

/** The newest `/usr/lib/postgresql/<major>/bin` holding `postgres` and `initdb`, or a clear error. */
export function debianPostgresBin(): string {
  const majors = existsSync(PG_ROOT)
    ? readdirSync(PG_ROOT)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const major of majors) {
    const bin = path.join(PG_ROOT, major, 'bin');
    if (existsSync(path.join(bin, 'postgres')) && existsSync(path.join(bin, 'initdb'))) return bin;
  }
  throw new Error(`PostgreSQL server is not installed under ${PG_ROOT}. Install it with: apt-get install -y postgresql`);
}

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/rollbook` */
  url: string;
  port: number;
  /** Runs SQL in the `rollbook` database with psql; returns the rows, fields split on `|`. */
  query(sql: string): string[][];
  /** Fast shutdown, then the folder is removed. */
  stop(): Promise<void>;
}

/** The uid and gid of the `postgres` user Debian's package creates (the server refuses to run as root). */
function postgresUser(): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || uid <= 0 || !Number.isInteger(gid)) throw new Error('There is no postgres user (apt-get install -y postgresql)');
  return { uid, gid };
}

/**
 * A real PostgreSQL server from Debian's package, as an LA would run one: a fresh cluster in a temp
 * folder, owned by and run as the `postgres` user (when the tests run as root), on a free loopback
 * port, with a `rollbook` database. Nothing of Rollbook's is involved in starting it.
 */
export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = debianPostgresBin();
  const dir = mkdtempSync('/tmp/rollbook-pg-');
  chmodSync(dir, 0o755);
  const dataDir = path.join(dir, 'cluster');
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? postgresUser() : undefined;
  if (user) chownSync(dir, user.uid, user.gid);
  const as = user ? { uid: user.uid, gid: user.gid } : {};

  const init = spawnSync(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], {
    ...as,
    encoding: 'utf8',
  });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  }

  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(
    path.join(bin, 'postgres'),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off'],
    { ...as, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT'); // fast shutdown
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const psql = (sql: string) =>
    spawnSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      encoding: 'utf8',
    });

  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { encoding: 'utf8' });
    if (ready.status === 0) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`PostgreSQL did not start on port ${port}:\n${output.join('').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const created = psql('CREATE DATABASE rollbook');
  if (created.status !== 0) {
    await stop();
    throw new Error(`CREATE DATABASE failed: ${created.stderr}`);
  }
  const query = (sql: string): string[][] => {
    const result = spawnSync(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'rollbook', '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], {
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
    return result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split('|'));
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/rollbook`, port, query, stop };
}
