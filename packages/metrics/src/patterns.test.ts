/**
 * Patterns and trends: golden cases, and the SQL twins against the TypeScript reference on random
 * marks in a real DuckDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE_TOKENS } from './codes.js';
import { summariseMarks } from './measures.js';
import type { SessionCounts } from './measures.js';
import {
  brokenWeeks,
  isoWeekday,
  reasonBreakdown,
  recentTrend,
  transition,
  trend,
  weekdaySessionPattern,
  weeklySeries,
} from './patterns.js';
import type { SessionMark } from './patterns.js';
import { brokenWeeksSql, weekdaySessionSql, weeklySeriesSql } from './patterns-sql.js';
import { summaryFromRow } from './sql.js';
import { DAY_MS, inMemoryDuckDb, isoOfDay } from './testing/duckdb.js';

const db = inMemoryDuckDb();

const SOURCE = `(SELECT seq, CAST("date" AS DATE) AS "date", "session", "mark" FROM (SELECT unnest(from_json($rows, '[{"seq":"INTEGER","date":"VARCHAR","session":"VARCHAR","mark":"VARCHAR"}]'), recursive := true)))`;
async function rows(sql: string, marks: readonly (SessionMark & { seq: number })[]): Promise<Record<string, unknown>[]> {
  const reader = await db.connection.runAndReadAll(`${sql} ORDER BY ALL`, { rows: JSON.stringify(marks) });
  return reader.getRowObjectsJS() as Record<string, unknown>[];
}

const counts = (possible: number, absent: number): SessionCounts => ({
  possibleSessions: possible, presentSessions: possible - absent, approvedEducationalActivity: 0, authorisedAbsence: absent,
  unauthorisedAbsence: 0, overallAbsence: absent, lateSessions: 0,
});

describe('patterns, golden cases', () => {
  it('weekday × AM/PM: Monday mornings stand out', () => {
    const marks: SessionMark[] = [
      { date: '2025-03-03', session: 'AM', mark: 'O' }, { date: '2025-03-03', session: 'PM', mark: '\\' },
      { date: '2025-03-10', session: 'AM', mark: 'N' }, { date: '2025-03-10', session: 'PM', mark: '\\' },
      { date: '2025-03-11', session: 'AM', mark: '/' },
    ];
    const grid = weekdaySessionPattern(marks);
    expect(grid.map((c) => [c.weekday, c.session, c.counts.possibleSessions, c.counts.unauthorisedAbsence])).toEqual([
      [1, 'AM', 2, 2], [1, 'PM', 2, 0], [2, 'AM', 1, 0],
    ]);
    expect(isoWeekday('2025-03-09')).toBe(7);
  });

  it('broken weeks: weeks with any absence among weeks with possible sessions; a closed week is not a school week', () => {
    const series = weeklySeries([
      { date: '2025-03-03', mark: '/' }, { date: '2025-03-04', mark: 'M' },
      { date: '2025-03-10', mark: '/' },
      { date: '2025-03-17', mark: '#' },
    ]);
    expect(series.map((w) => w.weekStart)).toEqual(['2025-03-03', '2025-03-10', '2025-03-17']);
    expect(brokenWeeks(series)).toEqual({ weeks: 2, broken: 1 });
  });

  it('reasons: rate over possible and share of absence (methodology §2.1), most sessions first', () => {
    const s = summariseMarks([...Array<string>(6).fill('/'), 'I', 'I', 'I', 'G'].map((mark) => ({ date: '2025-01-06', mark })));
    expect(reasonBreakdown(s)).toEqual([
      { code: 'I', sessions: 3, ratePerc: 30, sharePerc: 75 },
      { code: 'G', sessions: 1, ratePerc: 10, sharePerc: 25 },
    ]);
  });

  it('trend: improving, declining, unchanged within 1 point, insufficient without possible sessions', () => {
    expect(trend(counts(100, 5), counts(100, 10))).toMatchObject({ direction: 'improving', changePp: -5 });
    expect(trend(counts(100, 12), counts(100, 10))).toMatchObject({ direction: 'declining', changePp: 2 });
    expect(trend(counts(200, 21), counts(100, 10)).direction).toBe('unchanged');
    expect(trend(counts(0, 0), counts(100, 10)).direction).toBe('insufficient');
  });

  it('recent trend: the last 4 school weeks against the 4 before, skipping weeks without possible sessions', () => {
    const week = (i: number, absent: number) => ({ weekStart: `2025-01-${String(6 + 7 * i).padStart(2, '0')}`, counts: { ...counts(10, absent), byReason: {} } });
    const series = [week(0, 2), week(1, 2), week(2, 2), week(3, 2), { weekStart: '2025-02-03', counts: { ...counts(0, 0), byReason: {} } }, week(4, 0), week(5, 0), week(6, 1), week(7, 1)];
    expect(recentTrend(series)).toMatchObject({ direction: 'improving', currentAbsencePerc: 5, previousAbsencePerc: 20 });
    expect(recentTrend(series.slice(0, 7)).direction).toBe('insufficient');
  });

  it('Year 6 → Year 7: the same pupil in consecutive years, cohort summed then divided', () => {
    const { pupils, cohort } = transition([
      { upn: 'A', academicYear: '2023/24', ncYear: '6', counts: counts(300, 15) },
      { upn: 'A', academicYear: '2024/25', ncYear: '7', counts: counts(100, 10) },
      { upn: 'B', academicYear: '2023/24', ncYear: '6', counts: counts(100, 5) },
      { upn: 'B', academicYear: '2024/25', ncYear: '7', counts: counts(300, 9) },
      { upn: 'C', academicYear: '2023/24', ncYear: '6', counts: counts(100, 5) }, // left for another LA
    ]);
    expect(pupils.map((p) => [p.upn, p.trend.direction])).toEqual([['A', 'declining'], ['B', 'improving']]);
    expect(cohort).toMatchObject({ currentAbsencePerc: (19 / 400) * 100, previousAbsencePerc: (20 / 400) * 100, direction: 'unchanged' });
  });
});

const markArb = fc.record({
  seq: fc.integer({ min: 0, max: 20 }),
  date: fc.integer({ min: Date.UTC(2019, 0, 1) / DAY_MS, max: Date.UTC(2027, 0, 1) / DAY_MS }).map(isoOfDay),
  session: fc.constantFrom('AM', 'PM'),
  mark: fc.constantFrom(...CODE_TOKENS, 'A'),
});

describe('property: the SQL twins agree with the TypeScript reference', () => {
  it('weekday × session, weekly series and broken weeks on random marks of every code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(markArb, { maxLength: 300 }), async (marks) => {
        const bySeq = new Map<number, SessionMark[]>();
        for (const m of marks) bySeq.set(m.seq, [...(bySeq.get(m.seq) ?? []), m]);
        const seqs = [...bySeq.keys()].sort((a, b) => a - b);

        const grid = await rows(weekdaySessionSql({ source: SOURCE, keys: ['seq'] }), marks);
        expect(grid.map((r) => ({ seq: r['seq'], weekday: r['weekday'], session: r['session'], counts: summaryFromRow(r) }))).toEqual(
          seqs.flatMap((seq) => weekdaySessionPattern(bySeq.get(seq)!).map((c) => ({ seq, ...c }))),
        );
        const weekly = await rows(weeklySeriesSql({ source: SOURCE, keys: ['seq'] }), marks);
        expect(weekly.map((r) => ({ seq: r['seq'], weekStart: (r['week_start'] as Date).toISOString().slice(0, 10), counts: summaryFromRow(r) }))).toEqual(
          seqs.flatMap((seq) => weeklySeries(bySeq.get(seq)!).map((w) => ({ seq, ...w }))),
        );
        const broken = await rows(brokenWeeksSql({ source: SOURCE, keys: ['seq'] }), marks);
        expect(broken).toEqual(seqs.map((seq) => ({ seq, ...brokenWeeks(weeklySeries(bySeq.get(seq)!)) })));
      }),
      { numRuns: 60 },
    );
  });
});
