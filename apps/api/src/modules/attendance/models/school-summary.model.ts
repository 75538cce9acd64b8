import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: "One school's figures for an academic year (sum then divide)" })
export class SchoolSummary {
  @Field(() => Int)
  urn: number;

  @Field(() => String, { nullable: true, description: 'Null when the school is not in the loaded school list' })
  name: string | null;

  @Field(() => String, { nullable: true })
  phase: string | null;

  @Field(() => Int, { description: 'Enrolments with at least one possible session' })
  enrolments: number;

  @Field(() => Int)
  possibleSessions: number;

  @Field(() => Float, { description: 'Percentage (0–100): 100 − overall absence rate' })
  attendanceRate: number;

  @Field(() => Float)
  overallAbsenceRate: number;

  @Field(() => Float)
  authorisedAbsenceRate: number;

  @Field(() => Float)
  unauthorisedAbsenceRate: number;

  @Field(() => Float, { description: 'Persistent absentees (≥ 10 %) as a percentage of enrolments' })
  persistentAbsenceRate: number;

  @Field(() => Float, { description: 'Severe absentees (≥ 50 %) as a percentage of enrolments' })
  severeAbsenceRate: number;
}
