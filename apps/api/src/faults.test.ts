import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { startApi, type RunningApi } from './bootstrap.js';
import { loadConfig } from './config/config.js';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './database/embedded-postgres.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, type TestSession, writeEnrolmentTerms } from './test/fixtures.js';

// PostgreSQL restarting under a running API (an operator restarting the database server, or a
// crash): readiness says so, requests get a clear error rather than hanging, and the API recovers
// on its own once the server is back, without a restart.

describe('PostgreSQL restarting under the API', () => {
  let dataDir: string;
  let postgres: EmbeddedPostgresHandle;
  let api: RunningApi;
  let session: TestSession;
  const pgDir = () => path.join(dataDir, 'external-postgres');

  beforeAll(async () => {
    dataDir = await makeDataDir();
    await writeEnrolmentTerms(dataDir, [
      { la_code: '332', academic_year: '2024/25', term: 'autumn', urn: 100001, upn: 'A332000000001', scope: 'dfe',
        possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 3, unauthorised_absence: 1 },
    ]);
    postgres = await startEmbeddedPostgres({ dir: pgDir() });
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test', DATABASE_URL: postgres.url }), { logger: false });
    session = await addUserAndSignIn(api, { email: 'pat@la.example' });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await postgres?.stop();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('says it is not ready and answers with a clear error while the server is down, then recovers', async () => {
    const overview = '{ laOverview { enrolments } }';
    expect((await graphql(api.baseUrl, overview, {}, session)).data).toEqual({ laOverview: { enrolments: 1 } });

    await postgres.stop();
    const ready = await fetch(`${api.baseUrl}/ready`, { signal: AbortSignal.timeout(10_000) });
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', checks: { postgres: 'down' } });
    expect((await fetch(`${api.baseUrl}/health`)).status).toBe(200);
    const started = performance.now();
    const down = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
      body: JSON.stringify({ query: overview }),
      signal: AbortSignal.timeout(20_000),
    });
    expect(performance.now() - started).toBeLessThan(15_000);
    const body = (await down.json()) as { code?: string; message?: string; errors?: { message: string; extensions?: { code?: string } }[] };
    // Over HTTP (the guard) a 503, or in GraphQL an error with that code: either way, it says why.
    const error = body.errors?.[0] ?? { message: body.message, extensions: { code: body.code } };
    expect(error).toMatchObject({ message: expect.stringMatching(/database/i), extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect([200, 503]).toContain(down.status);

    // The same server comes back on the same port (its port is recorded with the cluster).
    const port = new URL(postgres.url).port;
    postgres = await startEmbeddedPostgres({ dir: pgDir(), port: Number(port) });
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = (await fetch(`${api.baseUrl}/ready`)).status === 200;
      if (!recovered) await new Promise((r) => setTimeout(r, 200));
    }
    expect(recovered).toBe(true);
    expect((await graphql(api.baseUrl, overview, {}, session)).data).toEqual({ laOverview: { enrolments: 1 } });
  }, 120_000);
});
