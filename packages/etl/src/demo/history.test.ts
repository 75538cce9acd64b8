import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyMark, isValidCode } from '@rollbook/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDuck } from '../duckdb.js';
import { CODES } from './absence.js';
import { SUPPORTED_ACADEMIC_YEARS } from './calendar.js';
import { tokensFor } from './history.js';
import { generateDemo, type DemoSummary } from './index.js';

const PUBLIC = fileURLToPath(new URL('../../../../../shared/data', import.meta.url));

describe('register tokens of each year', () => {
  it('are valid codes of that year, the 2024 codes only from 2024/25', () => {
    for (const year of SUPPORTED_ACADEMIC_YEARS) {
      for (const token of tokensFor(year).filter((t) => t !== '')) expect(isValidCode(token, year), `${token} in ${year}`).toBe(true);
    }
    expect(tokensFor('2023/24').filter((t, i) => t !== CODES[i])).toEqual(['B', 'C', 'J', 'C']);
    expect(tokensFor('2024/25')).toEqual([...CODES]);
  });
});

describe('generateDemo with six years of history (small LA)', () => {
  let dir: string;
  let summary: DemoSummary;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rollbook-demo-history-'));
    summary = await generateDemo({ outDir: dir, publicDataDir: PUBLIC, pupils: 1500, seed: 3, years: 6 });
  }, 120_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a return per school, term and year, 2019/20 to 2024/25', () => {
    expect(summary.academicYears).toEqual(['2019/20', '2020/21', '2021/22', '2022/23', '2023/24', '2024/25']);
    expect(summary.academicYear).toBe('2024/25');
    const returns = readdirSync(path.join(dir, 'returns'));
    expect(returns.length).toBe(summary.schools * 18);
    for (const year of ['2019-20', '2022-23', '2024-25']) expect(returns.filter((r) => r.includes(`-${year}-`)).length).toBe(summary.schools * 3);
  });

  it('ages cohorts: the same pupils a year group up each year, Year 6 to secondary school, new reception classes', async () => {
    await withDuck(async (duck) => {
      const rows = await duck.all<{ moved_up: number; other: number; y6_to_secondary: number; y6_continuing: number; new_reception: number; reception: number; dob_changed: number }>(
        `WITH p AS (
           SELECT DISTINCT upn, dob, CASE nc_year WHEN 'R' THEN 0 ELSE CAST(nc_year AS INTEGER) END AS nc,
             CAST(left(split_part(split_part(filename, '/', -2), '-', 2), 4) AS INTEGER) AS y0, urn
           FROM read_csv($g, header = true, all_varchar = true, filename = true)
           WHERE split_part(filename, '/', -2) LIKE '%-autumn'),
         pair AS (SELECT a.nc AS a_nc, b.nc AS b_nc, a.dob <> b.dob AS dob_changed, a.urn <> b.urn AS moved
                  FROM p a JOIN p b ON a.upn = b.upn AND b.y0 = a.y0 + 1)
         SELECT CAST(count(*) FILTER (WHERE b_nc = a_nc + 1) AS INTEGER) AS moved_up,
                CAST(count(*) FILTER (WHERE b_nc <> a_nc + 1) AS INTEGER) AS other,
                CAST(count(*) FILTER (WHERE a_nc = 6 AND b_nc = 7 AND moved) AS INTEGER) AS y6_to_secondary,
                CAST(count(*) FILTER (WHERE a_nc = 6) AS INTEGER) AS y6_continuing,
                CAST((SELECT count(*) FROM p r WHERE r.nc = 0 AND r.y0 > 2019 AND NOT EXISTS (SELECT 1 FROM p q WHERE q.upn = r.upn AND q.y0 < r.y0)) AS INTEGER) AS new_reception,
                CAST((SELECT count(*) FROM p r WHERE r.nc = 0 AND r.y0 > 2019) AS INTEGER) AS reception,
                CAST(count(*) FILTER (WHERE dob_changed) AS INTEGER) AS dob_changed
         FROM pair`,
        { g: path.join(dir, 'returns', '*', 'pupils.csv') },
      );
      const r = rows[0];
      expect(r.moved_up).toBeGreaterThan(5000);
      expect(r.other).toBe(0);
      expect(r.dob_changed).toBe(0);
      expect(r.y6_to_secondary).toBe(r.y6_continuing);
      expect(r.y6_continuing).toBeGreaterThan(300);
      expect(r.new_reception).toBe(r.reception);
    });
  });

  it("uses each year's codes, the COVID-19 closures and self-isolation, and absence rising after the pandemic", async () => {
    await withDuck(async (duck) => {
      const byYear = await duck.all<{ year: string; mark: string; closed: boolean; n: number }>(
        `SELECT split_part(split_part(filename, '/', -2), '-', 2) || '/' || split_part(split_part(filename, '/', -2), '-', 3) AS year,
                mark, CAST(date AS DATE) BETWEEN DATE '2020-03-23' AND DATE '2020-07-31' OR CAST(date AS DATE) BETWEEN DATE '2021-01-05' AND DATE '2021-03-05' AS closed,
                CAST(count(*) AS INTEGER) AS n
         FROM read_csv($g, header = true, all_varchar = true, filename = true) GROUP BY ALL`,
        { g: path.join(dir, 'returns', '*', 'marks.csv') },
      );
      const years = new Map<string, { possible: number; absent: number; marks: Map<string, number>; closedShare: Map<string, number> }>();
      for (const row of byYear) {
        const year = row.year;
        expect(isValidCode(row.mark, year), `${row.mark} in ${year}`).toBe(true);
        const y = years.get(year) ?? { possible: 0, absent: 0, marks: new Map(), closedShare: new Map() };
        y.marks.set(row.mark, (y.marks.get(row.mark) ?? 0) + row.n);
        if (row.closed) y.closedShare.set(row.mark, (y.closedShare.get(row.mark) ?? 0) + row.n);
        // A date inside the year picks the code's meaning of that year; COVID X is left out of
        // possible sessions here so the years compare like for like.
        const t = classifyMark(row.mark, `${year.slice(0, 4)}-11-01`, { covidXInPossible: false });
        if (t?.possible) y.possible += row.n;
        if (t?.category === 'authorised' || t?.category === 'unauthorised') y.absent += row.n;
        years.set(year, y);
      }
      const rate = (year: string) => years.get(year)!.absent / years.get(year)!.possible;
      const count = (year: string, mark: string) => years.get(year)!.marks.get(mark) ?? 0;
      for (const year of ['2019/20', '2020/21', '2021/22', '2022/23', '2023/24']) {
        for (const code of ['C1', 'C2', 'J1', 'K']) expect(count(year, code), `${code} in ${year}`).toBe(0);
      }
      expect(count('2024/25', 'C2')).toBeGreaterThan(0);
      expect(count('2023/24', 'C')).toBeGreaterThan(count('2024/25', 'C'));
      // Closed to most pupils: `#` in spring and summer 2020, `X` in the 2021 lockdown.
      const y1920 = years.get('2019/20')!;
      expect((y1920.closedShare.get('#') ?? 0) / [...y1920.closedShare.values()].reduce((a, b) => a + b)).toBeGreaterThan(0.85);
      const y2021 = years.get('2020/21')!;
      expect((y2021.closedShare.get('X') ?? 0) / [...y2021.closedShare.values()].reduce((a, b) => a + b)).toBeGreaterThan(0.8);
      expect(count('2021/22', 'X')).toBeGreaterThan(0);
      expect(count('2021/22', 'X')).toBeLessThan(count('2020/21', 'X') / 5);
      for (const year of ['2019/20', '2022/23', '2023/24', '2024/25']) expect(count(year, 'X'), year).toBe(0);
      // Absence rose after the pandemic and has been falling since.
      expect(rate('2021/22')).toBeGreaterThan(rate('2019/20') * 1.3);
      expect(rate('2021/22')).toBeGreaterThan(rate('2024/25'));
      expect(rate('2024/25')).toBeGreaterThan(0.05);
      expect(rate('2024/25')).toBeLessThan(0.09);
    });
  }, 60_000);
});
