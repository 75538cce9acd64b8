import { Field, ObjectType } from '@nestjs/graphql';
import { AttendanceRates, PopulationFigures } from './attendance-figures.model.js';
import { MetricScope } from './metric-scope.enum.js';

@ObjectType({ description: "One LA's figures in a regional overview" })
export class RegionLaFigures extends PopulationFigures {
  @Field(() => String)
  laCode: string;

  @Field(() => String, { nullable: true, description: 'Null when no school list of the LA has been loaded' })
  laName: string | null;

  @Field(() => Boolean, { description: 'False when no returns of the LA are loaded for the year' })
  loaded: boolean;
}

@ObjectType({
  description: "DfE's published figures for England or a region: all school types, the whole academic year; a rate DfE did not publish is null",
})
export class PublishedAreaFigures extends AttendanceRates {
  @Field(() => String, { description: '"england" or "region"' })
  level: 'england' | 'region';

  @Field(() => String, { nullable: true, description: "The region's code (E12000005); null for England" })
  areaCode: string | null;

  @Field(() => String, { description: 'England, or the region (West Midlands)' })
  areaName: string;
}

@ObjectType({
  description:
    "A regional partnership's figures for a year: its LAs pooled (every enrolment's sessions summed, then divided), " +
    "each LA's own, and DfE's published figures for England and the LAs' regions when loaded. The pool's figures are " +
    'also withheld when they would give away an LA withheld for 1–4 pupils',
})
export class RegionOverview extends PopulationFigures {
  @Field(() => String, { description: 'For example 2024/25' })
  academicYear: string;

  @Field(() => MetricScope)
  scope: MetricScope;

  @Field(() => [String], { description: 'The LAs pooled: every LA you may see' })
  laCodes: string[];

  @Field(() => [RegionLaFigures], { description: 'Each LA, in LA number order' })
  las: RegionLaFigures[];

  @Field(() => Boolean, { description: "True when DfE's published statistics for the year are loaded" })
  publishedAvailable: boolean;

  @Field(() => [PublishedAreaFigures], { description: "The LAs' regions, then England (DfE statistics scope)" })
  published: PublishedAreaFigures[];
}
