/**
 * Benchmarks from the LA's returns (issue 6 §1–3) over a small lake written by the real loader,
 * beside the real published 2024/25 statistics and neighbour list, against figures worked out by
 * hand from the returns below.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { fixtureUpn, marksCsv, pupilsCsv, schoolDays, tempDir, writeReturn, type FixturePupil } from '../testing/fixtures.js';
import { laAgainstComparators } from './la-comparators.js';
import { publishedComparators } from './published-comparators.js';
import { similarSchoolsFor, whereToHelpFirst } from './schools.js';

const PUBLIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data/dfe');

// [urn, LA, phase, headcount, FSM %, EAL %]
const SCHOOLS: [number, string, string, number, number, number][] = [
  [100001, '332', 'State-funded primary', 300, 20, 10],
  [100002, '332', 'State-funded primary', 310, 21, 11],
  [100003, '332', 'State-funded primary', 400, 40, 30],
  [100004, '332', 'State-funded primary', 600, 50, 60],
  [100005, '332', 'State-funded secondary', 300, 20, 10],
  [100006, '333', 'State-funded primary', 305, 20, 10],
];
const [A, B, C, D, E, F, G, H, I] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(fixtureUpn);
const present = Array<string>(10).fill('/');
// Ten sessions each in one week of November 2024; every pupil aged 8, in DfE scope.
const RETURNS: [number, Record<string, string[]>][] = [
  [100001, { [A]: ['/', '/', '/', '/', '/', '/', '/', '/', 'I', 'I'], [B]: present }], // A 20 % absent: PA
  [100002, { [C]: ['O', 'O', 'O', 'O', 'O', '/', '/', '/', '/', '/'], [D]: present }], // C 50 %: PA and SA
  [100003, { [E]: ['G', '/', '/', '/', '/', '/', '/', '/', '/', '/'], [F]: present, [I]: present }], // E 10 %: PA
  [100004, { [G]: present, [H]: present }],
];

let root: string;
let layout: DataLayout;
let duck: Duck;

beforeAll(async () => {
  duck = await openDuck({ threads: 2 });
  root = tempDir('rollbook-returns-benchmarks-');
  layout = dataLayout(path.join(root, 'data'));
  const header = 'time_period,urn,laestab,school_name,old_la_code,new_la_code,la_name,region_name,phase_type_grouping,type_of_establishment,headcount,fsm_eligible_pct,eal_pct';
  const lines = SCHOOLS.map(([urn, la, phase, n, fsm, eal], i) => `202223,${urn},${la}${2001 + i},School ${urn},${la},E0800002${i},LA ${la},West Midlands,${phase},Community school,${n},${fsm},${eal}`);
  writeFileSync(path.join(root, 'schools.csv'), [header, ...lines].join('\n') + '\n');
  expect((await loadPath(path.join(root, 'schools.csv'), { layout })).loaded).toBe(1);
  const days = schoolDays('2024-11-04', 5);
  for (const [urn, marks] of RETURNS) {
    const pupils: FixturePupil[] = Object.keys(marks).map((upn) => ({ upn, dob: '2016-03-01', ncYear: '3' }));
    const summary = await loadPath(writeReturn(path.join(root, String(urn)), { 'pupils.csv': pupilsCsv(urn, pupils), 'marks.csv': marksCsv(urn, days, marks) }), { layout });
    expect(summary.returns[0]!.problems.filter((p) => p.severity === 'error')).toEqual([]);
  }
  await loadPath(path.join(PUBLIC, 'attendance-2024-25/EES_ytd_data_202425.csv'), { layout });
  await loadPath(path.join(PUBLIC, 'statistical-neighbours/dfe_sn_may_2025_long.csv'), { layout });
});
afterAll(() => {
  duck?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the LA from its returns against its comparators', () => {
  it('puts the returns’ figures beside the neighbours’, region’s and England’s published ones', async () => {
    const rows = await laAgainstComparators(duck, layout, { laCode: '332', academicYear: '2024/25' });
    const get = (phase: string, measure: string) => rows.find((r) => r.phase === phase && r.measure === measure)!;
    // 90 possible sessions; absence 2 I + 5 O + 1 G = 8; PA: A, C, E of 9 enrolments; SA: C.
    expect(get('Primary', 'overall_absence_perc').value).toBeCloseTo((100 * 8) / 90, 10);
    expect(get('Primary', 'attendance_perc').value).toBeCloseTo((100 * 82) / 90, 10);
    expect(get('Primary', 'illness_perc').value).toBeCloseTo((100 * 2) / 90, 10);
    expect(get('Primary', 'unauth_oth_perc').value).toBeCloseTo((100 * 5) / 90, 10);
    expect(get('Primary', 'pa_perc').value).toBeCloseTo((100 * 3) / 9, 10);
    expect(get('Primary', 'sa_perc').value).toBeCloseTo((100 * 1) / 9, 10);

    const published = (await publishedComparators(duck, layout)).find((r) => r.laCode === '332' && r.phase === 'Primary' && r.measure === 'overall_absence_perc')!;
    const primary = get('Primary', 'overall_absence_perc');
    expect(primary.publishedValue).toBe(published.value);
    expect(primary.neighbours).toEqual(published.neighbours);
    expect(primary.snAverage).toBeCloseTo(published.snAverage!, 12);
    expect(primary.englandValue).toBe(published.englandValue);
    expect(primary.regionValue).toBe(published.regionValue);
    // 8.9 % is above every neighbour's published primary absence (all about 5 %).
    expect(primary.snRank).toBe(11);
    expect(primary.gapToEngland!.pp).toBeCloseTo(primary.value! - published.englandValue!, 12);
    expect(primary.gapToEngland!.daysPerPupil).toBeCloseTo((primary.gapToEngland!.pp / 100) * (90 / 9) / 2, 12);

    // The DfE file has no LA Total: England's and the region's Total rows, no neighbours.
    const total = get('Total', 'overall_absence_perc');
    expect(total.value).toBeCloseTo((100 * 8) / 90, 10);
    expect(total.englandValue).toBeCloseTo(6.9, 0);
    expect(total.regionValue).not.toBeNull();
    expect(total.neighbours).toEqual([]);
    expect(total.snRank).toBe(1);
  });
});

describe('similar schools', () => {
  it('picks the same-phase schools of the LA, nearest first, and places the school among them', async () => {
    const r = await similarSchoolsFor(duck, layout, { urn: 100001, academicYear: '2024/25' });
    expect(r.comparators.map((c) => c.urn)).toEqual([100002, 100003, 100004]);
    expect(r.smallGroup).toBe(true);
    expect(r.comparators[0].overallAbsencePerc).toBeCloseTo(25, 10);
    // School 100001 is at 10 %: above 100003 (3.3 %) and 100004 (0 %), below 100002 (25 %).
    expect(r.overallAbsence).toMatchObject({ rank: 3, quartile: 3, groupSize: 3 });
    expect(r.overallAbsence!.percentile).toBeCloseTo(200 / 3, 10);
  });

  it('nationally, includes schools of other LAs', async () => {
    const r = await similarSchoolsFor(duck, layout, { urn: 100001, academicYear: '2024/25', within: 'national' });
    expect(r.comparators[0].urn).toBe(100006);
    expect(r.comparators.map((c) => c.urn)).not.toContain(100005);
  });
});

describe('where to help first', () => {
  it('ranks the LA’s schools from persistent and severe absence, with reasons', async () => {
    const ranked = await whereToHelpFirst(duck, layout, { laCode: '332', academicYear: '2024/25' });
    expect(ranked.map((r) => r.urn)).toEqual([100002, 100001, 100003, 100004]);
    expect(ranked[0]).toMatchObject({ rank: 1, persistentAbsentees: 1, severeAbsentees: 1, paPerc: 50, saPerc: 50 });
    expect(ranked[0].reasons.join(' ')).toContain('Severe absence 50.0% (1 pupils)');
    expect(ranked[0].reasons.at(-1)).toContain('No figures for a year earlier');
  });
});
