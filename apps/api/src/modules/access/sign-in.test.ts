import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, sessionHeaders, TEST_PASSWORD, writeEnrolmentTerms } from '../../test/fixtures.js';
import { SessionsService } from './sessions.service.js';
import { MAX_FAILURES_PER_EMAIL } from './sign-in-throttle.js';

async function postSignIn(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string>, cookie: response.headers.get('set-cookie') };
}

describe('sign-in, sessions and hardening', () => {
  let dataDir: string;
  let api: RunningApi;
  let db: DataSource;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    await writeEnrolmentTerms(dataDir, [
      { la_code: '332', academic_year: '2024/25', term: 'autumn', urn: 100001, upn: 'A332000000001', scope: 'dfe',
        possible_sessions: 60, approved_educational_activity: 0, authorised_absence: 1, unauthorised_absence: 1 },
    ]);
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    db = api.app.get(DataSource);
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('stores an argon2id hash and only a hash of the session token, and sets a safe cookie', async () => {
    await addUserAndSignIn(api, { email: 'kim@la.example' });
    const [user] = await db.query(`SELECT password_hash FROM users WHERE email = 'kim@la.example'`);
    expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    const signedIn = await postSignIn(api.baseUrl, 'KIM@la.example', TEST_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.cookie).toMatch(/^rollbook_session=[\w-]{43}; Path=\/; Expires=.*; HttpOnly; Secure; SameSite=Lax$/);
    const stored: Array<{ token_hash: Buffer }> = await db.query(`SELECT token_hash FROM sessions`);
    expect(stored.map((s) => s.token_hash.toString('hex'))).not.toContain(Buffer.from(signedIn.body.token!).toString('hex'));
    expect(stored.every((s) => s.token_hash.length === 32)).toBe(true);
  });

  it('answers an unknown address and a wrong password alike, then locks the address', async () => {
    await addUserAndSignIn(api, { email: 'lee@la.example' });
    const known = await postSignIn(api.baseUrl, 'lee@la.example', 'wrong password');
    const unknown = await postSignIn(api.baseUrl, 'nobody@la.example', 'wrong password');
    expect(known).toEqual({ ...unknown, cookie: null });
    expect(known).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS', message: 'Enter a correct email address and password.' } });

    for (let i = 2; i < MAX_FAILURES_PER_EMAIL; i++) {
      expect((await postSignIn(api.baseUrl, 'lee@la.example', 'wrong')).status).toBe(401);
      expect((await postSignIn(api.baseUrl, 'nobody@la.example', 'wrong')).status).toBe(401);
    }
    const lockedKnown = await postSignIn(api.baseUrl, 'lee@la.example', 'wrong');
    const lockedUnknown = await postSignIn(api.baseUrl, 'nobody@la.example', 'wrong');
    expect(lockedKnown).toEqual(lockedUnknown);
    expect(lockedKnown).toMatchObject({ status: 429, body: { code: 'TOO_MANY_REQUESTS', reason: 'SIGN_IN_LOCKED' } });
    expect(lockedKnown.body.message).toMatch(/Wait 15 minutes/);
    // Locked means locked, even with the right password.
    expect((await postSignIn(api.baseUrl, 'lee@la.example', TEST_PASSWORD)).status).toBe(429);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'sign_in.failed' AND user_email = 'lee@la.example'`);
    expect(n).toBeGreaterThanOrEqual(MAX_FAILURES_PER_EMAIL);
  });

  it('ends a session at sign-out, after the idle timeout, and when the user is switched off', async () => {
    const me = '{ me { email csrfToken } }';
    const session = await addUserAndSignIn(api, { email: 'max@la.example' });
    expect((await graphql<{ me: { email: string } }>(api.baseUrl, me, {}, session)).data?.me?.email).toBe('max@la.example');
    const out = await fetch(`${api.baseUrl}/auth/sign-out`, { method: 'POST', headers: sessionHeaders(session) });
    expect(out.status).toBe(204);
    expect((await graphql(api.baseUrl, me, {}, session)).data).toEqual({ me: null });

    const idle = await addUserAndSignIn(api, { email: 'nia@la.example' });
    await db.query(`UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = (SELECT id FROM users WHERE email = 'nia@la.example')`);
    await api.app.get(SessionsService).heardChanges();
    expect((await graphql(api.baseUrl, me, {}, idle)).data).toEqual({ me: null });

    const off = await addUserAndSignIn(api, { email: 'oli@la.example' });
    await db.query(`UPDATE users SET disabled = true WHERE email = 'oli@la.example'`);
    await api.app.get(SessionsService).heardChanges();
    expect((await graphql(api.baseUrl, me, {}, off)).data).toEqual({ me: null });
    expect((await postSignIn(api.baseUrl, 'oli@la.example', TEST_PASSWORD)).status).toBe(401);
  });

  it('asks a cookie session for its CSRF token on every change, not a bearer token', async () => {
    const admin = await addUserAndSignIn(api, { email: 'pat@la.example', role: 'la_admin' as never });
    const mutation = JSON.stringify({
      query: 'mutation { createUser(input: { email: "q@la.example", displayName: "Q", role: ANALYST }) { email } }',
    });
    const noToken = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `rollbook_session=${admin.token}` },
      body: mutation,
    });
    expect(((await noToken.json()) as { errors: Array<{ extensions: unknown }> }).errors[0]!.extensions).toEqual({
      code: 'FORBIDDEN',
      reason: 'CSRF_TOKEN_MISSING',
    });
    const wrongToken = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `rollbook_session=${admin.token}`, 'x-csrf-token': 'x'.repeat(32) },
      body: mutation,
    });
    expect(((await wrongToken.json()) as { errors?: unknown[] }).errors).toHaveLength(1);
    const bearer = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
      body: mutation,
    });
    expect(await bearer.json()).toEqual({ data: { createUser: { email: 'q@la.example' } } });
    // Apollo's own CSRF prevention: a "simple" cross-site form post is not even parsed.
    const form = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: `rollbook_session=${admin.token}` },
      body: mutation,
    });
    expect(form.status).toBe(400);
  });

  it('refuses documents that are too deep or too costly, before running them', async () => {
    const session = await addUserAndSignIn(api, { email: 'rio@la.example' });
    // An ordinary page's query passes: 1 + (1 + 10 × 6) per overview.
    const schools = 'laOverview { schools { urn name phase enrolments attendanceRate overallAbsenceRate } }';
    expect((await graphql(api.baseUrl, `{ ${schools} }`, {}, session)).errors).toBeUndefined();
    // 60 aliased copies cost 60 × 62 = 3720 > 3000.
    const costly = `{ ${Array.from({ length: 60 }, (_, i) => `s${i}: ${schools}`).join(' ')} }`;
    const expensive = await graphql(api.baseUrl, costly, {}, session);
    expect(expensive.errors).toEqual([
      expect.objectContaining({ message: 'This query would cost 3720; the limit is 3000. Ask for fewer fields or split it.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }),
    ]);
    // Rollbook's schema is not recursive, so depth is checked before field names: 12 levels deep.
    const deep = `{ ${'a { '.repeat(11)}b${' }'.repeat(11)} }`;
    const tooDeep = await graphql(api.baseUrl, deep, {}, session);
    expect(tooDeep.errors?.map((e) => e.message)).toContain('This query is nested 12 levels deep; the limit is 10.');
  });

  it('sets security headers and leaves no stack traces or internals in errors', async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const session = await addUserAndSignIn(api, { email: 'sol@la.example' });
    // GraphQL answers are personal: never kept by a browser or proxy, and carry no ETag.
    const answer = await fetch(`${api.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...sessionHeaders(session) },
      body: JSON.stringify({ query: '{ academicYears }' }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.get('etag')).toBeNull();
    const bad = await graphql(api.baseUrl, '{ pupil(upn: "not a upn") { upn } }', {}, session);
    expect(bad.errors?.[0]).toEqual({
      message: 'A UPN is a letter followed by 12 characters, like A123456789012.',
      locations: [{ line: 1, column: 3 }],
      path: ['pupil'],
      extensions: { code: 'BAD_USER_INPUT', reason: 'UPN_INVALID' },
    });
  });

  it('turns introspection off in production', async () => {
    const session = await addUserAndSignIn(api, { email: 'tam@la.example' });
    expect((await graphql(api.baseUrl, '{ __schema { queryType { name } } }', {}, session)).errors).toBeUndefined();
    const [{ url }] = [{ url: (db.options as { url: string }).url }];
    const production = await startApi(
      loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'production', DATABASE_URL: url }),
      { logger: false },
    );
    try {
      const prod = await graphql(production.baseUrl, '{ __schema { queryType { name } } }', {}, session);
      expect(prod.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(prod.errors?.[0]?.message).toMatch(/introspection/i);
      const hsts = (await fetch(`${production.baseUrl}/health`)).headers.get('strict-transport-security');
      expect(hsts).toMatch(/max-age=\d+/);
    } finally {
      await production.close();
    }
  });
});
