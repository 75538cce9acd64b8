/**
 * The CLI exports (FORMATS.md §5) over a small lake written by the real loader, against figures
 * worked out by hand from the returns below.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { run } from '../cli/main.js';
import { fixtureUpn, marksCsv, pupilsCsv, schoolDays, schoolListCsv, tempDir, writeReturn } from '../testing/fixtures.js';
import { ExportError, summaryColumns, timePeriodOf, writeSummary, type SummaryKind, type SummaryOptions } from './summaries.js';

const P = 103812; // primary
const S = 103813; // secondary
const [A, B, C, D, E, F] = [1, 2, 3, 4, 5, 6].map(fixtureUpn);

let root: string;
let layout: DataLayout;
let duck: Duck;

beforeAll(async () => {
  duck = await openDuck();
  root = tempDir();
  layout = dataLayout(path.join(root, 'data'));
  writeFileSync(
    path.join(root, 'schools.csv'),
    schoolListCsv([
      { urn: P, la: '332', name: 'Fixture Primary', phase: 'State-funded primary' },
      { urn: S, la: '332', name: 'Fixture Secondary', phase: 'State-funded secondary' },
    ]),
  );
  const returns: [string, Record<string, string>][] = [];
  const nov = schoolDays('2024-11-04', 5);
  const jan = schoolDays('2025-01-06', 5);
  const may = schoolDays('2025-05-19', 10); // 26 May 2025 starts summer HT2
  returns.push(['p-autumn', {
    'pupils.csv': pupilsCsv(P, [
      { upn: A, dob: '2016-03-01', ncYear: '3' },
      { upn: B, dob: '2020-01-15', ncYear: 'R' }, // aged 4 on 31 August 2024
      { upn: C, dob: '2014-05-20', ncYear: '5' },
    ]),
    'marks.csv': marksCsv(P, nov, {
      [A]: ['/', '\\', 'I', 'I', '/', 'L', 'O', '\\', '/', '\\'],
      [B]: ['/', '\\', '/', '\\', 'N', 'N', '/', '\\', '/', '\\'],
      [C]: ['/', '\\', 'D', 'D', 'D', 'D', 'G', 'G', '/', '\\'],
    }),
  }]);
  returns.push(['p-spring', {
    'pupils.csv': pupilsCsv(P, [{ upn: A, dob: '2016-03-01', ncYear: '3' }, { upn: B, dob: '2020-01-15', ncYear: 'R' }]),
    'marks.csv': marksCsv(P, jan, { [A]: [...Array<string>(9).fill('N'), '/'], [B]: Array<string>(10).fill('/') }),
  }]);
  returns.push(['s-autumn', {
    'pupils.csv': pupilsCsv(S, [
      { upn: D, dob: '2009-01-10', ncYear: '11' }, // aged 15 on 31 August 2024
      { upn: E, dob: '2011-02-02', ncYear: '9', boarder: true },
    ]),
    'marks.csv': marksCsv(S, nov, { [D]: ['/', '\\', '/', '\\', '/', '\\', '/', '\\', 'M', 'M'], [E]: Array<string>(10).fill('/') }),
  }]);
  const summerMarks = marksCsv(S, may, { [D]: [...Array<string>(10).fill('/'), ...Array<string>(10).fill('O')] });
  const fMarks = may.slice(5).flatMap((d) => [`${S},${F},${d},AM,/,`, `${S},${F},${d},PM,I,`]); // joins in summer HT2
  returns.push(['s-summer', {
    'pupils.csv': pupilsCsv(S, [
      { upn: D, dob: '2009-01-10', ncYear: '11' },
      { upn: F, dob: '2011-03-03', ncYear: '9', admission: '2025-05-26' },
    ]),
    'marks.csv': summerMarks + fMarks.join('\n') + '\n',
  }]);
  expect((await loadPath(path.join(root, 'schools.csv'), { layout })).loaded).toBe(1);
  for (const [name, files] of returns) {
    const summary = await loadPath(writeReturn(path.join(root, name), files), { layout });
    expect(summary.returns[0]!.problems.filter((p) => p.severity === 'error')).toEqual([]);
  }
});
afterAll(() => duck?.close());

const YEAR = { from: '2024-08-01', to: '2025-07-31' };
const opts = (o: Partial<SummaryOptions> = {}): SummaryOptions => ({ layout, ...YEAR, scope: 'operational', ...o });

async function exportRows(kind: SummaryKind, o: Partial<SummaryOptions> = {}, ext = 'csv') {
  const out = path.join(root, 'out', `${kind}-${Math.random().toString(36).slice(2)}.${ext}`);
  const result = await writeSummary(duck, kind, opts(o), out);
  const reader = ext === 'csv' ? `read_csv($f, header = true, all_varchar = true)` : 'read_parquet($f)';
  const rows = await duck.all<Record<string, unknown>>(`SELECT * FROM ${reader}`, { f: out });
  const header = ext === 'csv' ? readFileSync(out, 'utf8').split('\n')[0]!.split(',') : Object.keys(rows[0] ?? {});
  return { result, rows, header };
}

describe('export pupil-summary', () => {
  it('has the columns of FORMATS.md §5, in order, then one reason column per code', async () => {
    const { header, rows } = await exportRows('pupil-summary');
    expect(header).toEqual(summaryColumns('pupil-summary'));
    expect(header.slice(0, 19)).toEqual([
      'urn', 'upn', 'nc_year', 'possible_sessions', 'present_sessions', 'approved_educational_activity', 'authorised_absence',
      'unauthorised_absence', 'overall_absence', 'late_sessions', 'attendance_perc', 'overall_absence_perc', 'authorised_absence_perc',
      'unauthorised_absence_perc', 'persistent_absentee', 'severe_absentee', 'absence_band', 'days_missed', 'penalty_threshold_met',
    ]);
    expect(header).toContain('reason_present_am');
    expect(header).toContain('reason_c2');
    expect(rows).toHaveLength(6);
  });

  it('operational scope: every enrolment, measures summed over the terms of the period', async () => {
    const { rows } = await exportRows('pupil-summary');
    const a = rows.find((r) => r.upn === A)!;
    // A: autumn 10 possible (7 present incl. L, 2 I, 1 O); spring 9 N and 1 present.
    expect(a).toMatchObject({
      urn: String(P), nc_year: '3', possible_sessions: '20', present_sessions: '8', authorised_absence: '2', unauthorised_absence: '10',
      overall_absence: '12', late_sessions: '1', attendance_perc: '40.0', overall_absence_perc: '60.0', persistent_absentee: 'Y',
      severe_absentee: 'Y', absence_band: '50+', days_missed: '6.0', reason_n: '9', reason_o: '1', reason_i: '2', reason_present_am: '4',
    });
    // The penalty-notice threshold: 1 O in November and 9 N in January, 2 school weeks apart (§5.1).
    expect(a.penalty_threshold_met).toBe('Y');
    const c = rows.find((r) => r.upn === C)!;
    expect(c).toMatchObject({ possible_sessions: '6', unauthorised_absence: '2', reason_d: '4', penalty_threshold_met: 'N', absence_band: '30-35' });
    const f = rows.find((r) => r.upn === F)!;
    expect(f).toMatchObject({ possible_sessions: '10', authorised_absence: '5', overall_absence_perc: '50.0', severe_absentee: 'Y' });
  });

  it('DfE scope: no under-5s, boarders or summer-HT2 joiners, and 15-year-olds lose summer HT2 (§2.2)', async () => {
    const { rows, result } = await exportRows('pupil-summary', { scope: 'dfe' });
    expect(rows.map((r) => r.upn).sort()).toEqual([A, C, D].sort());
    expect(result.scopeLabel).toMatch(/DfE statistics/);
    // D: 10 autumn (2 M) + 10 summer HT1; the 10 O sessions in HT2 are removed: exactly 10 % → persistent.
    expect(rows.find((r) => r.upn === D)).toMatchObject({ possible_sessions: '20', overall_absence: '2', unauthorised_absence: '0', persistent_absentee: 'Y', absence_band: '10-15' });
  });

  it('takes any date range, counting earlier terms as penalty-notice history', async () => {
    const { rows } = await exportRows('pupil-summary', { from: '2025-01-01', to: '2025-01-31', urn: P });
    expect(rows.map((r) => r.upn).sort()).toEqual([A, B].sort());
    expect(rows.find((r) => r.upn === A)).toMatchObject({ possible_sessions: '10', unauthorised_absence: '9', penalty_threshold_met: 'Y', days_missed: '4.5' });
    // Up to Thursday 9 January: 1 O + 8 N, not yet 10.
    const early = await exportRows('pupil-summary', { from: '2025-01-01', to: '2025-01-09', urn: P });
    expect(early.rows.find((r) => r.upn === A)).toMatchObject({ unauthorised_absence: '8', penalty_threshold_met: 'N' });
  });

  it('writes Parquet when the file ends so', async () => {
    const { rows, header } = await exportRows('pupil-summary', { urn: S }, 'parquet');
    expect(header).toEqual(summaryColumns('pupil-summary'));
    expect(rows.map((r) => r['upn']).sort()).toEqual([D, E, F].sort());
  });
});

describe('export school-summary and la-summary (DfE tidy format plus pa_perc, sa_perc)', () => {
  it('school summary: sums then divides, PA and SA over enrolments', async () => {
    const { rows, header, result } = await exportRows('school-summary', { scope: 'dfe' });
    expect(header).toEqual(summaryColumns('school-summary'));
    expect(header.slice(0, 12)).toEqual(['time_period', 'time_identifier', 'geographic_level', 'region_name', 'new_la_code', 'la_name', 'old_la_code', 'school_type', 'school_urn', 'school_laestab', 'school_name', 'enrolments']);
    expect(result).toMatchObject({ timePeriod: '202425', timeIdentifier: 'Academic year' });
    const p = rows.find((r) => r.school_urn === String(P))!;
    // A (20 possible, 12 absent) and C (6 possible, 2 absent): both persistent, A severe.
    expect(p).toMatchObject({
      time_period: '202425', geographic_level: 'School', old_la_code: '332', la_name: 'Dudley', school_type: 'Primary', enrolments: '2',
      possible_sessions: '26', overall_absence: '14', overall_attendance: '12', reason_n_no_reason_yet: '9', reason_d_dual_registration: '4',
      pa_perc: '100.0', sa_perc: '50.0',
    });
    expect(Number(p.overall_absence_perc)).toBeCloseTo((14 / 26) * 100, 10);
    expect(rows.find((r) => r.school_urn === String(S))).toMatchObject({ school_type: 'Secondary', enrolments: '1', possible_sessions: '20', pa_perc: '100.0', sa_perc: '0.0' });
  });

  it('LA summary: one row per phase and a Total', async () => {
    const { rows, header } = await exportRows('la-summary', { scope: 'dfe' });
    expect(header).toEqual(summaryColumns('la-summary'));
    expect(rows.map((r) => r.school_type)).toEqual(['Primary', 'Secondary', 'Total']);
    const total = rows.find((r) => r.school_type === 'Total')!;
    expect(total).toMatchObject({ geographic_level: 'Local authority', enrolments: '3', possible_sessions: '46', overall_absence: '16', authorised_absence: '4', unauthorised_absence: '12' });
    expect(Number(total.pa_perc)).toBe(100);
    expect(Number(total.sa_perc)).toBeCloseTo(100 / 3, 10);
    // Operational scope adds B, E and F.
    const op = await exportRows('la-summary', { scope: 'operational' });
    expect(op.rows.find((r) => r.school_type === 'Total')).toMatchObject({ enrolments: '6' });
  });
});

describe('errors and periods', () => {
  it.each([
    [{ from: '2024-13-01' }, 'DATE_INVALID'],
    [{ from: '2025-02-01', to: '2025-01-01' }, 'RANGE_INVALID'],
    [{ urn: 999999 }, 'URN_UNKNOWN'],
    [{ from: '2023-01-01', to: '2023-12-31' }, 'NO_DATA'],
  ] as const)('%j → %s', async (o, code) => {
    await expect(writeSummary(duck, 'pupil-summary', opts(o), path.join(root, 'x.csv'))).rejects.toMatchObject({ code });
  });

  it('refuses an out file that is neither .csv nor .parquet, and an empty data folder', async () => {
    await expect(writeSummary(duck, 'la-summary', opts(), path.join(root, 'x.xlsx'))).rejects.toBeInstanceOf(ExportError);
    const empty = dataLayout(path.join(tempDir(), 'data'));
    await expect(writeSummary(duck, 'la-summary', opts({ layout: empty }), path.join(root, 'x.csv'))).rejects.toMatchObject({ code: 'NO_DATA' });
  });

  it('names the period as DfE files do', () => {
    expect(timePeriodOf('2024-08-01', '2025-07-31')).toEqual({ timePeriod: '202425', timeIdentifier: 'Academic year' });
    expect(timePeriodOf('2025-01-01', '2025-04-20')).toEqual({ timePeriod: '202425', timeIdentifier: 'Spring term' });
    expect(timePeriodOf('2024-09-01', '2024-10-31')).toEqual({ timePeriod: '202425', timeIdentifier: 'From 2024-09-01 to 2024-10-31' });
    expect(timePeriodOf('2024-06-01', '2024-09-30').timePeriod).toBe('202324-202425');
  });
});

describe('npx rollbook export …', () => {
  it('writes the file and exits 0; exits 1 with the error code on a bad request', async () => {
    const out = path.join(root, 'cli', 'la.csv');
    const base = ['node', 'rollbook', '--data-dir', layout.root, 'export'];
    expect(await run([...base, 'la-summary', '--from', '2024-08-01', '--to', '2025-07-31', '--out', out])).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe(summaryColumns('la-summary').join(','));
    expect(await run([...base, 'pupil-summary', '--from', '2024-08-01', '--to', '2025-07-31', '--urn', '999999', '--out', out])).toBe(1);
    expect(await run([...base, 'pupil-summary', '--from', '2024-08-01', '--to', '2025-07-31', '--scope', 'all', '--out', out])).not.toBe(0);
  });
});
