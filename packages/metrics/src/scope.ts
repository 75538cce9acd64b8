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
