import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDataDir, removeDataDir } from '../test/fixtures.js';
import { DatabaseService } from './database.service.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrations } from './migrations/index.js';

describe('DatabaseService with the embedded Postgres', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await makeDataDir();
  });

  afterAll(async () => {
    if (dataDir) await removeDataDir(dataDir);
  });

  it('creates the cluster once, migrates, and reuses both on the next start', async () => {
    const first = await DatabaseService.open({ database: { kind: 'embedded' }, dataDir });
    let port: number;
    try {
      expect(await first.ping()).toBe(true);
      const applied: Array<{ name: string }> = await first.dataSource.query('SELECT name FROM migrations');
      // Every migration the API lists, in its order (the list itself is written by hand in migrations/index.ts).
      expect(applied.map((m) => m.name)).toEqual(migrations.map((m) => m.name));
      await first.dataSource.query(`INSERT INTO users (email, display_name, role) VALUES ('x@example.org', 'X', 'la_officer')`);
      port = (JSON.parse(await readFile(path.join(dataDir, 'postgres', 'connection.json'), 'utf8')) as { port: number })
        .port;
    } finally {
      await first.close();
    }
    expect(await first.ping()).toBe(false);

    const second = await DatabaseService.open({ database: { kind: 'embedded' }, dataDir });
    try {
      const applied: Array<{ n: number }> = await second.dataSource.query('SELECT count(*)::int AS n FROM migrations');
      expect(applied[0]!.n).toBe(migrations.length);
      const users: Array<{ n: number }> = await second.dataSource.query('SELECT count(*)::int AS n FROM users');
      expect(users[0]!.n).toBe(1);
      const connection = JSON.parse(await readFile(path.join(dataDir, 'postgres', 'connection.json'), 'utf8'));
      expect(connection.port).toBe(port); // the recorded port is reused when free
    } finally {
      await second.close();
    }
  });

  it('uses a PostgreSQL server named by DATABASE_URL and leaves it running', async () => {
    const server = await startEmbeddedPostgres({ dir: path.join(dataDir, 'postgres') });
    try {
      const db = await DatabaseService.open({ database: { kind: 'server', url: server.url }, dataDir: '/nonexistent' });
      const users: Array<{ n: number }> = await db.dataSource.query('SELECT count(*)::int AS n FROM users');
      expect(users[0]!.n).toBe(1);
      await db.close();
      const again = await DatabaseService.open({ database: { kind: 'server', url: server.url }, dataDir: '/nonexistent' });
      expect(await again.ping()).toBe(true);
      await again.close();
    } finally {
      await server.stop();
    }
  });

  // The project runs as root here (containers, CI): embedded-postgres then runs PostgreSQL as
  // the `postgres` user, which cannot enter a mode-700 folder owned by root.
  it('says what to run when the postgres user cannot reach the folder', async () => {
    const locked = path.join(dataDir, 'locked');
    await mkdir(path.join(locked, 'inner'), { recursive: true });
    await chmod(locked, 0o700);
    await expect(startEmbeddedPostgres({ dir: path.join(locked, 'inner', 'postgres') })).rejects.toThrow(
      `chmod o+x ${locked}`,
    );
  });
});
