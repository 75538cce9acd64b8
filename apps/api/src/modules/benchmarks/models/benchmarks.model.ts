import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: "A statistical neighbour's published figure, closest neighbour first" })
export class NeighbourFigure {
  @Field(() => String, { description: '3-digit LA number' })
  laCode: string;

  @Field(() => String)
  laName: string;

  @Field(() => Float, { nullable: true, description: 'Null when DfE suppressed it or the LA is not in the file' })
  value: number | null;
}

@ObjectType({ description: 'One measure for one phase: the LA beside its ten statistical neighbours, its region and England' })
export class ComparatorFigure {
  @Field(() => String, { description: 'As the DfE file names it: Primary, Secondary, Special, Total' })
  phase: string;

  @Field(() => String, { description: 'As the DfE files name it: overall_absence_perc, pa_perc, …' })
  measure: string;

  @Field(() => String, { description: 'Plain-English name of the measure' })
  label: string;

  @Field(() => Float, { nullable: true, description: "The LA's figure (published, or from its returns)" })
  value: number | null;

  @Field(() => Float, { nullable: true, description: 'Simple mean of the neighbours with a value' })
  snAverage: number | null;

  @Field(() => Int, { nullable: true, description: '1 = lowest absence (highest attendance) among the LA and its neighbours with a value' })
  snRank: number | null;

  @Field(() => Int, { nullable: true, description: 'How many were ranked (at most 11)' })
  snRankOutOf: number | null;

  @Field(() => Float, { nullable: true })
  regionValue: number | null;

  @Field(() => Float, { nullable: true })
  englandValue: number | null;

  @Field(() => Float, { nullable: true, description: 'value − England, percentage points' })
  gapToEnglandPp: number | null;

  @Field(() => Float, { nullable: true, description: 'The same gap in school days per pupil over the period' })
  gapToEnglandDays: number | null;

  @Field(() => [NeighbourFigure])
  neighbours: NeighbourFigure[];
}

@ObjectType({ description: 'The LA against its comparators (docs/benchmarks.md)' })
export class LaBenchmarks {
  @Field(() => String)
  laCode: string;

  @Field(() => String, { nullable: true })
  laName: string | null;

  @Field(() => String, { description: 'e.g. 2024/25' })
  academicYear: string;

  @Field(() => Boolean, { description: 'False when no DfE published statistics for the year are loaded' })
  publishedAvailable: boolean;

  @Field(() => [ComparatorFigure], { description: "The LA's published figures (DfE statistics) against its comparators" })
  published: ComparatorFigure[];

}

@ObjectType({ description: 'Where a school sits among its similar schools: 0 = lowest absence' })
export class GroupPosition {
  @Field(() => Float, { description: 'Share of the group with lower absence, ties counting half (0–100)' })
  percentile: number;

  @Field(() => Int, { description: '1 = lowest-absence quarter … 4 = highest' })
  quartile: number;

  @Field(() => Int, { description: '1 = lowest absence among the school and its group' })
  rank: number;

  @Field(() => Int, { description: 'Members of the group with a figure' })
  groupSize: number;
}

@ObjectType()
export class SimilarSchool {
  @Field(() => Int)
  urn: number;

  @Field(() => String)
  name: string;

  @Field(() => Int, { description: '1 = most similar' })
  rank: number;

  @Field(() => Float, { description: 'Weighted distance, 0–1 (docs/benchmarks.md)' })
  distance: number;

  @Field(() => Float, { nullable: true, description: 'Null when not known or withheld (small numbers)' })
  overallAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  persistentAbsenceRate: number | null;
}

@ObjectType({ description: "A school's most similar schools and its position among them" })
export class SimilarSchools {
  @Field(() => Int)
  urn: number;

  @Field(() => String)
  name: string;

  @Field(() => String)
  phase: string;

  @Field(() => Float, { nullable: true })
  pupils: number | null;

  @Field(() => Float, { nullable: true })
  fsmPct: number | null;

  @Field(() => Float, { nullable: true })
  senPct: number | null;

  @Field(() => Float, { nullable: true })
  ealPct: number | null;

  @Field(() => String, { description: 'la or national' })
  within: string;

  @Field(() => Boolean, { description: 'Fewer than 20 comparators' })
  smallGroup: boolean;

  @Field(() => GroupPosition, { nullable: true })
  overallAbsence: GroupPosition | null;

  @Field(() => GroupPosition, { nullable: true })
  persistentAbsence: GroupPosition | null;

  @Field(() => [SimilarSchool])
  comparators: SimilarSchool[];
}

@ObjectType({ description: 'A school in the ranked list for LA support, with its reasons' })
export class HelpFirstSchool {
  @Field(() => Int)
  rank: number;

  @Field(() => Int)
  urn: number;

  @Field(() => String)
  name: string;

  @Field(() => Float, { description: '0–1; higher = help first' })
  score: number;

  @Field(() => Float, { nullable: true })
  persistentAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  severeAbsenceRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Change in persistent absence on a year earlier, percentage points' })
  persistentAbsenceChangePp: number | null;

  @Field(() => Int, { nullable: true, description: 'Null when withheld (1–4 pupils)' })
  persistentAbsentees: number | null;

  @Field(() => Int, { nullable: true })
  severeAbsentees: number | null;

  @Field(() => [String])
  reasons: string[];
}

@ObjectType({ description: "One cohort's figures (DfE scope); null figures are withheld small numbers" })
export class CohortFigure {
  @Field(() => String, { description: 'fsm, sen, social_care, sex, ethnicity, year_group' })
  dimension: string;

  @Field(() => String, { description: 'e.g. FSM, Not FSM, EHC plan, Looked after' })
  cohort: string;

  @Field(() => Boolean)
  suppressed: boolean;

  @Field(() => Int, { nullable: true })
  enrolments: number | null;

  @Field(() => Float, { nullable: true })
  overallAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  persistentAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  severeAbsenceRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Overall absence rate minus that of all pupils, percentage points' })
  gapPp: number | null;
}

@ObjectType({ description: 'A term or a school week, this year against the year before' })
export class TrendPoint {
  @Field(() => String, { description: 'autumn, spring, summer; or week 1, 2, … of the academic year' })
  period: string;

  @Field(() => String, { nullable: true, description: 'Monday of the week this year (weekly series)' })
  weekStart: string | null;

  @Field(() => Float, { nullable: true, description: 'Overall absence rate this year' })
  thisYear: number | null;

  @Field(() => Float, { nullable: true, description: 'Overall absence rate in the same period a year earlier' })
  lastYear: number | null;
}

@ObjectType()
export class Trends {
  @Field(() => String)
  academicYear: string;

  @Field(() => String)
  previousYear: string;

  @Field(() => [TrendPoint])
  termly: TrendPoint[];

  @Field(() => [TrendPoint], { description: 'Every register mark (all pupils on roll), by school week' })
  weekly: TrendPoint[];
}

@ObjectType({ description: 'Pupils by their overall absence over the year (DfE scope)' })
export class AbsenceBand {
  @Field(() => String, { description: 'e.g. "Under 5%", "10% to under 20%"' })
  band: string;

  @Field(() => Int, { nullable: true, description: 'Null when withheld (1–4 pupils)' })
  enrolments: number | null;
}

@ObjectType({ description: 'Absence by weekday and session, every register mark' })
export class HeatCell {
  @Field(() => Int, { description: '1 = Monday … 5 = Friday' })
  weekday: number;

  @Field(() => String, { description: 'AM or PM' })
  session: string;

  @Field(() => Float, { nullable: true })
  absenceRate: number | null;
}

@ObjectType({ description: 'Absence sessions by register code (DfE scope)' })
export class ReasonFigure {
  @Field(() => String, { description: 'Register code, e.g. I, O, G' })
  code: string;

  @Field(() => String, { description: 'What the code means' })
  description: string;

  @Field(() => Boolean, { description: 'True for authorised absence, false for unauthorised' })
  authorised: boolean;

  @Field(() => Int)
  sessions: number;

  @Field(() => Float, { description: 'Share of possible sessions, %' })
  rate: number;
}

@ObjectType({ description: "A school's page: bands, similar schools, cohorts, reasons, weekday × session" })
export class SchoolBenchmarks {
  @Field(() => Int)
  urn: number;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => String)
  academicYear: string;

  @Field(() => [AbsenceBand])
  absenceBands: AbsenceBand[];

  @Field(() => SimilarSchools, { nullable: true, description: 'Null when the school is not in the loaded school list' })
  similarSchools: SimilarSchools | null;

  @Field(() => [CohortFigure])
  cohorts: CohortFigure[];

  @Field(() => [ReasonFigure])
  reasons: ReasonFigure[];

  @Field(() => [HeatCell])
  weekdaySession: HeatCell[];

  @Field(() => Trends)
  trends: Trends;
}
