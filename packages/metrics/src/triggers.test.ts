/**
 * Statutory triggers: hand-worked golden cases (each citing its rule), run through TypeScript and
 * the generated SQL in a real DuckDB, then a property test on thousands of random enrolments.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays } from './calendar.js';
import { CODE_TOKENS } from './codes.js';
import { SCHOOL_SESSION_CODES, UNAUTHORISED_CODES, statutoryTriggers, weekStart } from './triggers.js';
import type { StatutoryTriggers, TriggerMark, TriggerPeriod } from './triggers.js';
import { TRIGGER_COLUMNS, statutoryTriggersSql, triggersFromRow } from './triggers-sql.js';
import { dateValue, DAY_MS, inMemoryDuckDb, isoOfDay } from './testing/duckdb.js';

const db = inMemoryDuckDb('CREATE TABLE marks (seq INTEGER, "date" DATE, "mark" VARCHAR)');

const NONE: StatutoryTriggers = statutoryTriggers([]);

async function sqlTriggers(sequences: readonly TriggerMark[][], period: TriggerPeriod = {}): Promise<StatutoryTriggers[]> {
  await db.connection.run('DELETE FROM marks');
  const appender = await db.connection.createAppender('marks');
  try {
    sequences.forEach((marks, seq) => {
      for (const m of marks) {
        appender.appendInteger(seq);
        appender.appendDate(dateValue(m.date));
        appender.appendVarchar(m.mark);
        appender.endRow();
      }
    });
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
  const sql = statutoryTriggersSql({
    source: 'marks',
    keys: ['seq'],
    ...(period.from ? { from: '$from' } : {}),
    ...(period.to ? { to: '$to' } : {}),
  });
  const params: Record<string, string> = {};
  if (period.from) params['from'] = period.from;
  if (period.to) params['to'] = period.to;
  const reader = await db.connection.runAndReadAll(sql, params);
  const out: StatutoryTriggers[] = sequences.map(() => NONE);
  for (const row of reader.getRowObjects()) out[Number(row['seq'])] = triggersFromRow(row);
  return out;
}

async function both(marks: TriggerMark[], period: TriggerPeriod = {}): Promise<StatutoryTriggers> {
  const [fromSql] = await sqlTriggers([marks], period);
  const fromTs = statutoryTriggers(marks, period);
  expect(fromSql).toEqual(fromTs);
  return fromTs;
}

/** Weekdays from `from` (inclusive) for `n` days, skipping any date in `skip`. */
function weekdays(from: string, n: number, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  for (let d = from; out.length < n; d = addDays(d, 1)) {
    const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (dow !== 0 && dow !== 6 && !skip.includes(d)) out.push(d);
  }
  return out;
}
/** AM and PM marks on each day. */
const days = (dates: readonly string[], am: string, pm = am): TriggerMark[] => dates.flatMap((date) => [{ date, mark: am }, { date, mark: pm }]);

describe('the code sets come from the register-code table', () => {
  it('unauthorised codes are G N O U (§5.1 "any combination"); #, Y4 and Z are no school session', () => {
    expect([...UNAUTHORISED_CODES].sort()).toEqual(['G', 'N', 'O', 'U']);
    expect(CODE_TOKENS.filter((c) => !SCHOOL_SESSION_CODES.includes(c)).sort()).toEqual(['#', 'Y4', 'Z']);
    expect(TRIGGER_COLUMNS).toHaveLength(15);
  });

  it('weeks start on Monday', () => {
    expect(weekStart('2025-09-07')).toBe('2025-09-01'); // Sunday
    expect(weekStart('2025-09-01')).toBe('2025-09-01');
  });
});

describe('penalty-notice threshold: ≥ 10 G/N/O/U sessions in a rolling 10 school weeks (§5.1, S13; §8 rule 11)', () => {
  it('spans the summer holiday and two academic years: 2 sessions in summer, 8 in autumn (S13 worked example)', async () => {
    const marks = [
      ...days(weekdays('2025-07-14', 5), '/'),
      { date: '2025-07-21', mark: 'G' }, { date: '2025-07-21', mark: 'G' },
      ...days(weekdays('2025-09-03', 8), '/'),
      ...days(weekdays('2025-09-15', 4), 'N', '/'), // 4 sessions, Mon–Thu
      ...days(weekdays('2025-09-22', 4), 'O', '/'), // 4 more: the 10th on Thursday 25th
    ];
    const t = await both(marks);
    expect(t.penaltyNotice).toEqual({ metOn: '2025-09-25', count: 10, since: '2025-07-14' });
  });

  it('counts only school weeks: holiday weeks do not use up the window, and an 11th school week drops the first', async () => {
    // One G in each of 10 school weeks, with a two-week holiday after the fifth: met in week 10.
    const mondays = ['2025-01-06', '2025-01-13', '2025-01-20', '2025-01-27', '2025-02-03', '2025-02-24', '2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24'];
    const met = await both(mondays.flatMap((m) => [{ date: m, mark: 'G' }, { date: m, mark: '/' }, ...days(weekdays(addDays(m, 1), 1), '/')]));
    expect(met.penaltyNotice).toEqual({ metOn: '2025-03-24', count: 10, since: '2025-01-06' });
    // Nine Gs in school weeks 1–9, none in week 10, one in week 11: never 10 in any 10 school weeks.
    const weeks = [...mondays.slice(0, 9).map((m) => ({ date: m, mark: 'G' })), { date: '2025-03-24', mark: '/' }, { date: '2025-03-31', mark: 'U' }];
    const notMet = await both(weeks);
    expect(notMet.penaltyNotice).toEqual({ metOn: null, count: 9, since: null });
  });

  it('keeps counting history before the period, and ignores marks after it', async () => {
    const marks = [...days(weekdays('2025-01-06', 5), 'N'), ...days(weekdays('2025-01-13', 5), '/')];
    // 10 sessions by Friday 10 January; still 10 in the window on Monday 13th.
    expect((await both(marks, { from: '2025-01-13' })).penaltyNotice).toEqual({ metOn: '2025-01-13', count: 10, since: '2025-01-06' });
    expect((await both(marks, { to: '2025-01-08' })).penaltyNotice).toEqual({ metOn: null, count: 6, since: null });
  });
});

describe('only some triggers', () => {
  it('computes the same penalty-notice columns alone as with the others', async () => {
    const marks = [...days(weekdays('2025-01-06', 5), 'N'), ...days(weekdays('2025-01-13', 5), 'I', 'O')];
    await sqlTriggers([marks]);
    const reader = await db.connection.runAndReadAll(statutoryTriggersSql({ source: 'marks', keys: ['seq'], only: ['penaltyNotice'] }));
    const [row] = reader.getRowObjects();
    expect(Object.keys(row!)).toEqual(['seq', 'penalty_notice_met_on', 'penalty_notice_count', 'penalty_notice_since']);
    expect({ metOn: String(row!['penalty_notice_met_on']), count: Number(row!['penalty_notice_count']), since: String(row!['penalty_notice_since']) }).toEqual(
      statutoryTriggers(marks).penaltyNotice,
    );
  });
});

describe('continuous unauthorised absence: 10 school days (attendance return) and 20 (CME ground) (§5.2, S15; §8 rule 12)', () => {
  it('runs over weekends and a bank holiday; met on the 10th and the 20th school day', async () => {
    const dates = weekdays('2025-04-28', 20, ['2025-05-05']); // early May bank holiday: no register
    const t = await both(days(dates, 'O'));
    expect(dates[9]).toBe('2025-05-12');
    expect(t.unauthorised10Days).toEqual({ metOn: '2025-05-12', count: 10, since: '2025-04-28' });
    expect(t.unauthorised20Days).toEqual({ metOn: dates[19], count: 20, since: '2025-04-28' });
    expect(t.penaltyNotice.metOn).toBe('2025-05-02'); // 10 sessions on day 5
  });

  it('is broken by a day with any session not unauthorised, but not by a planned closure (#)', async () => {
    const dates = weekdays('2025-03-03', 12);
    const marks = days(dates, 'N');
    marks[10] = { date: dates[5]!, mark: '/' }; // day 6 AM present: breaks the run
    const broken = await both(marks);
    expect(broken.unauthorised10Days).toEqual({ metOn: null, count: 6, since: null });
    const withInset = [...days(weekdays('2025-03-03', 5), 'G'), ...days(['2025-03-10'], '#'), ...days(weekdays('2025-03-11', 5), 'G')];
    expect((await both(withInset)).unauthorised10Days).toEqual({ metOn: '2025-03-17', count: 10, since: '2025-03-03' });
  });
});

describe('sickness return: illness (I) reaching 15 school days consecutively or cumulatively (§5.2, S15)', () => {
  it('15 consecutive days of I meets both', async () => {
    const dates = weekdays('2024-11-04', 15);
    const t = await both(days(dates, 'I'));
    expect(t.illnessConsecutive).toEqual({ metOn: dates[14], count: 15, since: '2024-11-04' });
    expect(t.illnessCumulative).toEqual({ metOn: dates[14], count: 15, since: '2024-08-01' });
  });

  it('half-days add up cumulatively (30 morning sessions), but never make a consecutive run', async () => {
    const dates = weekdays('2024-09-09', 30);
    const t = await both(days(dates, 'I', '/'));
    expect(t.illnessCumulative).toEqual({ metOn: dates[29], count: 15, since: '2024-08-01' });
    expect(t.illnessConsecutive).toEqual({ metOn: null, count: 0, since: null });
  });

  it('starts counting again each academic year (1 August)', async () => {
    const t = await both([...days(weekdays('2025-07-07', 10), 'I'), ...days(weekdays('2025-09-01', 10), 'I')]);
    expect(t.illnessCumulative).toEqual({ metOn: null, count: 10, since: null });
    expect(t.illnessConsecutive).toEqual({ metOn: '2025-09-05', count: 15, since: '2025-07-07' }); // the summer holiday holds no school days
  });

  it('gives nothing for an enrolment with no school day', async () => {
    expect(await both(days(['2025-01-06'], '#', 'Z'))).toEqual(NONE);
    expect(NONE.penaltyNotice).toEqual({ metOn: null, count: 0, since: null });
  });
});

// ---------------------------------------------------------------------------------------------
// Property: TypeScript and SQL agree.

const START = Date.UTC(2024, 5, 1) / DAY_MS;
const codeArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('G', 'N', 'O', 'U') },
  { weight: 3, arbitrary: fc.constant('I') },
  { weight: 3, arbitrary: fc.constantFrom('/', '\\', 'L') },
  { weight: 1, arbitrary: fc.constantFrom(...CODE_TOKENS, 'A', '') },
);
/** One enrolment: runs of school days from a start date, with gaps, each day one code or two. */
const enrolmentArb = fc
  .tuple(fc.integer({ min: 0, max: 500 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 20 }), codeArb, codeArb, fc.boolean(), fc.integer({ min: 0, max: 30 })), { maxLength: 12 }))
  .map(([start, runs]) => {
    const marks: TriggerMark[] = [];
    let day = START + start;
    for (const [length, am, pm, sameAllDay, gap] of runs) {
      for (let i = 0; i < length; i += 1, day += 1) {
        const date = isoOfDay(day);
        marks.push({ date, mark: am }, { date, mark: sameAllDay ? am : pm });
      }
      day += gap;
    }
    return marks;
  });
const periodArb = fc.record({
  from: fc.option(fc.integer({ min: 0, max: 800 }).map((n) => isoOfDay(START + n)), { nil: undefined }),
  to: fc.option(fc.integer({ min: 0, max: 800 }).map((n) => isoOfDay(START + n)), { nil: undefined }),
});

describe('property: statutoryTriggers and statutoryTriggersSql agree', () => {
  it('on thousands of random enrolments and periods', async () => {
    const met: Record<string, number> = {};
    let enrolments = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(enrolmentArb, { minLength: 100, maxLength: 150 }), periodArb, async (sequences, raw) => {
        const period: TriggerPeriod = { ...(raw.from ? { from: raw.from } : {}), ...(raw.to ? { to: raw.to } : {}) };
        const fromSql = await sqlTriggers(sequences, period);
        const fromTs = sequences.map((s) => statutoryTriggers(s, period));
        expect(fromSql).toEqual(fromTs);
        enrolments += sequences.length;
        for (const t of fromTs) for (const [k, r] of Object.entries(t)) if (r.metOn) met[k] = (met[k] ?? 0) + 1;
      }),
      { numRuns: 25 },
    );
    expect(enrolments).toBeGreaterThan(2500);
    // Every trigger was met many times and missed many times.
    for (const k of Object.keys(NONE)) {
      expect(met[k] ?? 0).toBeGreaterThan(50);
      expect(met[k] ?? 0).toBeLessThan(enrolments - 50);
    }
  });
});
