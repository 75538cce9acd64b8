import {
  DEFAULT_SESSION_HOURS,
  MEASURES,
  SESSIONS_PER_DAY,
  classifyMark,
  meaningOn,
  ratePct,
  statutoryTriggers,
  termOf,
  weekStart,
  addDays,
  type MarkTreatment,
  type RegisterCode,
  type SessionCounts,
} from '@rollbook/metrics';
import { displayDate } from '../../common/display.js';

/** One register mark of a child, at any school. */
export interface ChildMark {
  date: string;
  session: 'AM' | 'PM' | string;
  mark: string;
  urn: number;
}

export interface ChildSuspension {
  urn: number;
  category: string;
  startDate: string;
  sessions: number;
}

export interface PeriodFigures {
  from: string | null;
  to: string | null;
  possibleSessions: number;
  absentSessions: number;
  unauthorisedSessions: number;
  /** Attendance in per cent ((present + approved activity) ÷ possible), or null with no possible sessions. */
  attendanceRate: number | null;
  daysMissed: number;
  hoursMissed: number;
}

export interface CalendarDay {
  date: string;
  am: string | null;
  pm: string | null;
  /** 'present' | 'authorised' | 'unauthorised' | 'aea' | 'not_counted' for each session. */
  amCategory: string | null;
  pmCategory: string | null;
  amReason: string | null;
  pmReason: string | null;
}

export interface WeekFigures {
  weekStart: string;
  possibleSessions: number;
  attendanceRate: number | null;
}

export type ChildFlag = 'below_90' | 'unauthorised_10_days' | 'suspended_or_excluded' | 'part_time_timetable' | 'not_on_roll';

export type AlertKind = 'absence_spell' | 'suspension' | 'below_90' | 'below_50' | 'penalty_threshold';

export interface ChildAlert {
  kind: AlertKind;
  /** The day the concern arose (`YYYY-MM-DD`). */
  date: string;
  message: string;
}

export interface ChildAttendanceSummary {
  /** The last day with a mark, the "as of" of every figure, or null with no marks. */
  asOf: string | null;
  year: PeriodFigures;
  term: PeriodFigures & { term: string | null };
  lastTwoWeeks: PeriodFigures;
  /** "missed 5 days in the last 2 weeks — 35 hours of learning" */
  lastTwoWeeksSentence: string;
  weeks: WeekFigures[];
  trend: 'improving' | 'worsening' | 'steady' | 'not_enough_data';
  calendar: CalendarDay[];
  flags: ChildFlag[];
  penaltyThresholdMetOn: string | null;
  alerts: ChildAlert[];
  /** Questions from "Attendance in assessments" (Supporting Social Workers guidance) that the data raises. */
  questions: string[];
}

/** Cumulative attendance is judged against 90 % / 50 % only from this many possible sessions (two school weeks). */
const MIN_SESSIONS_FOR_CROSSING = 20;
/** A new absence spell: this many consecutive school days with every session missed. */
const SPELL_DAYS = 3;
const PART_TIME_CODE = 'C2';

const num = (n: number) => Math.round(n * 10) / 10;
const plural = (n: number, word: string) => `${num(n)} ${word}${n === 1 ? '' : 's'}`;

/**
 * A mark read once: its treatment (as `summariseMarks` counts it), its meaning (for the calendar)
 * and the week and term of its date. Every figure below is worked out from these, so a child's
 * marks are classified once per request, not once per figure.
 */
interface ReadMark extends ChildMark {
  treatment: MarkTreatment | undefined;
  meaning: RegisterCode | undefined;
  week: string;
  term: string;
}

/** Week and term of each date seen (marks repeat a few hundred dates a year); bounded, cleared when full. */
const DATE_PARTS = new Map<string, { week: string; term: string }>();
const DATE_PARTS_MAX = 20_000;

function datePartsOf(date: string): { week: string; term: string } {
  let parts = DATE_PARTS.get(date);
  if (parts === undefined) {
    parts = { week: weekStart(date), term: termOf(date) };
    if (DATE_PARTS.size >= DATE_PARTS_MAX) DATE_PARTS.clear();
    DATE_PARTS.set(date, parts);
  }
  return parts;
}

function read(m: ChildMark): ReadMark {
  const { week, term } = datePartsOf(m.date);
  return { date: m.date, session: m.session, mark: m.mark, urn: m.urn, treatment: classifyMark(m.mark, m.date), meaning: meaningOn(m.mark, m.date), week, term };
}

/**
 * Date order, then session (`AM` before `PM`). Dates are `YYYY-MM-DD`, whose code-unit order is
 * their `localeCompare` order, so only sessions of the same day need the (slow) collation.
 */
function byDateAndSession(a: ChildMark, b: ChildMark): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.session.localeCompare(b.session);
}

/** `summariseMarks(marks)`'s session counts, from marks already classified (the same measures, {@link MEASURES}). */
function countsOf(marks: readonly ReadMark[]): SessionCounts {
  const c: SessionCounts = {
    possibleSessions: 0, presentSessions: 0, approvedEducationalActivity: 0, authorisedAbsence: 0, unauthorisedAbsence: 0, overallAbsence: 0, lateSessions: 0,
  };
  for (const { treatment } of marks) {
    if (treatment === undefined) continue;
    for (const m of MEASURES) if (m.counts(treatment)) c[m.key] += 1;
  }
  return c;
}

function figures(marks: readonly ReadMark[], sessionHours: number): PeriodFigures {
  const c = countsOf(marks);
  return {
    from: marks[0]?.date ?? null,
    to: marks.at(-1)?.date ?? null,
    possibleSessions: c.possibleSessions,
    absentSessions: c.overallAbsence,
    unauthorisedSessions: c.unauthorisedAbsence,
    attendanceRate: ratePct(c.presentSessions + c.approvedEducationalActivity, c.possibleSessions),
    daysMissed: c.overallAbsence / SESSIONS_PER_DAY,
    hoursMissed: c.overallAbsence * sessionHours,
  };
}

/**
 * A child's attendance, framed as social workers are asked to frame it: days and hours of
 * learning missed this year, this term and in the last two weeks, a weekly series and trend, the
 * session calendar with reasons, flags, concerns with the day they arose, and the questions the
 * data raises. Pure: marks in, figures out (counting by `@rollbook/metrics`).
 */
export function childAttendance(
  input: { marks: readonly ChildMark[]; suspensions?: readonly ChildSuspension[]; onRoll: boolean },
  options: { sessionHours?: number } = {},
): ChildAttendanceSummary {
  const sessionHours = options.sessionHours ?? DEFAULT_SESSION_HOURS;
  const marks = [...input.marks].sort(byDateAndSession).map(read);
  const suspensions = input.suspensions ?? [];
  const asOf = marks.at(-1)?.date ?? null;
  const year = figures(marks, sessionHours);
  const currentTerm = asOf === null ? null : datePartsOf(asOf).term;
  const term = { ...figures(currentTerm === null ? [] : marks.filter((m) => m.term === currentTerm), sessionHours), term: currentTerm };
  const twoWeeksFrom = asOf === null ? null : addDays(weekStart(asOf), -7);
  const lastTwoWeeks = figures(twoWeeksFrom === null ? [] : marks.filter((m) => m.date >= twoWeeksFrom), sessionHours);
  const lastTwoWeeksSentence =
    asOf === null
      ? 'No register marks loaded.'
      : `Missed ${plural(lastTwoWeeks.daysMissed, 'day')} in the last 2 weeks — ${plural(lastTwoWeeks.hoursMissed, 'hour')} of learning`;

  const byWeek = new Map<string, ReadMark[]>();
  for (const m of marks) {
    const week = byWeek.get(m.week);
    if (week === undefined) byWeek.set(m.week, [m]);
    else week.push(m);
  }
  const weeks: WeekFigures[] = [...byWeek.entries()].map(([w, ms]) => {
    const f = figures(ms, sessionHours);
    return { weekStart: w, possibleSessions: f.possibleSessions, attendanceRate: f.attendanceRate };
  });
  const trend = trendOf(marks, sessionHours);

  const days = new Map<string, CalendarDay>();
  for (const m of marks) {
    const day = days.get(m.date) ?? { date: m.date, am: null, pm: null, amCategory: null, pmCategory: null, amReason: null, pmReason: null };
    const meaning = m.meaning;
    if (m.session === 'PM') {
      Object.assign(day, { pm: m.mark, pmCategory: meaning?.category ?? null, pmReason: meaning?.description ?? null });
    } else {
      Object.assign(day, { am: m.mark, amCategory: meaning?.category ?? null, amReason: meaning?.description ?? null });
    }
    days.set(m.date, day);
  }
  const calendar = [...days.values()];

  const penalty = statutoryTriggers(marks).penaltyNotice;
  const suspendedOn = [
    ...suspensions.map((s) => s.startDate),
    ...marks.filter((m) => m.mark === 'E').map((m) => m.date),
  ].sort();
  const flags: ChildFlag[] = [];
  if (year.attendanceRate !== null && year.attendanceRate < 90) flags.push('below_90');
  if (year.unauthorisedSessions >= 20) flags.push('unauthorised_10_days');
  if (suspendedOn.length > 0) flags.push('suspended_or_excluded');
  if (marks.some((m) => m.mark === PART_TIME_CODE)) flags.push('part_time_timetable');
  if (!input.onRoll) flags.push('not_on_roll');

  const alerts: ChildAlert[] = [];
  for (const start of absenceSpells(calendar)) {
    alerts.push({ kind: 'absence_spell', date: start, message: `Absent every session for ${SPELL_DAYS} or more school days in a row from ${displayDate(start)}` });
  }
  const firstOfRun = suspendedOn.filter((d, i) => i === 0 || d !== suspendedOn[i - 1]);
  for (const s of suspensions) {
    alerts.push({ kind: 'suspension', date: s.startDate, message: `${s.category === 'PERM' ? 'Permanently excluded' : 'Suspended'} from ${displayDate(s.startDate)} (${plural(s.sessions, 'session')})` });
  }
  if (suspensions.length === 0 && firstOfRun.length > 0) {
    alerts.push({ kind: 'suspension', date: firstOfRun[0]!, message: `Marked as suspended or excluded (E) from ${displayDate(firstOfRun[0]!)}` });
  }
  for (const [threshold, kind] of [[90, 'below_90'], [50, 'below_50']] as const) {
    const on = crossingBelow(marks, threshold);
    if (on !== null) alerts.push({ kind, date: on, message: `Attendance this year fell below ${threshold} % on ${displayDate(on)}` });
  }
  if (penalty.metOn !== null) {
    alerts.push({ kind: 'penalty_threshold', date: penalty.metOn, message: `Reached the penalty-notice threshold (10 unauthorised sessions in 10 school weeks) on ${displayDate(penalty.metOn)}` });
  }
  alerts.sort((a, b) => b.date.localeCompare(a.date) || a.kind.localeCompare(b.kind));

  return {
    asOf,
    year,
    term,
    lastTwoWeeks,
    lastTwoWeeksSentence,
    weeks,
    trend,
    calendar,
    flags,
    penaltyThresholdMetOn: penalty.metOn,
    alerts,
    questions: questionsFor(flags, year),
  };
}

/** Attendance over the last four school weeks against the four before: ±2 points or steady. */
function trendOf(marks: readonly ReadMark[], sessionHours: number): ChildAttendanceSummary['trend'] {
  const weeks = [...new Set(marks.map((m) => m.week))].sort();
  if (weeks.length < 8) return 'not_enough_data';
  const recent = new Set(weeks.slice(-4));
  const before = new Set(weeks.slice(-8, -4));
  const a = figures(marks.filter((m) => before.has(m.week)), sessionHours).attendanceRate;
  const b = figures(marks.filter((m) => recent.has(m.week)), sessionHours).attendanceRate;
  if (a === null || b === null) return 'not_enough_data';
  if (b - a >= 2) return 'improving';
  if (a - b >= 2) return 'worsening';
  return 'steady';
}

/** First days of runs of at least {@link SPELL_DAYS} school days absent every session. */
function absenceSpells(calendar: readonly CalendarDay[]): string[] {
  const starts: string[] = [];
  let runStart: string | null = null;
  let run = 0;
  for (const day of calendar) {
    const held = [day.amCategory, day.pmCategory].filter((c) => c !== null && c !== 'not_counted');
    if (held.length === 0) continue; // not a school day for the child: neither breaks nor extends a run
    const allAbsent = held.every((c) => c === 'authorised' || c === 'unauthorised');
    if (allAbsent) {
      if (run === 0) runStart = day.date;
      run += 1;
      if (run === SPELL_DAYS) starts.push(runStart!);
    } else {
      run = 0;
    }
  }
  return starts;
}

/** The first day cumulative attendance this year went below `threshold` % (after two school weeks), or null. */
function crossingBelow(marks: readonly ReadMark[], threshold: number): string | null {
  let possible = 0;
  let attended = 0;
  let wasBelow = false;
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i]!;
    const t = m.treatment;
    if (t !== undefined) {
      if (t.possible) possible += 1;
      if (t.category === 'present' || t.category === 'aea') attended += 1;
    }
    if (marks[i + 1]?.date === m.date) continue; // judge at the end of each day
    if (possible < MIN_SESSIONS_FOR_CROSSING) continue;
    const below = attended * 100 < threshold * possible;
    if (below && !wasBelow) return m.date;
    wasBelow = below;
  }
  return null;
}

/**
 * "Attendance in assessments" (Supporting Social Workers to Improve the Attendance of Children
 * with a Social Worker): the questions worth asking, chosen by what the data shows. The first
 * question is always asked.
 */
export const ASSESSMENT_QUESTIONS = {
  always: 'What is their current attendance?',
  lowAttendance: [
    'Low attendance is usually a symptom of underlying issues for the child and their family: what are they, and what support do they point to?',
    'Is their mental health or wellbeing affecting their attendance? Is anxiety playing a part?',
    'Their attendance is under 90 % (or at risk of it): what is the plan to improve it?',
    'What support strategies are being used in school? Is there an attendance support plan, a personal education plan (PEP) or a parenting contract?',
  ],
  notOnRoll: 'They are not on roll at a school: what are the people caring for them doing to enrol them? If the parent or carer is reluctant, why?',
  /** For a reader who sees the LA's own schools only (see {@link NOT_ON_ROLL_AT_LA_SCHOOLS}). */
  notOnRollHere: "They are not on roll at this LA's schools: before anything else, ask their social worker or the virtual school whether they go to school in another LA.",
  suspended: [
    'They have been suspended or excluded: is their behaviour affecting their attendance and education?',
  ],
  partTime: 'Are they on a reduced timetable? When will it end, and what is the plan to return to full time?',
  unauthorised: 'They have 10 or more days of unauthorised absence: has the school attendance lead been contacted?',
} as const;

export function questionsFor(flags: readonly ChildFlag[], year: PeriodFigures): string[] {
  const q: string[] = [ASSESSMENT_QUESTIONS.always];
  if (flags.includes('not_on_roll')) q.push(ASSESSMENT_QUESTIONS.notOnRoll);
  const atRisk = year.attendanceRate !== null && year.attendanceRate < 92;
  if (flags.includes('below_90') || atRisk) q.push(...ASSESSMENT_QUESTIONS.lowAttendance);
  if (flags.includes('unauthorised_10_days')) q.push(ASSESSMENT_QUESTIONS.unauthorised);
  if (flags.includes('suspended_or_excluded')) q.push(...ASSESSMENT_QUESTIONS.suspended);
  if (flags.includes('part_time_timetable')) q.push(ASSESSMENT_QUESTIONS.partTime);
  return q;
}

/** The wording of each flag, for people. */
export const FLAG_LABELS: Record<ChildFlag, string> = {
  below_90: 'Attendance below 90 %',
  unauthorised_10_days: '10 or more days unauthorised',
  suspended_or_excluded: 'Suspended or excluded',
  part_time_timetable: 'Part-time timetable',
  not_on_roll: 'Not on roll anywhere',
};

/**
 * `not_on_roll` for a reader who sees the LA's own schools only (an LA officer): a child placed at
 * a school of another LA looks the same to them, so "anywhere" would not be true.
 */
export const NOT_ON_ROLL_AT_LA_SCHOOLS = "Not on roll at this LA's schools";

/** {@link childAttendance} of warehouse rows (`child-marks.sql`, `child-suspensions.sql`). */
export function childAttendanceOfRows(
  marks: readonly Record<string, unknown>[],
  suspensions: readonly Record<string, unknown>[],
  onRoll: boolean,
): ChildAttendanceSummary {
  const m: ChildMark[] = marks.map((r) => ({ date: String(r.date), session: String(r.session), mark: String(r.mark), urn: Number(r.urn) }));
  const s: ChildSuspension[] = suspensions.map((r) => ({ urn: Number(r.urn), category: String(r.category), startDate: String(r.start_date), sessions: Number(r.sessions ?? 0) }));
  return childAttendance({ marks: m, suspensions: s, onRoll });
}
