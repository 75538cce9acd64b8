import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { FIXTURE_URN, fixtureUpn, marksCsv, pupilsCsv, schoolDays, schoolListCsv, tempDir, writeReturn } from '../testing/fixtures.js';
import { parseRetention, purgeOlderThan } from './purge.js';
import type { SubmissionRecord } from '../submissions.js';

let duck: Duck;
let layout: DataLayout;
const A = fixtureUpn(1);

async function years(): Promise<string[]> {
  const rows = await duck.all<{ y: string }>(
    `SELECT DISTINCT academic_year AS y FROM read_parquet($g, hive_partitioning = true) ORDER BY y`,
    { g: path.join(layout.lake, 'marks', '**', '*.parquet') },
  );
  return rows.map((r) => r.y);
}

beforeAll(async () => {
  duck = await openDuck();
  const root = tempDir();
  layout = dataLayout(path.join(root, 'data'));
  writeFileSync(path.join(root, 'schools.csv'), schoolListCsv([{ urn: FIXTURE_URN, la: '332', name: 'Fixture Primary' }]));
  await loadPath(path.join(root, 'schools.csv'), { layout });
  // Autumn 2018 (old codes) and autumn 2024 (2024 codes) for the same school.
  for (const [name, start, seq] of [
    ['2018', '2018-11-05', ['/', '\\', 'I', 'I', 'H', 'H', '/', '\\', '/', '\\']],
    ['2020', '2020-11-02', ['/', '\\', '/', '\\', '/', '\\', '/', '\\', '/', '\\']],
    ['2024', '2024-11-04', ['/', '\\', 'I', 'I', '/', '\\', '/', '\\', '/', '\\']],
  ] as const) {
    writeReturn(path.join(root, 'returns', name), {
      'pupils.csv': pupilsCsv(FIXTURE_URN, [{ upn: A, dob: '2012-03-01', ncYear: '5', admission: '2016-09-01' }]),
      'marks.csv': marksCsv(FIXTURE_URN, schoolDays(start, 5), { [A]: [...seq] }),
    });
  }
  const summary = await loadPath(path.join(root, 'returns'), { layout });
  expect(summary.returns.map((r) => r.status)).toEqual(['loaded', 'loaded', 'loaded']);
});
afterAll(() => duck.close());

describe('rollbook purge --older-than 6y', () => {
  it('reads periods', () => {
    expect(parseRetention('6y')).toEqual({ years: 6, months: 0 });
    expect(parseRetention('6y6m')).toEqual({ years: 6, months: 6 });
    expect(() => parseRetention('six years')).toThrow(/not a period/);
  });

  it('says what it would remove and removes nothing on a dry run', async () => {
    const r = await purgeOlderThan(duck, layout, { olderThan: { years: 6 }, asOf: '2026-11-22', dryRun: true });
    // 2018/19 ended 2019-07-31 and 2020/21 ended 2021-07-31; the cut-off is 2020-11-22.
    expect(r).toMatchObject({ cutoff: '2020-11-22', academicYears: ['2018/19'], marks: 10, dryRun: true });
    expect(await years()).toEqual(['2018-19', '2020-21', '2024-25']);
  });

  it('removes the registers of academic years past the retention period, and nothing else', async () => {
    const r = await purgeOlderThan(duck, layout, { olderThan: { years: 6 }, asOf: '2026-11-22' });
    expect(r.academicYears).toEqual(['2018/19']);
    expect(r.partitions).toBe(3); // marks, pupils, the mart
    expect(await years()).toEqual(['2020-21', '2024-25']);
    expect(existsSync(path.join(layout.marts, 'fct_enrolment_term', 'la=332', 'academic_year=2018-19'))).toBe(false);
    expect(existsSync(path.join(layout.marts, 'fct_enrolment_term', 'la=332', 'academic_year=2024-25'))).toBe(true);
    expect((await purgeOlderThan(duck, layout, { olderThan: { years: 6 }, asOf: '2026-11-22' })).partitions).toBe(0);
  });
});

describe('what a purge removes besides the lake', () => {
  it('removes the kept copies of those years\' returns, drops their problem details and records the purge', async () => {
    const root = tempDir();
    const own = dataLayout(path.join(root, 'data'));
    writeFileSync(path.join(root, 'schools.csv'), schoolListCsv([{ urn: FIXTURE_URN, la: '332', name: 'Fixture Primary' }]));
    await loadPath(path.join(root, 'schools.csv'), { layout: own });
    const by = { submittedBy: 'cli:officer', via: 'cli' as const };
    // 2018/19 with a warning (a mark before admission, which quotes the pupil's line), 2024/25 clean.
    for (const [name, start, admission] of [['2018', '2018-11-05', '2018-11-06'], ['2024', '2024-11-04', '2016-09-01']] as const) {
      writeReturn(path.join(root, 'returns', name), {
        'pupils.csv': pupilsCsv(FIXTURE_URN, [{ upn: A, dob: '2012-03-01', ncYear: '5', admission }]),
        'marks.csv': marksCsv(FIXTURE_URN, schoolDays(start, 5), { [A]: ['/', '\\', '/', '\\', '/', '\\', '/', '\\', '/', '\\'] }),
      });
    }
    const summary = await loadPath(path.join(root, 'returns'), { layout: own, submission: by });
    expect(summary.returns.map((r) => r.status)).toEqual(['loaded', 'loaded']);
    const pending = path.join(own.root, 'submissions', 'pending');
    const records = () => readdirSync(pending).map((f) => JSON.parse(readFileSync(path.join(pending, f), 'utf8')) as SubmissionRecord);
    const old = records().find((r) => r.academicYear === '2018/19')!;
    const recent = records().find((r) => r.academicYear === '2024/25')!;
    expect(old.problems.map((p) => p.code)).toContain('MARK_BEFORE_ADMISSION');
    expect(existsSync(path.join(own.root, old.storedPath!))).toBe(true);

    const dry = await purgeOlderThan(duck, own, { olderThan: { years: 6 }, asOf: '2026-11-22', dryRun: true, by });
    expect(dry).toMatchObject({ academicYears: ['2018/19'], copies: 1, marks: 10 });
    expect(existsSync(path.join(own.root, old.storedPath!))).toBe(true);
    expect(records()).toHaveLength(2);

    const r = await purgeOlderThan(duck, own, { olderThan: { years: 6 }, asOf: '2026-11-22', by });
    expect(r).toMatchObject({ academicYears: ['2018/19'], copies: 1, marks: 10 });
    expect(existsSync(path.join(own.uploads, old.id))).toBe(false);
    expect(existsSync(path.join(own.root, recent.storedPath!))).toBe(true);
    const after = records();
    expect(after.find((x) => x.id === old.id)).toMatchObject({ problems: [], storedPath: null, rows: old.rows, status: 'loaded' });
    expect(after.find((x) => x.id === recent.id)).toEqual(recent);
    expect(after.filter((x) => x.kind === 'purge')).toMatchObject([{ academicYear: '2018/19', submittedBy: 'cli:officer', status: 'loaded', rows: { pupils: 0, marks: 10 }, storedPath: null }]);
  });
});
