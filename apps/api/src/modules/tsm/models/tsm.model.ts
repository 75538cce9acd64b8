import { Field, Float, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Attendance in the term of the meeting against the pack term' })
export class TsmImpact {
  @Field(() => Float, { nullable: true }) beforeAttendancePerc: number | null;
  @Field(() => Float, { nullable: true }) afterAttendancePerc: number | null;
  @Field(() => Float, { nullable: true, description: 'After minus before, percentage points' }) changePp: number | null;
  @Field(() => String, { description: 'improving, declining, unchanged or insufficient' }) direction: string;
}

@ObjectType({ description: 'An action agreed at a targeting support meeting' })
export class TsmAction {
  @Field(() => ID) id: string;
  @Field(() => ID) meetingId: string;
  @Field(() => Int, { nullable: true }) urn?: number;
  @Field(() => String) meetingDate: string;
  @Field(() => String) academicYear: string;
  @Field(() => String) term: string;
  @Field(() => String, { nullable: true }) upn: string | null;
  @Field(() => String, { nullable: true }) cohort: string | null;
  @Field(() => String, { description: 'universal, targeted or intensive' }) tier: string;
  @Field(() => String, { description: 'A key of TSM_ACTION_TYPES (family_meeting, attendance_support_plan, …)' }) actionType: string;
  @Field(() => String) owner: string;
  @Field(() => String) reviewDate: string;
  @Field(() => String, { description: 'open, done or dropped' }) status: string;
  @Field(() => String, { nullable: true }) notes: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Open with its review date passed' }) overdue?: boolean;
  @Field(() => TsmImpact, { nullable: true }) impact?: TsmImpact | null;
}

@ObjectType()
export class TsmReasonCount {
  @Field(() => String) code: string;
  @Field(() => Int) sessions: number;
}

@ObjectType({ description: 'A pupil on the pack, or with earlier actions to follow up' })
export class TsmPackPupilModel {
  @Field(() => String) upn: string;
  @Field(() => String, { nullable: true }) forename: string | null;
  @Field(() => String, { nullable: true }) surname: string | null;
  @Field(() => String, { nullable: true }) ncYear: string | null;
  @Field(() => String, { nullable: true, description: 'severe, persistent or atRisk; null when no longer on the pack' }) group: string | null;
  @Field(() => [String]) reasons: string[];
  @Field(() => Int) possibleSessions: number;
  @Field(() => Int) overallAbsence: number;
  @Field(() => Int) unauthorisedAbsence: number;
  @Field(() => Float) daysMissed: number;
  @Field(() => Float, { nullable: true }) attendancePerc: number | null;
  @Field(() => Float, { nullable: true }) previousAttendancePerc: number | null;
  @Field(() => String) trend: string;
  @Field(() => [TsmReasonCount]) mainReasons: TsmReasonCount[];
  @Field(() => [String]) flags: string[];
  @Field(() => [String], { description: 'When absence falls most (weekday and session), at most three' }) pattern: string[];
  @Field(() => String, { description: 'Plain-language summary for families' }) familySummary: string;
  @Field(() => [TsmAction]) actions: TsmAction[];
}

@ObjectType()
export class TsmCohort {
  @Field(() => String) cohort: string;
  @Field(() => Int) pupils: number;
  @Field(() => Float, { nullable: true }) attendancePerc: number | null;
  @Field(() => Float, { nullable: true }) persistentPerc: number | null;
}

@ObjectType({ description: 'The school, its similar schools, its LA or England for the pack term, by the measures of the school page' })
export class TsmComparisonModel {
  @Field(() => String, { description: 'school, similar, la or england' }) kind: string;
  @Field(() => String) label: string;
  @Field(() => Float, { nullable: true, description: 'Overall absence ÷ possible sessions × 100' }) overallAbsencePerc: number | null;
  @Field(() => Float, { nullable: true, description: 'Pupils missing 10 % or more of the sessions, % of pupils' }) persistentPerc: number | null;
  @Field(() => Float, { nullable: true, description: 'Pupils missing 50 % or more, % of pupils' }) severePerc: number | null;
  @Field(() => String, { nullable: true, description: 'Where the figures come from, or why there are none' }) note: string | null;
}

@ObjectType({ description: 'The pack the system stored when the school’s return for the term loaded' })
export class TsmStoredPackModel {
  @Field(() => String, { description: 'When it was built (ISO timestamp)' }) builtAt: string;
  @Field(() => String, { nullable: true }) sourceSubmissionId: string | null;
  @Field(() => String, { nullable: true, description: 'When the return behind it was submitted (ISO timestamp)' }) returnLoadedAt: string | null;
  @Field(() => Int) severe: number;
  @Field(() => Int) persistent: number;
  @Field(() => Int) atRisk: number;
}

@ObjectType({ description: "A school's targeting support meeting pack for a term" })
export class TsmPackModel {
  @Field(() => Int) urn: number;
  @Field(() => String, { nullable: true }) schoolName: string | null;
  @Field(() => String) academicYear: string;
  @Field(() => String) term: string;
  @Field(() => String) generatedOn: string;
  @Field(() => [TsmPackPupilModel]) pupils: TsmPackPupilModel[];
  @Field(() => [TsmCohort]) cohorts: TsmCohort[];
  @Field(() => [TsmComparisonModel]) comparisons: TsmComparisonModel[];
  @Field(() => [TsmAction]) cohortActions: TsmAction[];
  @Field(() => TsmStoredPackModel, { nullable: true, description: 'What was stored when the return loaded; the pack itself is always worked out afresh' })
  stored?: TsmStoredPackModel | null;
}

@ObjectType({ description: "A school's meeting status for a term" })
export class TsmPlannerRow {
  @Field(() => Int) urn: number;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true, description: 'Date of the meeting this term; null when none yet' }) meetingDate: string | null;
  @Field(() => ID, { nullable: true }) meetingId: string | null;
  @Field(() => Int) openActions: number;
  @Field(() => Int) overdueActions: number;
  @Field(() => TsmStoredPackModel, { nullable: true, description: 'The pack built when the return loaded; null when none yet' }) storedPack: TsmStoredPackModel | null;
}

@InputType()
export class TsmAttendeeInput {
  @Field(() => String) name: string;
  @Field(() => String) role: string;
  @Field(() => String, { description: 'school, la or other' }) organisation: 'school' | 'la' | 'other';
}

@InputType()
export class TsmActionInput {
  @Field(() => String, { nullable: true, description: 'The pupil, or leave empty for a cohort action' }) upn?: string | null;
  @Field(() => String, { nullable: true }) cohort?: string | null;
  @Field(() => String) tier: string;
  @Field(() => String) actionType: string;
  @Field(() => String) owner: string;
  @Field(() => String, { nullable: true, description: 'Defaults to three weeks after the meeting' }) reviewDate?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType()
export class TsmMeetingInput {
  @Field(() => Int) urn: number;
  @Field(() => String) academicYear: string;
  @Field(() => String) term: string;
  @Field(() => String) meetingDate: string;
  @Field(() => [TsmAttendeeInput]) attendees: TsmAttendeeInput[];
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [TsmActionInput]) actions: TsmActionInput[];
}

@ObjectType()
export class TsmMeetingResult {
  @Field(() => ID) meetingId: string;
  @Field(() => [ID]) actionIds: string[];
}

@InputType()
export class TsmActionChange {
  @Field(() => String, { nullable: true }) status?: string | null;
  @Field(() => String, { nullable: true }) reviewDate?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@ObjectType({ description: 'A choice offered by the meeting form' })
export class TsmOption {
  @Field(() => String) value: string;
  @Field(() => String) label: string;
}

@ObjectType({ description: 'What a meeting can agree: tiers, action types and statuses, with their labels' })
export class TsmOptions {
  @Field(() => [TsmOption]) tiers: TsmOption[];
  @Field(() => [TsmOption]) actionTypes: TsmOption[];
  @Field(() => [String]) statuses: string[];
  @Field(() => Int, { description: 'Weeks from the meeting to the default review date' }) defaultReviewWeeks: number;
}
