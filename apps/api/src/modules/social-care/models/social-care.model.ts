import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'Attendance over a period, in days and hours of learning missed' })
export class PeriodAttendance {
  @Field(() => String, { nullable: true }) from: string | null;
  @Field(() => String, { nullable: true }) to: string | null;
  @Field(() => Int) possibleSessions: number;
  @Field(() => Int) absentSessions: number;
  @Field(() => Int) unauthorisedSessions: number;
  @Field(() => Float, { nullable: true, description: 'Percentage; null with no possible sessions' }) attendanceRate: number | null;
  @Field(() => Float) daysMissed: number;
  @Field(() => Float, { description: 'Sessions missed × 3.25 hours' }) hoursMissed: number;
}

@ObjectType()
export class TermAttendance extends PeriodAttendance {
  @Field(() => String, { nullable: true }) term: string | null;
}

@ObjectType({ description: 'One school day of the session calendar' })
export class CalendarDay {
  @Field(() => String) date: string;
  @Field(() => String, { nullable: true }) am: string | null;
  @Field(() => String, { nullable: true }) pm: string | null;
  @Field(() => String, { nullable: true, description: 'present, aea, authorised, unauthorised or not_counted' }) amCategory: string | null;
  @Field(() => String, { nullable: true }) pmCategory: string | null;
  @Field(() => String, { nullable: true, description: 'What the register code means' }) amReason: string | null;
  @Field(() => String, { nullable: true }) pmReason: string | null;
}

@ObjectType()
export class WeekAttendance {
  @Field(() => String) weekStart: string;
  @Field(() => Int) possibleSessions: number;
  @Field(() => Float, { nullable: true }) attendanceRate: number | null;
}

@ObjectType({ description: 'A concern, with the day it arose' })
export class ChildAlert {
  @Field(() => String, { description: 'absence_spell, suspension, below_90, below_50 or penalty_threshold' }) kind: string;
  @Field(() => String) date: string;
  @Field(() => String) message: string;
}

@ObjectType({ description: 'A child the LA holds who matches no school record: for follow-up (possibly missing education)' })
export class UnmatchedChild {
  @Field(() => String) laChildId: string;
  @Field(() => String, { nullable: true }) upn: string | null;
  @Field(() => String, { description: 'How the LA holds them: looked_after, child_protection, child_in_need, allocated' }) heldAs: string;
  @Field(() => String, { description: 'no_upn or no_school_record' }) problem: string;
}

@ObjectType({ description: "Personal education plan (PEP) and support-plan status, kept by the virtual school" })
export class EducationPlan {
  @Field(() => String, { description: 'not_started, in_progress, complete or overdue' }) pepStatus: string;
  @Field(() => String, { nullable: true }) pepDate: string | null;
  @Field(() => String, { nullable: true }) supportPlan: string | null;
  @Field(() => String) updatedAt: string;
}

@ObjectType({ description: 'A child on a caseload or in care, with this year’s attendance' })
export class SocialCareChild {
  @Field(() => String) upn: string;
  @Field(() => String, { nullable: true }) laChildId: string | null;
  @Field(() => String, { nullable: true }) forename: string | null;
  @Field(() => String, { nullable: true }) surname: string | null;
  @Field(() => String, { nullable: true }) workerName: string | null;
  @Field(() => Int, { nullable: true }) urn: number | null;
  @Field(() => String, { nullable: true }) schoolName: string | null;
  @Field(() => String, { nullable: true }) schoolLaName: string | null;
  @Field(() => Boolean, { description: 'On roll at a school of another LA' }) outOfArea: boolean;
  @Field(() => PeriodAttendance) year: PeriodAttendance;
  @Field(() => TermAttendance) term: TermAttendance;
  @Field(() => String) lastTwoWeeks: string;
  @Field(() => String, { description: 'improving, worsening, steady or not_enough_data' }) trend: string;
  @Field(() => [String], { description: 'below_90, unauthorised_10_days, suspended_or_excluded, part_time_timetable, not_on_roll' }) flags: string[];
  @Field(() => [String]) flagLabels: string[];
  @Field(() => [ChildAlert]) alerts: ChildAlert[];
  @Field(() => EducationPlan, { nullable: true }) educationPlan: EducationPlan | null;
}


@ObjectType()
export class ChildStatusPeriod {
  @Field(() => String) status: string;
  @Field(() => String) startDate: string;
  @Field(() => String, { nullable: true }) endDate: string | null;
  @Field(() => String) source: string;
}

@ObjectType()
export class Allocation {
  @Field(() => String) workerName: string;
  @Field(() => String, { nullable: true }) workerEmail: string | null;
  @Field(() => String, { nullable: true }) team: string | null;
  @Field(() => String) startDate: string;
  @Field(() => String, { nullable: true }) endDate: string | null;
}

@ObjectType()
export class Contact {
  @Field(() => String) service: string;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => String, { nullable: true, description: 'When to contact them' }) when: string | null;
}

@ObjectType({ description: "A child's page: attendance, calendar, flags, contacts and questions" })
export class SocialCareChildPage extends SocialCareChild {
  @Field(() => String, { nullable: true }) dateOfBirth: string | null;
  @Field(() => String) academicYear: string;
  @Field(() => String, { nullable: true }) asOf: string | null;
  @Field(() => PeriodAttendance) lastTwoWeeksFigures: PeriodAttendance;
  @Field(() => [WeekAttendance]) weeks: WeekAttendance[];
  @Field(() => [CalendarDay]) calendar: CalendarDay[];
  @Field(() => String, { nullable: true }) penaltyThresholdMetOn: string | null;
  @Field(() => [String], { description: 'From "Attendance in assessments", for what the data shows' }) questions: string[];
  @Field(() => [ChildStatusPeriod]) statuses: ChildStatusPeriod[];
  @Field(() => Boolean, { description: 'Was looked after, and is not today' }) previouslyLookedAfter: boolean;
  @Field(() => Boolean, {
    description: "Whether your access follows this child to every school (their social worker, the virtual school); otherwise you see this LA's schools only",
  })
  seesEverySchool: boolean;
  @Field(() => [Allocation]) allocations: Allocation[];
  @Field(() => Contact, { nullable: true, description: "The school's attendance contact, when the directory has one" }) schoolContact: Contact | null;
  @Field(() => [Contact], { description: 'LA services (configurable directory)' }) serviceContacts: Contact[];
}

@ObjectType({
  description:
    'England\'s figures for looked-after children, as recorded from DfE\'s release "Outcomes for children in need, including children looked after by local authorities in England"',
})
export class NationalLookedAfterFigures {
  @Field(() => String, { description: 'The academic year the figures are for, like 2023/24' }) academicYear: string;
  @Field(() => Float, { description: 'Overall absence, per cent of possible sessions' }) overallAbsencePct: number;
  @Field(() => Float, { nullable: true, description: 'Persistent absence (10 % or more of sessions missed), per cent of children' }) persistentAbsencePct: number | null;
  @Field(() => String, { description: "The release's name or web address" }) source: string;
  @Field(() => String) recordedAt: string;
  @Field(() => String, { nullable: true, description: 'Who recorded them (email)' }) recordedBy: string | null;
  @Field(() => Boolean, { description: 'True when no figures are recorded for the year asked for and these are the newest earlier year\'s' }) earlierYear: boolean;
}

@InputType({ description: "A year's national figures for looked-after children, copied from DfE's release" })
export class NationalLookedAfterFiguresInput {
  @Field(() => String, { description: 'Written like 2024/25' }) academicYear: string;
  @Field(() => Float, { description: 'Overall absence, per cent (0 to 100)' }) overallAbsencePct: number;
  @Field(() => Float, { nullable: true, description: 'Persistent absence, per cent (0 to 100); leave out when not published' }) persistentAbsencePct?: number | null;
  @Field(() => String, { description: "The release's name or web address" }) source: string;
}

@ObjectType({ description: 'Figures for the looked-after cohort (sum then divide)' })
export class CohortFigures {
  @Field(() => Int) children: number;
  @Field(() => Int) onRoll: number;
  @Field(() => Int) outOfArea: number;
  @Field(() => Float, { nullable: true }) attendanceRate: number | null;
  @Field(() => Float, { nullable: true, description: 'Children with attendance under 90 %, per cent of those on roll' }) persistentAbsenceRate: number | null;
  @Field(() => Float) daysMissed: number;
  @Field(() => Int) suspendedOrExcluded: number;
  @Field(() => Int) partTimeTimetable: number;
  @Field(() => Float, { nullable: true, description: 'Sessions missed, per cent of possible sessions (as DfE\'s overall absence)' }) overallAbsenceRate: number | null;
  @Field(() => Float, { nullable: true, description: 'Children missing 10 % or more of their sessions (DfE\'s persistent absence), per cent of those on roll with sessions' }) persistentAbsenteeRate: number | null;
  @Field(() => NationalLookedAfterFigures, { nullable: true, description: 'England\'s looked-after figures for this year, or the newest earlier year recorded; null when none are recorded' })
  national: NationalLookedAfterFigures | null;
  @Field(() => String, { description: 'Which national figures are shown and how they differ from the cohort\'s, or that none are recorded' }) nationalNote: string;
}

@ObjectType()
export class VirtualSchoolAlert {
  @Field(() => String) upn: string;
  @Field(() => String, { nullable: true }) name: string | null;
  @Field(() => String) kind: string;
  @Field(() => String) date: string;
  @Field(() => String) message: string;
  @Field(() => Boolean, { description: 'Arose after the day you last looked up to' }) isNew: boolean;
}

@ObjectType()
export class Caseload {
  @Field(() => String, { description: 'The day allocations are open on' }) today: string;
  @Field(() => String) academicYear: string;
  @Field(() => String, { nullable: true, description: 'Data day you had seen alerts up to before this visit' }) seenThrough: string | null;
  @Field(() => [SocialCareChild]) children: SocialCareChild[];
  @Field(() => [VirtualSchoolAlert], { description: "Concerns about your children, newest first" }) alerts: VirtualSchoolAlert[];
  @Field(() => [UnmatchedChild]) unmatched: UnmatchedChild[];
}

@ObjectType()
export class VirtualSchool {
  @Field(() => String) today: string;
  @Field(() => String) academicYear: string;
  @Field(() => String, { nullable: true, description: 'Data day you had seen alerts up to before this visit' }) seenThrough: string | null;
  @Field(() => CohortFigures) cohort: CohortFigures;
  @Field(() => [SocialCareChild]) children: SocialCareChild[];
  @Field(() => [VirtualSchoolAlert]) alerts: VirtualSchoolAlert[];
  @Field(() => [UnmatchedChild]) unmatched: UnmatchedChild[];
  @Field(() => Boolean, { description: 'Whether you may record the national looked-after figures (virtual school, LA administrator)' }) mayRecordNationalFigures: boolean;
  @Field(() => Boolean, {
    description: "Whether you see these children's marks at schools of other LAs: the virtual school does; an LA officer sees the LA's own schools only, so a child placed out of area shows as not on roll and outside the cohort's figures",
  })
  seesOtherLasSchools: boolean;
}
