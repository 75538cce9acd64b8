import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import { AttendanceService } from './attendance.service.js';
import { LaOverview } from './models/la-overview.model.js';
import { MetricScope } from './models/metric-scope.enum.js';
import { RegionOverview } from './models/region-overview.model.js';
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
    @CurrentAccess() access: RequestAccess,
    @Args('academicYear', { type: () => String, nullable: true, description: 'Defaults to the newest loaded' })
    academicYear: string | null,
    @Args('scope', { type: () => MetricScope, nullable: true, defaultValue: MetricScope.DFE }) scope: MetricScope | null,
    @Args('laCode', {
      type: () => String,
      nullable: true,
      description: "Defaults to your own local authority; a regional user may name any of their partnership's LAs",
    })
    laCode: string | null,
  ): Promise<LaOverview> {
    return this.attendance.laOverview(access.scope, { academicYear, scope: scope ?? MetricScope.DFE, laCode });
  }

  @Query(() => RegionOverview, { description: "A regional partnership's LAs pooled, each LA's own figures, and England's and the regions' (regional users)" })
  regionOverview(
    @CurrentAccess() access: RequestAccess,
    @Args('academicYear', { type: () => String, nullable: true, description: 'Defaults to the newest loaded' })
    academicYear: string | null,
    @Args('scope', { type: () => MetricScope, nullable: true, defaultValue: MetricScope.DFE }) scope: MetricScope | null,
  ): Promise<RegionOverview> {
    return this.attendance.regionOverview(access.scope, { academicYear, scope: scope ?? MetricScope.DFE });
  }

  @Query(() => SchoolSummary, { nullable: true, description: "One school's attendance (schools of your own LA, or your partnership's); null if it has no data" })
  school(
    @CurrentAccess() access: RequestAccess,
    @Args('urn', { type: () => Int }) urn: number,
    @Args('academicYear', { type: () => String, nullable: true }) academicYear: string | null,
    @Args('scope', { type: () => MetricScope, nullable: true, defaultValue: MetricScope.DFE }) scope: MetricScope | null,
  ): Promise<SchoolSummary | null> {
    return this.attendance.school(access.scope, { urn, academicYear, scope: scope ?? MetricScope.DFE });
  }
}
