/**
 * Small-number suppression for aggregates shown to people without pupil access (DESIGN.md,
 * "Security and privacy"): a cohort smaller than the threshold is shown as suppressed, not as a
 * figure from which a child could be recognised.
 */

/** The default smallest cohort shown: DfE-style suppression of counts below 5 (EES marker `c`). */
export const DEFAULT_MIN_COHORT = 5;

/** Whether a cohort of `count` must be suppressed at threshold `min` (counts 1 … min−1; 0 is shown). */
export function isSuppressed(count: number, min: number = DEFAULT_MIN_COHORT): boolean {
  return count > 0 && count < min;
}
