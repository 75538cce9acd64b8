/**
 * Population figures from enrolment rows, sum then divide (methodology §8 rules 2 and 3): the SQL
 * twin of `aggregate`, `rates` and `enrolmentRates`, for any grouping — school, LA, phase, year
 * group, or a cohort (FSM, SEN, sex, …) — named by the caller's key columns.
 */
import { MEASURE_COLUMNS, persistentSql, quoteIdent, ratePctSql, severeSql } from './sql.js';

export interface PopulationSqlOptions {
  /** A relation with one row per enrolment and the columns of `MEASURE_COLUMNS` (e.g. `fct_enrolment_term` summed over terms). */
  readonly source: string;
  /** Column names (unquoted) to group by; `[]` for one row over everything. */
  readonly keys: readonly string[];
}

/** The columns after the keys, in order. */
export const POPULATION_COLUMNS: readonly string[] = Object.freeze([
  'enrolments', ...MEASURE_COLUMNS, 'attendance_perc', 'overall_absence_perc', 'authorised_absence_perc', 'unauthorised_absence_perc',
  'persistent_absentees', 'severe_absentees', 'pa_perc', 'sa_perc',
]);

/**
 * One row per group: `enrolments` (with possible sessions, §8 rule 5), the summed measures, the
 * four rates, persistent and severe absentees decided on each enrolment's own totals, and their
 * rates over enrolments.
 */
export function populationSummarySql(o: PopulationSqlOptions): string {
  const keys = o.keys.map(quoteIdent);
  const q = quoteIdent;
  const inner = [
    ...keys,
    `CAST(count(*) FILTER (WHERE ${q('possible_sessions')} > 0) AS BIGINT) AS enrolments`,
    ...MEASURE_COLUMNS.map((c) => `CAST(coalesce(sum(${q(c)}), 0) AS BIGINT) AS ${q(c)}`),
    `CAST(count(*) FILTER (WHERE ${persistentSql(q('overall_absence'), q('possible_sessions'))}) AS BIGINT) AS persistent_absentees`,
    `CAST(count(*) FILTER (WHERE ${severeSql(q('overall_absence'), q('possible_sessions'))}) AS BIGINT) AS severe_absentees`,
  ];
  const outer = [
    ...keys,
    'enrolments',
    ...MEASURE_COLUMNS.map(q),
    `${ratePctSql(`${q('present_sessions')} + ${q('approved_educational_activity')}`, q('possible_sessions'))} AS attendance_perc`,
    `${ratePctSql(q('overall_absence'), q('possible_sessions'))} AS overall_absence_perc`,
    `${ratePctSql(q('authorised_absence'), q('possible_sessions'))} AS authorised_absence_perc`,
    `${ratePctSql(q('unauthorised_absence'), q('possible_sessions'))} AS unauthorised_absence_perc`,
    'persistent_absentees',
    'severe_absentees',
    `${ratePctSql('persistent_absentees', 'enrolments')} AS pa_perc`,
    `${ratePctSql('severe_absentees', 'enrolments')} AS sa_perc`,
  ];
  return `SELECT ${outer.join(', ')}\nFROM (SELECT ${inner.join(', ')} FROM ${o.source}${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''})`;
}
