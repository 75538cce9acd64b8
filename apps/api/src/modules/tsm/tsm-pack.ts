import type { ActionImpact, SessionCounts, TsmActionStatus, TsmActionType, TsmGroup, TsmReason, TsmTier } from '@rollbook/metrics';

/** An action agreed at a meeting, for one pupil (`upn`) or a cohort (`cohort`). */
export interface TsmActionRecord {
  id: string;
  meetingId: string;
  meetingDate: string;
  academicYear: string;
  term: string;
  upn: string | null;
  cohort: string | null;
  tier: TsmTier;
  actionType: TsmActionType;
  owner: string;
  reviewDate: string;
  status: TsmActionStatus;
  notes: string | null;
}

/** An earlier action on the pack, with the pupil's attendance in the meeting's term and in the pack's term. */
export interface TsmActionFollowUp extends TsmActionRecord {
  impact: ActionImpact | null;
  overdue: boolean;
}

export interface TsmPackPupil {
  upn: string;
  forename: string | null;
  surname: string | null;
  ncYear: string | null;
  /** The pack section, or null for a pupil no longer on it who has earlier actions to follow up. */
  group: TsmGroup | null;
  reasons: TsmReason[];
  possibleSessions: number;
  overallAbsence: number;
  unauthorisedAbsence: number;
  daysMissed: number;
  attendancePerc: number | null;
  previousAttendancePerc: number | null;
  trend: 'improving' | 'declining' | 'unchanged' | 'insufficient';
  /** Absence codes with the most sessions, most first (`I 12`, `O 6`). */
  mainReasons: { code: string; sessions: number }[];
  flags: string[];
  /** When absence falls most, from the register marks: `Monday morning: 6 sessions`, at most three. */
  pattern: string[];
  familySummary: string;
  actions: TsmActionFollowUp[];
}

export interface TsmCohortRow {
  cohort: string;
  pupils: number;
  attendancePerc: number | null;
  persistentPerc: number | null;
}

/**
 * One row of "the school against others" (the benchmark measures of the school page, for the
 * pack's term): the school, its similar schools, its LA, England.
 */
export interface TsmComparison {
  kind: 'school' | 'similar' | 'la' | 'england';
  label: string;
  /** Overall absence ÷ possible sessions × 100. */
  overallAbsencePerc: number | null;
  /** Share of pupils missing 10 % or more of the term's sessions. */
  persistentPerc: number | null;
  /** Share of pupils missing 50 % or more. */
  severePerc: number | null;
  /** Where the figures come from, or why there are none (never left blank). */
  note: string | null;
}

/** The pack the system stored for the school's term when its return loaded. */
export interface TsmStoredPack {
  /** ISO timestamp. */
  builtAt: string;
  sourceSubmissionId: string | null;
  /** When the return behind it was submitted (ISO), if known. */
  returnLoadedAt: string | null;
  severe: number;
  persistent: number;
  atRisk: number;
}

/** A school's targeting support meeting pack for one term. */
export interface TsmPack {
  urn: number;
  schoolName: string | null;
  academicYear: string;
  term: string;
  generatedOn: string;
  pupils: TsmPackPupil[];
  cohorts: TsmCohortRow[];
  comparisons: TsmComparison[];
  /** Cohort actions from earlier meetings (pupil actions are under each pupil). */
  cohortActions: TsmActionFollowUp[];
  /** The pack stored when the term's return last loaded; null when none has been built. */
  stored?: TsmStoredPack | null;
}

/** A pupil of the pack's term as the warehouse gave them, before earlier actions are merged in. */
export interface TsmFiguresPupil extends Omit<TsmPackPupil, 'actions'> {
  /** Session counts by term (`'2024/25 spring'`) for every term of {@link TsmPackFigures.terms} the pupil has. */
  counts: Record<string, SessionCounts>;
}

/**
 * The warehouse part of a pack (issue 9): what DuckDB gave, kept in PostgreSQL
 * (`tsm_pack_figures`) with the warehouse version and the day it was worked out. While both hold,
 * a read merges the meetings' actions (PostgreSQL) into it instead of querying the warehouse.
 */
export interface TsmPackFigures {
  /** Term keys whose counts are held: the pack's term, the one before, and earlier meetings' terms. */
  terms: string[];
  /** Every pupil on roll in the pack's term. */
  upns: string[];
  /** Pupils on the pack, or with earlier actions when worked out, in the warehouse's order (unsorted). */
  pupils: TsmFiguresPupil[];
  cohorts: TsmCohortRow[];
  comparisons: TsmComparison[];
  /** Whom the comparisons were worked out for: the school's LA, and whether the scope covered that LA (small groups withheld otherwise). */
  comparisonsFor: { laCode: string | null; coversLa: boolean };
}
