/**
 * Reproduces DfE's published 2024/25 full-year attendance figures (S3, "Pupil attendance in
 * schools", `EES_ytd_data_202425.csv`) for every local authority × phase row from the file's own
 * `reason_*` columns, classified only through the code table's `dfeColumn`. Where DfE's totals do
 * not add up from its reason columns, the test states the size of the gap (methodology §2.5)
 * instead of hiding it.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { REGISTER_CODES, codesValidIn } from './codes.js';
import type { StatisticalCategory } from './codes.js';
import { ratePct } from './measures.js';

/** The public data folder beside the repository (ADR 0001: `../shared/data`). */
const FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/data/dfe/attendance-2024-25/EES_ytd_data_202425.csv',
);

type Row = Record<string, string>;

let instance: DuckDBInstance;
let connection: DuckDBConnection;
let header: string[];
let laRows: Row[];

beforeAll(async () => {
  expect(existsSync(FILE), `DfE file missing: ${FILE}`).toBe(true);
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
  // Every column as text: DfE marks suppressed values with letters (FORMATS.md §1).
  const reader = await connection.runAndReadAll(
    `SELECT * FROM read_csv($file, header = true, all_varchar = true)
     WHERE geographic_level = 'Local authority' ORDER BY old_la_code, school_type`,
    { file: FILE },
  );
  header = reader.columnNames();
  laRows = reader.getRowObjects() as Row[];
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

const num = (row: Row, column: string): number => {
  const v = row[column];
  if (v === undefined || !/^\d+$/.test(v)) throw new TypeError(`${column} is not a count: '${v}'`);
  return Number(v);
};
const isSuppressed = (row: Row): boolean => reasonColumns().some((c) => !/^\d+$/.test(row[c] ?? ''));

/** The file's reason columns, by statistical category, as the code table names them. */
function reasonColumns(category?: StatisticalCategory): string[] {
  const columns = new Set<string>();
  for (const code of REGISTER_CODES) {
    if (code.dfeColumn === null || !header.includes(code.dfeColumn)) continue;
    if (category === undefined || code.category === category) columns.add(code.dfeColumn);
  }
  return [...columns];
}

interface Recomputed {
  present: number;
  aea: number;
  authorised: number;
  unauthorised: number;
  late: number;
}

function recompute(row: Row): Recomputed {
  const sum = (columns: string[]): number => columns.reduce((t, c) => t + num(row, c), 0);
  const late = new Set(REGISTER_CODES.filter((c) => c.late && c.dfeColumn !== null).map((c) => c.dfeColumn!));
  return {
    present: sum(reasonColumns('present')),
    aea: sum(reasonColumns('aea')),
    authorised: sum(reasonColumns('authorised')),
    unauthorised: sum(reasonColumns('unauthorised')),
    late: sum([...late]),
  };
}

describe('DfE 2024/25 full-year file, every local authority × phase row (S3; methodology §2.5)', () => {
  it('has a reason column for every possible-session code in force in 2024/25', () => {
    expect(laRows.length).toBe(454); // 152 primary, 152 secondary, 150 special
    for (const code of codesValidIn('2024/25').filter((c) => c.possibleSession)) {
      expect(header, code.code).toContain(code.dfeColumn);
    }
    // Each published column belongs to exactly one category.
    const categories = new Map<string, Set<StatisticalCategory>>();
    for (const c of REGISTER_CODES) {
      if (c.dfeColumn === null) continue;
      categories.set(c.dfeColumn, (categories.get(c.dfeColumn) ?? new Set()).add(c.category));
    }
    for (const [column, cats] of categories) expect(cats.size, column).toBe(1);
  });

  it('counts the retired codes H and J, which are not all zero (contrary to methodology §2.5)', () => {
    const rows = laRows.filter((r) => !isSuppressed(r));
    const nonZero = (column: string): number => rows.filter((r) => num(r, column) !== 0).length;
    expect(nonZero('reason_h_authorised_holiday')).toBe(97);
    expect(nonZero('reason_j_aea_interview')).toBe(80);
    // …and DfE adds them into its totals: J into AEA (checked exactly below), H into authorised.
    expect(reasonColumns('aea')).toContain('reason_j_aea_interview');
    expect(reasonColumns('authorised')).toContain('reason_h_authorised_holiday');
  });

  it('reproduces present, AEA, unauthorised and late sessions exactly', () => {
    const rows = laRows.filter((r) => !isSuppressed(r));
    expect(laRows.length - rows.length).toBe(3); // suppressed reason counts (§2.5)
    for (const row of rows) {
      const r = recompute(row);
      const where = `${row['la_name']} ${row['school_type']}`;
      expect(r.present, where).toBe(num(row, 'present_sessions'));
      expect(r.aea, where).toBe(num(row, 'approved_educational_activity'));
      expect(r.present + r.aea, where).toBe(num(row, 'overall_attendance'));
      expect(r.unauthorised, where).toBe(num(row, 'unauthorised_absence'));
      expect(r.late, where).toBe(num(row, 'late_sessions'));
    }
  });

  it('states the known gap: some authorised sessions are in no published reason column', () => {
    const gaps: number[] = [];
    for (const row of laRows.filter((r) => !isSuppressed(r))) {
      const r = recompute(row);
      const gap = num(row, 'authorised_absence') - r.authorised;
      // overall absence and possible sessions carry exactly the same gap
      expect(num(row, 'overall_absence') - (r.authorised + r.unauthorised)).toBe(gap);
      expect(num(row, 'possible_sessions') - (r.present + r.aea + r.authorised + r.unauthorised)).toBe(gap);
      gaps.push(gap);
    }
    const withGap = gaps.filter((g) => g !== 0);
    expect(Math.min(...gaps)).toBe(0); // never fewer sessions than the reasons add up to
    // Methodology §2.5 says 56 of 491 rows and 1–6 sessions; across the whole file it is 56 rows
    // but up to 908 sessions (national total). For local authority × phase rows:
    expect(withGap.length).toBe(34);
    expect(Math.min(...withGap)).toBe(1);
    expect(Math.max(...withGap)).toBe(382); // Rochdale secondary
    expect(withGap.reduce((a, b) => a + b, 0)).toBe(912);
  });

  it('reproduces attendance and overall absence rates to within 0.001 percentage points, but for one row', () => {
    let worst = 0;
    const outliers: string[] = [];
    for (const row of laRows.filter((r) => !isSuppressed(r))) {
      const r = recompute(row);
      const possible = r.present + r.aea + r.authorised + r.unauthorised;
      const overall = ratePct(r.authorised + r.unauthorised, possible)!;
      const attendance = ratePct(r.present + r.aea, possible)!;
      const diff = Math.max(
        Math.abs(overall - Number(row['overall_absence_perc'])),
        Math.abs(attendance - Number(row['attendance_perc'])),
      );
      worst = Math.max(worst, diff);
      if (diff >= 0.001) outliers.push(`${row['la_name']} ${row['school_type']}`);
      // With DfE's own totals the rates are exact (to floating-point noise).
      expect(ratePct(num(row, 'overall_absence'), num(row, 'possible_sessions'))).toBeCloseTo(Number(row['overall_absence_perc']), 9);
      expect(ratePct(num(row, 'overall_attendance'), num(row, 'possible_sessions'))).toBeCloseTo(Number(row['attendance_perc']), 9);
    }
    expect(outliers).toEqual(['Rochdale Secondary']); // the 382-session gap
    expect(worst).toBeGreaterThan(0.006);
    expect(worst).toBeLessThan(0.007);
  });
});
