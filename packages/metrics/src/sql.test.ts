/**
 * The SQL twins against the TypeScript reference, in a real in-memory DuckDB: hand-worked golden
 * cases (each citing its rule), then a property test over thousands of random mark sequences.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE_TOKENS, TREATMENT_BOUNDARIES } from './codes.js';
import type { CountingOptions } from './codes.js';
import {
  absenceBand,
  aggregate,
  bandingEligible,
  daysMissed,
  isPersistentAbsentee,
  isSevereAbsentee,
  rates,
  summariseMarks,
} from './measures.js';
import type { SessionSummary } from './measures.js';
import {
  MEASURE_COLUMNS,
  REASON_COLUMNS,
  absenceBandSql,
  bandingEligibleSql,
  daysMissedSql,
  persistentSql,
  quoteIdent,
  ratePctSql,
  sessionAggregatesSql,
  packedSessionAggregatesSql,
  PACKED_MARKS_LIMIT,
  severeSql,
  summaryFromRow,
} from './sql.js';
import { dateValue, DAY_MS, inMemoryDuckDb, isoOfDay } from './testing/duckdb.js';

type Mark = { date: string; mark: string };

const db = inMemoryDuckDb('CREATE TABLE marks (seq INTEGER, "date" DATE, "mark" VARCHAR)');

interface SqlEnrolment {
  summary: SessionSummary;
  persistent: boolean;
  severe: boolean;
  band: string | null;
  eligible: boolean;
  days: number;
  attendancePerc: number | null;
  overallAbsencePerc: number | null;
  authorisedAbsencePerc: number | null;
  unauthorisedAbsencePerc: number | null;
}

/** Loads every sequence with the appender and summarises them all in one query grouped by sequence id. */
async function sqlSummaries(sequences: readonly Mark[][], options: CountingOptions = {}, counting: 'marks' | 'preCounted' | 'packed' = 'marks'): Promise<SqlEnrolment[]> {
  const preCounted = counting !== 'marks';
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
  const markColumns = { mark: `m.${quoteIdent('mark')}`, date: `m.${quoteIdent('date')}`, ...options };
  const packed = counting === 'packed' ? packedSessionAggregatesSql({ ...markColumns, weight: 'm.n' }) : null;
  const aggs = packed ? packed.aggregates : sessionAggregatesSql({ ...markColumns, ...(preCounted ? { weight: 'm.n' } : {}) });
  const c = (name: string): string => `e.${quoteIdent(name)}`;
  // Pre-counted: one row per sequence × mark × side of every treatment boundary, dated by its
  // first mark (the ETL's fast path).
  const boundaryKeys = TREATMENT_BOUNDARIES.map((b, i) => `"date" >= DATE '${b}' AS b${i}`).join(', ');
  const source = preCounted
    ? `(SELECT seq, "mark", min("date") AS "date", count(*) AS n, ${boundaryKeys} FROM marks GROUP BY ALL)`
    : 'marks';
  // Every enrolment, even one with no marks: the LEFT JOIN row has a NULL mark, which no FILTER counts.
  // Packed: the packs are read back into the count columns before anything else uses them.
  const grouped = `SELECT s.seq, ${aggs}
      FROM range($n) s(seq) LEFT JOIN ${source} m ON m.seq = s.seq
      GROUP BY s.seq`;
  const sql = `
    WITH e AS (
      ${packed ? `SELECT seq, ${packed.unpack((p) => `g.${quoteIdent(p)}`)} FROM (${grouped}) g` : grouped}
    )
    SELECT e.*,
      ${persistentSql(c('overall_absence'), c('possible_sessions'))} AS persistent,
      ${severeSql(c('overall_absence'), c('possible_sessions'))} AS severe,
      ${absenceBandSql(c('overall_absence'), c('possible_sessions'))} AS band,
      ${bandingEligibleSql(c('possible_sessions'))} AS eligible,
      ${daysMissedSql(c('overall_absence'))} AS days,
      ${ratePctSql(`${c('present_sessions')} + ${c('approved_educational_activity')}`, c('possible_sessions'))} AS attendance_perc,
      ${ratePctSql(c('overall_absence'), c('possible_sessions'))} AS overall_absence_perc,
      ${ratePctSql(c('authorised_absence'), c('possible_sessions'))} AS authorised_absence_perc,
      ${ratePctSql(c('unauthorised_absence'), c('possible_sessions'))} AS unauthorised_absence_perc
    FROM e ORDER BY e.seq`;
  const reader = await db.connection.runAndReadAll(sql, { n: sequences.length });
  return reader.getRowObjects().map((row) => ({
    summary: summaryFromRow(row),
    persistent: row['persistent'] as boolean,
    severe: row['severe'] as boolean,
    band: row['band'] as string | null,
    eligible: row['eligible'] as boolean,
    days: row['days'] as number,
    attendancePerc: row['attendance_perc'] as number | null,
    overallAbsencePerc: row['overall_absence_perc'] as number | null,
    authorisedAbsencePerc: row['authorised_absence_perc'] as number | null,
    unauthorisedAbsencePerc: row['unauthorised_absence_perc'] as number | null,
  }));
}

/** What the TypeScript reference says about one sequence, in the shape of {@link SqlEnrolment}. */
function tsEnrolment(marks: readonly Mark[], options: CountingOptions = {}): SqlEnrolment {
  const summary = summariseMarks(marks, options);
  return {
    summary,
    persistent: isPersistentAbsentee(summary),
    severe: isSevereAbsentee(summary),
    band: absenceBand(summary),
    eligible: bandingEligible(summary),
    days: daysMissed(summary),
    ...rates(summary),
  };
}

/** Runs one golden case through TypeScript and SQL; both must agree, and the TypeScript result is returned. */
async function both(marks: Mark[], options: CountingOptions = {}): Promise<SessionSummary> {
  const [fromSql] = await sqlSummaries([marks], options);
  const fromTs = tsEnrolment(marks, options);
  expect(fromSql).toEqual(fromTs);
  const [packed] = await sqlSummaries([marks], options, 'packed');
  expect(packed).toEqual(fromTs);
  return fromTs.summary;
}

const on = (date: string, ...codes: string[]): Mark[] => codes.map((mark) => ({ date, mark }));

describe('generated SQL', () => {
  it('lists the measure columns, then one reason column per code', async () => {
    expect(MEASURE_COLUMNS).toEqual([
      'possible_sessions', 'present_sessions', 'approved_educational_activity', 'authorised_absence',
      'unauthorised_absence', 'overall_absence', 'late_sessions',
    ]);
    expect(REASON_COLUMNS.length).toBe(CODE_TOKENS.length);
    const reader = await db.connection.runAndReadAll(
      `DESCRIBE SELECT ${sessionAggregatesSql({ mark: quoteIdent('mark'), date: quoteIdent('date') })} FROM marks`,
    );
    const described = reader.getRowObjects();
    expect(described.map((r) => r['column_name'])).toEqual([...MEASURE_COLUMNS, ...REASON_COLUMNS]);
    expect(new Set(described.map((r) => r['column_type']))).toEqual(new Set(['INTEGER']));
  });

  it('quotes identifiers', () => {
    expect(quoteIdent('mark')).toBe('"mark"');
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(() => quoteIdent('')).toThrow(RangeError);
  });
});

describe('golden cases, TypeScript and SQL', () => {
  it('counts present (/ \\ L) and AEA (K V P W B) as possible attendance (§1.1, S3)', async () => {
    const s = await both(on('2024-09-02', '/', '\\', 'L', 'K', 'V', 'P', 'W', 'B'));
    expect(s).toMatchObject({ possibleSessions: 8, presentSessions: 3, approvedEducationalActivity: 5, overallAbsence: 0 });
  });

  it('keeps D, X, Z, #, Q and Y1–Y7 out of possible sessions (§8 rule 1)', async () => {
    const s = await both(on('2024-10-07', 'D', 'X', 'Z', '#', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7'));
    expect(s.possibleSessions).toBe(0);
    expect(s.byReason['Y4']).toBe(1);
    expect(s.byReason['#']).toBe(1);
  });

  it('counts old J as attendance and new J1 as authorised absence (§1.2, §8 rule 7)', async () => {
    const s = await both([...on('2024-03-05', 'J'), ...on('2024-09-10', 'J1')]);
    expect(s).toMatchObject({ possibleSessions: 2, approvedEducationalActivity: 1, authorisedAbsence: 1 });
  });

  it('counts every leave-of-absence and other authorised code as authorised (S4 reg 11; S3)', async () => {
    const s = await both(on('2025-01-13', 'C1', 'M', 'J1', 'S', 'C2', 'C', 'T', 'R', 'I', 'E'));
    expect(s).toMatchObject({ possibleSessions: 10, authorisedAbsence: 10, overallAbsence: 10, unauthorisedAbsence: 0 });
  });

  it('counts L and U both as late, and U as unauthorised (S3: late = L + U)', async () => {
    const s = await both(on('2025-02-03', 'L', 'U', 'G', 'N', 'O'));
    expect(s).toMatchObject({ lateSessions: 2, presentSessions: 1, unauthorisedAbsence: 4, possibleSessions: 5 });
  });

  it('counts the old codes H, F, C and single Y by their own era (§1.2)', async () => {
    const s = await both([
      ...on('2012-10-01', 'F', 'H'), // extended and agreed holiday: authorised
      ...on('2023-05-10', 'C', 'Y', 'H'), // C authorised, Y not counted
    ]);
    expect(s).toMatchObject({ possibleSessions: 4, authorisedAbsence: 4 });
  });

  it('reads codes used outside their years with their nearest era, as DfE does (S3 2024/25 file)', async () => {
    const s = await both([...on('2023-11-06', 'J1', 'Y1', 'K'), ...on('2024-11-06', 'H', 'J', 'Y', 'F')]);
    expect(s).toMatchObject({ possibleSessions: 5, authorisedAbsence: 3, approvedEducationalActivity: 2 });
    expect(s.byReason['J1']).toBe(1);
    expect(s.byReason['H']).toBe(1);
  });

  it('counts tokens that are not register codes nowhere', async () => {
    const s = await both(on('2024-11-06', 'A', 'c1', '', '+', '/'));
    expect(s.possibleSessions).toBe(1);
    expect(Object.values(s.byReason).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('adds COVID X to possible sessions from 1 September 2020 to 31 March 2022 only (§1.2, §8 rule 8, S28)', async () => {
    const marks = [
      ...on('2020-08-31', 'X'),
      ...on('2020-09-01', 'X'),
      ...on('2022-03-31', 'X'),
      ...on('2022-04-01', 'X'),
      ...on('2024-10-01', 'X'),
      ...on('2021-01-05', '/', 'I'),
    ];
    const s = await both(marks);
    expect(s).toMatchObject({ possibleSessions: 4, presentSessions: 1, overallAbsence: 1 });
    expect(rates(s)).toMatchObject({ attendancePerc: 25, overallAbsencePerc: 25 });
    const off = await both(marks, { covidXInPossible: false });
    expect(off.possibleSessions).toBe(2);
  });

  it('flags persistent absence at exactly 10.00 % (§2.1, §8 rule 3)', async () => {
    const [exact, below] = await sqlSummaries([
      [...on('2024-09-09', ...Array<string>(27).fill('/')), ...on('2024-09-10', 'I', 'G', 'M')], // 3 / 30
      [...on('2024-09-09', ...Array<string>(28).fill('/')), ...on('2024-09-10', 'I', 'G', 'M')], // 3 / 31
    ]);
    expect(exact).toMatchObject({ persistent: true, severe: false, band: '10-15', overallAbsencePerc: 10 });
    expect(below).toMatchObject({ persistent: false, band: '5-10' });
  });

  it('flags severe absence at exactly 50.00 % and puts it in the 50+ band (§2.1; S11)', async () => {
    const [exact, below] = await sqlSummaries([
      [...on('2024-09-09', ...Array<string>(10).fill('/')), ...on('2024-09-10', ...Array<string>(10).fill('C2'))],
      [...on('2024-09-09', ...Array<string>(11).fill('/')), ...on('2024-09-10', ...Array<string>(10).fill('C2'))],
    ]);
    expect(exact).toMatchObject({ persistent: true, severe: true, band: '50+', eligible: true, days: 5 });
    expect(below).toMatchObject({ persistent: true, severe: false, band: '45-50' });
  });

  it('bands the 5 % edges into the band above (FORMATS.md §5)', async () => {
    const seq = (absent: number, possible: number): Mark[] => [
      ...on('2025-03-03', ...Array<string>(possible - absent).fill('/')),
      ...on('2025-03-04', ...Array<string>(absent).fill('O')),
    ];
    const rows = await sqlSummaries([seq(1, 20), seq(1, 21), seq(9, 20), seq(0, 19)]);
    expect(rows.map((r) => r.band)).toEqual(['5-10', '0-5', '45-50', '0-5']);
    expect(rows.map((r) => r.eligible)).toEqual([true, true, true, false]);
  });

  it('gives NULL rates and no band with no possible sessions', async () => {
    const [none, empty] = await sqlSummaries([on('2025-03-03', '#', 'Z'), []]);
    for (const r of [none, empty]) {
      expect(r).toMatchObject({ persistent: false, severe: false, band: null, overallAbsencePerc: null, attendancePerc: null });
    }
    expect(empty!.summary).toEqual(summariseMarks([]));
  });
});

// ---------------------------------------------------------------------------------------------
// Property: TypeScript and SQL agree on random mark sequences.

const EPOCH_2019 = Date.UTC(2019, 0, 1) / DAY_MS;
const EPOCH_2027 = Date.UTC(2027, 0, 1) / DAY_MS;
/** Dates where a meaning changes: COVID window and code-set edges. */
const EDGE_DATES = ['2020-08-31', '2020-09-01', '2022-03-31', '2022-04-01', '2023-07-31', '2023-08-01', '2024-07-31', '2024-08-01'];

const dateArb = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: EPOCH_2019, max: EPOCH_2027 - 1 }).map(isoOfDay) },
  { weight: 1, arbitrary: fc.constantFrom(...EDGE_DATES) },
);
const anyCodeArb = fc.constantFrom(...CODE_TOKENS, 'A', 'c1', '+', '');
/**
 * Per sequence, a mix of presence, absence and any code at all (including tokens the table does
 * not know), so that every absence band and both flags occur.
 */
const sequenceArb = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 6 }))
  .chain(([presentWeight, absentWeight]) =>
    fc.array(
      fc.record({
        date: dateArb,
        mark: fc.oneof(
          { weight: presentWeight, arbitrary: fc.constantFrom('/', '\\', 'L') },
          { weight: absentWeight, arbitrary: fc.constantFrom('I', 'M', 'C', 'G', 'N', 'O', 'U', 'E') },
          { weight: 1, arbitrary: anyCodeArb },
        ),
      }),
      { maxLength: 80, size: 'max' },
    ),
  );

describe('packed session counts', () => {
  const packed = packedSessionAggregatesSql({ mark: quoteIdent('mark'), date: quoteIdent('date'), weight: 'n' });
  const counted = (rows: string) => `
    SELECT ${packed.unpack((p) => `g.${quoteIdent(p)}`)}
    FROM (SELECT ${packed.aggregates} FROM (VALUES ${rows}) t("mark", "date", n)) g`;

  it('holds every count up to the limit in its lane, next to full lanes', async () => {
    // 32,767 unauthorised absences (G) fill their lanes; the present marks around them are unharmed.
    const [row] = (await db.connection.runAndReadAll(counted(`('G', DATE '2025-01-06', ${PACKED_MARKS_LIMIT - 2}), ('/', DATE '2025-01-06', 1), ('\\', DATE '2025-01-06', 1)`))).getRowObjectsJS();
    expect(row).toMatchObject({ possible_sessions: PACKED_MARKS_LIMIT, unauthorised_absence: PACKED_MARKS_LIMIT - 2, overall_absence: PACKED_MARKS_LIMIT - 2, reason_g: PACKED_MARKS_LIMIT - 2, present_sessions: 2, reason_present_am: 1, reason_present_pm: 1, late_sessions: 0 });
  });

  it('adds up lane by lane: the packs of two groups added are the packs of both', async () => {
    const sum = (p: string) => `CAST(sum(${quoteIdent(p)}) AS BIGINT) AS ${quoteIdent(p)}`;
    const parts = `SELECT ${packed.aggregates} FROM (VALUES ('U', DATE '2025-01-06', 3), ('/', DATE '2025-01-06', 7), ('U', DATE '2025-02-03', 5), ('L', DATE '2025-02-03', 2)) t("mark", "date", n) GROUP BY "date"`;
    const [row] = (await db.connection.runAndReadAll(`SELECT ${packed.unpack(quoteIdent)} FROM (SELECT ${packed.packs.map(sum).join(', ')} FROM (${parts}))`)).getRowObjectsJS();
    expect(row).toMatchObject({ possible_sessions: 17, present_sessions: 9, unauthorised_absence: 8, late_sessions: 10, reason_u: 8, reason_present_am: 7, reason_l: 2 });
  });

  it('refuses a group of more marks than its lanes can hold, rather than misread it', async () => {
    await expect(db.connection.run(counted(`('/', DATE '2025-01-06', ${PACKED_MARKS_LIMIT}), ('\\', DATE '2025-01-06', 1)`))).rejects.toThrow(/more than 32767 marks in one group/);
  });
});

describe('property: summariseMarks and sessionAggregatesSql agree', () => {
  it('on thousands of random sequences of every code, current and legacy, dated 2019–2026', async () => {
    const seen = { sequences: 0, bands: new Set<string | null>(), persistent: 0, severe: 0, covidX: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(sequenceArb, { minLength: 100, maxLength: 250, size: 'max' }), fc.boolean(), async (sequences, covidXInPossible) => {
        const options = { covidXInPossible };
        const fromSql = await sqlSummaries(sequences, options);
        const fromTs = sequences.map((s) => tsEnrolment(s, options));
        expect(fromSql).toEqual(fromTs);
        // Counting pre-counted marks (weight) gives the same as counting every mark, packed or not.
        expect(await sqlSummaries(sequences, options, 'preCounted')).toEqual(fromTs);
        expect(await sqlSummaries(sequences, options, 'packed')).toEqual(fromTs);
        // Sum then divide over the whole population agrees too.
        expect(aggregate(fromSql.map((r) => r.summary))).toEqual(aggregate(fromTs.map((r) => r.summary)));
        seen.sequences += sequences.length;
        for (const r of fromTs) {
          seen.bands.add(r.band);
          if (r.persistent) seen.persistent += 1;
          if (r.severe) seen.severe += 1;
        }
        seen.covidX += sequences.flat().filter((m) => m.mark === 'X' && m.date >= '2020-09-01' && m.date <= '2022-03-31').length;
      }),
      { numRuns: 30 },
    );
    // The generator really reached every band, both flags and the COVID window.
    expect(seen.sequences).toBeGreaterThan(3000);
    expect(seen.bands.size).toBe(12);
    expect(seen.persistent).toBeGreaterThan(100);
    expect(seen.severe).toBeGreaterThan(100);
    expect(seen.covidX).toBeGreaterThan(10);
  });
});
