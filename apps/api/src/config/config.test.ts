import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultDataDir, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the repository data folder, embedded Postgres and 127.0.0.1:4000', () => {
    expect(loadConfig({})).toEqual({
      dataDir: defaultDataDir,
      database: { kind: 'embedded' },
      databasePoolSize: 30,
      host: '127.0.0.1',
      port: 4000,
      nodeEnv: 'development',
      auth: { sessionTtlMinutes: 720, sessionIdleMinutes: 30, secureCookies: false, demoUsers: 'auto', oidc: undefined },
      mail: undefined,
    });
    // apps/api/src/config → the repository root's data/
    expect(defaultDataDir).toBe(path.resolve(import.meta.dirname, '../../../../data'));
  });

  it('resolves a relative data folder to an absolute path and reads every key', () => {
    const config = loadConfig({
      ROLLBOOK_DATA_DIR: 'some/where',
      DATABASE_URL: 'postgres://u:p@db.example:5432/rollbook',
      API_HOST: '0.0.0.0',
      API_PORT: '8080',
      NODE_ENV: 'production',
    });
    expect(config.dataDir).toBe(path.resolve('some/where'));
    expect(config.database).toEqual({ kind: 'server', url: 'postgres://u:p@db.example:5432/rollbook' });
    expect(config).toMatchObject({ host: '0.0.0.0', port: 8080, nodeEnv: 'production' });
  });

  it('takes a fixed embedded Postgres port', () => {
    expect(loadConfig({ ROLLBOOK_PG_PORT: '6543' }).database).toEqual({ kind: 'embedded', port: 6543 });
  });

  it('lists every bad key at once', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://x', API_PORT: '70000', NODE_ENV: 'staging' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.key)).toEqual(['DATABASE_URL', 'API_PORT', 'NODE_ENV']);
    expect((error as ConfigError).message).toMatch(/API_PORT must be a port number/);
  });

  it('sizes the PostgreSQL pool: 30 by default, DATABASE_POOL_SIZE from 2 to 200', () => {
    expect(loadConfig({}).databasePoolSize).toBe(30);
    expect(loadConfig({ DATABASE_POOL_SIZE: '12' }).databasePoolSize).toBe(12);
    for (const bad of ['1', '201', 'lots', '3.5']) expect(() => loadConfig({ DATABASE_POOL_SIZE: bad })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('rejects a bad embedded Postgres port', () => {
    expect(() => loadConfig({ ROLLBOOK_PG_PORT: 'abc' })).toThrow(/ROLLBOOK_PG_PORT/);
  });

  it('email is off by default and on with an SMTP URL or host', () => {
    expect(loadConfig({ SMTP_FROM: 'x@la.example' }).mail).toBeUndefined();
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.la.example:465', SMTP_FROM: 'Rollbook <rollbook@la.example.gov.uk>', SMTP_PORTAL_URL: 'https://rollbook.la.example/' }).mail).toEqual({
      transport: { url: 'smtps://u:p@mail.la.example:465' },
      from: 'Rollbook <rollbook@la.example.gov.uk>',
      portalUrl: 'https://rollbook.la.example',
      virtualSchoolTo: [],
    });
    const byHost = loadConfig({
      SMTP_HOST: 'mail.la.example', SMTP_PORT: '465', SMTP_USER: 'rollbook', SMTP_PASSWORD: 'secret', SMTP_FROM: 'rollbook@la.example',
      SMTP_PORTAL_URL: 'http://127.0.0.1:3000', SMTP_VIRTUAL_SCHOOL_TO: 'vs@la.example, 333=vs@other.example',
    }).mail;
    expect(byHost).toEqual({
      transport: { host: 'mail.la.example', port: 465, secure: true, user: 'rollbook', password: 'secret' },
      from: 'rollbook@la.example',
      portalUrl: 'http://127.0.0.1:3000',
      virtualSchoolTo: [{ laCode: null, address: 'vs@la.example' }, { laCode: '333', address: 'vs@other.example' }],
    });
    expect(loadConfig({ SMTP_HOST: 'mail.la.example', SMTP_FROM: 'a@b.example', SMTP_PORTAL_URL: 'http://x.example' }).mail?.transport).toMatchObject({ port: 587, secure: false });
  });

  it('lists every bad SMTP key at once', () => {
    let error: unknown;
    try {
      loadConfig({ SMTP_HOST: 'mail.la.example', SMTP_PORT: 'x', SMTP_SECURE: 'yes', SMTP_USER: 'only-user', SMTP_FROM: 'nobody', SMTP_VIRTUAL_SCHOOL_TO: '33=x' });
    } catch (caught) {
      error = caught;
    }
    expect((error as ConfigError).issues.map((i) => i.key)).toEqual(['SMTP_PORT', 'SMTP_SECURE', 'SMTP_USER', 'SMTP_FROM', 'SMTP_PORTAL_URL', 'SMTP_VIRTUAL_SCHOOL_TO']);
    expect(() => loadConfig({ SMTP_URL: 'http://mail.example', SMTP_FROM: 'a@b.example', SMTP_PORTAL_URL: 'http://x.example' })).toThrow(/SMTP_URL must be an smtp/);
  });
});
