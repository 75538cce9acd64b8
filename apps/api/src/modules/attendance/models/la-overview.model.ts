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

  @Field(() => Boolean, { description: 'True when small numbers (1–4 pupils) are withheld: those figures are null' })
  suppressed: boolean;

  @Field(() => Int, { nullable: true, description: 'Null when withheld' })
  enrolments: number | null;

  @Field(() => Int, { nullable: true })
  possibleSessions: number | null;

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

  @Field(() => Int, { nullable: true, description: 'Null when withheld (1–4 pupils)' })
  persistentAbsentees: number | null;

  @Field(() => Int, { nullable: true, description: 'Null when withheld (1–4 pupils)' })
  severeAbsentees: number | null;

  @Field(() => [SchoolSummary])
  schools: SchoolSummary[];
}
