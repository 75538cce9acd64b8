import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { startApi } from './bootstrap.js';
import { loadConfig } from './config/config.js';
import { debianPostgresBin, startPostgresServer, type PostgresServer } from '../../../test/support/postgres-server.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, signIn, TEST_PASSWORD, writeEnrolmentTerms } from './test/fixtures.js';

// The backup and restore of README "Operations", done exactly as written: stop the API (which stops
// its PostgreSQL), archive the data folder, lose everything, unpack the archive elsewhere, start.

const overview = '{ laOverview { enrolments overallAbsenceRate } }';

/** A data folder holding one enrolment, an empty one to restore into and one for the archives (removed after the tests). */
async function backupFolders(dirs: string[]): Promise<{ original: string; restored: string; archives: string }> {
  const [original, restored, archives] = [await makeDataDir(), await makeDataDir(), await makeDataDir()];
  dirs.push(original, restored, archives);
  await writeEnrolmentTerms(original, [
    { la_code: '332', academic_year: '2024/25', term: 'autumn', urn: 100001, upn: 'A332000000001', scope: 'dfe',
      possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 3, unauthorised_absence: 1 },
  ]);
  return { original, restored, archives };
}

describe('backup and restore of the data folder (PostgreSQL and the lake)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await removeDataDir(dir);
  });

  it('brings back the users (PostgreSQL) and the warehouse (lake and marts) from one archive', async () => {
    const { original, restored, archives } = await backupFolders(dirs);

    let api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: original, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    const session = await addUserAndSignIn(api, { email: 'bea@la.example' });
    const before = (await graphql(api.baseUrl, overview, {}, session)).data;
    expect(before).toEqual({ laOverview: { enrolments: 1, overallAbsenceRate: expect.any(Number) } });
    await api.close(); // 1. stop the API (and with it the embedded PostgreSQL): a cold, consistent copy

    // 2. archive the data folder (tmp/ holds only work in progress)
    const archive = path.join(archives, 'rollbook-backup.tar.gz');
    execFileSync('tar', ['--create', '--gzip', '--file', archive, '--exclude=./tmp', '--directory', original, '.']);
    // 3. disaster: the data folder is gone
    rmSync(original, { recursive: true, force: true });

    // 4. restore into a new folder and start the API on it
    execFileSync('tar', ['--extract', '--gzip', '--file', archive, '--same-owner', '--directory', restored]);
    expect(existsSync(path.join(restored, 'postgres', 'connection.json'))).toBe(true);
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: restored, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    try {
      const again = await signIn(api.baseUrl, 'bea@la.example', TEST_PASSWORD);
      expect((await graphql(api.baseUrl, overview, {}, again)).data).toEqual(before);
      expect((await fetch(`${api.baseUrl}/ready`)).status).toBe(200);
    } finally {
      await api.close();
    }
  }, 180_000);
});

// The server-mode backup of infra/README.md "Backup and restore", done as written there with the
// PostgreSQL tools themselves (not through docker compose): a logical dump (`pg_dump
// --format=custom`) while the API runs, a copy of the data folder without `postgres/` and `tmp/`,
// then both lost, restored into a new database with `pg_restore --no-owner` and a new folder.

describe('backup and restore with a PostgreSQL server (DATABASE_URL)', () => {
  let server: PostgresServer | undefined;
  const dirs: string[] = [];
  afterAll(async () => {
    await server?.stop();
    for (const dir of dirs) await removeDataDir(dir);
  });

  it('brings back the users, sessions and audit log (pg_dump, pg_restore) and the warehouse (the data folder)', async () => {
    server = await startPostgresServer();
    const bin = debianPostgresBin();
    const base = server.url.replace(/\/rollbook$/, '');
    const { original, restored, archives } = await backupFolders(dirs);
    const config = (dataDir: string, database: string) =>
      loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test', DATABASE_URL: `${base}/${database}` });

    let api = await startApi(config(original, 'rollbook'), { logger: false });
    const dump = path.join(archives, 'rollbook.pgdump');
    const archive = path.join(archives, 'rollbook-data.tar.gz');
    let before: unknown;
    let audited: string;
    let session: Awaited<ReturnType<typeof addUserAndSignIn>>;
    try {
      session = await addUserAndSignIn(api, { email: 'cy@la.example' });
      before = (await graphql(api.baseUrl, overview, {}, session)).data;
      expect(before).toEqual({ laOverview: { enrolments: 1, overallAbsenceRate: expect.any(Number) } });
      audited = server.query(`SELECT count(*) FROM audit_log`)[0]![0]!;
      expect(Number(audited)).toBeGreaterThan(0);
      // 1. While everything runs: the logical dump, and the data folder without postgres/ and tmp/.
      execFileSync(path.join(bin, 'pg_dump'), ['--dbname', server.url, '--format=custom', '--file', dump]);
      execFileSync('tar', ['--exclude=./postgres', '--exclude=./tmp', '--create', '--gzip', '--file', archive, '--directory', original, '.']);
    } finally {
      await api.close();
    }
    // 2. Disaster: the database and the data folder are gone.
    server.query('SELECT 1'); // the server itself is still up; the database goes
    execFileSync(path.join(bin, 'dropdb'), ['--host', '127.0.0.1', '--port', String(server.port), '--username', 'postgres', 'rollbook']);
    rmSync(original, { recursive: true, force: true });

    // 3. Restore into an empty database and a new folder, point DATABASE_URL at it, start.
    execFileSync(path.join(bin, 'createdb'), ['--host', '127.0.0.1', '--port', String(server.port), '--username', 'postgres', 'rollbook_restore']);
    execFileSync(path.join(bin, 'pg_restore'), ['--dbname', `${base}/rollbook_restore`, '--no-owner', dump]);
    execFileSync('tar', ['--extract', '--gzip', '--file', archive, '--directory', restored]);
    expect(existsSync(path.join(restored, 'postgres'))).toBe(false);
    api = await startApi(config(restored, 'rollbook_restore'), { logger: false });
    try {
      const again = await signIn(api.baseUrl, 'cy@la.example', TEST_PASSWORD);
      expect((await graphql(api.baseUrl, overview, {}, again)).data).toEqual(before);
      expect((await graphql(api.baseUrl, overview, {}, session!)).data).toEqual(before); // the session from before the backup
      expect((await fetch(`${api.baseUrl}/ready`)).status).toBe(200);
      const [{ n }] = await api.app.get(DataSource).query(`SELECT count(*)::int AS n FROM audit_log`);
      expect(n).toBeGreaterThanOrEqual(Number(audited!));
    } finally {
      await api.close();
    }
  }, 180_000);
});

