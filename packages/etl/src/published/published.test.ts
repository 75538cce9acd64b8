import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuck, type Duck } from '../duckdb.js';
import { dataLayout, ensureLayout, type DataLayout } from '../layout.js';
import { discover } from '../load.js';
import { InputRejectedError } from '../problems.js';
import { tempDir } from '../testing/fixtures.js';
import { detectPublished, loadPublished } from './published-statistics.js';
import { detectNeighbours, loadNeighbours } from './statistical-neighbours.js';

const PUBLIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data/dfe');
const YTD = path.join(PUBLIC, 'attendance-2024-25/EES_ytd_data_202425.csv');
const BY_TERM = path.join(PUBLIC, 'absence-2012-17/absence_by_term.zip');
const SN_CSV = path.join(PUBLIC, 'statistical-neighbours/dfe_sn_may_2025_long.csv');
const SN_XLSX = path.join(PUBLIC, 'statistical-neighbours/sn_may_2025.xlsx');

/** A .zip of stored (uncompressed) entries, written by hand so a test can hold unsafe names. */
function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** A few lines of the 2024/25 file: the header, England primary and Dudley primary. */
function ytdSample(): string {
  const lines = readFileSync(YTD, 'utf8').split('\n');
  const keep = lines.filter((l, i) => i === 0 || (l.includes('"National"') && l.includes('"Primary"')) || (l.includes('"Dudley"') && l.includes('"Primary"')));
  return keep.join('\n') + '\n';
}

let dir: string;
let layout: DataLayout;
let duck: Duck;

beforeAll(async () => {
  dir = tempDir('rollbook-published-');
  layout = ensureLayout(dataLayout(path.join(dir, 'data')));
  duck = await openDuck({ threads: 2 });
});
afterAll(() => {
  duck?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('recognising published statistics by structure', () => {
  it('takes the 2024/25 files, the zipped 2012–17 file and the neighbour lists for what they are', () => {
    expect(detectPublished(YTD)).toBe('ees-attendance');
    expect(detectPublished(BY_TERM)).toBe('ees-absence');
    expect(detectNeighbours(SN_CSV)).toBe('long-csv');
    expect(detectNeighbours(SN_XLSX)).toBe('dfe-workbook');
    // Not benchmark statistics: the technical guidance and the school-level release.
    expect(detectPublished(path.join(PUBLIC, 'attendance-2024-25/Tech_guidance_la.csv'))).toBeNull();
    // A DfE release of another kind is named as such, not taken for a school's return.
    const schoolLevel = path.join(PUBLIC, 'absence-2012-17/absence_number_missing_at_least_one_session_by_reason.zip');
    expect(detectPublished(schoolLevel)).toBe('ees-not-used');
    expect(discover(schoolLevel)[0].kind).toBe('published-statistics');
    // Whatever the file is called.
    const renamed = path.join(dir, 'whatever.csv');
    copyFileSync(YTD, renamed);
    expect(discover(renamed)[0].kind).toBe('published-statistics');
    expect(discover(BY_TERM)[0].kind).toBe('published-statistics');
  });
});

describe('loading published statistics', () => {
  it('keeps every rate of every row with its suppression marker, in the lake and the mart', async () => {
    const r = await loadPublished(duck, layout, YTD);
    expect(r).toMatchObject({ variant: 'ees-attendance', rows: 494, las: 153, periods: ['202425'] });
    const mart = path.join(layout.marts, 'ref_published_attendance', 'part-0.parquet');
    const dudley = await duck.all<{ value: number; enrolments: number; possible_sessions: number; region_code: string }>(
      `SELECT value, enrolments, possible_sessions, region_code FROM read_parquet($m) WHERE la_code = '332' AND phase = 'Primary' AND measure = 'pa_perc'`,
      { m: mart },
    );
    expect(dudley).toEqual([{ value: 14.8271641413076, enrolments: 22358.328042328, possible_sessions: 8389064, region_code: 'E12000005' }]);
    const suppressed = await duck.all<{ la_code: string; phase: string; marker: string }>(
      `SELECT DISTINCT la_code, phase, marker FROM read_parquet($m) WHERE value IS NULL AND measure = 'overall_absence_perc' ORDER BY la_code`,
      { m: mart },
    );
    expect(suppressed).toEqual([
      { la_code: '201', phase: 'Primary', marker: 'c' },
      { la_code: '420', phase: 'Secondary', marker: 'c' },
      { la_code: '867', phase: 'Special', marker: 'c' },
    ]);
    // Reloading the same coverage under another name replaces it, never doubles it.
    const copy = path.join(dir, 'copy-of-ytd.csv');
    copyFileSync(YTD, copy);
    await loadPublished(duck, layout, copy);
    const [{ n }] = await duck.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM read_parquet($m) WHERE measure = 'pa_perc'`, { m: mart });
    expect(n).toBe(494);
  });

  it('reads the zipped 2012/13–2016/17 file, terms from its `term` column', async () => {
    const r = await loadPublished(duck, layout, BY_TERM);
    expect(r.periods).toEqual(['201213', '201314', '201415', '201516', '201617']);
    const rows = await duck.all<{ time_identifier: string; value: number }>(
      `SELECT time_identifier, value FROM read_parquet($m) WHERE la_code = '332' AND time_period = '201617' AND phase = 'State-funded primary'
         AND measure = 'sess_overall_percent' ORDER BY time_identifier`,
      { m: path.join(layout.marts, 'ref_published_attendance', 'part-0.parquet') },
    );
    expect(rows.map((x) => x.time_identifier)).toEqual(['Academic year', 'Autumn term', 'Spring term', 'Summer term']);
  });

  it('rejects a file whose values are neither numbers nor markers, naming line and column, writing nothing', async () => {
    const bad = path.join(dir, 'bad.csv');
    const sample = ytdSample().split('\n');
    const line = sample.findIndex((l) => l.includes('"Dudley"'));
    sample[line] = sample[line].replace(/14\.8271641413076/, 'fourteen');
    writeFileSync(bad, sample.join('\n'));
    const lake = path.join(layout.lake, 'reference', 'published-attendance');
    const before = readdirSync(lake).sort();
    const error = await loadPublished(duck, layout, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejectedError);
    const problems = (error as InputRejectedError).problems.filter((p) => p.severity === 'error');
    expect(problems).toEqual([expect.objectContaining({ code: 'PUBLISHED_VALUE_INVALID', file: 'bad.csv', line: line + 1, column: 'pa_perc' })]);
    expect(readdirSync(lake).sort()).toEqual(before);
  });

  it('rejects a DfE release it does not use, saying so', async () => {
    const error = (await loadPublished(duck, layout, path.join(PUBLIC, 'absence-2012-17/absence_rate_percent_bands.zip')).catch((e: unknown) => e)) as InputRejectedError;
    expect(error).toBeInstanceOf(InputRejectedError);
    expect(error.problems[0]).toMatchObject({ code: 'PUBLISHED_NOT_USED', file: 'absence_rate_percent_bands.zip' });
  });

  it('refuses a zip with an unsafe entry before extracting anything', async () => {
    const zip = path.join(dir, 'release.zip');
    writeFileSync(zip, storedZip([
      { name: 'data/attendance.csv', data: Buffer.from(ytdSample()) },
      { name: '../../evil.csv', data: Buffer.from('x') },
    ]));
    expect(detectPublished(zip)).toBe('ees-attendance');
    const error = (await loadPublished(duck, layout, zip).catch((e: unknown) => e)) as InputRejectedError;
    expect(error.problems[0]).toMatchObject({ code: 'ZIP_UNSAFE_PATH', file: 'release.zip' });
    expect(existsSync(path.join(dir, 'evil.csv'))).toBe(false);
  });
});

describe('loading the statistical-neighbour list', () => {
  const read = (l: DataLayout) =>
    duck.all(`SELECT la_code, la_name, rank, sn_la_code, sn_la_name, closeness FROM read_parquet($m) ORDER BY la_code, rank`, {
      m: path.join(l.marts, 'ref_statistical_neighbour', 'part-0.parquet'),
    });

  it('gives the same list from the long CSV and from DfE’s workbook', async () => {
    const fromCsv = await loadNeighbours(duck, layout, SN_CSV);
    expect(fromCsv).toMatchObject({ las: 158, rows: 1580 });
    const csvRows = await read(layout);
    const other = ensureLayout(dataLayout(path.join(dir, 'data-xlsx')));
    await loadNeighbours(duck, other, SN_XLSX);
    expect(await read(other)).toEqual(csvRows);
    const dudley = csvRows.filter((r) => (r as { la_code: string }).la_code === '332');
    expect(dudley.map((r) => (r as { rank: number }).rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(csvRows.map((r) => (r as { closeness: string }).closeness))).toEqual(new Set(['Extremely close', 'Very close', 'Close', 'Somewhat close', 'Not close']));
  });

  it('reports a bad rank and a wrong number of neighbours with their line', async () => {
    const lines = readFileSync(SN_CSV, 'utf8').split('\n').slice(0, 11);
    lines[3] = lines[3].replace(',3,', ',12,');
    const bad = path.join(dir, 'sn-bad.csv');
    writeFileSync(bad, lines.slice(0, 10).join('\n') + '\n');
    const error = (await loadNeighbours(duck, layout, bad).catch((e: unknown) => e)) as InputRejectedError;
    expect(error).toBeInstanceOf(InputRejectedError);
    expect(error.problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['SN_COUNT', 2, 'la_number'],
      ['SN_RANK_INVALID', 4, 'rank'],
    ]);
  });
});
