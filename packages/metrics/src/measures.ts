/**
 * Per-enrolment measures: the TypeScript reference. `sql.ts` generates the same measures as
 * DuckDB SQL from the same table and thresholds; the tests prove the two agree.
 */
import { CODE_TOKENS, classifyMark } from './codes.js';
import type { CountingOptions, MarkTreatment } from './codes.js';

/** Session counts for one enrolment (or, summed, for a population). */
export interface SessionCounts {
  possibleSessions: number;
  presentSessions: number;
  approvedEducationalActivity: number;
  authorisedAbsence: number;
  unauthorisedAbsence: number;
  overallAbsence: number;
  lateSessions: number;
}

/** Session counts plus sessions per register code, keyed by code token (every token, zero if unused). */
export interface SessionSummary extends SessionCounts {
  byReason: Record<string, number>;
}

/** One measure: its name in TypeScript, its mart column and which marks it counts. */
export interface MeasureDefinition {
  readonly key: keyof SessionCounts;
  readonly column: string;
  readonly counts: (t: MarkTreatment) => boolean;
}

/**
 * The session measures, in mart column order (docs/warehouse.md; DfE definitions, methodology
 * §2.1 and §8 rule 1, S1/S3): possible = present + AEA + authorised + unauthorised (+ COVID X,
 * §8 rule 8); overall absence = authorised + unauthorised; late = `L` + `U` (S3).
 */
export const MEASURES: readonly MeasureDefinition[] = Object.freeze([
  { key: 'possibleSessions', column: 'possible_sessions', counts: (t) => t.possible },
  { key: 'presentSessions', column: 'present_sessions', counts: (t) => t.category === 'present' },
  { key: 'approvedEducationalActivity', column: 'approved_educational_activity', counts: (t) => t.category === 'aea' },
  { key: 'authorisedAbsence', column: 'authorised_absence', counts: (t) => t.category === 'authorised' },
  { key: 'unauthorisedAbsence', column: 'unauthorised_absence', counts: (t) => t.category === 'unauthorised' },
  {
    key: 'overallAbsence',
    column: 'overall_absence',
    counts: (t) => t.category === 'authorised' || t.category === 'unauthorised',
  },
  { key: 'lateSessions', column: 'late_sessions', counts: (t) => t.late },
] satisfies MeasureDefinition[]);

/** Persistent absence: overall absence of at least 10 % of the enrolment's own possible sessions (S1 §3, from 2015/16; methodology §2.1). */
export const PERSISTENT_ABSENCE_THRESHOLD_PCT = 10;
/** Severe absence: overall absence of at least 50 % (S1; methodology §2.1). Severe absentees are also persistent. */
export const SEVERE_ABSENCE_THRESHOLD_PCT = 50;
/** Width of the DfE absence bands (S11, S29; FORMATS.md §5). */
export const ABSENCE_BAND_WIDTH_PCT = 5;
/** The top band starts here and is open-ended (`50+`), as in VYED's absence bandings report (S11). */
export const ABSENCE_BAND_CAP_PCT = 50;
/** Fewest possible sessions for an enrolment to appear in absence bandings (VYED, S11; methodology §3). */
export const BANDING_MIN_POSSIBLE_SESSIONS = 20;
/** Two sessions (morning and afternoon) make a school day. */
export const SESSIONS_PER_DAY = 2;
/**
 * Default length of a session in hours: half of a 6.5-hour day, from the DfE expectation of a
 * 32.5-hour school week from September 2024 ("The length of the school week", non-statutory
 * guidance). Schools differ; pass their own figure to {@link hoursMissed}.
 */
export const DEFAULT_SESSION_HOURS = 3.25;

/** An absence band label: `'0-5'`, `'5-10'`, … `'45-50'`, `'50+'`. */
export type AbsenceBand = string;

/** The band labels in order, lower bound inclusive (FORMATS.md §5). */
export const ABSENCE_BANDS: readonly AbsenceBand[] = Object.freeze([
  ...Array.from(
    { length: ABSENCE_BAND_CAP_PCT / ABSENCE_BAND_WIDTH_PCT },
    (_, i) => `${i * ABSENCE_BAND_WIDTH_PCT}-${(i + 1) * ABSENCE_BAND_WIDTH_PCT}`,
  ),
  `${ABSENCE_BAND_CAP_PCT}+`,
]);

/** A summary with every count zero. */
export function emptySummary(): SessionSummary {
  const byReason: Record<string, number> = {};
  for (const code of CODE_TOKENS) byReason[code] = 0;
  return {
    possibleSessions: 0,
    presentSessions: 0,
    approvedEducationalActivity: 0,
    authorisedAbsence: 0,
    unauthorisedAbsence: 0,
    overallAbsence: 0,
    lateSessions: 0,
    byReason,
  };
}

/**
 * Counts one enrolment's marks into the DfE session measures (methodology §2.1, §8 rules 1, 7
 * and 8). Codes are tokens (`C1`, `Y7`), each read with its own meaning (`J` is approved
 * educational activity, `J1` authorised absence); COVID-19 `X` counts in possible sessions only on
 * its dates. A code used outside its years is read with its nearest era's meaning, as DfE does
 * (validate with `isValidCode` to report such marks); a token not in the table counts in
 * no measure and no reason.
 */
export function summariseMarks(
  marks: ReadonlyArray<{ readonly date: string; readonly mark: string }>,
  opts: CountingOptions = {},
): SessionSummary {
  const s = emptySummary();
  for (const { date, mark } of marks) {
    if (s.byReason[mark] !== undefined) s.byReason[mark] += 1;
    const t = classifyMark(mark, date, opts);
    if (t === undefined) continue;
    for (const m of MEASURES) if (m.counts(t)) s[m.key] += 1;
  }
  return s;
}

/** Rates in per cent, or `null` when there are no possible sessions. */
export interface Rates {
  attendancePerc: number | null;
  overallAbsencePerc: number | null;
  authorisedAbsencePerc: number | null;
  unauthorisedAbsencePerc: number | null;
}

/**
 * `numerator / denominator × 100`, or `null` when the denominator is 0. Computed as
 * `(numerator × 100) / denominator` so that the SQL ({@link ratePctSql}) gives the same double.
 */
export function ratePct(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : (numerator * 100) / denominator;
}

/**
 * Attendance and absence rates (methodology §2.1, S1/S3): attendance = (present + AEA) /
 * possible; overall, authorised and unauthorised absence / possible; all × 100. For a
 * population, {@link aggregate} first — rates are summed then divided, never averaged (§8 rule 2).
 * Attendance = 100 − overall absence, except when COVID `X` sessions are in possible sessions.
 */
export function rates(m: SessionCounts): Rates {
  return {
    attendancePerc: ratePct(m.presentSessions + m.approvedEducationalActivity, m.possibleSessions),
    overallAbsencePerc: ratePct(m.overallAbsence, m.possibleSessions),
    authorisedAbsencePerc: ratePct(m.authorisedAbsence, m.possibleSessions),
    unauthorisedAbsencePerc: ratePct(m.unauthorisedAbsence, m.possibleSessions),
  };
}

/** Whether overall absence is at least `pct` % of possible sessions, in exact integer arithmetic. */
function atLeastPct(m: SessionCounts, pct: number): boolean {
  return m.possibleSessions > 0 && m.overallAbsence * 100 >= m.possibleSessions * pct;
}

/**
 * Persistent absentee: overall absence ≥ 10 % of the enrolment's own possible sessions, exactly
 * 10.00 % included (S1 §3; methodology §2.1, §8 rule 3). Never true with no possible sessions.
 */
export function isPersistentAbsentee(m: SessionCounts): boolean {
  return atLeastPct(m, PERSISTENT_ABSENCE_THRESHOLD_PCT);
}

/** Severe absentee: overall absence ≥ 50 % of the enrolment's own possible sessions (S1; §8 rule 3). Implies persistent. */
export function isSevereAbsentee(m: SessionCounts): boolean {
  return atLeastPct(m, SEVERE_ABSENCE_THRESHOLD_PCT);
}

/**
 * The 5 % band of overall absence, lower bound inclusive (`'0-5'` … `'45-50'`, `'50+'`;
 * FORMATS.md §5, S11, S29), or `null` with no possible sessions. See {@link bandingEligible}.
 */
export function absenceBand(m: SessionCounts): AbsenceBand | null {
  if (m.possibleSessions === 0) return null;
  for (let i = ABSENCE_BANDS.length - 1; i > 0; i -= 1) {
    if (m.overallAbsence * 100 >= m.possibleSessions * i * ABSENCE_BAND_WIDTH_PCT) return ABSENCE_BANDS[i]!;
  }
  return ABSENCE_BANDS[0]!;
}

/** Whether an enrolment has enough possible sessions (≥ 20) to be shown in absence bandings (S11). */
export function bandingEligible(m: SessionCounts): boolean {
  return m.possibleSessions >= BANDING_MIN_POSSIBLE_SESSIONS;
}

/** School days missed: overall absence sessions / 2 (the "days, not just percentages" framing for social workers). */
export function daysMissed(m: SessionCounts): number {
  return m.overallAbsence / SESSIONS_PER_DAY;
}

/** Hours of teaching missed: overall absence sessions × hours per session (default {@link DEFAULT_SESSION_HOURS}). */
export function hoursMissed(m: SessionCounts, sessionHours: number = DEFAULT_SESSION_HOURS): number {
  if (!(sessionHours > 0)) throw new RangeError(`Session length must be a positive number of hours, got ${sessionHours}`);
  return m.overallAbsence * sessionHours;
}

/** Sums summaries (counts and `byReason`): the first step of sum-then-divide (methodology §8 rule 2). */
export function aggregate(ms: ReadonlyArray<SessionCounts & { byReason?: Record<string, number> }>): SessionSummary {
  const total = emptySummary();
  for (const m of ms) {
    for (const def of MEASURES) total[def.key] += m[def.key];
    if (m.byReason) {
      for (const [code, n] of Object.entries(m.byReason)) total.byReason[code] = (total.byReason[code] ?? 0) + n;
    }
  }
  return total;
}

/**
 * Enrolment-based rates for a population (methodology §2.1, §8 rule 3): persistent and severe
 * absentees as a percentage of enrolments. Enrolments with no possible sessions are left out of
 * the denominator, as DfE leaves them out of the statistics (§8 rule 5); `null` when none remain.
 */
export function enrolmentRates(ms: ReadonlyArray<SessionCounts>): {
  enrolments: number;
  persistentAbsentees: number;
  severeAbsentees: number;
  persistentAbsencePerc: number | null;
  severeAbsencePerc: number | null;
} {
  let enrolments = 0;
  let persistentAbsentees = 0;
  let severeAbsentees = 0;
  for (const m of ms) {
    if (m.possibleSessions === 0) continue;
    enrolments += 1;
    if (isPersistentAbsentee(m)) persistentAbsentees += 1;
    if (isSevereAbsentee(m)) severeAbsentees += 1;
  }
  return {
    enrolments,
    persistentAbsentees,
    severeAbsentees,
    persistentAbsencePerc: ratePct(persistentAbsentees, enrolments),
    severeAbsencePerc: ratePct(severeAbsentees, enrolments),
  };
}
