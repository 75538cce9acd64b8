/**
 * Thresholds and the rate formula of the DfE method (attendance-methodology.md §2.1).
 * TODO(metrics): these mirror PERSISTENT_ABSENCE_THRESHOLD_PCT, SEVERE_ABSENCE_THRESHOLD_PCT and
 * ratePct() in @rollbook/metrics; import them from there once that package exports an index.
 */
export const PERSISTENT_ABSENCE_THRESHOLD_PCT = 10;
export const SEVERE_ABSENCE_THRESHOLD_PCT = 50;

/** `numerator / denominator × 100`, or `null` when the denominator is 0. */
export function ratePct(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : (numerator * 100) / denominator;
}
