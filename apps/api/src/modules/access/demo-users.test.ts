import 'reflect-metadata';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { writeAccessFixture } from '../../test/access-fixture.js';
import { graphql, makeDataDir, removeDataDir, signIn } from '../../test/fixtures.js';
import { DEMO_PASSWORD, DEMO_REGIONAL_USER, DEMO_USERS } from './demo-users.service.js';

/** A demo folder of the data folder, as `rollbook demo --la N --out <dir>` leaves it. */
async function demoManifest(dataDir: string, folder: string, laCode: number): Promise<void> {
  await mkdir(path.join(dataDir, folder), { recursive: true });
  await writeFile(path.join(dataDir, folder, 'manifest.json'), JSON.stringify({ generator: 'rollbook demo', summary: { laCode } }));
}

describe('the demo regional user', () => {
  let dataDir: string;
  let api: RunningApi | undefined;
  const start = async () => {
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test', ROLLBOOK_DEMO_USERS: 'auto' }), { logger: false });
    return api;
  };
  const regional = async (running: RunningApi) =>
    (await graphql<{ me: { laCodes: string[]; role: string } }>(running.baseUrl, '{ me { role laCodes } }', {}, await signIn(running.baseUrl, DEMO_REGIONAL_USER.email, DEMO_PASSWORD))).data?.me;

  beforeAll(async () => {
    dataDir = await makeDataDir();
    // LAs 332 and 999 have returns; only 332 is a demo so far (999's school is out of area).
    await writeAccessFixture(dataDir);
    await demoManifest(dataDir, 'demo', 332);
  });

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('is not seeded for one demo LA, nor for the LA of an out-of-area school', async () => {
    const running = await start();
    await signIn(running.baseUrl, DEMO_USERS[0]!.email, DEMO_PASSWORD);
    await expect(signIn(running.baseUrl, DEMO_REGIONAL_USER.email, DEMO_PASSWORD)).rejects.toThrow(/HTTP 401/);
    await running.close();
    api = undefined;
  });

  it('is added on the next start once a second demo LA is loaded, over both LAs', async () => {
    await demoManifest(dataDir, 'demo-999', 999);
    const running = await start();
    expect(await regional(running)).toEqual({ role: 'REGIONAL', laCodes: ['332', '999'] });
  });
});
