import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { addUserAndSignIn, makeDataDir, removeDataDir } from '../../test/fixtures.js';
import { NOTICE_CONNECTION, SessionsService } from './sessions.service.js';

/** The idle clock is written at most once a minute per session, and idle sessions still end on time. */
describe('session idle clock', () => {
  let dataDir: string;
  let api: RunningApi;
  let db: DataSource;
  let sessions: SessionsService;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test', SESSION_IDLE_MINUTES: '30' }), { logger: false });
    db = api.app.get(DataSource);
    sessions = api.app.get(SessionsService);
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  /** The session row's idle clock, and its row version (`xmin` changes with every UPDATE, even to the same value). */
  const row = async (email: string) => {
    const [r] = await db.query(
      `SELECT s.last_seen_at, s.xmin::text AS xmin, extract(epoch FROM now() - s.last_seen_at)::float AS age
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1`,
      [email],
    );
    return r as { last_seen_at: Date; xmin: string; age: number };
  };
  const setAge = async (email: string, interval: string) => {
    await db.query(`UPDATE sessions SET last_seen_at = now() - $2::interval WHERE user_id = (SELECT id FROM users WHERE email = $1)`, [email, interval]);
    await sessions.heardChanges();
  };
  /** How many times PostgreSQL was asked for a session while `run` ran. */
  const lookups = async (run: () => Promise<unknown>): Promise<number> => {
    const spy = vi.spyOn(db, 'query');
    try {
      await run();
      return spy.mock.calls.filter(([text]) => String(text).includes('WITH live AS')).length;
    } finally {
      spy.mockRestore();
    }
  };

  it('writes nothing for requests within a minute of the last recorded one, and records the next one after', async () => {
    expect(sessions.touchSeconds).toBe(60);
    const { token } = await addUserAndSignIn(api, { email: 'ada@la.example' });
    await setAge('ada@la.example', '30 seconds');
    const before = await row('ada@la.example');
    for (let i = 0; i < 5; i++) expect((await sessions.find(token))?.user.email).toBe('ada@la.example');
    const after = await row('ada@la.example');
    expect(after.xmin).toBe(before.xmin);
    expect(after.last_seen_at).toEqual(before.last_seen_at);

    await setAge('ada@la.example', '61 seconds');
    expect((await sessions.find(token))?.user.email).toBe('ada@la.example');
    expect((await row('ada@la.example')).age).toBeLessThan(5);
  });

  it('keeps a session used within the idle timeout, and ends one idle past it, whether or not its clock was recently written', async () => {
    const { token } = await addUserAndSignIn(api, { email: 'bo@la.example' });
    await setAge('bo@la.example', '29 minutes 50 seconds');
    expect((await sessions.find(token))?.user.email).toBe('bo@la.example');
    expect((await row('bo@la.example')).age).toBeLessThan(5); // recorded: the idle clock starts again

    await setAge('bo@la.example', '30 minutes 1 second');
    expect(await sessions.find(token)).toBeNull();
    await setAge('bo@la.example', '10 seconds'); // back within the timeout, a revoked session stays ended
    await sessions.revoke(token);
    expect(await sessions.find(token)).toBeNull();
  });

  it('holds a session it has just found: the next requests ask PostgreSQL nothing, until the idle clock is due', async () => {
    const { token } = await addUserAndSignIn(api, { email: 'cy@la.example' });
    expect(await lookups(async () => {
      for (let i = 0; i < 10; i++) expect((await sessions.find(token))?.user.email).toBe('cy@la.example');
    })).toBe(1);
    // Due again (recorded over a minute ago): asked, and the idle clock written.
    await setAge('cy@la.example', '61 seconds');
    expect(await lookups(() => sessions.find(token))).toBe(1);
    expect((await row('cy@la.example')).age).toBeLessThan(5);
  });

  it('forgets a held session when its user or the session changes anywhere, SQL included', async () => {
    const { token } = await addUserAndSignIn(api, { email: 'dee@la.example' });
    expect((await sessions.find(token))?.user.displayName).toBe('dee');
    await db.query(`UPDATE users SET display_name = 'Dee Renamed' WHERE email = 'dee@la.example'`);
    await sessions.heardChanges();
    expect((await sessions.find(token))?.user.displayName).toBe('Dee Renamed');
    await db.query(`UPDATE users SET disabled = true WHERE email = 'dee@la.example'`);
    await sessions.heardChanges();
    expect(await sessions.find(token)).toBeNull();

    const other = await addUserAndSignIn(api, { email: 'eve@la.example' });
    expect(await sessions.find(other.token)).not.toBeNull();
    await db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = (SELECT id FROM users WHERE email = 'eve@la.example')`);
    await sessions.heardChanges();
    expect(await sessions.find(other.token)).toBeNull();
  });

  it('holds nothing while the notice connection is down, and listens again', async () => {
    const { token } = await addUserAndSignIn(api, { email: 'fay@la.example' });
    expect(sessions.holding).toBe(true);
    const [{ n }] = await db.query(`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1`, [NOTICE_CONNECTION]);
    expect(n).toBe(1);
    const deadline = Date.now() + 5000;
    while (sessions.holding && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sessions.holding).toBe(false);
    expect(await lookups(async () => {
      for (let i = 0; i < 3; i++) expect((await sessions.find(token))?.user.email).toBe('fay@la.example');
    })).toBe(3);
    const back = Date.now() + 20_000;
    while (!sessions.holding && Date.now() < back) await new Promise((r) => setTimeout(r, 100));
    expect(sessions.holding).toBe(true);
    expect(await lookups(async () => {
      for (let i = 0; i < 3; i++) await sessions.find(token);
    })).toBe(1);
  }, 30_000);
});
