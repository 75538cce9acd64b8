/**
 * The whole data path on real engines: `rollbook demo` writes a small LA's returns, `rollbook load`
 * puts them in the Parquet lake and marts, and the API (embedded PostgreSQL, in-process DuckDB)
 * answers GraphQL. The expected figures are computed here straight from the returns' CSV files
 * with a plain DuckDB query that follows the DfE methodology as written in
 * `../shared/reference/attendance-methodology.md` — not with the project's own code table or SQL.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';

interface SchoolRow {
  urn: number;
  enrolments: number;
  possibleSessions: number;
  overallAbsenceRate: number | null;
  persistentAbsenceRate: number | null;
}
interface Overview {
  laCode: string;
  laName: string;
  academicYear: string;
  enrolments: number;
  possibleSessions: number;
  overallAbsenceRate: number;
  authorisedAbsenceRate: number;
  unauthorisedAbsenceRate: number;
  attendanceRate: number;
  persistentAbsenceRate: number;
  severeAbsenceRate: number;
  schools: SchoolRow[];
}

// 2024/25 codes (methodology §1.1, §8 rule 1): D Q X Y1–Y7 Z # are not possible sessions.
const EXPECTED_SQL = `
WITH marks AS (
  SELECT urn, upper(upn) AS upn, CAST(date AS DATE) AS date, mark
  FROM read_csv($marks, header = true, all_varchar = true)
),
pupils AS (
  SELECT DISTINCT ON (urn, upper(upn)) urn, upper(upn) AS upn, CAST(dob AS DATE) AS dob, coalesce(boarder, 'N') AS boarder
  FROM read_csv($pupils, header = true, all_varchar = true, union_by_name = true)
),
scoped AS (
  SELECT m.*, date_sub('year', p.dob, DATE '2024-08-31') AS age
  FROM marks m JOIN pupils p USING (urn, upn)
),
enrolments AS (
  SELECT urn, upn,
    count(*) FILTER (WHERE mark IN ('/', '\\', 'L', 'K', 'V', 'P', 'W', 'B', 'C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E', 'G', 'N', 'O', 'U')) AS possible,
    count(*) FILTER (WHERE mark IN ('C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E')) AS authorised,
    count(*) FILTER (WHERE mark IN ('G', 'N', 'O', 'U')) AS unauthorised
  FROM scoped
  -- DfE scope (§2.2): aged 5–15 on 31 August; 15-year-olds' summer HT2 (from 26 May 2025) removed.
  WHERE age BETWEEN 5 AND 15 AND NOT (age = 15 AND date >= DATE '2025-05-26')
  GROUP BY urn, upn
  HAVING min(date) < DATE '2025-05-26'
),
kept AS (SELECT * FROM enrolments WHERE possible > 0)
SELECT CAST(urn AS INTEGER) AS urn,
  CAST(count(*) AS INTEGER) AS enrolments,
  CAST(sum(possible) AS INTEGER) AS possible,
  CAST(sum(authorised) AS INTEGER) AS authorised,
  CAST(sum(unauthorised) AS INTEGER) AS unauthorised,
  CAST(count(*) FILTER (WHERE (authorised + unauthorised) * 10 >= possible) AS INTEGER) AS pa,
  CAST(count(*) FILTER (WHERE (authorised + unauthorised) * 2 >= possible) AS INTEGER) AS sa
FROM kept GROUP BY urn ORDER BY urn`;

interface Expected {
  urn: number;
  enrolments: number;
  possible: number;
  authorised: number;
  unauthorised: number;
  pa: number;
  sa: number;
}

let stack: Stack;
let expected: Expected[];

beforeAll(async () => {
  stack = await startStack({ data: { kind: 'demo', pupils: 1500, seed: 7 }, portal: false });
  const returns = path.join(stack.dataDir, 'demo', 'returns');
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(EXPECTED_SQL, {
        marks: path.join(returns, '*', 'marks.csv'),
        pupils: path.join(returns, '*', 'pupils.csv'),
      });
      expected = reader.getRowObjectsJS() as unknown as Expected[];
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
});

afterAll(async () => {
  await stack?.stop();
});

const OVERVIEW = `{ laOverview(scope: DFE) { laCode laName academicYear enrolments possibleSessions overallAbsenceRate
  authorisedAbsenceRate unauthorisedAbsenceRate attendanceRate persistentAbsenceRate severeAbsenceRate
  schools { urn enrolments possibleSessions overallAbsenceRate persistentAbsenceRate } } }`;

describe('demo → load → lake and marts → GraphQL', () => {
  it('reports the LA the demo was generated for', async () => {
    const { laOverview } = await stack.graphql<{ laOverview: Overview }>(OVERVIEW);
    expect([laOverview.laCode, laOverview.laName, laOverview.academicYear]).toEqual(['332', 'Dudley', '2024/25']);
  });

  it('gives the LA figures computed independently from the returns, summed then divided', async () => {
    const { laOverview } = await stack.graphql<{ laOverview: Overview }>(OVERVIEW);
    const sum = (k: keyof Expected) => expected.reduce((n, r) => n + r[k], 0);
    const possible = sum('possible');
    expect(laOverview.enrolments).toBe(sum('enrolments'));
    expect(laOverview.possibleSessions).toBe(possible);
    expect(laOverview.overallAbsenceRate).toBeCloseTo(((sum('authorised') + sum('unauthorised')) * 100) / possible, 9);
    expect(laOverview.authorisedAbsenceRate).toBeCloseTo((sum('authorised') * 100) / possible, 9);
    expect(laOverview.unauthorisedAbsenceRate).toBeCloseTo((sum('unauthorised') * 100) / possible, 9);
    expect(laOverview.attendanceRate).toBeCloseTo(100 - laOverview.overallAbsenceRate, 9);
    expect(laOverview.persistentAbsenceRate).toBeCloseTo((sum('pa') * 100) / sum('enrolments'), 9);
    expect(laOverview.severeAbsenceRate).toBeCloseTo((sum('sa') * 100) / sum('enrolments'), 9);
    // A realistic LA, not an empty one.
    expect(sum('enrolments')).toBeGreaterThan(1000);
    expect(laOverview.overallAbsenceRate).toBeGreaterThan(3);
  });

  it('gives every school the same figures as the independent computation', async () => {
    const { laOverview } = await stack.graphql<{ laOverview: Overview }>(OVERVIEW);
    const bySchool = new Map(laOverview.schools.map((s) => [s.urn, s]));
    expect(laOverview.schools.length).toBe(expected.length);
    for (const e of expected) {
      const s = bySchool.get(e.urn);
      expect(s, `school ${e.urn}`).toBeDefined();
      expect([s!.enrolments, s!.possibleSessions]).toEqual([e.enrolments, e.possible]);
      expect(s!.persistentAbsenceRate).toBeCloseTo((e.pa * 100) / e.enrolments, 9);
    }
  });

  it('is ready: PostgreSQL and DuckDB both answer', async () => {
    const res = await fetch(stack.apiUrl.replace(/\/graphql$/, '/ready'));
    expect(res.status).toBe(200);
  });
});
