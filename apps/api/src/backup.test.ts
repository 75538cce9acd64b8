import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startApi } from './bootstrap.js';
import { loadConfig } from './config/config.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, signIn, TEST_PASSWORD, writeEnrolmentTerms } from './test/fixtures.js';

// The backup and restore of README "Operations", done exactly as written: stop the API (which stops
// its PostgreSQL), archive the data folder, lose everything, unpack the archive elsewhere, start.

describe('backup and restore of the data folder (PostgreSQL and the lake)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await removeDataDir(dir);
  });

  it('brings back the users (PostgreSQL) and the warehouse (lake and marts) from one archive', async () => {
    const original = await makeDataDir();
    const restored = await makeDataDir();
    const archives = await makeDataDir();
    dirs.push(original, restored, archives);
    await writeEnrolmentTerms(original, [
      { la_code: '332', academic_year: '2024/25', term: 'autumn', urn: 100001, upn: 'A332000000001', scope: 'dfe',
        possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 3, unauthorised_absence: 1 },
    ]);
    const overview = '{ laOverview { enrolments overallAbsenceRate } }';

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
