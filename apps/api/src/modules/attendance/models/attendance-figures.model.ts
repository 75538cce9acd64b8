import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

/** The rates every attendance figure carries (percentages, sum then divide). */
@ObjectType({ isAbstract: true })
export abstract class AttendanceRates {
  @Field(() => Float, { nullable: true, description: 'Percentage (0–100): 100 − overall absence rate; null when there are no possible sessions' })
  attendanceRate: number | null;

  @Field(() => Float, { nullable: true })
  overallAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  authorisedAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  unauthorisedAbsenceRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Persistent absentees (≥ 10 %) as a percentage of enrolments' })
  persistentAbsenceRate: number | null;

  @Field(() => Float, { nullable: true, description: 'Severe absentees (≥ 50 %) as a percentage of enrolments' })
  severeAbsenceRate: number | null;
}

/** The measures every attendance figure carries, for an LA or a school (sum then divide). */
@ObjectType({ isAbstract: true })
export abstract class AttendanceFigures extends AttendanceRates {
  @Field(() => Boolean, { description: 'True when small numbers (1–4 pupils) are withheld: those figures are null' })
  suppressed: boolean;

  @Field(() => Int, { nullable: true, description: 'Enrolments with at least one possible session; null when withheld' })
  enrolments: number | null;

  @Field(() => Int, { nullable: true })
  possibleSessions: number | null;
}

/** An LA's or a pool of LAs' figures, with the counts of persistent and severe absentees. */
@ObjectType({ isAbstract: true })
export abstract class PopulationFigures extends AttendanceFigures {
  @Field(() => Int, { nullable: true, description: 'Null when withheld (1–4 pupils)' })
  persistentAbsentees: number | null;

  @Field(() => Int, { nullable: true, description: 'Null when withheld (1–4 pupils)' })
  severeAbsentees: number | null;
}
