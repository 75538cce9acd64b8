import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { inRegisterOrder } from './load-returns.js';
import { returnFilesFromFolder } from './source.js';
import { run } from '../cli/main.js';
import { hashInput, type SubmissionRecord } from '../submissions.js';
import { FIXTURE_URN, fixtureUpn, marksCsv, pupilsCsv, schoolDays, schoolListCsv, tempDir, writeReturn } from '../testing/fixtures.js';

const A = fixtureUpn(1); // Year 3, 10 sessions: 2 illness, 1 unauthorised
const B = fixtureUpn(2); // Reception, aged 4 on 31 August: operational only
const C = fixtureUpn(3); // Year 5, dual registered half the time: D is not a possible session
const days = schoolDays('2024-11-04', 5);
const pupils = () =>
  pupilsCsv(FIXTURE_URN, [
    { upn: A, dob: '2016-03-01', ncYear: '3' },
    { upn: B, dob: '2020-01-15', ncYear: 'R' },
    { upn: C, dob: '2014-05-20', ncYear: '5' },
  ]);
const marks = (overrides: Record<string, string[]> = {}) =>
  marksCsv(FIXTURE_URN, days, {
    [A]: ['/', '\\', 'I', 'I', '/', 'L', 'O', '\\', '/', '\\'],
    [B]: ['/', '\\', '/', '\\', 'N', 'N', '/', '\\', '/', '\\'],
    [C]: ['/', '\\', 'D', 'D', 'D', 'D', 'G', 'G', '/', '\\'],
    ...overrides,
  });

let root: string;
let layout: DataLayout;
let duck: Duck;

async function martRows(scope: string) {
  return duck.all<Record<string, number | string>>(
    `SELECT * FROM read_parquet($glob, hive_partitioning = true) WHERE scope = $scope ORDER BY upn`,
    { glob: path.join(layout.marts, 'fct_enrolment_term', '**', '*.parquet'), scope },
  );
}

beforeAll(async () => {
  duck = await openDuck();
});
afterAll(() => duck.close());

beforeEach(async () => {
  root = tempDir();
  layout = dataLayout(path.join(root, 'data'));
  writeFileSync(path.join(root, 'schools.csv'), schoolListCsv([{ urn: FIXTURE_URN, la: '332', name: 'Fixture Primary' }]));
  const s = await loadPath(path.join(root, 'schools.csv'), { layout });
  expect(s.loaded).toBe(1);
});

describe('loading a termly return', () => {
  it('writes the lake and the mart for its school × term partition, counting by the code table', async () => {
    const dir = writeReturn(path.join(root, 'ret'), { 'pupils.csv': pupils(), 'marks.csv': marks() });
    const summary = await loadPath(dir, { layout });
    expect(summary.returns[0].problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(summary.returns[0].partition).toEqual({ laCode: '332', academicYear: '2024/25', term: 'autumn', urn: FIXTURE_URN });
    const part = 'la=332/academic_year=2024-25/term=autumn/urn=103812/part-0.parquet';
    for (const d of ['lake/marks', 'lake/pupils']) expect(existsSync(path.join(layout.root, d, part))).toBe(true);
    // The mart is one file per LA × year × term (ADR 0002).
    expect(existsSync(path.join(layout.marts, 'fct_enrolment_term', 'la=332/academic_year=2024-25/term=autumn/part-0.parquet'))).toBe(true);

    const op = await martRows('operational');
    expect(op.map((r) => r.upn)).toEqual([A, B, C].sort());
    const a = op.find((r) => r.upn === A)!;
    // possible = present 6 (incl. L) + auth 2 (I) + unauth 1 (O) … all ten sessions are possible
    expect([a.possible_sessions, a.present_sessions, a.authorised_absence, a.unauthorised_absence, a.overall_absence, a.late_sessions]).toEqual([10, 7, 2, 1, 3, 1]);
    expect(a.reason_i).toBe(2);
    const c = op.find((r) => r.upn === C)!;
    // D (dual registration) is not a possible session (methodology §1.1)
    expect([c.possible_sessions, c.unauthorised_absence, c.reason_d]).toEqual([6, 2, 4]);

    // DfE scope: the Reception child aged 4 on 31 August 2024 is out (methodology §2.2)
    const dfe = await martRows('dfe');
    expect(dfe.map((r) => r.upn)).toEqual([A, C].sort());
    expect(dfe.find((r) => r.upn === A)!.age_at_31_august).toBe(8);
  });

  it('replaces the partition when the same school and term is loaded again, and is idempotent', async () => {
    const dir = writeReturn(path.join(root, 'ret'), { 'pupils.csv': pupils(), 'marks.csv': marks() });
    await loadPath(dir, { layout });
    await loadPath(dir, { layout });
    expect((await martRows('operational')).length).toBe(3);
    writeReturn(dir, { 'marks.csv': marks({ [A]: ['/', '\\', '/', '\\', '/', '\\', '/', '\\', '/', '\\'] }) });
    await loadPath(dir, { layout });
    const op = await martRows('operational');
    expect(op.length).toBe(3);
    expect(op.find((r) => r.upn === A)!.overall_absence).toBe(0);
  });
});

describe('the order returns are batched in', () => {
  it('takes returns by the first date of their marks.csv, those without one last, otherwise as given', () => {
    const at = (name: string, files: Record<string, string>) => returnFilesFromFolder(writeReturn(path.join(root, 'order', name), files));
    const spring = at('a-spring', { 'pupils.csv': pupils(), 'marks.csv': marksCsv(FIXTURE_URN, schoolDays('2025-01-06', 2), { [A]: ['/', '\\', '/', '\\'] }) });
    const autumn = at('b-autumn', { 'pupils.csv': pupils(), 'marks.csv': marks() });
    const noMarks = at('c-none', { 'pupils.csv': pupils() });
    const autumnAgain = at('d-autumn', { 'pupils.csv': pupils(), 'marks.csv': marks() });
    expect(inRegisterOrder([noMarks, spring, autumn, autumnAgain]).map((r) => path.basename(r.source))).toEqual(['b-autumn', 'd-autumn', 'a-spring', 'c-none']);
  });
});

describe('lines in a batch of large returns', () => {
  // marks.csv is staged in whatever order the reader's threads give (stageCsvFiles, ordered =
  // false): a return with a problem is read again in order, so the lines it is told are its own.
  it('names the true line of each problem deep in one return of a batch read in parallel, and loads the others', async () => {
    const urns = [0, 1, 2, 3].map((i) => FIXTURE_URN + 10 + i);
    writeFileSync(path.join(root, 'schools4.csv'), schoolListCsv(urns.map((urn, i) => ({ urn, la: '332', name: `Large ${i}` }))));
    expect((await loadPath(path.join(root, 'schools4.csv'), { layout })).loaded).toBe(1);
    const term = schoolDays('2024-09-02', 60);
    const upns = Array.from({ length: 150 }, (_, i) => fixtureUpn(100 + i));
    for (const [i, urn] of urns.entries()) {
      const text = marksCsv(urn, term, Object.fromEntries(upns.map((u) => [u, term.flatMap(() => ['/', '\\'])])));
      const lines = text.split('\n');
      if (i === 2) {
        // line 15,001 (data row 15,000) gets a code that does not exist; line 16,500 minutes late below zero
        lines[15000] = lines[15000].replace(/,[\/\\\\],$/, ',ZZ,');
        lines[16499] = lines[16499].replace(/,$/, ',-4');
      }
      writeReturn(path.join(root, 'batch', String(urn)), {
        'pupils.csv': pupilsCsv(urn, upns.map((upn) => ({ upn, dob: '2016-03-01', ncYear: '3' }))),
        'marks.csv': lines.join('\n'),
      });
    }
    const summary = await loadPath(path.join(root, 'batch'), { layout });
    const bad = summary.returns.find((r) => r.identity?.urn === urns[2])!;
    expect(bad.status).toBe('rejected');
    expect(bad.problems.filter((p) => p.severity === 'error').map((p) => [p.code, p.line, p.column])).toEqual([
      ['MARK_CODE_INVALID', 15001, 'mark'],
      ['MARK_MINUTES_LATE_INVALID', 16500, 'minutes_late'],
    ]);
    expect(summary.returns.filter((r) => r.status === 'loaded').map((r) => r.identity?.urn).sort()).toEqual([urns[0], urns[1], urns[3]]);
    for (const r of summary.returns.filter((x) => x.status === 'loaded')) expect(r.marks).toBe(150 * 120);
  });
});

describe('rejecting a bad return, naming file, line and column', () => {
  const cases: { rule: string; files: () => Record<string, string>; latin1?: string; code: string; file: string; line?: number; column?: string }[] = [
    { rule: 'register code not valid in the year (H retired in 2024)', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks({ [A]: ['/', 'H', '/', '\\', '/', '\\', '/', '\\', '/', '\\'] }) }), code: 'MARK_CODE_INVALID', file: 'marks.csv', line: 3, column: 'mark' },
    { rule: 'UPN check letter wrong', files: () => ({ 'pupils.csv': pupils().replace(A, (A[0] === 'A' ? 'B' : 'A') + A.slice(1)), 'marks.csv': marks() }), code: 'PUPIL_UPN_INVALID', file: 'pupils.csv', line: 2, column: 'upn' },
    { rule: 'same pupil and session marked twice', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks() + `${FIXTURE_URN},${A},${days[0]},AM,/,\n` }), code: 'MARK_DUPLICATE', file: 'marks.csv', column: 'session' },
    {
      // Sessions past the first 64 of the batch, marked twice with different codes.
      rule: 'same pupil and session marked twice, weeks into the term, with two codes',
      files: () => {
        const term = schoolDays('2024-09-09', 40);
        return { 'pupils.csv': pupils(), 'marks.csv': marksCsv(FIXTURE_URN, term, { [A]: term.flatMap(() => ['/', '\\']) }) + `${FIXTURE_URN},${A},${term[39]},PM,I,\n` };
      },
      code: 'MARK_DUPLICATE', file: 'marks.csv', line: 81, column: 'session',
    },
    { rule: 'marks for a pupil missing from pupils.csv', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks() + `${FIXTURE_URN},${fixtureUpn(9)},${days[0]},AM,/,\n` }), code: 'MARK_PUPIL_UNKNOWN', file: 'marks.csv', line: 32, column: 'upn' },
    { rule: 'marks after the leaving date', files: () => ({ 'pupils.csv': pupils().replace(`${A},Test0,Pupil,2016-03-01,M,WBRI,3,2020-09-01,`, `${A},Test0,Pupil,2016-03-01,M,WBRI,3,2020-09-01,2024-11-05`), 'marks.csv': marks() }), code: 'MARK_AFTER_LEAVING', file: 'marks.csv', column: 'date' },
    { rule: 'minutes late that are not a number', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${A},${days[2]},PM,L,7`, `${A},${days[2]},PM,L,seven`) }), code: 'MARK_MINUTES_LATE_INVALID', file: 'marks.csv', line: 7, column: 'minutes_late' },
    { rule: 'minutes late below zero', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${A},${days[2]},PM,L,7`, `${A},${days[2]},PM,L,-7`) }), code: 'MARK_MINUTES_LATE_INVALID', file: 'marks.csv', line: 7, column: 'minutes_late' },
    { rule: "a mark for another school's URN", files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${FIXTURE_URN},${A},${days[1]},AM`, `100000,${A},${days[1]},AM`) }), code: 'MARK_URN_MISMATCH', file: 'marks.csv', line: 4, column: 'urn' },
    { rule: 'a URN in marks.csv that is not a number', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${FIXTURE_URN},${A},${days[1]},AM`, `URN${FIXTURE_URN},${A},${days[1]},AM`) }), code: 'MARK_URN_MISMATCH', file: 'marks.csv', line: 4, column: 'urn' },
    { rule: 'a date that is not a date', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${A},${days[1]},PM`, `${A},2024-11-31,PM`) }), code: 'MARK_DATE_INVALID', file: 'marks.csv', line: 5, column: 'date' },
    { rule: 'a Saturday is not a school day', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${A},${days[4]},PM`, `${A},2024-11-09,PM`) }), code: 'MARK_DATE_NOT_SCHOOL_DAY', file: 'marks.csv', column: 'date' },
    { rule: 'session other than AM/PM', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${A},${days[0]},AM`, `${A},${days[0]},XM`) }), code: 'MARK_SESSION_INVALID', file: 'marks.csv', line: 2, column: 'session' },
    { rule: 'marks spanning two terms', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks().replace(`${A},${days[4]},PM`, `${A},2025-01-06,PM`) }), code: 'RETURN_SPANS_TERMS', file: 'marks.csv', column: 'date' },
    { rule: 'required column missing', files: () => ({ 'pupils.csv': pupils().replace(',sex,', ',gender,'), 'marks.csv': marks() }), code: 'COLUMN_MISSING', file: 'pupils.csv', line: 1, column: 'sex' },
    { rule: 'malformed CSV (unterminated quote)', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': marks() + `${FIXTURE_URN},"${A},${days[0]},AM,/,\n` }), code: 'CSV_MALFORMED', file: 'marks.csv' },
    { rule: 'not UTF-8 (Windows-1252 names)', files: () => ({ 'pupils.csv': pupils().replace('Test0', 'Zo\u00eb'), 'marks.csv': marks() }), latin1: 'pupils.csv', code: 'FILE_NOT_UTF8', file: 'pupils.csv', line: 2, column: 'forename' },
    { rule: 'empty file', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': '' }), code: 'FILE_EMPTY', file: 'marks.csv' },
    { rule: 'binary file named .csv', files: () => ({ 'pupils.csv': pupils(), 'marks.csv': 'PK\u0003\u0004\u0000\u0000binary' }), code: 'FILE_NOT_CSV', file: 'marks.csv' },
    { rule: 'marks.csv missing', files: () => ({ 'pupils.csv': pupils() }), code: 'RETURN_FILE_MISSING', file: 'marks.csv' },
    { rule: 'a school not in the school list', files: () => ({ 'pupils.csv': pupils().replaceAll(`${FIXTURE_URN},`, '999999,'), 'marks.csv': marks().replaceAll(`${FIXTURE_URN},`, '999999,') }), code: 'SCHOOL_UNKNOWN', file: 'pupils.csv', column: 'urn' },
  ];

  for (const c of cases) {
    it(`${c.rule}: ${c.code}, nothing written`, async () => {
      const dir = writeReturn(path.join(root, 'bad'), c.files());
      if (c.latin1) writeFileSync(path.join(dir, c.latin1), Buffer.from(c.files()[c.latin1], 'latin1'));
      const summary = await loadPath(dir, { layout });
      const report = summary.returns[0];
      expect(report.status).toBe('rejected');
      const problem = report.problems.find((p) => p.code === c.code && p.severity === 'error');
      expect(problem, JSON.stringify(report.problems, null, 1)).toBeDefined();
      expect(problem!.file).toBe(c.file);
      if (c.line !== undefined) expect(problem!.line).toBe(c.line);
      if (c.column !== undefined) expect(problem!.column).toBe(c.column);
      expect(problem!.message.length).toBeGreaterThan(5);
      expect(existsSync(path.join(layout.marts, 'fct_enrolment_term'))).toBe(false);
      expect(existsSync(path.join(layout.lake, 'marks'))).toBe(false);
      expect(readdirSync(layout.tmp).filter((f) => f.endsWith('.parquet'))).toEqual([]);
    });
  }
});

describe('a return sent as a .zip', () => {
  it('loads the same as the folder', async () => {
    const dir = writeReturn(path.join(root, 'ret'), { 'pupils.csv': pupils(), 'marks.csv': marks() });
    const zip = path.join(root, 'return.zip');
    execFileSync('python3', ['-c', `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\nfor n in ['pupils.csv','marks.csv']: z.write(sys.argv[2]+'/'+n, 'export/'+n)\nz.close()`, zip, dir]);
    const summary = await loadPath(zip, { layout });
    expect(summary.returns[0].status).toBe('loaded');
    expect((await martRows('operational')).length).toBe(3);
    expect(readdirSync(layout.tmp)).toEqual([]);
  });

  it('refuses entries that would escape the folder (path traversal)', async () => {
    const zip = path.join(root, 'evil.zip');
    execFileSync('python3', ['-c', `import zipfile,sys\nz=zipfile.ZipFile(sys.argv[1],'w')\nz.writestr('../../pupils.csv','x')\nz.writestr('marks.csv','y')\nz.close()`, zip]);
    const summary = await loadPath(zip, { layout });
    expect(summary.returns[0].status).toBe('rejected');
    expect(summary.returns[0].problems.map((p) => p.code)).toContain('ZIP_UNSAFE_PATH');
    expect(existsSync(path.join(root, 'pupils.csv'))).toBe(false);
  });
});

describe('amendments and suspensions', () => {
  const amendments = () =>
    `urn,upn,date,session,original_mark,amended_mark,reason,amended_on,amended_by\n${FIXTURE_URN},${A},${days[1]},AM,N,I,Parent phoned: illness,${days[2]},attendance.officer\n`;
  const suspensions = () => `urn,upn,category,start_date,sessions,reason\n${FIXTURE_URN},${C},SUSP,${days[3]},2,Persistent disruption\n`;

  it('keeps the amendment history and suspensions in the lake, and drops them when a later return has none', async () => {
    const dir = writeReturn(path.join(root, 'ret'), { 'pupils.csv': pupils(), 'marks.csv': marks(), 'amendments.csv': amendments(), 'suspensions.csv': suspensions() });
    const report = (await loadPath(dir, { layout })).returns[0];
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const rows = await duck.all<Record<string, unknown>>(
      `SELECT upn, original_mark, amended_mark, reason, amended_by FROM read_parquet($f)`,
      { f: path.join(layout.lake, 'amendments', 'la=332/academic_year=2024-25/term=autumn/urn=103812/part-0.parquet') },
    );
    expect(rows).toEqual([{ upn: A, original_mark: 'N', amended_mark: 'I', reason: 'Parent phoned: illness', amended_by: 'attendance.officer' }]);
    // Queryable for a period: rollbook export amendments.
    const out = path.join(root, 'amendments.csv');
    expect(await run(['node', 'rollbook', 'export', 'amendments', '--from', '2024-11-01', '--to', '2024-11-30', '--urn', String(FIXTURE_URN), '--out', out, '--data-dir', layout.root])).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual([
      'la_code,academic_year,term,urn,upn,date,session,original_mark,amended_mark,reason,amended_on,amended_by',
      `332,2024/25,autumn,${FIXTURE_URN},${A},${days[1]},AM,N,I,Parent phoned: illness,${days[2]},attendance.officer`,
    ]);
    const susp = path.join(layout.lake, 'suspensions', 'la=332/academic_year=2024-25/term=autumn/urn=103812/part-0.parquet');
    expect(existsSync(susp)).toBe(true);
    writeReturn(path.join(root, 'ret2'), { 'pupils.csv': pupils(), 'marks.csv': marks() });
    await loadPath(path.join(root, 'ret2'), { layout });
    expect(existsSync(susp)).toBe(false);
  });

  it('rejects an amendment that does not say who made it, or whose amended mark is not in the register', async () => {
    const bad = amendments().replace(',attendance.officer', ',').replace(',N,I,', ',N,G,');
    const dir = writeReturn(path.join(root, 'ret'), { 'pupils.csv': pupils(), 'marks.csv': marks(), 'amendments.csv': bad });
    const report = (await loadPath(dir, { layout })).returns[0];
    expect(report.status).toBe('rejected');
    const codes = report.problems.map((p) => `${p.code}@${p.file}:${p.line}:${p.column}`);
    expect(codes).toContain('AMENDMENT_WHO_MISSING@amendments.csv:2:amended_by');
    expect(codes).toContain('AMENDMENT_NOT_IN_REGISTER@amendments.csv:2:amended_mark');
  });
});

describe('a batch of returns', () => {
  it('loads the good ones and rejects only the bad one, with the line in that return\'s own file', async () => {
    const other = 103813;
    writeFileSync(path.join(root, 'schools.csv'), schoolListCsv([{ urn: FIXTURE_URN, la: '332', name: 'Fixture Primary' }, { urn: other, la: '332', name: 'Second Primary' }]));
    await loadPath(path.join(root, 'schools.csv'), { layout });
    const batch = path.join(root, 'batch');
    writeReturn(path.join(batch, 'a-autumn'), { 'pupils.csv': pupils(), 'marks.csv': marks() });
    // Same school, spring term: the H on its 4th data row is not a 2024/25 code.
    const spring = schoolDays('2025-01-06', 5);
    writeReturn(path.join(batch, 'b-spring'), {
      'pupils.csv': pupils(),
      'marks.csv': marksCsv(FIXTURE_URN, spring, { [A]: ['/', '\\', '/', 'H', '/', '\\', '/', '\\', '/', '\\'], [C]: ['/', '\\', '/', '\\', '/', '\\', '/', '\\', '/', '\\'] }),
    });
    const otherPupils = pupilsCsv(other, [{ upn: fixtureUpn(20), dob: '2015-02-02', ncYear: '4' }]);
    writeReturn(path.join(batch, 'c-other'), { 'pupils.csv': otherPupils, 'marks.csv': marksCsv(other, days, { [fixtureUpn(20)]: ['/', '\\', 'I', '\\'] }) });
    const summary = await loadPath(batch, { layout });
    const byName = Object.fromEntries(summary.returns.map((r) => [path.basename(r.source), r]));
    expect([byName['a-autumn'].status, byName['b-spring'].status, byName['c-other'].status]).toEqual(['loaded', 'rejected', 'loaded']);
    expect(byName['b-spring'].problems.filter((p) => p.severity === 'error')).toEqual([
      expect.objectContaining({ code: 'MARK_CODE_INVALID', file: 'marks.csv', line: 5, column: 'mark' }),
    ]);
    expect(byName['c-other'].partition).toEqual({ laCode: '332', academicYear: '2024/25', term: 'autumn', urn: other });
    const rows = await duck.all<{ urn: number; term: string; n: number }>(
      `SELECT urn, term, CAST(count(*) AS INTEGER) AS n FROM read_parquet($glob, hive_partitioning = true) WHERE scope = 'operational' GROUP BY ALL ORDER BY ALL`,
      { glob: path.join(layout.marts, 'fct_enrolment_term', '**', '*.parquet') },
    );
    expect(rows).toEqual([{ urn: FIXTURE_URN, term: 'autumn', n: 3 }, { urn: other, term: 'autumn', n: 1 }]);
  });
});

describe('the submission history', () => {
  it('records who sent what, its hash, the outcome and the report, and keeps a copy', async () => {
    const dir = writeReturn(path.join(root, 'ret'), { 'pupils.csv': pupils(), 'marks.csv': marks() });
    const bad = writeReturn(path.join(root, 'bad'), { 'pupils.csv': pupils(), 'marks.csv': marks({ [A]: ['/', 'H', '/', '\\', '/', '\\', '/', '\\', '/', '\\'] }) });
    await loadPath(path.join(root, 'ret'), { layout, submission: { submittedBy: 'officer@la.example', via: 'upload' } });
    await loadPath(bad, { layout, submission: { submittedBy: 'officer@la.example', via: 'upload' } });
    const pending = path.join(layout.root, 'submissions', 'pending');
    const records = readdirSync(pending).map((f) => JSON.parse(readFileSync(path.join(pending, f), 'utf8')) as SubmissionRecord);
    const loaded = records.find((r) => r.status === 'loaded')!;
    const rejected = records.find((r) => r.status === 'rejected')!;
    expect(loaded).toMatchObject({ submittedBy: 'officer@la.example', via: 'upload', kind: 'return', urn: FIXTURE_URN, term: 'autumn', academicYear: '2024/25', errors: 0, rows: { pupils: 3, marks: 30 } });
    expect(loaded.fileHash).toBe(await hashInput(dir));
    expect(readFileSync(path.join(layout.root, loaded.storedPath!, 'marks.csv'), 'utf8')).toBe(marks());
    expect(rejected.problems).toContainEqual(expect.objectContaining({ code: 'MARK_CODE_INVALID', line: 3 }));
    expect(rejected.fileHash).not.toBe(loaded.fileHash);
  });

  it('refuses a school the submitter does not send returns for', async () => {
    const dir = writeReturn(path.join(root, 'ret'), { 'pupils.csv': pupils(), 'marks.csv': marks() });
    const summary = await loadPath(dir, { layout, mayLoadSchool: (urn) => urn !== FIXTURE_URN });
    expect(summary.returns[0].status).toBe('rejected');
    expect(summary.returns[0].problems[0]).toMatchObject({ code: 'SCHOOL_NOT_YOURS', file: 'pupils.csv', column: 'urn' });
    expect(existsSync(path.join(layout.marts, 'fct_enrolment_term'))).toBe(false);
  });
});
