/** Targeting support meetings as the portal uses them, matching the API's `tsm…` queries. */

export const TERMS = ['autumn', 'spring', 'summer'] as const;
export type TermName = (typeof TERMS)[number];

export interface TsmImpact {
  beforeAttendancePerc: number | null;
  afterAttendancePerc: number | null;
  changePp: number | null;
  direction: string;
}

export interface TsmAction {
  id: string;
  urn?: number | null;
  meetingDate: string;
  academicYear: string;
  term: string;
  upn: string | null;
  cohort: string | null;
  tier: string;
  actionType: string;
  owner: string;
  reviewDate: string;
  status: string;
  notes: string | null;
  overdue: boolean | null;
  impact?: TsmImpact | null;
}

export interface TsmPupil {
  upn: string;
  forename: string | null;
  surname: string | null;
  ncYear: string | null;
  group: 'severe' | 'persistent' | 'atRisk' | null;
  reasons: string[];
  overallAbsence: number;
  unauthorisedAbsence: number;
  daysMissed: number;
  attendancePerc: number | null;
  previousAttendancePerc: number | null;
  trend: string;
  mainReasons: { code: string; sessions: number }[];
  flags: string[];
  pattern: string[];
  familySummary: string;
  actions: TsmAction[];
}

export interface TsmPack {
  urn: number;
  schoolName: string | null;
  academicYear: string;
  term: string;
  generatedOn: string;
  pupils: TsmPupil[];
  cohorts: { cohort: string; pupils: number; attendancePerc: number | null; persistentPerc: number | null }[];
  comparisons: TsmComparison[];
  cohortActions: TsmAction[];
  stored: TsmStoredPack | null;
}

/** The school, its similar schools, its LA or England for the pack's term (the school page's measures). */
export interface TsmComparison {
  kind: 'school' | 'similar' | 'la' | 'england';
  label: string;
  overallAbsencePerc: number | null;
  persistentPerc: number | null;
  severePerc: number | null;
  /** Where the figures come from, or why there are none. */
  note: string | null;
}

/** The pack the system stored when the school's return for the term loaded. */
export interface TsmStoredPack {
  /** ISO timestamp. */
  builtAt: string;
  severe: number;
  persistent: number;
  atRisk: number;
}

const STORED = 'builtAt severe persistent atRisk';


export interface TsmOptions {
  tiers: { value: string; label: string }[];
  actionTypes: { value: string; label: string }[];
  statuses: string[];
  defaultReviewWeeks: number;
}

const ACTION = 'id meetingDate academicYear term upn cohort tier actionType owner reviewDate status notes overdue';

export const TSM_PACK_QUERY = /* GraphQL */ `
  query TsmPack($urn: Int!, $academicYear: String!, $term: String!) {
    tsmPack(urn: $urn, academicYear: $academicYear, term: $term) {
      urn schoolName academicYear term generatedOn
      pupils { upn forename surname ncYear group reasons overallAbsence unauthorisedAbsence daysMissed attendancePerc
        previousAttendancePerc trend mainReasons { code sessions } flags pattern familySummary
        actions { ${ACTION} impact { beforeAttendancePerc afterAttendancePerc changePp direction } } }
      cohorts { cohort pupils attendancePerc persistentPerc }
      comparisons { kind label overallAbsencePerc persistentPerc severePerc note }
      cohortActions { ${ACTION} }
      stored { ${STORED} }
    }
    tsmOptions { tiers { value label } actionTypes { value label } statuses defaultReviewWeeks }
  }`;

export const TSM_PLANNER_QUERY = /* GraphQL */ `
  query TsmPlanner($academicYear: String!, $term: String!) {
    tsmPlanner(academicYear: $academicYear, term: $term) { urn name meetingDate meetingId openActions overdueActions storedPack { ${STORED} } }
    academicYears
  }`;

export const TSM_ACTIONS_QUERY = /* GraphQL */ `
  query TsmActions($overdueOnly: Boolean) {
    tsmActions(overdueOnly: $overdueOnly) { ${ACTION} urn }
    tsmOptions { tiers { value label } actionTypes { value label } statuses defaultReviewWeeks }
  }`;

export const RECORD_MEETING = /* GraphQL */ `
  mutation RecordTsmMeeting($input: TsmMeetingInput!) { recordTsmMeeting(input: $input) { meetingId actionIds } }`;

export const UPDATE_ACTION = /* GraphQL */ `
  mutation UpdateTsmAction($id: ID!, $change: TsmActionChange!) { updateTsmAction(id: $id, change: $change) { id status } }`;

export const GROUP_LABELS: Record<string, string> = {
  severe: 'Severely absent (50% or more)',
  persistent: 'Persistently absent (10% to under 50%)',
  atRisk: 'At risk',
};

export const REASON_LABELS: Record<string, string> = {
  severe: 'Missed half of sessions or more',
  persistent: 'Missed one session in ten or more',
  absence5to10: 'Missing about a day every four weeks or more',
  decliningFast: 'Absence rising fast on last term',
  penaltyThreshold: 'Reached the penalty-notice threshold',
  unauthorised10Days: '10 school days in a row unauthorised',
};

/** `2024-25-spring` (the pack's path segment) → year and term; anything else → null. */
export function parseTermSegment(value: string): { academicYear: string; term: TermName } | null {
  const m = /^(\d{4})-(\d{2})-(autumn|spring|summer)$/.exec(value);
  if (!m || (Number(m[1]) + 1) % 100 !== Number(m[2])) return null;
  return { academicYear: `${m[1]}/${m[2]}`, term: m[3] as TermName };
}

/** The path segment of a year and term: `2024/25`, `spring` → `2024-25-spring`. */
export function termSegment(academicYear: string, term: string): string {
  return `${academicYear.replace('/', '-')}-${term}`;
}

export function termLabel(academicYear: string, term: string): string {
  return `${term[0]!.toUpperCase()}${term.slice(1)} term ${academicYear}`;
}

/** Roles that hold meetings (the API decides; this only hides the link from others). */
export function holdsMeetings(role: string | undefined): boolean {
  return ['la_admin', 'la_officer', 'school_user'].includes(role ?? '');
}

export interface MeetingFormError {
  field: string;
  message: string;
}

export interface ParsedMeeting {
  meetingDate: string;
  attendees: { name: string; role: string; organisation: 'school' | 'la' | 'other' }[];
  notes: string | null;
  actions: { upn: string | null; cohort: string | null; tier: string; actionType: string; owner: string; reviewDate: string | null; notes: string | null }[];
}

/** Rows of attendees and actions the form offers. */
export const ATTENDEE_ROWS = 4;
export const ACTION_ROWS = 4;

/**
 * Reads the meeting form (GOV.UK date input in three fields, attendee and action rows; a row left
 * empty is ignored) into the API's input, or the errors to show against each field.
 */
export function parseMeetingForm(form: FormData): { ok: true; meeting: ParsedMeeting } | { ok: false; errors: MeetingFormError[] } {
  const get = (name: string) => String(form.get(name) ?? '').trim();
  const errors: MeetingFormError[] = [];
  const day = get('date-day');
  const month = get('date-month');
  const year = get('date-year');
  let meetingDate = '';
  if (!day && !month && !year) errors.push({ field: 'date-day', message: 'Enter the date of the meeting' });
  else if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) errors.push({ field: 'date-day', message: 'The date of the meeting must be a real date, like 27 3 2025' });
  else {
    meetingDate = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
    const d = new Date(`${meetingDate}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== meetingDate) errors.push({ field: 'date-day', message: 'The date of the meeting must be a real date, like 27 3 2025' });
  }
  const attendees: ParsedMeeting['attendees'] = [];
  for (let i = 0; i < ATTENDEE_ROWS; i += 1) {
    const name = get(`attendee-${i}-name`);
    const role = get(`attendee-${i}-role`);
    const org = get(`attendee-${i}-organisation`);
    if (!name && !role) continue;
    if (!name) errors.push({ field: `attendee-${i}-name`, message: `Enter the name of attendee ${i + 1}` });
    if (!role) errors.push({ field: `attendee-${i}-role`, message: `Enter the role of attendee ${i + 1}` });
    attendees.push({ name, role, organisation: org === 'la' ? 'la' : org === 'other' ? 'other' : 'school' });
  }
  if (attendees.length === 0) errors.push({ field: 'attendee-0-name', message: 'Enter at least one attendee' });
  const actions: ParsedMeeting['actions'] = [];
  for (let i = 0; i < ACTION_ROWS; i += 1) {
    const subject = get(`action-${i}-subject`);
    const type = get(`action-${i}-type`);
    const owner = get(`action-${i}-owner`);
    if (!subject && !type && !owner) continue;
    if (!subject) errors.push({ field: `action-${i}-subject`, message: `Choose the pupil or cohort for action ${i + 1}` });
    if (!type) errors.push({ field: `action-${i}-type`, message: `Choose the type of action ${i + 1}` });
    if (!owner) errors.push({ field: `action-${i}-owner`, message: `Enter who owns action ${i + 1}` });
    const review = get(`action-${i}-review`);
    if (review && !/^\d{4}-\d{2}-\d{2}$/.test(review)) errors.push({ field: `action-${i}-review`, message: `The review date of action ${i + 1} must look like 2025-04-01` });
    actions.push({
      upn: subject.startsWith('upn:') ? subject.slice(4) : null,
      cohort: subject.startsWith('cohort:') ? subject.slice(7) : null,
      tier: get(`action-${i}-tier`) || 'universal',
      actionType: type,
      owner,
      reviewDate: review || null,
      notes: get(`action-${i}-notes`) || null,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, meeting: { meetingDate, attendees, notes: get('notes') || null, actions } };
}
