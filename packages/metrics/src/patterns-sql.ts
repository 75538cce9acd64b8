/**
 * SQL twins of the patterns in `patterns.ts` that run over marks: complete SELECTs grouped by the
 * caller's keys, counting with {@link sessionAggregatesSql} (the register-code table). Caller
 * input arrives only as identifiers, quoted here, and a relation name or subquery.
 */
import type { CountingOptions } from './codes.js';
import { quoteIdent, sessionAggregatesSql } from './sql.js';

export interface PatternSqlOptions extends CountingOptions {
  /** The relation holding the marks: a quoted table name or a parenthesised subquery. */
  readonly source: string;
  /** Column names (unquoted) to group by, e.g. `['urn', 'upn']` per enrolment, `['urn']` per school, `[]` for all. */
  readonly keys: readonly string[];
  /** Column names (unquoted); defaults `date` (DATE), `session`, `mark`. */
  readonly date?: string;
  readonly session?: string;
  readonly mark?: string;
}

function parts(o: PatternSqlOptions) {
  const keys = o.keys.map(quoteIdent);
  const date = quoteIdent(o.date ?? 'date');
  const aggs = sessionAggregatesSql({ mark: quoteIdent(o.mark ?? 'mark'), date, ...(o.covidXInPossible !== undefined ? { covidXInPossible: o.covidXInPossible } : {}) });
  return { keys, date, aggs, session: quoteIdent(o.session ?? 'session') };
}

/** DATE: Monday of the week of `date` (twin of `weekStart`). */
export function weekStartSql(date: string): string {
  return `(${date} - CAST(isodow(${date}) - 1 AS INTEGER))`;
}

/** Keys, `weekday` (ISO, 1 = Monday), `session`, then the session measures and reason columns: the twin of `weekdaySessionPattern`. */
export function weekdaySessionSql(o: PatternSqlOptions): string {
  const { keys, date, aggs, session } = parts(o);
  const group = [...keys, 'weekday', 'session'];
  return `SELECT ${[...keys, `CAST(isodow(${date}) AS INTEGER) AS weekday`, `${session} AS session`].join(', ')},\n  ${aggs}\nFROM ${o.source}\nGROUP BY ${group.join(', ')}`;
}

/** Keys, `week_start` (Monday), then the session measures and reason columns: the twin of `weeklySeries`. */
export function weeklySeriesSql(o: PatternSqlOptions): string {
  const { keys, date, aggs } = parts(o);
  return `SELECT ${[...keys, `${weekStartSql(date)} AS week_start`].join(', ')},\n  ${aggs}\nFROM ${o.source}\nGROUP BY ${[...keys, 'week_start'].join(', ')}`;
}

/** Keys, `weeks` (with possible sessions) and `broken` (of those, with any absence): the twin of `brokenWeeks`. */
export function brokenWeeksSql(o: PatternSqlOptions): string {
  const keys = o.keys.map(quoteIdent);
  return `SELECT ${[...keys, 'CAST(count(*) FILTER (WHERE possible_sessions > 0) AS INTEGER) AS weeks', 'CAST(count(*) FILTER (WHERE possible_sessions > 0 AND overall_absence > 0) AS INTEGER) AS broken'].join(', ')}
FROM (${weeklySeriesSql(o)})${keys.length ? `\nGROUP BY ${keys.join(', ')}` : ''}`;
}
