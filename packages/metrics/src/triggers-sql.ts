/**
 * The statutory triggers of `triggers.ts` as one DuckDB query, generated from the same constants
 * and code table. Values in the SQL are constants of this package; caller input arrives only as
 * identifiers (quoted here) and as SQL expressions for the period bounds (named parameters such
 * as `$from`, never interpolated values).
 */
import { SESSIONS_PER_DAY } from './measures.js';
import { quoteIdent } from './sql.js';
import {
  CME_CONTINUOUS_DAYS,
  ILLNESS_CODE,
  ILLNESS_RETURN_DAYS,
  PENALTY_THRESHOLD_SESSIONS,
  PENALTY_WINDOW_SCHOOL_WEEKS,
  SCHOOL_SESSION_CODES,
  TRIGGERS,
  UNAUTHORISED_CODES,
  UNAUTHORISED_RETURN_DAYS,
} from './triggers.js';
import type { ThresholdResult, StatutoryTriggers, TriggerKey } from './triggers.js';

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;
const list = (codes: readonly string[]): string => codes.map(lit).join(', ');

export interface TriggersSqlOptions {
  /** The relation holding the marks: a quoted table name or a parenthesised subquery. */
  readonly source: string;
  /** Column names (unquoted) of `source` that identify an enrolment, e.g. `['urn', 'upn']`; kept in the output. */
  readonly keys: readonly string[];
  /** Column names (unquoted) of the mark date (DATE) and the code; defaults `date` and `mark`. */
  readonly date?: string;
  readonly mark?: string;
  /** SQL expressions (e.g. `$from`) for the first and last day of the period; omitted = unbounded. */
  readonly from?: string;
  readonly to?: string;
  /** Only these triggers (their columns, in {@link TRIGGERS} order); default all. Fewer triggers run faster. */
  readonly only?: readonly TriggerKey[];
}

/** The output columns after the keys: `<prefix>_met_on` DATE, `<prefix>_count` (INTEGER, DOUBLE for cumulative illness), `<prefix>_since` DATE, per trigger. */
export const TRIGGER_COLUMNS: readonly string[] = Object.freeze(TRIGGERS.flatMap((t) => [`${t.prefix}_met_on`, `${t.prefix}_count`, `${t.prefix}_since`]));

/**
 * A complete SELECT giving one row per enrolment that has a school day in the period: the keys,
 * then {@link TRIGGER_COLUMNS}. The twin of {@link statutoryTriggers}; enrolments with no school
 * day in the period have no row (their TypeScript result is all `null` and 0).
 */
export function statutoryTriggersSql(o: TriggersSqlOptions): string {
  if (o.keys.length === 0) throw new RangeError('statutoryTriggersSql needs at least one key column');
  const keys = o.keys.map(quoteIdent).join(', ');
  const date = quoteIdent(o.date ?? 'date');
  const mark = quoteIdent(o.mark ?? 'mark');
  const part = `PARTITION BY ${keys}`;
  const rKeys = o.keys.map((k) => `r.${quoteIdent(k)}`).join(', ');
  const joinOn = (a: string, b: string): string => o.keys.map((k) => `${a}.${quoteIdent(k)} = ${b}.${quoteIdent(k)}`).join(' AND ');
  const toCond = o.to !== undefined ? `WHERE CAST(${date} AS DATE) <= CAST(${o.to} AS DATE)` : '';
  const fromCond = o.from !== undefined ? `WHERE d >= CAST(${o.from} AS DATE)` : '';
  const cumThreshold = ILLNESS_RETURN_DAYS * SESSIONS_PER_DAY;
  const result = (prefix: string, value: string, since: string, threshold: string): string =>
    [
      `min(d) FILTER (WHERE ${threshold}) AS ${quoteIdent(`${prefix}_met_on`)}`,
      `coalesce(arg_min(${value}, d) FILTER (WHERE ${threshold}), max(${value})) AS ${quoteIdent(`${prefix}_count`)}`,
      `arg_min(${since}, d) FILTER (WHERE ${threshold}) AS ${quoteIdent(`${prefix}_since`)}`,
    ].join(',\n    ');
  const columns = new Map<TriggerKey, string>([
    ['penaltyNotice', result('penalty_notice', 'pn', 'pn_since', `pn >= ${PENALTY_THRESHOLD_SESSIONS}`)],
    ['unauthorised10Days', result('unauthorised_10_days', 'unauth_run', 'unauth_since', `unauth_run >= ${UNAUTHORISED_RETURN_DAYS}`)],
    ['unauthorised20Days', result('unauthorised_20_days', 'unauth_run', 'unauth_since', `unauth_run >= ${CME_CONTINUOUS_DAYS}`)],
    ['illnessConsecutive', result('illness_consecutive', 'ill_run', 'ill_since', `ill_run >= ${ILLNESS_RETURN_DAYS}`)],
    ['illnessCumulative', result('illness_cumulative', `CAST(cum_ill AS DOUBLE) / ${SESSIONS_PER_DAY}`, 'ay_start', `cum_ill >= ${cumThreshold}`)],
  ]);
  const wanted = TRIGGERS.filter((t) => o.only === undefined || o.only.includes(t.key));
  if (wanted.length === 0) throw new RangeError('statutoryTriggersSql needs at least one trigger');
  const want = (...keys: TriggerKey[]) => wanted.some((t) => keys.includes(t.key));
  const unauthRun = want('unauthorised10Days', 'unauthorised20Days');
  const illRun = want('illnessConsecutive');
  const cumIll = want('illnessCumulative');
  const runWindows = [
    `sum(n_unauth) OVER (${part} ORDER BY d ROWS UNBOUNDED PRECEDING) AS cum_unauth`,
    ...(cumIll ? [`sum(n_ill) OVER (${part}, ay_start ORDER BY d ROWS UNBOUNDED PRECEDING) AS cum_ill`] : []),
    ...(unauthRun ? [`row_number() OVER (${part} ORDER BY d) - row_number() OVER (${part}, all_unauth ORDER BY d) AS unauth_grp`] : []),
    ...(illRun ? [`row_number() OVER (${part} ORDER BY d) - row_number() OVER (${part}, all_ill ORDER BY d) AS ill_grp`] : []),
  ];
  const values = [
    ...(cumIll ? ['r.cum_ill'] : []),
    `CAST(r.cum_unauth - coalesce(b.cum_week_unauth, 0) AS INTEGER) AS pn`,
    's.first_day AS pn_since',
    ...(unauthRun
      ? [
          `CAST(CASE WHEN r.all_unauth THEN row_number() OVER (PARTITION BY ${rKeys}, r.all_unauth, r.unauth_grp ORDER BY r.d) ELSE 0 END AS INTEGER) AS unauth_run`,
          `min(r.d) OVER (PARTITION BY ${rKeys}, r.all_unauth, r.unauth_grp) AS unauth_since`,
        ]
      : []),
    ...(illRun
      ? [
          `CAST(CASE WHEN r.all_ill THEN row_number() OVER (PARTITION BY ${rKeys}, r.all_ill, r.ill_grp ORDER BY r.d) ELSE 0 END AS INTEGER) AS ill_run`,
          `min(r.d) OVER (PARTITION BY ${rKeys}, r.all_ill, r.ill_grp) AS ill_since`,
        ]
      : []),
  ];
  return `
WITH rb_t_days AS (
  SELECT ${keys}, CAST(${date} AS DATE) AS d,
    CAST(count(*) FILTER (WHERE ${mark} IN (${list(SCHOOL_SESSION_CODES)})) AS INTEGER) AS n_school,
    CAST(count(*) FILTER (WHERE ${mark} IN (${list(UNAUTHORISED_CODES)})) AS INTEGER) AS n_unauth,
    CAST(count(*) FILTER (WHERE ${mark} = ${lit(ILLNESS_CODE)}) AS INTEGER) AS n_ill
  FROM ${o.source}
  ${toCond}
  GROUP BY ALL
  HAVING count(*) FILTER (WHERE ${mark} IN (${list(SCHOOL_SESSION_CODES)})) > 0
),
rb_t_days2 AS (
  SELECT *,
    d - CAST(isodow(d) - 1 AS INTEGER) AS wk,
    -- academic years start on 1 August (calendar.ts)
    make_date(CAST(year(d) AS INTEGER) - CASE WHEN month(d) < 8 THEN 1 ELSE 0 END, 8, 1) AS ay_start,
    n_unauth = n_school AS all_unauth,
    n_ill = n_school AS all_ill
  FROM rb_t_days
),
rb_t_weeks AS (
  SELECT ${keys}, wk, min(d) AS first_day,
    row_number() OVER (${part} ORDER BY wk) AS widx,
    sum(sum(n_unauth)) OVER (${part} ORDER BY wk ROWS UNBOUNDED PRECEDING) AS cum_week_unauth
  FROM rb_t_days2
  GROUP BY ${keys}, wk
),
rb_t_runs AS (
  SELECT x.*, w.widx,
    ${runWindows.join(',\n    ')}
  FROM rb_t_days2 x JOIN rb_t_weeks w USING (${keys}, wk)
),
rb_t_values AS (
  SELECT ${rKeys}, r.d, r.ay_start,
    ${values.join(',\n    ')}
  FROM rb_t_runs r
  LEFT JOIN rb_t_weeks b ON ${joinOn('r', 'b')} AND b.widx = r.widx - ${PENALTY_WINDOW_SCHOOL_WEEKS}
  JOIN rb_t_weeks s ON ${joinOn('r', 's')} AND s.widx = greatest(1, r.widx - ${PENALTY_WINDOW_SCHOOL_WEEKS - 1})
)
SELECT ${keys},
    ${wanted.map((t) => columns.get(t.key)!).join(',\n    ')}
FROM rb_t_values
${fromCond}
GROUP BY ${keys}`;
}

function asNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw new TypeError(`Expected a number, got ${v === null ? 'NULL' : typeof v}`);
}

function asDate(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

/** Reads a row of {@link statutoryTriggersSql} (dates as `YYYY-MM-DD` strings or Dates) back into {@link StatutoryTriggers}. */
export function triggersFromRow(row: Readonly<Record<string, unknown>>): StatutoryTriggers {
  const out = {} as Record<TriggerKey, ThresholdResult>;
  for (const t of TRIGGERS) {
    out[t.key] = {
      metOn: asDate(row[`${t.prefix}_met_on`]),
      count: asNumber(row[`${t.prefix}_count`]),
      since: asDate(row[`${t.prefix}_since`]),
    };
  }
  return out as unknown as StatutoryTriggers;
}
