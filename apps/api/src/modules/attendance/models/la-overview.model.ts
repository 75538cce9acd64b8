import { Field, ObjectType } from '@nestjs/graphql';
import { PopulationFigures } from './attendance-figures.model.js';
import { MetricScope } from './metric-scope.enum.js';
import { SchoolSummary } from './school-summary.model.js';

@ObjectType({ description: "The local authority's figures for an academic year, with each school's" })
export class LaOverview extends PopulationFigures {
  @Field(() => String)
  laCode: string;

  @Field(() => String, { nullable: true, description: 'Null when no school list has been loaded' })
  laName: string | null;

  @Field(() => String, { description: 'For example 2024/25' })
  academicYear: string;

  @Field(() => MetricScope)
  scope: MetricScope;

  @Field(() => [SchoolSummary])
  schools: SchoolSummary[];
}
