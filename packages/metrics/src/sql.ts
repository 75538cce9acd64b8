/**
 * DuckDB SQL generated from the register-code table and the thresholds in `measures.ts`, so the
 * warehouse computes exactly what the TypeScript reference computes (DESIGN.md: each rule exists
 * as TypeScript and as SQL, and tests prove they agree).
 *
 * Every value in the generated SQL is a constant of this package (code tokens, era boundary
 * dates, thresholds); caller input only ever arrives as column expressions, which the caller
 * quotes with {@link quoteIdent}.
 */
import { CODE_TOKENS, classifyMark, reasonColumn, treatmentBoundaries } from './codes.js';
import type { CountingOptions, MarkTreatment } from './codes.js';
import { addDays } from './calendar.js';
import {
  ABSENCE_BANDS,
  ABSENCE_BAND_WIDTH_PCT,
  BANDING_MIN_POSSIBLE_SESSIONS,
  DEFAULT_SESSION_HOURS,
  MEASURES,
  PERSISTENT_ABSENCE_THRESHOLD_PCT,
  SESSIONS_PER_DAY,
  SEVERE_ABSENCE_THRESHOLD_PCT,
  emptySummary,
} from './measures.js';
import type { SessionSummary } from './measures.js';

/** The session measure columns, in order: `possible_sessions` … `late_sessions`. */
export const MEASURE_COLUMNS: readonly string[] = Object.freeze(MEASURES.map((m) => m.column));

/** One `reason_*` column per register code token, in table order (`reason_present_am`, … `reason_planned_closure`). */
export const REASON_COLUMNS: readonly string[] = Object.freeze(CODE_TOKENS.map((c) => reasonColumn(c)));

/** Quotes an SQL identifier for DuckDB: `a"b` → `"a""b"`. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\0')) throw new RangeError('An SQL identifier must be non-empty and free of NUL characters');
  return `"${name.replace(/"/g, '""')}"`;
}

function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function sqlDate(value: string): string {
  return `DATE ${sqlString(value)}`;
}

/** An inclusive date range; a null end is open. */
interface Range {
  from: string | null;
  to: string | null;
}

/**
 * The date ranges on which marks with `code` are counted by predicate `counts`. Before, between
 * and after the {@link treatmentBoundaries} the treatment of a code is constant, so evaluating
 * {@link classifyMark} once per segment gives exactly the dates on which TypeScript counts it.
 */
function countedRanges(code: string, counts: (t: MarkTreatment) => boolean, options: CountingOptions): Range[] {
  const bounds = treatmentBoundaries(code);
  const ranges: Range[] = [];
  // Segment i runs from bounds[i - 1] (open before the first) to the day before bounds[i] (open after the last).
  for (let i = 0; i <= bounds.length; i += 1) {
    const from = i === 0 ? null : bounds[i - 1]!;
    const to = i === bounds.length ? null : addDays(bounds[i]!, -1);
    const t = classifyMark(code, from ?? addDays(bounds[0] ?? '2000-01-01', -1), options);
    if (t === undefined || !counts(t)) continue;
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.to !== null && from !== null && addDays(last.to, 1) === from) last.to = to;
    else ranges.push({ from, to });
  }
  return ranges;
}

/** The date test for one range, or null when the range is every date. */
function rangeCondition(date: string, r: Range): string | null {
  if (r.from === null && r.to === null) return null;
  if (r.from === null) return `${date} <= ${sqlDate(r.to!)}`;
  if (r.to === null) return `${date} >= ${sqlDate(r.from)}`;
  return `${date} BETWEEN ${sqlDate(r.from)} AND ${sqlDate(r.to)}`;
}

/** The WHERE condition for marks counted by `counts`, grouping codes that share their date ranges. */
function measureCondition(
  mark: string,
  date: string,
  counts: (t: MarkTreatment) => boolean,
  options: CountingOptions,
): string {
  const groups = new Map<string, { ranges: Range[]; codes: string[] }>();
  for (const code of CODE_TOKENS) {
    const ranges = countedRanges(code, counts, options);
    if (ranges.length === 0) continue;
    const key = JSON.stringify(ranges);
    const group = groups.get(key);
    if (group) group.codes.push(code);
    else groups.set(key, { ranges, codes: [code] });
  }
  if (groups.size === 0) return 'false';
  const parts = [...groups.values()].map(({ ranges, codes }) => {
    const codeTest = codes.length === 1 ? `${mark} = ${sqlString(codes[0]!)}` : `${mark} IN (${codes.map(sqlString).join(', ')})`;
    const dateTests = ranges.map((r) => rangeCondition(date, r));
    if (dateTests.includes(null)) return `(${codeTest})`;
    return `(${codeTest} AND (${dateTests.join(' OR ')}))`;
  });
  return parts.join(' OR ');
}

/** Column expressions for {@link sessionAggregatesSql}. */
export interface MarkColumns extends CountingOptions {
  /** The mark column expression, already quoted (e.g. `quoteIdent('mark')` or `m."mark"`); VARCHAR tokens. */
  readonly mark: string;
  /** The mark date column expression, already quoted; must be of type DATE. */
  readonly date: string;
  /**
   * For rows that are already counts of marks (one row per enrolment × mark × treatment, see
   * {@link TREATMENT_BOUNDARIES}): the column holding the number of marks. Default: one row is one mark.
   */
  readonly weight?: string;
}

/**
 * A comma-separated list of aggregate expressions with aliases, for the SELECT list of a query
 * grouped by enrolment: the seven measures of {@link MEASURE_COLUMNS}, then one count per code
 * in {@link REASON_COLUMNS}, each `CAST(count(*) FILTER (WHERE …) AS INTEGER)`. The same rules as
 * {@link summariseMarks}, generated from the same table (COVID-19 `X` is the only code whose
 * counting depends on the mark date); reason columns count every mark with that token.
 *
 * @example
 * `SELECT upn, ${sessionAggregatesSql({ mark: quoteIdent('mark'), date: quoteIdent('date') })} FROM marks GROUP BY upn`
 */
export function sessionAggregatesSql(columns: MarkColumns): string {
  const { weight } = columns;
  return sessionCountConditions(columns)
    .map(({ column, condition }) =>
      weight === undefined
        ? `CAST(count(*) FILTER (WHERE ${condition}) AS INTEGER) AS ${quoteIdent(column)}`
        : `CAST(coalesce(sum(${weight}) FILTER (WHERE ${condition}), 0) AS INTEGER) AS ${quoteIdent(column)}`,
    )
    .join(',\n  ');
}

/** Each count column of {@link sessionAggregatesSql} (measures, then reasons) with the condition a mark is counted on. */
function sessionCountConditions(columns: MarkColumns): { column: string; condition: string }[] {
  const { mark, date } = columns;
  return [
    ...MEASURES.map((m) => ({ column: m.column, condition: measureCondition(mark, date, m.counts, columns) })),
    ...CODE_TOKENS.map((code) => ({ column: reasonColumn(code), condition: `${mark} = ${sqlString(code)}` })),
  ];
}

/** Bits per count in a pack of {@link packedSessionAggregatesSql}, and counts per BIGINT pack (4 × 15 = 60 bits). */
const LANE_BITS = 15;
const LANES_PER_PACK = 4;
/** The most marks one group of packed counts may hold: every count then fits its lane. */
export const PACKED_MARKS_LIMIT = 2 ** LANE_BITS - 1;

/** The packed form of the session counts: see {@link packedSessionAggregatesSql}. */
export interface PackedSessionAggregates {
  /** Aggregate expressions for the SELECT list of a grouping, one per pack, aliased with {@link packs}. */
  readonly aggregates: string;
  /** The pack column names, the last one the group's number of marks. Every pack is additive (see below). */
  readonly packs: readonly string[];
  /**
   * Expressions reading the packs back into {@link MEASURE_COLUMNS} then {@link REASON_COLUMNS}
   * (INTEGER, aliased), given how to name a pack (e.g. `(p) => \`x.${p}\``). Fails the query
   * (`error()`) for a group of more than {@link PACKED_MARKS_LIMIT} marks rather than misread it.
   */
  unpack(pack: (name: string) => string): string;
}

/**
 * The counts of {@link sessionAggregatesSql} with a `weight` (pre-counted rows), packed four to a
 * BIGINT, 15 bits each: the same numbers, but a grouping keeps a dozen sums instead of one filtered
 * sum per column, which is most of the cost of grouping many rows. Packs are additive lane by lane:
 * the packs of two groups added together are the packs of their union (the ETL adds an
 * enrolment's parts before and in summer HT2 this way), as long as the union holds at most
 * {@link PACKED_MARKS_LIMIT} marks, which {@link PackedSessionAggregates.unpack} checks. A termly
 * return holds at most a few hundred marks per pupil.
 */
export function packedSessionAggregatesSql(columns: MarkColumns & { readonly weight: string }): PackedSessionAggregates {
  const counts = sessionCountConditions(columns);
  const packs: string[] = [];
  const aggregates: string[] = [];
  for (let first = 0; first < counts.length; first += LANES_PER_PACK) {
    const name = `pack_${packs.length}`;
    const lanes = counts
      .slice(first, first + LANES_PER_PACK)
      .map(({ condition }, lane) => `CASE WHEN ${condition} THEN ${2 ** (LANE_BITS * lane)} ELSE 0 END`);
    aggregates.push(`CAST(coalesce(sum(${columns.weight} * (${lanes.join(' + ')})), 0) AS BIGINT) AS ${quoteIdent(name)}`);
    packs.push(name);
  }
  aggregates.push(`CAST(coalesce(sum(${columns.weight}), 0) AS BIGINT) AS ${quoteIdent('pack_marks')}`);
  packs.push('pack_marks');
  return {
    aggregates: aggregates.join(',\n  '),
    packs,
    unpack(pack) {
      const tooMany = `${pack('pack_marks')} > ${PACKED_MARKS_LIMIT}`;
      const message = sqlString(`more than ${PACKED_MARKS_LIMIT} marks in one group: too many to count in packs`);
      return counts
        .map(({ column }, i) => {
          const lane = `(${pack(`pack_${Math.floor(i / LANES_PER_PACK)}`)} >> ${LANE_BITS * (i % LANES_PER_PACK)}) & ${PACKED_MARKS_LIMIT}`;
          const value = i === 0 ? `CASE WHEN ${tooMany} THEN error(${message}) ELSE ${lane} END` : lane;
          return `CAST(${value} AS INTEGER) AS ${quoteIdent(column)}`;
        })
        .join(',\n  ');
    },
  };
}

/** `num / den × 100` as DOUBLE, NULL when `den` is 0: the SQL twin of {@link ratePct} (same operations, same result). */
export function ratePctSql(num: string, den: string): string {
  return `(CAST(${num} AS DOUBLE) * 100 / NULLIF(CAST(${den} AS DOUBLE), 0))`;
}

function atLeastPctSql(overall: string, possible: string, pct: number): string {
  return `(CAST(${possible} AS BIGINT) > 0 AND CAST(${overall} AS BIGINT) * 100 >= CAST(${possible} AS BIGINT) * ${pct})`;
}

/** BOOLEAN: persistent absentee, overall ≥ 10 % of possible (twin of {@link isPersistentAbsentee}). */
export function persistentSql(overall: string, possible: string): string {
  return atLeastPctSql(overall, possible, PERSISTENT_ABSENCE_THRESHOLD_PCT);
}

/** BOOLEAN: severe absentee, overall ≥ 50 % of possible (twin of {@link isSevereAbsentee}). */
export function severeSql(overall: string, possible: string): string {
  return atLeastPctSql(overall, possible, SEVERE_ABSENCE_THRESHOLD_PCT);
}

/** VARCHAR: the absence band (`'0-5'` … `'50+'`), NULL with no possible sessions (twin of {@link absenceBand}). */
export function absenceBandSql(overall: string, possible: string): string {
  const o = `CAST(${overall} AS BIGINT) * 100`;
  const p = `CAST(${possible} AS BIGINT)`;
  const whens: string[] = [];
  for (let i = ABSENCE_BANDS.length - 1; i > 0; i -= 1) {
    whens.push(`WHEN ${o} >= ${p} * ${i * ABSENCE_BAND_WIDTH_PCT} THEN ${sqlString(ABSENCE_BANDS[i]!)}`);
  }
  return `(CASE WHEN ${p} = 0 THEN NULL ${whens.join(' ')} ELSE ${sqlString(ABSENCE_BANDS[0]!)} END)`;
}

/** BOOLEAN: enough possible sessions for absence bandings (twin of {@link bandingEligible}). */
export function bandingEligibleSql(possible: string): string {
  return `(${possible} >= ${BANDING_MIN_POSSIBLE_SESSIONS})`;
}

/** DOUBLE: school days missed, overall absence / 2 (twin of {@link daysMissed}). */
export function daysMissedSql(overall: string): string {
  return `(CAST(${overall} AS DOUBLE) / ${SESSIONS_PER_DAY})`;
}

function toNumber(v: unknown, column: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`Expected a number in column ${column}, got ${v === null ? 'NULL' : typeof v}`);
}

/**
 * Reads a row holding the columns of {@link sessionAggregatesSql} (numbers or bigints, as
 * DuckDB returns them) back into a {@link SessionSummary}. Missing reason columns read as 0.
 */
export function summaryFromRow(row: Readonly<Record<string, unknown>>): SessionSummary {
  const s = emptySummary();
  for (const m of MEASURES) s[m.key] = toNumber(row[m.column], m.column);
  for (const code of CODE_TOKENS) {
    const column = reasonColumn(code);
    const v = row[column];
    s.byReason[code] = v === undefined || v === null ? 0 : toNumber(v, column);
  }
  return s;
}

/** DOUBLE: hours of learning missed, overall absence × session length in hours (twin of {@link hoursMissed}); `sessionHours` is a positive number. */
export function hoursMissedSql(overall: string, sessionHours: number = DEFAULT_SESSION_HOURS): string {
  if (!(sessionHours > 0) || !Number.isFinite(sessionHours)) throw new RangeError(`Session length must be a positive number of hours, got ${sessionHours}`);
  return `(CAST(${overall} AS DOUBLE) * ${sessionHours})`;
}
