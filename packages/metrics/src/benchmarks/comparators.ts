/**
 * LA against its comparators (methodology §6.1, §8 rule 15): the statistical-neighbour average,
 * the rank among the LA and its neighbours, and the gap to England.
 */
import { SESSIONS_PER_DAY } from '../measures.js';

/** Whether a higher value of a measure means less absence (`attendance_perc`) or more. */
export type MeasureDirection = 'higher_is_better' | 'lower_is_better';

/** A rate published by DfE, named as in its files, and how to compute it from a return. */
export interface PublishedMeasure {
  /** Column name in the DfE file (`overall_absence_perc`, `sess_overall_percent`, …). */
  readonly name: string;
  /** What it is, for people. */
  readonly label: string;
  readonly direction: MeasureDirection;
  /**
   * How the same rate is computed from the marts (fct_enrolment_term): the DfE reason columns whose
   * sessions are the numerator over possible sessions, a named session measure, or the share of
   * enrolments that are persistent/severe absentees. Reason rates name the DfE-format reason
   * columns of the code (`reason_i_authorised_illness` for `I`: `DFE_REASON_COLUMNS`).
   */
  readonly fromReturns:
    | { readonly sessions: 'overall_attendance' | 'overall_absence' | 'authorised_absence' | 'unauthorised_absence' }
    | { readonly dfeColumns: readonly string[] }
    | { readonly enrolments: 'persistent' | 'severe' }
    | null;
}

/**
 * The rates of the DfE "Pupil attendance in schools" files (2024/25 format, S3), in the order
 * DfE publishes them, and `sa_perc` (severe absence), which the LA computes from its returns.
 * Reason rates are sessions with the code / possible sessions × 100 (methodology §2.1);
 * `auth_other_perc` is `C` alone (checked against the national rows of the 2024/25 file).
 */
export const PUBLISHED_MEASURES: readonly PublishedMeasure[] = Object.freeze([
  { name: 'attendance_perc', label: 'Attendance', direction: 'higher_is_better', fromReturns: { sessions: 'overall_attendance' } },
  { name: 'overall_absence_perc', label: 'Overall absence', direction: 'lower_is_better', fromReturns: { sessions: 'overall_absence' } },
  { name: 'authorised_absence_perc', label: 'Authorised absence', direction: 'lower_is_better', fromReturns: { sessions: 'authorised_absence' } },
  { name: 'unauthorised_absence_perc', label: 'Unauthorised absence', direction: 'lower_is_better', fromReturns: { sessions: 'unauthorised_absence' } },
  { name: 'illness_perc', label: 'Illness (I)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_i_authorised_illness'] } },
  { name: 'appointments_perc', label: 'Medical or dental appointments (M)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_m_authorised_medical_dental'] } },
  { name: 'unauth_hol_perc', label: 'Holiday not authorised (G)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_g_unauthorised_holiday'] } },
  { name: 'unauth_oth_perc', label: 'Other unauthorised (O)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_o_other_unauthorised'] } },
  { name: 'unauth_late_registers_closed_perc', label: 'Late after registers closed (U)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_u_unauthorised_late_after_registers_closed'] } },
  { name: 'unauth_not_yet_perc', label: 'No reason yet (N)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_n_no_reason_yet'] } },
  { name: 'auth_religious_perc', label: 'Religious observance (R)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_r_authorised_religious_observance'] } },
  { name: 'auth_study_perc', label: 'Study leave (S)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_s_authorised_study_leave'] } },
  { name: 'auth_mob_perc', label: 'Mobile child (T)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_t_authorised_mobile_child'] } },
  { name: 'auth_excluded_perc', label: 'Suspended or excluded, no provision (E)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_e_authorised_excluded'] } },
  { name: 'auth_performance_perc', label: 'Regulated performance or employment (C1)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_c1_authorised_regulated_performance'] } },
  { name: 'auth_interview_perc', label: 'Interview (J1)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_j1_authorised_interview'] } },
  { name: 'auth_part_time_perc', label: 'Part-time timetable (C2)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_c2_authorised_temp_reduced_timetable'] } },
  { name: 'auth_other_perc', label: 'Other authorised (C)', direction: 'lower_is_better', fromReturns: { dfeColumns: ['reason_c_authorised_other'] } },
  { name: 'pa_perc', label: 'Persistent absence (10% or more)', direction: 'lower_is_better', fromReturns: { enrolments: 'persistent' } },
  { name: 'sa_perc', label: 'Severe absence (50% or more)', direction: 'lower_is_better', fromReturns: { enrolments: 'severe' } },
  // The 2012/13–2016/17 "Pupil absence in schools in England" files (S9).
  { name: 'sess_overall_percent', label: 'Overall absence', direction: 'lower_is_better', fromReturns: { sessions: 'overall_absence' } },
  { name: 'sess_authorised_percent', label: 'Authorised absence', direction: 'lower_is_better', fromReturns: { sessions: 'authorised_absence' } },
  { name: 'sess_unauthorised_percent', label: 'Unauthorised absence', direction: 'lower_is_better', fromReturns: { sessions: 'unauthorised_absence' } },
  { name: 'enrolments_pa_10_exact_percent', label: 'Persistent absence (10% or more)', direction: 'lower_is_better', fromReturns: { enrolments: 'persistent' } },
] satisfies PublishedMeasure[]);

/** Measures whose names say attendance rather than absence: a higher value is better. */
const ATTENDANCE_NAME = /^(attendance|overall_attendance)(_perc|_percent)?$/;

/**
 * The direction of any published rate, including ones not in {@link PUBLISHED_MEASURES}: only
 * attendance is "higher is better"; every absence rate, reason rate and PA/SA share is not.
 */
export function measureDirection(measure: string): MeasureDirection {
  const known = PUBLISHED_MEASURES.find((m) => m.name === measure);
  if (known) return known.direction;
  return ATTENDANCE_NAME.test(measure) ? 'higher_is_better' : 'lower_is_better';
}

/** A column of a DfE tidy file that is a published rate (`*_perc`, `*_percent`), as a regex source for TS and SQL. */
export const RATE_COLUMN_PATTERN = '_(perc|percent)$';

/** Whether a column of a DfE tidy file is a published rate. */
export function isRateColumn(column: string): boolean {
  return new RegExp(RATE_COLUMN_PATTERN).test(column);
}

/** The number of statistical neighbours DfE gives each LA (methodology §6.1). */
export const STATISTICAL_NEIGHBOURS = 10;

/**
 * The statistical-neighbour average as DfE's LA Interactive Tool computes it: the simple,
 * unweighted mean of the neighbours' values, missing (suppressed) values left out of both the sum
 * and the count (methodology §6.1, S19 user_guide.R). Null when no neighbour has a value.
 */
export function snAverage(values: ReadonlyArray<number | null | undefined>): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    sum += v;
    n++;
  }
  return n === 0 ? null : sum / n;
}

/**
 * The LA's rank among itself and its neighbours: 1 = lowest absence (for attendance, the highest
 * attendance), up to 11 when all ten neighbours have a value. Neighbours without a value are left
 * out; ties share the better rank (1, 2, 2, 4). Null when the LA has no value.
 */
export function rankAmongNeighbours(
  own: number | null | undefined,
  neighbours: ReadonlyArray<number | null | undefined>,
  direction: MeasureDirection,
): number | null {
  if (own === null || own === undefined || !Number.isFinite(own)) return null;
  let better = 0;
  for (const v of neighbours) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (direction === 'lower_is_better' ? v < own : v > own) better++;
  }
  return better + 1;
}

export interface GapToEngland {
  /** value − England, in percentage points (positive: the LA's rate is higher). */
  pp: number;
  /**
   * The same gap in school days per pupil over the period: pp / 100 × possible sessions per
   * pupil / 2 sessions a day. Null when sessions per pupil are not known.
   */
  daysPerPupil: number | null;
}

/**
 * The gap between an LA's rate and England's, in percentage points and in days per pupil. Days
 * use the LA's own possible sessions per pupil (DfE's files: `possible_sessions / enrolments`,
 * about 380 sessions in a full year), so "0.5 pp" reads as "about one more day missed per pupil".
 */
export function gapToEngland(
  value: number | null | undefined,
  england: number | null | undefined,
  possibleSessionsPerPupil: number | null | undefined = null,
): GapToEngland | null {
  if (value === null || value === undefined || england === null || england === undefined) return null;
  if (!Number.isFinite(value) || !Number.isFinite(england)) return null;
  const pp = value - england;
  const sessions = possibleSessionsPerPupil;
  const daysPerPupil = sessions === null || sessions === undefined || !Number.isFinite(sessions) || sessions <= 0 ? null : ((pp / 100) * sessions) / SESSIONS_PER_DAY;
  return { pp, daysPerPupil };
}
