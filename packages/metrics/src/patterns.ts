/**
 * Patterns and trends of attendance: the TypeScript reference. Those that run over marks
 * (weekday × session, weekly series, broken weeks) have SQL twins in `patterns-sql.ts`; the
 * comparisons (trends, Year 6 → Year 7) work on summed counts, sum then divide (§8 rule 2).
 */
import { nextAcademicYear } from './calendar.js';
import type { AcademicYear } from './calendar.js';
import { REGISTER_CODES } from './codes.js';
import type { CountingOptions } from './codes.js';
import { aggregate, rates, summariseMarks } from './measures.js';
import type { SessionCounts, SessionSummary } from './measures.js';
import { weekStart } from './triggers.js';

/** A register mark with its session. */
export interface SessionMark {
  readonly date: string;
  readonly session: string;
  readonly mark: string;
}

/** One cell of the weekday × session grid. */
export interface WeekdaySessionCell {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  readonly weekday: number;
  readonly session: string;
  readonly counts: SessionSummary;
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 ? 7 : dow;
}

function groupBy<K extends string>(marks: readonly SessionMark[], key: (m: SessionMark) => K): Map<K, SessionMark[]> {
  const groups = new Map<K, SessionMark[]>();
  for (const m of marks) {
    const k = key(m);
    const g = groups.get(k);
    if (g) g.push(m);
    else groups.set(k, [m]);
  }
  return groups;
}

/**
 * The weekday × AM/PM pattern: session measures per weekday and session, for the cells that have
 * marks, ordered by weekday then session. Rates come from {@link rates} on each cell's counts.
 */
export function weekdaySessionPattern(marks: readonly SessionMark[], opts: CountingOptions = {}): WeekdaySessionCell[] {
  const groups = groupBy(marks, (m) => `${isoWeekday(m.date)}|${m.session}`);
  return [...groups.entries()]
    .map(([k, ms]) => {
      const [weekday, session] = k.split('|');
      return { weekday: Number(weekday), session: session!, counts: summariseMarks(ms, opts) };
    })
    .sort((a, b) => a.weekday - b.weekday || (a.session < b.session ? -1 : a.session > b.session ? 1 : 0));
}

/** One week of a weekly series. */
export interface WeekPoint {
  /** Monday of the week. */
  readonly weekStart: string;
  readonly counts: SessionSummary;
}

/** Session measures per week (Monday to Sunday), for the weeks that have marks, in order. */
export function weeklySeries(marks: readonly SessionMark[] | readonly { date: string; mark: string }[], opts: CountingOptions = {}): WeekPoint[] {
  const groups = new Map<string, { date: string; mark: string }[]>();
  for (const m of marks) {
    const w = weekStart(m.date);
    const g = groups.get(w);
    if (g) g.push(m);
    else groups.set(w, [m]);
  }
  return [...groups.entries()].map(([w, ms]) => ({ weekStart: w, counts: summariseMarks(ms, opts) })).sort((a, b) => (a.weekStart < b.weekStart ? -1 : 1));
}

/**
 * Broken weeks: of the weeks with at least one possible session, how many had at least one
 * session of absence (authorised or unauthorised) — the pupil did not attend the full week.
 */
export function brokenWeeks(series: readonly WeekPoint[]): { weeks: number; broken: number } {
  const weeks = series.filter((w) => w.counts.possibleSessions > 0);
  return { weeks: weeks.length, broken: weeks.filter((w) => w.counts.overallAbsence > 0).length };
}

/** Sessions of one absence reason, as a rate of possible sessions and as a share of absence (methodology §2.1). */
export interface ReasonShare {
  readonly code: string;
  readonly sessions: number;
  /** sessions / possible × 100 ("absence rate by reason"); null with no possible sessions. */
  readonly ratePerc: number | null;
  /** sessions / overall absence × 100 ("distribution by reason"); null with no absence. */
  readonly sharePerc: number | null;
}

const ABSENCE_CODES: readonly string[] = [
  ...new Set(REGISTER_CODES.filter((r) => r.category === 'authorised' || r.category === 'unauthorised').map((r) => r.code)),
];

/** Absence by reason for a summary (an enrolment's, or summed for a population), most sessions first; codes with no sessions left out. */
export function reasonBreakdown(s: SessionSummary): ReasonShare[] {
  return ABSENCE_CODES.map((code) => {
    const sessions = s.byReason[code] ?? 0;
    return {
      code,
      sessions,
      ratePerc: s.possibleSessions > 0 ? (sessions * 100) / s.possibleSessions : null,
      sharePerc: s.overallAbsence > 0 ? (sessions * 100) / s.overallAbsence : null,
    };
  })
    .filter((r) => r.sessions > 0)
    .sort((a, b) => b.sessions - a.sessions || (a.code < b.code ? -1 : 1));
}

/** Change in overall absence below which a trend is called unchanged, in percentage points (a Rollbook choice, not a DfE rule). */
export const TREND_MIN_CHANGE_PP = 1;
/** Weeks compared by {@link recentTrend}: the last 4 school weeks against the 4 before. */
export const TREND_WEEKS = 4;

export type TrendDirection = 'improving' | 'declining' | 'unchanged' | 'insufficient';

export interface Trend {
  readonly direction: TrendDirection;
  /** Overall absence % now minus before, in percentage points; null when either has no possible sessions. */
  readonly changePp: number | null;
  readonly currentAbsencePerc: number | null;
  readonly previousAbsencePerc: number | null;
}

/**
 * Improving (absence fell by at least `minChangePp` points), declining (rose by at least that),
 * unchanged, or insufficient (no possible sessions on one side). Works for any two periods:
 * terms, years, or the windows of {@link recentTrend}.
 */
export function trend(current: SessionCounts, previous: SessionCounts, minChangePp: number = TREND_MIN_CHANGE_PP): Trend {
  const now = rates(current).overallAbsencePerc;
  const before = rates(previous).overallAbsencePerc;
  if (now === null || before === null) return { direction: 'insufficient', changePp: null, currentAbsencePerc: now, previousAbsencePerc: before };
  const changePp = now - before;
  const direction: TrendDirection = changePp <= -minChangePp ? 'improving' : changePp >= minChangePp ? 'declining' : 'unchanged';
  return { direction, changePp, currentAbsencePerc: now, previousAbsencePerc: before };
}

/** The last 4 school weeks (weeks with possible sessions) against the 4 before; insufficient with fewer than 8. */
export function recentTrend(series: readonly WeekPoint[], minChangePp: number = TREND_MIN_CHANGE_PP): Trend {
  const weeks = series.filter((w) => w.counts.possibleSessions > 0);
  if (weeks.length < 2 * TREND_WEEKS) {
    return { direction: 'insufficient', changePp: null, currentAbsencePerc: null, previousAbsencePerc: null };
  }
  const last = aggregate(weeks.slice(-TREND_WEEKS).map((w) => w.counts));
  const before = aggregate(weeks.slice(-2 * TREND_WEEKS, -TREND_WEEKS).map((w) => w.counts));
  return trend(last, before, minChangePp);
}

/** One pupil's counts for one academic year, with their year group (from `fct_enrolment_term`, summed over terms and schools). */
export interface PupilYear {
  readonly upn: string;
  readonly academicYear: AcademicYear;
  readonly ncYear: string;
  readonly counts: SessionCounts;
}

export interface TransitionPupil {
  readonly upn: string;
  readonly year6: AcademicYear;
  readonly trend: Trend;
}

/**
 * Year 6 → Year 7 transition: pupils in Year 6 in one academic year and Year 7 in the next, with
 * each pupil's change in overall absence and the cohort's (sum then divide over both years).
 */
export function transition(rows: readonly PupilYear[], minChangePp: number = TREND_MIN_CHANGE_PP): { pupils: TransitionPupil[]; cohort: Trend } {
  const key = (upn: string, ay: string, nc: string) => `${upn}|${ay}|${nc}`;
  const byKey = new Map<string, SessionCounts[]>();
  for (const r of rows) {
    const k = key(r.upn, r.academicYear, r.ncYear);
    byKey.set(k, [...(byKey.get(k) ?? []), r.counts]);
  }
  const pupils: TransitionPupil[] = [];
  const y6: SessionCounts[] = [];
  const y7: SessionCounts[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (r.ncYear !== '6' || seen.has(key(r.upn, r.academicYear, '6'))) continue;
    seen.add(key(r.upn, r.academicYear, '6'));
    const after = byKey.get(key(r.upn, nextAcademicYear(r.academicYear), '7'));
    if (!after) continue;
    const before = aggregate(byKey.get(key(r.upn, r.academicYear, '6'))!);
    const now = aggregate(after);
    y6.push(before);
    y7.push(now);
    pupils.push({ upn: r.upn, year6: r.academicYear, trend: trend(now, before, minChangePp) });
  }
  pupils.sort((a, b) => (a.upn < b.upn ? -1 : a.upn > b.upn ? 1 : a.year6 < b.year6 ? -1 : 1));
  return { pupils, cohort: trend(aggregate(y7), aggregate(y6), minChangePp) };
}
