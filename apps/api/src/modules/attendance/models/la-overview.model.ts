import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { MetricScope } from './metric-scope.enum.js';
import { SchoolSummary } from './school-summary.model.js';

@ObjectType({ description: "The local authority's figures for an academic year, with each school's" })
export class LaOverview {
  @Field(() => String)
  laCode: string;

  @Field(() => String, { nullable: true, description: 'Null when no school list has been loaded' })
  laName: string | null;

  @Field(() => String, { description: 'For example 2024/25' })
  academicYear: string;

  @Field(() => MetricScope)
  scope: MetricScope;

  @Field(() => Int)
  enrolments: number;

  @Field(() => Int)
  possibleSessions: number;

  @Field(() => Float, { nullable: true, description: 'Null when there are no possible sessions in scope' })
  attendanceRate: number | null;

  @Field(() => Float, { nullable: true })
  overallAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  authorisedAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  unauthorisedAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  persistentAbsenceRate: number | null;

  @Field(() => Float, { nullable: true })
  severeAbsenceRate: number | null;

  @Field(() => Int)
  persistentAbsentees: number;

  @Field(() => Int)
  severeAbsentees: number;

  @Field(() => [SchoolSummary])
  schools: SchoolSummary[];
}
