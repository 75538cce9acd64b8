import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

/** The measures every attendance figure carries, for an LA or a school (sum then divide). */
@ObjectType({ isAbstract: true })
export abstract class AttendanceFigures {
  @Field(() => Boolean, { description: 'True when small numbers (1–4 pupils) are withheld: those figures are null' })
  suppressed: boolean;

  @Field(() => Int, { nullable: true, description: 'Enrolments with at least one possible session; null when withheld' })
  enrolments: number | null;

  @Field(() => Int, { nullable: true })
  possibleSessions: number | null;

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
