/**
 * The DfE statistics scope per mark, the DfE-format reason counts and hours missed: golden cases
 * and TypeScript/SQL agreement in a real DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE_TOKENS } from './codes.js';
import { DFE_REASON_COLUMNS, dfeReasonAggregatesSql, dfeReasonCounts } from './dfe-format.js';
import { hoursMissed } from './measures.js';
import { hoursMissedSql, quoteIdent } from './sql.js';
import { dfeScopeSql, inDfeScope } from './scope.js';
import { DAY_MS, inMemoryDuckDb, isoOfDay } from './testing/duckdb.js';

const db = inMemoryDuckDb();

interface Case {
  dob: string;
  boarder: boolean;
  date: string;
  firstMark: string;
}

async function sqlScope(cases: readonly Case[]): Promise<boolean[]> {
  const rows = JSON.stringify(cases);
  const expr = dfeScopeSql({ dob: 'CAST(c.dob AS DATE)', date: 'CAST(c.date AS DATE)', boarder: 'c.boarder', firstMark: 'CAST(c.firstMark AS DATE)' });
  const reader = await db.connection.runAndReadAll(
    `SELECT ${expr} AS in_scope FROM (SELECT unnest(from_json($rows, '[{"dob":"VARCHAR","boarder":"BOOLEAN","date":"VARCHAR","firstMark":"VARCHAR"}]'), recursive := true)) c`,
    { rows },
  );
  return reader.getRowObjects().map((r) => r['in_scope'] as boolean);
}

describe('DfE statistics scope per mark (methodology §2.2, §8 rules 4–6; S1)', () => {
  const base = { boarder: false, firstMark: '2024-09-02' };
  const golden: [Case, boolean, string][] = [
    [{ ...base, dob: '2019-08-31', date: '2024-10-01' }, true, 'aged 5 on 31 August 2024'],
    [{ ...base, dob: '2019-09-01', date: '2024-10-01' }, false, 'aged 4 on 31 August 2024 (born 1 September)'],
    [{ ...base, dob: '2008-09-01', date: '2025-05-23' }, true, 'aged 15, before summer HT2 (26 May 2025)'],
    [{ ...base, dob: '2008-09-01', date: '2025-05-26' }, false, 'aged 15, summer HT2 removed'],
    [{ ...base, dob: '2009-09-01', date: '2025-06-02' }, true, 'aged 14, summer HT2 kept'],
    [{ ...base, dob: '2008-08-31', date: '2024-10-01' }, false, 'aged 16 on 31 August 2024'],
    [{ ...base, dob: '2012-01-01', date: '2024-10-01', boarder: true }, false, 'boarder'],
    [{ ...base, dob: '2012-01-01', date: '2025-06-10', firstMark: '2025-05-26' }, false, 'enrolment first started in summer HT2'],
    [{ ...base, dob: '2012-01-01', date: '2025-06-10', firstMark: '2025-05-23' }, true, 'enrolment started before summer HT2'],
  ];
  it.each(golden)('%j → %s (%s)', async (c, expected) => {
    expect(inDfeScope(c, c.date, c.firstMark)).toBe(expected);
    expect(await sqlScope([c])).toEqual([expected]);
  });

  it('agrees with its SQL twin on thousands of random pupils and dates', async () => {
    const dateArb = fc.integer({ min: Date.UTC(2019, 0, 1) / DAY_MS, max: Date.UTC(2027, 0, 1) / DAY_MS }).map(isoOfDay);
    const caseArb = fc
      .record({ dob: fc.integer({ min: Date.UTC(2006, 0, 1) / DAY_MS, max: Date.UTC(2022, 0, 1) / DAY_MS }).map(isoOfDay), boarder: fc.boolean(), date: dateArb, back: fc.integer({ min: 0, max: 120 }) })
      .map(({ back, ...c }) => ({ ...c, firstMark: isoOfDay(Date.parse(`${c.date}T00:00:00Z`) / DAY_MS - back) }));
    let inScope = 0;
    let total = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: 200, maxLength: 400 }), async (cases) => {
        const ts = cases.map((c) => inDfeScope(c, c.date, c.firstMark));
        expect(await sqlScope(cases)).toEqual(ts);
        inScope += ts.filter(Boolean).length;
        total += ts.length;
      }),
      { numRuns: 15 },
    );
    expect(inScope).toBeGreaterThan(total * 0.2);
    expect(inScope).toBeLessThan(total * 0.9);
  });
});

describe('DfE-format reason columns (FORMATS.md §4; S3)', () => {
  it('names every published reason column of the 2024/25 file, and the era columns of T and X', () => {
    for (const c of ['reason_t_authorised_mobile_child', 'reason_t_authorised_grt_absence', 'reason_h_authorised_holiday', 'reason_j_aea_interview', 'reason_c2_authorised_temp_reduced_timetable', 'reason_x_not_attending_covid_non_compulsory']) {
      expect(DFE_REASON_COLUMNS).toContain(c);
    }
    expect(new Set(DFE_REASON_COLUMNS).size).toBe(DFE_REASON_COLUMNS.length);
  });

  it('counts T in its era column and H out of its years in reason_h (nearest era, as DfE does)', () => {
    const c = dfeReasonCounts([
      { date: '2024-07-01', mark: 'T' },
      { date: '2024-09-02', mark: 'T' },
      { date: '2024-09-02', mark: 'H' },
      { date: '2024-09-02', mark: 'X' },
    ]);
    expect(c['reason_t_authorised_grt_absence']).toBe(1);
    expect(c['reason_t_authorised_mobile_child']).toBe(1);
    expect(c['reason_h_authorised_holiday']).toBe(1);
    expect(Object.values(c).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('agrees with its SQL twin on random marks of every code across 2019–2026', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ date: fc.integer({ min: Date.UTC(2019, 0, 1) / DAY_MS, max: Date.UTC(2027, 0, 1) / DAY_MS }).map(isoOfDay), mark: fc.constantFrom(...CODE_TOKENS, 'A') }), { maxLength: 400 }),
        async (marks) => {
          const reader = await db.connection.runAndReadAll(
            `SELECT ${dfeReasonAggregatesSql({ mark: quoteIdent('mark'), date: `CAST(${quoteIdent('date')} AS DATE)` })}
             FROM (SELECT unnest(from_json($rows, '[{"date":"VARCHAR","mark":"VARCHAR"}]'), recursive := true))`,
            { rows: JSON.stringify(marks) },
          );
          const row = reader.getRowObjects()[0]!;
          const fromSql = Object.fromEntries(DFE_REASON_COLUMNS.map((c) => [c, Number(row[c])]));
          expect(fromSql).toEqual(dfeReasonCounts(marks));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('hours of learning missed (session length configurable)', () => {
  it('multiplies overall absence by the session length, in TypeScript and SQL', async () => {
    const m = { overallAbsence: 7 } as Parameters<typeof hoursMissed>[0];
    const reader = await db.connection.runAndReadAll(`SELECT ${hoursMissedSql('7')} AS d, ${hoursMissedSql('7', 2.5)} AS h`);
    const row = reader.getRowObjects()[0]!;
    expect(row['d']).toBe(hoursMissed(m));
    expect(row['h']).toBe(hoursMissed(m, 2.5));
    expect(hoursMissed(m, 2.5)).toBe(17.5);
    expect(() => hoursMissedSql('7', 0)).toThrow(RangeError);
  });
});
