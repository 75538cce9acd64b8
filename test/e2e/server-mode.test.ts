import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.js';
import { startPostgresServer, type PostgresServer } from '../support/postgres-server.js';
import { signInThroughPortal } from '../support/sign-in.js';
import { DEMO_USERS, startStack, type Stack } from '../support/stack.js';

// Server mode (issue 10): DATABASE_URL names a real PostgreSQL server (Debian's package, as an LA
// would run), and the whole demo — load, API, portal page — runs against it as on the embedded default.
describe('the demo against a PostgreSQL server (DATABASE_URL)', () => {
  let server: PostgresServer;
  let stack: Stack;
  let browser: Browser;

  beforeAll(async () => {
    server = await startPostgresServer();
    stack = await startStack({ data: { kind: 'demo', pupils: 1500 }, apiEnv: { DATABASE_URL: server.url } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await server?.stop();
  });

  it('migrated the server and started no embedded PostgreSQL', () => {
    const applied = server.query('SELECT name FROM migrations ORDER BY id').map((r) => r[0]);
    expect(applied.slice(0, 2)).toEqual(['CreateUsers1764000000000', 'Access1764100000000']);
    expect(existsSync(path.join(stack.dataDir, 'postgres'))).toBe(false);
    const roles = server.query('SELECT role FROM users ORDER BY role').map((r) => r[0]);
    expect(roles).toContain('la_officer');
  });

  it('signs in, keeps the session and audits a named-child read in the server', async () => {
    const overview = await stack.graphql<{ laOverview: { enrolments: number; schools: { urn: number }[] } }>(
      '{ laOverview { enrolments schools { urn } } }',
    );
    expect(overview.laOverview.enrolments).toBeGreaterThan(0);
    const sessions = Number(server.query('SELECT count(*) FROM sessions')[0]![0]);
    expect(sessions).toBeGreaterThanOrEqual(1);
    const urn = overview.laOverview.schools[0]!.urn;
    const before = Number(server.query('SELECT count(*) FROM audit_log')[0]![0]);
    await stack.graphql(`query ($urn: Int!) { schoolPupils(urn: $urn) { pupils { upn } } }`, { urn });
    const after = Number(server.query('SELECT count(*) FROM audit_log')[0]![0]);
    expect(after).toBeGreaterThan(before);
  });

  it('serves the LA overview page from the server-backed API', async () => {
    const page = await browser.newPage();
    await signInThroughPortal(page, stack.portalUrl!, DEMO_USERS.la_officer);
    expect(new URL(page.url()).pathname).toBe('/');
    const enrolments = await page.getByTestId('card-enrolments-value').textContent();
    const overview = await stack.graphql<{ laOverview: { enrolments: number } }>('{ laOverview { enrolments } }');
    expect(Number(enrolments?.replace(/,/g, '').trim())).toBe(overview.laOverview.enrolments);
    await page.close();
  });

  it('runs the migrations again on a second start without change or duplicate users', async () => {
    const users = server.query('SELECT count(*) FROM users')[0]![0];
    const migrations = server.query('SELECT id, name FROM migrations ORDER BY id');
    const second = await startStack({ data: { kind: 'empty' }, portal: false, apiEnv: { DATABASE_URL: server.url } });
    try {
      expect(server.query('SELECT id, name FROM migrations ORDER BY id')).toEqual(migrations);
      expect(server.query('SELECT count(*) FROM users')[0]![0]).toBe(users);
      const token = await second.signIn(DEMO_USERS.la_admin);
      expect(token.length).toBeGreaterThan(10);
    } finally {
      await second.stop();
    }
  });
});
