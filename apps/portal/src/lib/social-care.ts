/** Social care pages (caseload, child, virtual school): queries matching the API and pure helpers. */
import { toCsv } from './csv';

export interface Period {
  possibleSessions: number;
  absentSessions: number;
  unauthorisedSessions: number;
  attendanceRate: number | null;
  daysMissed: number;
  hoursMissed: number;
}

export interface ChildAlert {
  kind: string;
  date: string;
  message: string;
}

export interface SocialCareChild {
  upn: string;
  laChildId: string | null;
  forename: string | null;
  surname: string | null;
  workerName: string | null;
  urn: number | null;
  schoolName: string | null;
  schoolLaName: string | null;
  outOfArea: boolean;
  year: Period;
  term: Period & { term: string | null };
  lastTwoWeeks: string;
  trend: string;
  flags: string[];
  flagLabels: string[];
  alerts: ChildAlert[];
  educationPlan: { pepStatus: string; pepDate: string | null; supportPlan: string | null; updatedAt: string } | null;
}

export interface Alert extends ChildAlert {
  upn: string;
  name: string | null;
  isNew: boolean;
}

export interface UnmatchedChild {
  laChildId: string;
  upn: string | null;
  heldAs: string;
  problem: string;
}

export interface CalendarDay {
  date: string;
  am: string | null;
  pm: string | null;
  amCategory: string | null;
  pmCategory: string | null;
  amReason: string | null;
  pmReason: string | null;
}

export interface Contact {
  service: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  when: string | null;
}

const PERIOD = 'possibleSessions absentSessions unauthorisedSessions attendanceRate daysMissed hoursMissed';
const CHILD = `upn laChildId forename surname workerName urn schoolName schoolLaName outOfArea
  year { ${PERIOD} } term { term ${PERIOD} } lastTwoWeeks trend flags flagLabels
  alerts { kind date message } educationPlan { pepStatus pepDate supportPlan updatedAt }`;
const UNMATCHED = 'unmatched { laChildId upn heldAs problem }';

export const CASELOAD_QUERY = /* GraphQL */ `query Caseload { caseload { today academicYear seenThrough children { ${CHILD} } alerts { upn name kind date message isNew } ${UNMATCHED} } }`;

export const CHILD_QUERY = /* GraphQL */ `query SocialCareChild($upn: String!) { socialCareChild(upn: $upn) {
  ${CHILD} dateOfBirth academicYear asOf lastTwoWeeksFigures { ${PERIOD} }
  weeks { weekStart possibleSessions attendanceRate }
  calendar { date am pm amCategory pmCategory amReason pmReason }
  penaltyThresholdMetOn questions statuses { status startDate endDate source } previouslyLookedAfter seesEverySchool
  allocations { workerName workerEmail team startDate endDate }
  schoolContact { service name email phone when } serviceContacts { service name email phone when } } }`;

export const VIRTUAL_SCHOOL_QUERY = /* GraphQL */ `query VirtualSchool($markSeen: Boolean) { virtualSchool(markSeen: $markSeen) {
  today academicYear seenThrough
  cohort { children onRoll outOfArea attendanceRate persistentAbsenceRate overallAbsenceRate persistentAbsenteeRate daysMissed suspendedOrExcluded partTimeTimetable
    national { academicYear overallAbsencePct persistentAbsencePct source recordedAt earlierYear } nationalNote }
  children { ${CHILD} } alerts { upn name kind date message isNew } ${UNMATCHED} mayRecordNationalFigures seesOtherLasSchools } }`;

export const SET_EDUCATION_PLAN = /* GraphQL */ `mutation SetEducationPlan($upn: String!, $pepStatus: String!, $pepDate: String, $supportPlan: String) {
  setEducationPlan(upn: $upn, pepStatus: $pepStatus, pepDate: $pepDate, supportPlan: $supportPlan) { pepStatus } }`;

export const SET_NATIONAL_FIGURES = /* GraphQL */ `mutation SetNationalLookedAfterFigures($input: NationalLookedAfterFiguresInput!) {
  setNationalLookedAfterFigures(input: $input) { academicYear } }`;

/** How many concerns are new to the signed-in user (0 for roles that follow no children). */
export const NEW_CONCERNS_QUERY = /* GraphQL */ `query NewConcerns { newConcerns }`;

/** Roles whose menu leads to children with a social worker (the API decides what they see). */
export function followsChildren(role: string | undefined): boolean {
  return ['social_worker', 'team_manager', 'virtual_school'].includes(role ?? '');
}

export const UPN_PATTERN = /^[A-Z]\d{11}[0-9A-Z]$/;

export const STATUS_LABELS: Record<string, string> = {
  looked_after: 'Looked after',
  child_protection: 'Child protection plan',
  child_in_need: 'Child in need',
  allocated: 'Allocated to a social worker',
};

export const PEP_LABELS: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  complete: 'Complete',
  overdue: 'Overdue',
};

export const TREND_LABELS: Record<string, string> = {
  improving: 'Improving',
  worsening: 'Getting worse',
  steady: 'Steady',
  not_enough_data: 'Not enough weeks yet',
};

/** "1 day", "2.5 days". */
export function days(n: number): string {
  const r = Math.round(n * 10) / 10;
  return `${r} ${r === 1 ? 'day' : 'days'}`;
}

export function hours(n: number): string {
  const r = Math.round(n * 10) / 10;
  return `${r} ${r === 1 ? 'hour' : 'hours'}`;
}

/** The heat-map colour class of a session: present, approved activity, authorised, unauthorised, not counted, none. */
export function sessionClass(category: string | null): string {
  switch (category) {
    case 'present':
      return 'rb-session--present';
    case 'aea':
      return 'rb-session--aea';
    case 'authorised':
      return 'rb-session--authorised';
    case 'unauthorised':
      return 'rb-session--unauthorised';
    case 'not_counted':
      return 'rb-session--closed';
    default:
      return 'rb-session--none';
  }
}

/** The calendar as weeks (Monday to Friday), each day with its two sessions; missing days are null. */
export function calendarWeeks(calendar: readonly CalendarDay[]): { weekStart: string; days: (CalendarDay | null)[] }[] {
  const byDate = new Map(calendar.map((d) => [d.date, d]));
  const weeks = new Map<string, (CalendarDay | null)[]>();
  for (const d of calendar) {
    const date = new Date(`${d.date}T00:00:00Z`);
    const dow = (date.getUTCDay() + 6) % 7; // Monday 0
    if (dow > 4) continue;
    const monday = new Date(date.getTime() - dow * 86_400_000).toISOString().slice(0, 10);
    if (!weeks.has(monday)) {
      weeks.set(monday, [0, 1, 2, 3, 4].map((i) => byDate.get(new Date(Date.parse(`${monday}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10)) ?? null));
    }
  }
  return [...weeks.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([weekStart, ds]) => ({ weekStart, days: ds }));
}

export interface CohortFigures {
  children: number;
  onRoll: number;
  outOfArea: number;
  attendanceRate: number | null;
  persistentAbsenceRate: number | null;
  daysMissed: number;
  suspendedOrExcluded: number;
  partTimeTimetable: number;
  overallAbsenceRate: number | null;
  persistentAbsenteeRate: number | null;
  national: NationalFigures | null;
  nationalNote: string;
}

/** England's looked-after figures as recorded from DfE's release (for the year shown, or the newest earlier one). */
export interface NationalFigures {
  academicYear: string;
  overallAbsencePct: number;
  persistentAbsencePct: number | null;
  source: string;
  recordedAt: string;
  earlierYear: boolean;
}

/** The national figures form's fields, in the order the error summary lists them. */
export const NATIONAL_FIELDS = ['national-year', 'national-overall', 'national-persistent', 'national-source'] as const;
export type NationalField = (typeof NATIONAL_FIELDS)[number];
export interface FormError {
  field: NationalField;
  message: string;
}

const percent = (raw: string): number | null => {
  const t = raw.trim().replace(/\s*%$/, '');
  return /^\d{1,3}(\.\d+)?$/.test(t) && Number(t) <= 100 ? Number(t) : null;
};

/**
 * Reads the national looked-after figures form: the year like 2024/25, overall absence and
 * (optional) persistent absence in per cent from 0 to 100, and the source. The API checks again.
 */
export function parseNationalFiguresForm(form: FormData):
  | { ok: true; input: { academicYear: string; overallAbsencePct: number; persistentAbsencePct: number | null; source: string } }
  | { ok: false; errors: FormError[] } {
  const get = (k: NationalField) => String(form.get(k) ?? '').trim();
  const errors: FormError[] = [];
  const academicYear = get('national-year');
  const m = /^(\d{4})\/(\d{2})$/.exec(academicYear);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) errors.push({ field: 'national-year', message: 'Enter the academic year like 2024/25' });
  const overall = percent(get('national-overall'));
  if (get('national-overall') === '') errors.push({ field: 'national-overall', message: 'Enter the overall absence, in per cent' });
  else if (overall === null) errors.push({ field: 'national-overall', message: 'Overall absence must be a number from 0 to 100, like 6.9' });
  const persistentRaw = get('national-persistent');
  const persistent = persistentRaw === '' ? null : percent(persistentRaw);
  if (persistentRaw !== '' && persistent === null) errors.push({ field: 'national-persistent', message: 'Persistent absence must be a number from 0 to 100, like 15.2, or left empty' });
  const source = get('national-source');
  if (source === '') errors.push({ field: 'national-source', message: 'Enter the source: the name or web address of the DfE release' });
  else if (source.length > 500) errors.push({ field: 'national-source', message: 'The source must be 500 characters or fewer' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, input: { academicYear, overallAbsencePct: overall!, persistentAbsencePct: persistent, source } };
}

/**
 * The corporate parenting board's export: figures for the cohort only, no child named. Counts of
 * 1 to 4 are withheld (blank), as in DfE statistics, because a board pack leaves the service.
 */
export function boardCsv(academicYear: string, today: string, cohort: CohortFigures): string {
  const count = (n: number) => (n >= 1 && n <= 4 ? null : n);
  const pct = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  const rows: [string, string | number | null][] = [
    ['Looked-after children', count(cohort.children)],
    ['On roll at a school', count(cohort.onRoll)],
    ['At schools of other LAs', count(cohort.outOfArea)],
    ['Attendance (%)', pct(cohort.attendanceRate)],
    ['Attendance under 90 % (% of children on roll)', pct(cohort.persistentAbsenceRate)],
    ['School days missed in all', Math.round(cohort.daysMissed)],
    ['Suspended or excluded this year', count(cohort.suspendedOrExcluded)],
    ['On a part-time timetable this year', count(cohort.partTimeTimetable)],
    ['Overall absence (%)', pct(cohort.overallAbsenceRate)],
    ['Persistent absence: 10 % or more of sessions missed (% of children on roll)', pct(cohort.persistentAbsenteeRate)],
    ['England, looked-after children: academic year of the figures', cohort.national?.academicYear ?? null],
    ['England, looked-after children: overall absence (%)', cohort.national?.overallAbsencePct ?? null],
    ['England, looked-after children: persistent absence (%)', cohort.national?.persistentAbsencePct ?? null],
    ['England, looked-after children: source', cohort.national?.source ?? null],
  ];
  return toCsv(['academic_year', 'as_of', 'measure', 'value'], rows.map(([m, v]) => [academicYear, today, m, v]));
}
