import { Args, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import { BenchmarksService } from './benchmarks.service.js';
import { CohortFigure, ComparatorFigure, HelpFirstSchool, LaBenchmarks, SchoolBenchmarks, Trends } from './models/benchmarks.model.js';

const YEAR = { type: () => String, nullable: true, description: 'e.g. 2024/25; defaults to the newest loaded' } as const;

@Resolver()
export class BenchmarksResolver {
  constructor(private readonly benchmarks: BenchmarksService) {}

  @Query(() => LaBenchmarks, { description: 'Your LA against its ten statistical neighbours, its region and England (DfE statistics and your returns)' })
  laBenchmarks(
    @CurrentAccess() access: RequestAccess,
    @Args('academicYear', YEAR) academicYear: string | null,
    @Args('laCode', { type: () => String, nullable: true, description: 'Defaults to your own LA, the only one you may ask for' }) laCode: string | null,
  ): Promise<LaBenchmarks> {
    return this.benchmarks.laBenchmarks(access.scope, { academicYear, laCode });
  }

  @Query(() => [HelpFirstSchool], { description: "Your LA's schools ranked for attendance support, each with its reasons" })
  whereToHelpFirst(@CurrentAccess() access: RequestAccess, @Args('academicYear', YEAR) academicYear: string | null): Promise<HelpFirstSchool[]> {
    return this.benchmarks.whereToHelpFirst(access.scope, { academicYear });
  }

  @Query(() => Trends, { description: "Your LA's overall absence by term and by school week, this year against last" })
  laTrends(@CurrentAccess() access: RequestAccess, @Args('academicYear', YEAR) academicYear: string | null): Promise<Trends> {
    return this.benchmarks.laTrends(access.scope, { academicYear });
  }

  @Query(() => [CohortFigure], { description: "Your LA's cohort gaps (FSM, SEN, social care, sex, ethnicity, year group), small numbers withheld" })
  laCohorts(@CurrentAccess() access: RequestAccess, @Args('academicYear', YEAR) academicYear: string | null): Promise<CohortFigure[]> {
    return this.benchmarks.laCohorts(access.scope, { academicYear });
  }

  @Query(() => SchoolBenchmarks, { nullable: true, description: "A school's page (schools of your LA, or of each of a regional user's LAs; school users their own); null if unknown" })
  schoolBenchmarks(
    @CurrentAccess() access: RequestAccess,
    @Args('urn', { type: () => Int }) urn: number,
    @Args('academicYear', YEAR) academicYear: string | null,
    @Args('national', { type: () => Boolean, nullable: true, defaultValue: false, description: 'Similar schools from the national school list (FBIT region rule)' })
    national: boolean | null,
  ): Promise<SchoolBenchmarks | null> {
    return this.benchmarks.schoolBenchmarks(access.scope, { urn, academicYear, within: national ? 'national' : 'la' });
  }
}

/** `fromReturns` reads the LA's marks: worked out only when a query asks for it. */
@Resolver(() => LaBenchmarks)
export class LaBenchmarksFieldsResolver {
  constructor(private readonly benchmarks: BenchmarksService) {}

  @ResolveField(() => [ComparatorFigure], { description: "The LA's own figures from its returns (DfE scope, with Total) against its comparators' published figures" })
  fromReturns(@Parent() parent: LaBenchmarks): Promise<ComparatorFigure[]> {
    return this.benchmarks.fromReturns(parent);
  }
}
