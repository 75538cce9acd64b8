import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../cli/main.js';
import { withDuck } from '../duckdb.js';
import { dataLayout, type DataLayout } from '../layout.js';
import { loadPath } from '../load.js';
import { tempDir } from '../testing/fixtures.js';
import { BENCHMARK_EXPORT_COLUMNS, publishedComparators, type PublishedComparatorRow } from './published-comparators.js';

const PUBLIC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/data/dfe');
const YTD = path.join(PUBLIC, 'attendance-2024-25/EES_ytd_data_202425.csv');
const SN = path.join(PUBLIC, 'statistical-neighbours/dfe_sn_may_2025_long.csv');

/** RFC 4180 records, written here independently of the loader. */
function parseCsv(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      records.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    records.push(row);
  }
  const [header, ...rest] = records;
  const names = header.map((h) => h.replace(/^\uFEFF/, ''));
  return rest.filter((r) => r.length === names.length).map((r) => Object.fromEntries(names.map((n, i) => [n, r[i]])));
}

const num = (s: string | undefined): number | null => (s === undefined || s === '' || !Number.isFinite(Number(s)) ? null : Number(s));
const key = (...parts: (string | number)[]) => parts.join('|');

let dir: string;
let layout: DataLayout;
let exported: Record<string, string>[];
let rows: PublishedComparatorRow[];

beforeAll(async () => {
  dir = tempDir('rollbook-benchmarks-');
  layout = dataLayout(path.join(dir, 'data'));
  await loadPath(YTD, { layout, threads: 2 });
  await loadPath(SN, { layout, threads: 2 });
  const out = path.join(dir, 'benchmarks.csv');
  const code = await run(['node', 'rollbook', '--data-dir', layout.root, 'export', 'benchmarks', '--out', out]);
  expect(code).toBe(0);
  exported = parseCsv(readFileSync(out, 'utf8'));
  rows = await withDuck((duck) => publishedComparators(duck, layout), { threads: 2 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rollbook export benchmarks, recomputed independently from the raw 2024/25 files (issue 6, done when)', () => {
  const raw = parseCsv(readFileSync(YTD, 'utf8'));
  const sn = parseCsv(readFileSync(SN, 'utf8'));
  const measures = Object.keys(raw[0]).filter((c) => c.endsWith('_perc'));
  const laRows = raw.filter((r) => r.geographic_level === 'Local authority');
  const valueOf = new Map<string, number | null>();
  for (const r of raw) {
    const where = r.geographic_level === 'Local authority' ? r.old_la_code : r.geographic_level === 'Regional' ? r.region_code : 'England';
    for (const m of measures) valueOf.set(key(where, r.school_type, m), num(r[m]));
  }
  const neighboursOf = new Map<string, string[]>();
  for (const s of [...sn].sort((a, b) => Number(a.rank) - Number(b.rank))) {
    neighboursOf.set(s.la_number, [...(neighboursOf.get(s.la_number) ?? []), s.sn_la_number]);
  }

  it('has exactly the issue’s columns and one row per LA × phase × measure for every LA in the file', () => {
    expect(Object.keys(exported[0])).toEqual([...BENCHMARK_EXPORT_COLUMNS]);
    expect(exported).toHaveLength(laRows.length * measures.length);
    expect(new Set(exported.map((e) => e.la_code)).size).toBe(153);
    const keys = new Set(exported.map((e) => key(e.la_code, e.phase, e.measure)));
    for (const r of laRows) for (const m of measures) expect(keys.has(key(r.old_la_code, r.school_type, m))).toBe(true);
  });

  it('matches the neighbour average (simple mean, missing left out), rank (1 = lowest absence), region and England for every row', () => {
    let checked = 0;
    const byKey = new Map(exported.map((x) => [key(x.la_code, x.phase, x.measure), x]));
    for (const r of laRows) {
      for (const m of measures) {
        const e = byKey.get(key(r.old_la_code, r.school_type, m));
        expect(e, `${r.old_la_code} ${r.school_type} ${m}`).toBeDefined();
        if (!e) continue;
        const own = num(r[m]);
        const nbValues = (neighboursOf.get(r.old_la_code) ?? []).map((c) => valueOf.get(key(c, r.school_type, m)) ?? null).filter((v): v is number => v !== null);
        expect(nbValues.length).toBeLessThanOrEqual(10);
        const mean = nbValues.length ? nbValues.reduce((a, b) => a + b, 0) / nbValues.length : null;
        const higherIsBetter = m === 'attendance_perc';
        const rank = own === null ? null : 1 + nbValues.filter((v) => (higherIsBetter ? v > own : v < own)).length;
        expect(e.time_period).toBe('202425');
        expect(e.la_name).toBe(r.la_name);
        expect(num(e.value)).toBe(own);
        if (mean === null) expect(e.sn_average).toBe('');
        else expect(num(e.sn_average)).toBeCloseTo(mean, 10);
        expect(num(e.sn_rank)).toBe(rank);
        expect(num(e.region_value)).toBe(valueOf.get(key(r.region_code, r.school_type, m)) ?? null);
        expect(num(e.england_value)).toBe(valueOf.get(key('England', r.school_type, m)) ?? null);
        checked++;
      }
    }
    expect(checked).toBe(laRows.length * measures.length);
  });

  it('gives every LA’s gap to England in percentage points and in days per pupil', () => {
    const byKey = new Map(rows.map((r) => [key(r.laCode, r.phase, r.measure), r]));
    for (const r of laRows) {
      const england = raw.find((x) => x.geographic_level === 'National' && x.school_type === r.school_type)!;
      const sessionsPerPupil = Number(r.possible_sessions) / Number(r.enrolments);
      for (const m of measures) {
        const got = byKey.get(key(r.old_la_code, r.school_type, m))!;
        const own = num(r[m]);
        const eng = num(england[m]);
        if (own === null || eng === null) {
          expect(got.gapToEngland).toBeNull();
          continue;
        }
        expect(got.gapToEngland!.pp).toBeCloseTo(own - eng, 10);
        expect(got.gapToEngland!.daysPerPupil).toBeCloseTo(((own - eng) / 100) * sessionsPerPupil / 2, 8);
      }
    }
  });

  it('keeps the suppressed LA figures empty and out of their neighbours’ averages', () => {
    const city = exported.find((e) => e.la_code === '201' && e.phase === 'Primary' && e.measure === 'overall_absence_perc')!;
    expect(city.value).toBe('');
    expect(city.sn_rank).toBe('');
    expect(city.sn_average).not.toBe('');
    const dudley = rows.find((r) => r.laCode === '332' && r.phase === 'Primary' && r.measure === 'pa_perc')!;
    expect(dudley.neighbours).toHaveLength(10);
    expect(dudley.neighbours[0]).toMatchObject({ laCode: '384', laName: 'Wakefield' });
    expect(dudley.snRankOutOf).toBe(11);
  });
});
