import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../bootstrap.js';
import { DatabaseService } from '../database/database.service.js';
import { loadConfig } from '../config/config.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, type TestSession, writeEnrolmentTerms } from '../test/fixtures.js';

describe('an API started before any data is loaded', () => {
  let dataDir: string;
  let api: RunningApi;
  let officer: TestSession;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0' }), { logger: false });
    officer = await addUserAndSignIn(api, { email: 'officer@example.org' });
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('is ready, lists no years and says no data is loaded', async () => {
    expect((await fetch(`${api.baseUrl}/ready`)).status).toBe(200);
    expect(await graphql(api.baseUrl, '{ academicYears }', {}, officer)).toEqual({ data: { academicYears: [] } });
    const overview = await graphql(api.baseUrl, '{ laOverview { laCode } }', {}, officer);
    expect(overview.data).toBeNull();
    expect(overview.errors?.[0]).toMatchObject({
      message: 'No attendance data has been loaded yet.',
      extensions: { code: 'NO_DATA', reason: 'NO_DATA_LOADED' },
    });
  });

  it('picks up the first load without a restart, with no school list yet', async () => {
    await writeEnrolmentTerms(dataDir, [
      {
        la_code: '332',
        academic_year: '2025/26',
        term: 'autumn',
        urn: 100001,
        upn: 'A1',
        scope: 'dfe',
        possible_sessions: 40,
        approved_educational_activity: 0,
        authorised_absence: 2,
        unauthorised_absence: 2,
      },
    ]);
    const { data, errors } = await graphql<{ laOverview: Record<string, unknown> }>(
      api.baseUrl,
      '{ laOverview { laCode laName academicYear enrolments persistentAbsentees overallAbsenceRate schools { urn name } } }', {}, officer,
    );
    expect(errors).toBeUndefined();
    // 4/40 = exactly 10 % → persistent.
    expect(data!.laOverview).toEqual({
      laCode: '332',
      laName: null,
      academicYear: '2025/26',
      enrolments: 1,
      persistentAbsentees: 1,
      overallAbsenceRate: 10,
      schools: [{ urn: 100001, name: null }],
    });
  });

  it('has no rows, not an error, in a scope with no enrolments', async () => {
    const { data } = await graphql<{ laOverview: Record<string, unknown> }>(
      api.baseUrl,
      '{ laOverview(scope: OPERATIONAL) { enrolments overallAbsenceRate schools { urn } } }', {}, officer,
    );
    expect(data!.laOverview).toEqual({ enrolments: 0, overallAbsenceRate: null, schools: [] });
  });

  it('reports 503 on /ready once Postgres is down', async () => {
    await api.app.get(DatabaseService).close();
    const ready = await fetch(`${api.baseUrl}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'unavailable', checks: { postgres: 'down', warehouse: 'up' } });
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
  });
});
