import { academicYearOf, ageAt31August, summerHalfTerm2Start } from './calendar.js';

/**
 * The two named scopes every figure states (issue: "every figure says which scope it uses").
 *
 * - `dfe` — the DfE statistics scope (methodology §2.2, S1): enrolments of pupils of compulsory
 *   school age, 5 to 15 on 31 August at the start of the academic year; no boarders; the summer
 *   second half-term removed for pupils aged 15; enrolments first starting in summer HT2 and
 *   enrolments with no possible sessions left out. Comparable with published statistics.
 * - `operational` — every pupil on roll, for the lists people act on.
 */
export type MetricScope = 'dfe' | 'operational';

export const METRIC_SCOPES: readonly MetricScope[] = ['dfe', 'operational'];

/** Youngest age on 31 August in DfE absence statistics (compulsory school age). */
export const DFE_MIN_AGE = 5;
/** Oldest age on 31 August in DfE absence statistics; at this age summer HT2 is removed. */
export const DFE_MAX_AGE = 15;

export const SCOPE_LABELS: Readonly<Record<MetricScope, string>> = {
  dfe: 'DfE statistics scope: pupils aged 5 to 15, as published statistics count them',
  operational: 'Operational scope: every pupil on roll',
};

/** The pupil facts the DfE scope needs. */
export interface ScopePupil {
  /** Date of birth, `YYYY-MM-DD`. */
  readonly dob: string;
  readonly boarder: boolean;
}

/**
 * Whether a mark dated `date` counts in the DfE statistics scope (methodology §2.2, §8 rules 4–6;
 * S1): the pupil is aged 5–15 on 31 August at the start of the mark's academic year and not a
 * boarder; the enrolment did not first start in the summer second half-term (`firstMark` is the
 * enrolment's first mark in that academic year); and for a 15-year-old the mark is not in the
 * summer second half-term. Enrolments left with no possible sessions are dropped by the caller
 * after counting (§8 rule 5). The twin of {@link dfeScopeSql}.
 */
export function inDfeScope(pupil: ScopePupil, date: string, firstMark: string): boolean {
  const ay = academicYearOf(date);
  const age = ageAt31August(pupil.dob, ay);
  if (age < DFE_MIN_AGE || age > DFE_MAX_AGE || pupil.boarder) return false;
  const ht2 = summerHalfTerm2Start(ay);
  if (firstMark >= ht2) return false;
  return !(age === DFE_MAX_AGE && date >= ht2);
}

/** Column expressions (already quoted) for {@link dfeScopeSql}: DATE, DATE, BOOLEAN, DATE. */
export interface ScopeColumns {
  readonly dob: string;
  readonly date: string;
  readonly boarder: string;
  /** The enrolment's first mark date in the mark's academic year. */
  readonly firstMark: string;
}

/** INTEGER: the calendar year in which the academic year of `date` starts (years start on 1 August). */
export function academicYearStartYearSql(date: string): string {
  return `(CAST(year(${date}) AS INTEGER) - CASE WHEN month(${date}) < 8 THEN 1 ELSE 0 END)`;
}

/** INTEGER: age on 31 August at the start of the academic year of `date` (twin of {@link ageAt31August}). */
export function ageAt31AugustSql(dob: string, date: string): string {
  return `(${academicYearStartYearSql(date)} - CAST(year(${dob}) AS INTEGER) - CASE WHEN month(${dob}) > 8 THEN 1 ELSE 0 END)`;
}

/** DATE: the first day of the summer second half-term of the academic year of `date`, the last Monday in May (twin of {@link summerHalfTerm2Start}). */
export function summerHalfTerm2StartSql(date: string): string {
  const may31 = `make_date(${academicYearStartYearSql(date)} + 1, 5, 31)`;
  return `(${may31} - CAST(isodow(${may31}) - 1 AS INTEGER))`;
}

/** BOOLEAN: the twin of {@link inDfeScope}; NULL `boarder` counts as not a boarder. */
export function dfeScopeSql(c: ScopeColumns): string {
  const age = ageAt31AugustSql(c.dob, c.date);
  const ht2 = summerHalfTerm2StartSql(c.date);
  return `(${age} BETWEEN ${DFE_MIN_AGE} AND ${DFE_MAX_AGE} AND NOT coalesce(${c.boarder}, false)` +
    ` AND ${c.firstMark} < ${ht2} AND NOT (${age} = ${DFE_MAX_AGE} AND ${c.date} >= ${ht2}))`;
}
