/**
 * Targeting support meetings (TSMs): who is on a school's termly pack, which actions can be
 * agreed, when they are reviewed, and what happened to attendance after them. Pure rules; the
 * API feeds them with term totals and statutory triggers (methodology §4; WTISA, LA chapter).
 *
 * Thresholds are the ones written once elsewhere in this package: severe and persistent absence
 * in `measures.ts`, the penalty-notice threshold and 10 continuous days in `triggers.ts`.
 */
import { addDays } from './calendar.js';
import {
  ABSENCE_BAND_WIDTH_PCT,
  DEFAULT_SESSION_HOURS,
  PERSISTENT_ABSENCE_THRESHOLD_PCT,
  SESSIONS_PER_DAY,
  isPersistentAbsentee,
  isSevereAbsentee,
  rates,
} from './measures.js';
import type { SessionCounts } from './measures.js';
import { trend } from './patterns.js';
import type { Trend } from './patterns.js';
import type { ThresholdResult } from './triggers.js';

/**
 * At risk from this much overall absence, below persistent absence: the first 5 % band (FORMATS.md
 * §5) — about one day in twenty, "missing up to three days every four weeks" at the top of the band.
 */
export const TSM_AT_RISK_THRESHOLD_PCT = ABSENCE_BAND_WIDTH_PCT;
/** Declining fast: overall absence up by at least this many percentage points on the previous term (a Rollbook choice, not a DfE rule). */
export const TSM_DECLINING_FAST_PP = 5;
/** Reviews of agreed actions fall due this many weeks after the meeting unless the meeting says otherwise (3–4 weeks in LA practice). */
export const TSM_DEFAULT_REVIEW_WEEKS = 3;

/** The pack's three sections, most serious first. */
export const TSM_GROUPS = ['severe', 'persistent', 'atRisk'] as const;
export type TsmGroup = (typeof TSM_GROUPS)[number];

export const TSM_GROUP_LABELS: Readonly<Record<TsmGroup, string>> = Object.freeze({
  severe: 'Severely absent (50% or more)',
  persistent: 'Persistently absent (10% to under 50%)',
  atRisk: 'At risk',
});

/** Why a pupil is on the pack. */
export type TsmReason = 'severe' | 'persistent' | 'absence5to10' | 'decliningFast' | 'penaltyThreshold' | 'unauthorised10Days';

export const TSM_REASON_LABELS: Readonly<Record<TsmReason, string>> = Object.freeze({
  severe: 'Missed half of sessions or more',
  persistent: 'Missed one session in ten or more',
  absence5to10: 'Missing about a day every four weeks or more',
  decliningFast: 'Absence rising fast on last term',
  penaltyThreshold: 'Reached the penalty-notice threshold (10 unauthorised sessions in 10 school weeks)',
  unauthorised10Days: '10 or more school days in a row of unauthorised absence',
});

/** One pupil's figures for the pack: this period's counts, the previous term's, and the two triggers that put a pupil at risk. */
export interface TsmPupilInput {
  readonly counts: SessionCounts;
  readonly previous?: SessionCounts | null;
  readonly penaltyNotice?: Pick<ThresholdResult, 'metOn'> | null;
  readonly unauthorised10Days?: Pick<ThresholdResult, 'metOn'> | null;
}

export interface TsmMembership {
  /** The pack section, or `null` when the pupil is not on the pack. */
  readonly group: TsmGroup | null;
  /** Every reason that holds, in {@link TsmReason} order. */
  readonly reasons: readonly TsmReason[];
  readonly trend: Trend | null;
}

/** Whether overall absence is at least `pct` % of possible sessions, in exact integer arithmetic (as `measures.ts`). */
function atLeastPct(m: SessionCounts, pct: number): boolean {
  return m.possibleSessions > 0 && m.overallAbsence * 100 >= m.possibleSessions * pct;
}

/**
 * Which section of the TSM pack a pupil belongs in: severe (≥ 50 %), persistent (≥ 10 % and
 * < 50 %), or at risk — overall absence ≥ 5 % and < 10 %, or absence up by
 * {@link TSM_DECLINING_FAST_PP} points or more on the previous term, or the penalty-notice
 * threshold met, or 10 continuous school days of unauthorised absence.
 */
export function tsmMembership(input: TsmPupilInput): TsmMembership {
  const { counts } = input;
  const reasons: TsmReason[] = [];
  const severe = isSevereAbsentee(counts);
  const persistent = isPersistentAbsentee(counts);
  if (severe) reasons.push('severe');
  else if (persistent) reasons.push('persistent');
  else if (atLeastPct(counts, TSM_AT_RISK_THRESHOLD_PCT)) reasons.push('absence5to10');
  const t = input.previous ? trend(counts, input.previous) : null;
  if (t?.changePp != null && t.changePp >= TSM_DECLINING_FAST_PP) reasons.push('decliningFast');
  if (input.penaltyNotice?.metOn) reasons.push('penaltyThreshold');
  if (input.unauthorised10Days?.metOn) reasons.push('unauthorised10Days');
  const group: TsmGroup | null = severe ? 'severe' : persistent ? 'persistent' : reasons.length > 0 ? 'atRisk' : null;
  return { group, reasons, trend: t };
}

/** Graduated response tiers (support first: universal, then targeted, then intensive). */
export const TSM_TIERS = ['universal', 'targeted', 'intensive'] as const;
export type TsmTier = (typeof TSM_TIERS)[number];
export const TSM_TIER_LABELS: Readonly<Record<TsmTier, string>> = Object.freeze({
  universal: 'Universal',
  targeted: 'Targeted',
  intensive: 'Intensive',
});

/** Action types a meeting can agree, with their labels. */
export const TSM_ACTION_TYPES = Object.freeze({
  family_meeting: 'Family meeting',
  attendance_support_plan: 'Attendance support plan',
  early_help: 'Early help assessment',
  senco_referral: 'SENCO referral',
  mental_health_referral: 'Mental health referral',
  multi_agency_meeting: 'Multi-agency meeting',
  part_time_timetable_review: 'Part-time timetable review',
  notice_to_improve: 'Notice to improve',
  penalty_notice_consideration: 'Penalty notice consideration',
  cohort_intervention: 'Cohort intervention',
  other: 'Other',
} as const);
export type TsmActionType = keyof typeof TSM_ACTION_TYPES;

export const TSM_ACTION_STATUSES = ['open', 'done', 'dropped'] as const;
export type TsmActionStatus = (typeof TSM_ACTION_STATUSES)[number];

/** The default review date for an action agreed on `meetingDate` (`YYYY-MM-DD`). */
export function defaultReviewDate(meetingDate: string): string {
  return addDays(meetingDate, TSM_DEFAULT_REVIEW_WEEKS * 7);
}

/** Whether an open action's review date has passed on `today`. */
export function isReviewOverdue(action: { reviewDate: string; status: TsmActionStatus }, today: string): boolean {
  return action.status === 'open' && action.reviewDate < today;
}

/** Attendance before and after an action: the term of the meeting against a later term. */
export interface ActionImpact {
  readonly beforeAttendancePerc: number | null;
  readonly afterAttendancePerc: number | null;
  /** Attendance after minus before, in percentage points. */
  readonly changePp: number | null;
  readonly direction: Trend['direction'];
}

/** Impact of an action: attendance in the period before it against the period after (`trend` turned round: improving means absence fell). */
export function actionImpact(before: SessionCounts, after: SessionCounts | null): ActionImpact {
  const b = rates(before).attendancePerc;
  if (!after) return { beforeAttendancePerc: b, afterAttendancePerc: null, changePp: null, direction: 'insufficient' };
  const a = rates(after).attendancePerc;
  const t = trend(after, before);
  return { beforeAttendancePerc: b, afterAttendancePerc: a, changePp: a === null || b === null ? null : a - b, direction: t.direction };
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/**
 * A plain-language summary of a pupil's absence for a conversation with the family: days and
 * hours of lessons missed, and how often, without percentages first (seeds: "talk in days").
 */
export function familySummary(counts: SessionCounts, opts: { name?: string; period?: string; sessionHours?: number } = {}): string {
  const who = opts.name ?? 'Your child';
  const period = opts.period ?? 'this term';
  const schoolDays = counts.possibleSessions / SESSIONS_PER_DAY;
  const days = counts.overallAbsence / SESSIONS_PER_DAY;
  if (counts.possibleSessions === 0) return `${who} had no school sessions recorded ${period}.`;
  if (counts.overallAbsence === 0) return `${who} has not missed any school ${period}. Thank you.`;
  const hours = counts.overallAbsence * (opts.sessionHours ?? DEFAULT_SESSION_HOURS);
  const everyDays = Math.round(schoolDays / days);
  const frequency =
    days * 2 >= schoolDays
      ? 'That is half of the school days or more.'
      : `That is about one day in every ${everyDays} school days${everyDays <= 20 ? ` (about ${plural(Math.round((20 / everyDays) * 2) / 2, 'day', 'days')} every four weeks)` : ''}.`;
  const unauth =
    counts.unauthorisedAbsence > 0
      ? ` Of these, ${plural(counts.unauthorisedAbsence, 'session was', 'sessions were')} not authorised by the school.`
      : '';
  const ten = atLeastPct(counts, PERSISTENT_ABSENCE_THRESHOLD_PCT)
    ? ' Missing this much school makes it harder to keep up with learning and friendships, and we would like to agree together how to help.'
    : '';
  return (
    `${who} has missed ${plural(days, 'day', 'days')} of school ${period} ` +
    `(${plural(counts.overallAbsence, 'session', 'sessions')} out of ${formatNumber(counts.possibleSessions)}), ` +
    `about ${formatNumber(Math.round(hours))} hours of lessons. ${frequency}${unauth}${ten}`
  );
}
