import { Args, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import { MetricScope } from '../attendance/models/metric-scope.enum.js';
import { Pupil, SchoolPupils } from './models/pupil.model.js';
import { PupilsService } from './pupils.service.js';

@Resolver()
export class PupilsResolver {
  constructor(private readonly pupils: PupilsService) {}

  @Query(() => SchoolPupils, {
    description: 'Pupils of a school with their attendance for a year: only those you may see (audited)',
  })
  schoolPupils(
    @CurrentAccess() access: RequestAccess,
    @Args('urn', { type: () => Int }) urn: number,
    @Args('academicYear', { type: () => String, nullable: true, description: 'Defaults to the newest loaded' }) academicYear: string | null,
    @Args('scope', { type: () => MetricScope, nullable: true, defaultValue: MetricScope.OPERATIONAL }) scope: MetricScope | null,
  ): Promise<SchoolPupils> {
    return this.pupils.schoolPupils(access, { urn, academicYear, scope: scope ?? MetricScope.OPERATIONAL });
  }

  @Query(() => Pupil, { nullable: true, description: 'A named child by UPN; null when unknown or not yours to see (audited)' })
  pupil(@CurrentAccess() access: RequestAccess, @Args('upn', { type: () => String }) upn: string): Promise<Pupil | null> {
    return this.pupils.pupil(access, upn);
  }
}
