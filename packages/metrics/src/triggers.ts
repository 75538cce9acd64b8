/**
 * Statutory triggers, per enrolment: the TypeScript reference. `triggers-sql.ts` generates the
 * same rules as DuckDB SQL from the same constants and code table; the tests prove they agree.
 *
 * Every trigger is a condition that holds, or not, at the end of each school day of an enrolment
 * (a day on which it has at least one school-session mark, see `RegisterCode.schoolSession`).
 * The result says on which day of the period asked for the condition first held, the supporting
 * count on that day, and when the supporting window or run began. Marks before the period count
 * as history (a penalty-notice window crosses terms and years); marks after it are ignored.
 */
import { academicYearOf, academicYearStart, addDays } from './calendar.js';
import { CODE_TOKENS, REGISTER_CODES } from './codes.js';
import { SESSIONS_PER_DAY } from './measures.js';

/** Penalty notice: at least this many unauthorised sessions … (methodology §5.1, S13; §8 rule 11). */
export const PENALTY_THRESHOLD_SESSIONS = 10;
/** … within a rolling period of this many school weeks (a week with at least one school session), across terms and years (§5.1, S13). */
export const PENALTY_WINDOW_SCHOOL_WEEKS = 10;
/** Attendance return to the LA: a continuous period of this many school days of unauthorised absence (§5.2, S15; §8 rule 12). */
export const UNAUTHORISED_RETURN_DAYS = 10;
/** CME deletion ground: continuous unauthorised absence of at least this many school days (§5.2; 2006 regs reg 8(1)(h)). */
export const CME_CONTINUOUS_DAYS = 20;
/** Sickness return: illness (`I`) reaching this many school days, consecutively or cumulatively in the academic year (§5.2, S15). */
export const ILLNESS_RETURN_DAYS = 15;
/** The illness code of the sickness return. */
export const ILLNESS_CODE = 'I';

/** The codes counted by the penalty-notice threshold and the continuous-absence returns: every code that is unauthorised absence (`G N O U`, §5.1 "any combination"). */
export const UNAUTHORISED_CODES: readonly string[] = Object.freeze(
  CODE_TOKENS.filter((code) => REGISTER_CODES.filter((r) => r.code === code).every((r) => r.category === 'unauthorised')),
);
/** Codes that record a school session held while the pupil was on roll (every code but `#`, `Y4`, `Z`). */
export const SCHOOL_SESSION_CODES: readonly string[] = Object.freeze(
  CODE_TOKENS.filter((code) => REGISTER_CODES.filter((r) => r.code === code).every((r) => r.schoolSession)),
);

/** A register mark; only the date and the code matter to the triggers. */
export interface TriggerMark {
  readonly date: string;
  readonly mark: string;
}

/** The days on which a trigger is evaluated, inclusive; open ends are unbounded. */
export interface TriggerPeriod {
  readonly from?: string;
  readonly to?: string;
}

/** The outcome of one trigger for one enrolment over a period. */
export interface ThresholdResult {
  /** First school day in the period at whose end the condition held, or `null`. */
  readonly metOn: string | null;
  /**
   * The supporting count on `metOn` (sessions for the penalty notice, school days otherwise);
   * when not met, the highest it reached on any school day in the period (0 with none).
   */
  readonly count: number;
  /** When met: first day of the supporting window (penalty notice), run (continuous), or academic year (cumulative illness). */
  readonly since: string | null;
}

export interface StatutoryTriggers {
  /** ≥ 10 unauthorised sessions (`G N O U`) within the last 10 school weeks; count in sessions. */
  readonly penaltyNotice: ThresholdResult;
  /** 10 continuous school days of unauthorised absence (attendance return); count in days. */
  readonly unauthorised10Days: ThresholdResult;
  /** 20 continuous school days of unauthorised absence (CME deletion ground); count in days. */
  readonly unauthorised20Days: ThresholdResult;
  /** Illness on 15 consecutive school days; count in days. */
  readonly illnessConsecutive: ThresholdResult;
  /** Illness reaching 15 school days in the academic year (half-days count a half); count in days. */
  readonly illnessCumulative: ThresholdResult;
}

export type TriggerKey = keyof StatutoryTriggers;

/** The triggers in output order with their column prefix (`<prefix>_met_on`, `_count`, `_since`) and threshold. */
export const TRIGGERS: readonly { readonly key: TriggerKey; readonly prefix: string; readonly threshold: number; readonly unit: 'sessions' | 'days' }[] =
  Object.freeze([
    { key: 'penaltyNotice', prefix: 'penalty_notice', threshold: PENALTY_THRESHOLD_SESSIONS, unit: 'sessions' },
    { key: 'unauthorised10Days', prefix: 'unauthorised_10_days', threshold: UNAUTHORISED_RETURN_DAYS, unit: 'days' },
    { key: 'unauthorised20Days', prefix: 'unauthorised_20_days', threshold: CME_CONTINUOUS_DAYS, unit: 'days' },
    { key: 'illnessConsecutive', prefix: 'illness_consecutive', threshold: ILLNESS_RETURN_DAYS, unit: 'days' },
    { key: 'illnessCumulative', prefix: 'illness_cumulative', threshold: ILLNESS_RETURN_DAYS, unit: 'days' },
  ]);

/** Monday of the week of `date` (weeks run Monday to Sunday). */
export function weekStart(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

interface Day {
  date: string;
  school: number;
  unauthorised: number;
  illness: number;
}

const SCHOOL = new Set(SCHOOL_SESSION_CODES);
const UNAUTHORISED = new Set(UNAUTHORISED_CODES);

/** The school days of an enrolment, in date order, with their counts. */
function schoolDays(marks: readonly TriggerMark[], to: string | undefined): Day[] {
  const byDate = new Map<string, Day>();
  for (const { date, mark } of marks) {
    if (to !== undefined && date > to) continue;
    let day = byDate.get(date);
    if (!day) byDate.set(date, (day = { date, school: 0, unauthorised: 0, illness: 0 }));
    if (SCHOOL.has(mark)) day.school += 1;
    if (UNAUTHORISED.has(mark)) day.unauthorised += 1;
    if (mark === ILLNESS_CODE) day.illness += 1;
  }
  return [...byDate.values()].filter((d) => d.school > 0).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

class Tracker {
  metOn: string | null = null;
  count = 0;
  since: string | null = null;
  constructor(private readonly threshold: number) {}
  /** `value` at the end of school day `date` (in the period); `since` is the start of its window. */
  see(date: string, value: number, since: string): void {
    if (this.metOn !== null) return;
    if (value >= this.threshold) {
      this.metOn = date;
      this.count = value;
      this.since = since;
    } else if (value > this.count) {
      this.count = value;
    }
  }
  result(): ThresholdResult {
    return { metOn: this.metOn, count: this.count, since: this.since };
  }
}

/**
 * Evaluates the statutory triggers for one enrolment's marks (methodology §5.1, §5.2; §8 rules 11
 * and 12): the penalty-notice threshold (≥ 10 `G N O U` sessions in the 10 school weeks ending
 * with the day's week, counting the day and the days before it), 10 and 20 continuous school days
 * on which every school session was unauthorised absence, and illness on 15 consecutive school
 * days (every school session `I`) or 15 days cumulatively in the academic year. A school day or
 * week is one with at least one school-session mark; holidays, weekends and closures neither
 * count nor break a run.
 */
export function statutoryTriggers(marks: readonly TriggerMark[], period: TriggerPeriod = {}): StatutoryTriggers {
  const days = schoolDays(marks, period.to);
  const trackers = {
    penaltyNotice: new Tracker(PENALTY_THRESHOLD_SESSIONS),
    unauthorised10Days: new Tracker(UNAUTHORISED_RETURN_DAYS),
    unauthorised20Days: new Tracker(CME_CONTINUOUS_DAYS),
    illnessConsecutive: new Tracker(ILLNESS_RETURN_DAYS),
    illnessCumulative: new Tracker(ILLNESS_RETURN_DAYS),
  } satisfies Record<TriggerKey, Tracker>;

  // School weeks in order, with their first day and unauthorised sessions so far.
  const weeks: { start: string; firstDay: string; unauthorised: number }[] = [];
  let unauthRun = 0;
  let unauthRunStart = '';
  let illRun = 0;
  let illRunStart = '';
  let year = '';
  let illSessionsInYear = 0;
  for (const day of days) {
    const ws = weekStart(day.date);
    if (weeks.length === 0 || weeks[weeks.length - 1]!.start !== ws) weeks.push({ start: ws, firstDay: day.date, unauthorised: 0 });
    weeks[weeks.length - 1]!.unauthorised += day.unauthorised;
    const window = weeks.slice(-PENALTY_WINDOW_SCHOOL_WEEKS);
    const inWindow = window.reduce((n, w) => n + w.unauthorised, 0);

    if (day.unauthorised === day.school) {
      if (unauthRun === 0) unauthRunStart = day.date;
      unauthRun += 1;
    } else unauthRun = 0;
    if (day.illness === day.school) {
      if (illRun === 0) illRunStart = day.date;
      illRun += 1;
    } else illRun = 0;
    const ay = academicYearOf(day.date);
    if (ay !== year) {
      year = ay;
      illSessionsInYear = 0;
    }
    illSessionsInYear += day.illness;

    if (period.from !== undefined && day.date < period.from) continue;
    trackers.penaltyNotice.see(day.date, inWindow, window[0]!.firstDay);
    trackers.unauthorised10Days.see(day.date, unauthRun, unauthRunStart);
    trackers.unauthorised20Days.see(day.date, unauthRun, unauthRunStart);
    trackers.illnessConsecutive.see(day.date, illRun, illRunStart);
    trackers.illnessCumulative.see(day.date, illSessionsInYear / SESSIONS_PER_DAY, academicYearStart(ay));
  }
  return {
    penaltyNotice: trackers.penaltyNotice.result(),
    unauthorised10Days: trackers.unauthorised10Days.result(),
    unauthorised20Days: trackers.unauthorised20Days.result(),
    illnessConsecutive: trackers.illnessConsecutive.result(),
    illnessCumulative: trackers.illnessCumulative.result(),
  };
}
