/**
 * The benchmarks read through the warehouse's caches (issue 9): one school's small returns loaded
 * by the real ETL, the real API with its DuckDB and Postgres. Executions are counted by the
 * warehouse's own counters (statements run on its connections, values computed), never by time.
 */
import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { dataLayout, loadPath } from '@rollbook/etl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../../bootstrap.js';
import { loadConfig } from '../../config/config.js';
import { addUserAndSignIn, graphql, makeDataDir, removeDataDir, type TestSession } from '../../test/fixtures.js';
import { WarehouseService } from '../../warehouse/warehouse.service.js';
import { TEST_URN, writeSchoolList, writeTestReturn } from '../../warehouse/test-returns.js';
import { Role } from '../access/models/role.enum.js';
import { SocialCareAlerts } from '../social-care/social-care-alerts.js';
import { SubmissionsService } from '../submissions/submissions.service.js';
import { TsmService } from '../tsm/tsm.service.js';
import { BenchmarksService } from './benchmarks.service.js';

const SCHOOL = `query ($urn: Int!, $national: Boolean) { schoolBenchmarks(urn: $urn, national: $national) { urn academicYear
  absenceBands { band enrolments }
  cohorts { dimension cohort enrolments suppressed }
  similarSchools { urn within }
  trends { termly { period thisYear } } } }`;
const LA = `query { laBenchmarks { laCode academicYear fromReturns { phase measure value } } }`;

interface Page {
  urn: number;
  academicYear: string;
  absenceBands: { band: string; enrolments: number | null }[];
  cohorts: { dimension: string; cohort: string; enrolments: number | null; suppressed: boolean }[];
  similarSchools: { urn: number; within: string } | null;
  trends: { termly: { period: string; thisYear: number | null }[] };
}

describe('benchmarks through the warehouse caches', () => {
  let dataDir: string;
  let inputs: string;
  let api: RunningApi;
  let warehouse: WarehouseService;
  let officer: TestSession;
  let analyst: TestSession;
  const load = async (target: string) => {
    const summary = await loadPath(target, { layout: dataLayout(dataDir), threads: 1, submission: { submittedBy: 'cli:test', via: 'cli' } });
    expect(summary.rejected, target).toBe(0);
  };
  /** What the API's timer does every 10 s (files the loader's queue, telling the listeners), then waits for the warm-up. */
  const fileAndWarm = async () => {
    expect(await api.app.get(SubmissionsService).importPending()).toBeGreaterThan(0);
    // The other listeners' background work (TSM packs, social-care alerts) reads the warehouse too.
    await Promise.all([api.app.get(BenchmarksService).warmedUp(), api.app.get(TsmService).packsSettled(), api.app.get(SocialCareAlerts).idle()]);
  };
  const page = async (session: TestSession, national = false): Promise<Page> => {
    const body = await graphql<{ schoolBenchmarks: Page }>(api.baseUrl, SCHOOL, { urn: TEST_URN, national }, session);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data!.schoolBenchmarks;
  };
  /** What `work` made the warehouse run and compute. */
  const counted = async <T>(work: () => Promise<T>): Promise<{ result: T; queries: number; computed: number }> => {
    const before = { ...warehouse.counters };
    const result = await work();
    return { result, queries: warehouse.counters.queries - before.queries, computed: warehouse.counters.computed - before.computed };
  };
  const total = (p: Page) => p.absenceBands.reduce((s, b) => s + (b.enrolments ?? 0), 0);

  beforeAll(async () => {
    dataDir = await makeDataDir();
    inputs = path.join(dataDir, 'inputs');
    mkdirSync(inputs);
    await load(writeSchoolList(inputs));
    api = await startApi(loadConfig({ ROLLBOOK_DATA_DIR: dataDir, API_PORT: '0', NODE_ENV: 'test' }), { logger: false });
    warehouse = api.app.get(WarehouseService);
    officer = await addUserAndSignIn(api, { email: 'officer@la.example', role: Role.LA_OFFICER });
    analyst = await addUserAndSignIn(api, { email: 'analyst@la.example', role: Role.ANALYST });
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    if (dataDir) await removeDataDir(dataDir);
  });

  it('warms the LA and school pages after a load, so the first reader runs nothing', async () => {
    await api.app.get(BenchmarksService).warmedUp(); // on start: no returns, nothing to warm
    // Three pupils: every figure of the school rests on fewer than five.
    await load(writeTestReturn(path.join(inputs, 'autumn'), '2024-11-04', 3, 10));
    const warming = await counted(fileAndWarm);
    expect(warming.computed).toBeGreaterThan(0);
    expect(warming.queries).toBeGreaterThan(0);
    const first = await counted(async () => {
      const body = await graphql<{ laBenchmarks: { academicYear: string; fromReturns: unknown[] } }>(api.baseUrl, LA, {}, officer);
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return { la: body.data!.laBenchmarks, school: await page(officer) };
    });
    expect(first.result.la.academicYear).toBe('2024/25');
    expect(first.result.la.fromReturns.length).toBeGreaterThan(0);
    expect(first.result.school.urn).toBe(TEST_URN);
    expect(total(first.result.school)).toBe(3);
    expect(first.queries).toBe(0);
    expect(first.computed).toBe(0);
  });

  it('runs a page not warmed once, then answers the identical call from the cache', async () => {
    const cold = await counted(() => page(officer, true));
    expect(cold.result.similarSchools?.within).toBe('national');
    expect(cold.computed).toBeGreaterThan(0);
    const again = await counted(() => page(officer, true));
    expect(again.result).toEqual(cold.result);
    expect(again.queries).toBe(0);
    expect(again.computed).toBe(0);
  });

  it("gives each user their own suppression of the same cached figures, never another's view", async () => {
    const full = await counted(() => page(officer));
    const withheld = await counted(() => page(analyst));
    const fullAgain = await counted(() => page(officer));
    for (const c of [full, withheld, fullAgain]) expect([c.queries, c.computed]).toEqual([0, 0]);
    // The LA officer sees every pupil of the LA: nothing withheld.
    expect(full.result.absenceBands.some((b) => b.enrolments !== null && b.enrolments > 0 && b.enrolments < 5)).toBe(true);
    expect(full.result.cohorts.find((c) => c.dimension === 'all')).toMatchObject({ enrolments: 3, suppressed: false });
    // The analyst does not: counts of 1–4 withheld, from the very same figures.
    for (const b of withheld.result.absenceBands) expect(b.enrolments === null || b.enrolments === 0).toBe(true);
    expect(withheld.result.cohorts.find((c) => c.dimension === 'all')).toMatchObject({ enrolments: null, suppressed: true });
    expect(fullAgain.result).toEqual(full.result);
  });

  it('gives new figures after a load, and warms them again', async () => {
    const before = await page(officer);
    expect(before.trends.termly.map((t) => t.period)).toEqual(['autumn']);
    await load(writeTestReturn(path.join(inputs, 'spring'), '2025-01-13', 7, 10));
    // Read before the warm-up: the load alone makes the cached page stale.
    const after = await counted(() => page(officer));
    expect(after.computed).toBeGreaterThan(0);
    expect(after.result.trends.termly.map((t) => t.period)).toEqual(['autumn', 'spring']);
    const enrolments = after.result.cohorts.find((c) => c.dimension === 'all')?.enrolments;
    expect(enrolments).toBeGreaterThan(3);
    expect(total(after.result)).toBe(enrolments);
    await load(writeTestReturn(path.join(inputs, 'summer'), '2025-05-12', 2, 10));
    await fileAndWarm();
    const warmed = await counted(() => page(officer));
    expect([warmed.queries, warmed.computed]).toEqual([0, 0]);
    expect(warmed.result.trends.termly.map((t) => t.period)).toEqual(['autumn', 'spring', 'summer']);
  });
});
