import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { AttendanceService } from './attendance.service.js';
import { LaOverview } from './models/la-overview.model.js';
import { MetricScope } from './models/metric-scope.enum.js';
import { SchoolSummary } from './models/school-summary.model.js';

@Resolver()
export class AttendanceResolver {
  constructor(private readonly attendance: AttendanceService) {}

  @Query(() => [String], { description: 'Academic years with data loaded, newest first (e.g. 2024/25)' })
  academicYears(): Promise<string[]> {
    return this.attendance.academicYears();
  }

  @Query(() => LaOverview, { description: "The local authority's attendance for a year, with each school's" })
  laOverview(
    @Args('academicYear', { type: () => String, nullable: true, description: 'Defaults to the newest loaded' })
    academicYear: string | null,
    @Args('scope', { type: () => MetricScope, nullable: true, defaultValue: MetricScope.DFE }) scope: MetricScope | null,
    @Args('laCode', {
      type: () => String,
      nullable: true,
      description: 'Needed only when data for several local authorities is loaded',
    })
    laCode: string | null,
  ): Promise<LaOverview> {
    return this.attendance.laOverview({ academicYear, scope: scope ?? MetricScope.DFE, laCode });
  }

  @Query(() => SchoolSummary, { nullable: true, description: "One school's attendance; null if it has no data" })
  school(
    @Args('urn', { type: () => Int }) urn: number,
    @Args('academicYear', { type: () => String, nullable: true }) academicYear: string | null,
    @Args('scope', { type: () => MetricScope, nullable: true, defaultValue: MetricScope.DFE }) scope: MetricScope | null,
  ): Promise<SchoolSummary | null> {
    return this.attendance.school({ urn, academicYear, scope: scope ?? MetricScope.DFE });
  }
}
