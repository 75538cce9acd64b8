import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import {
  Caseload,
  EducationPlan,
  NationalLookedAfterFigures,
  NationalLookedAfterFiguresInput,
  SocialCareChildPage,
  VirtualSchool,
} from './models/social-care.model.js';
import { SocialCareService } from './social-care.service.js';

@Resolver()
export class SocialCareResolver {
  constructor(private readonly socialCare: SocialCareService) {}

  @Query(() => Caseload, {
    description: "The children you hold today (a social worker's caseload, a team manager's team) with this year's attendance, and those matching no school record (audited)",
  })
  caseload(
    @CurrentAccess() access: RequestAccess,
    @Args('academicYear', { type: () => String, nullable: true, description: 'Defaults to the newest loaded' }) academicYear: string | null,
    @Args('markSeen', { type: () => Boolean, nullable: true, defaultValue: true, description: 'Record that you have seen the alerts up to the newest data' }) markSeen: boolean | null,
  ): Promise<Caseload> {
    return this.socialCare.caseload(access, { academicYear, markSeen: markSeen ?? true });
  }

  @Query(() => Int, {
    description: 'Concerns about the children on your caseload or virtual school page first found since you last looked (0 for other roles)',
  })
  newConcerns(@CurrentAccess() access: RequestAccess): Promise<number> {
    return this.socialCare.newConcerns(access);
  }

  @Query(() => SocialCareChildPage, { nullable: true, description: "A child's page for social care: null when unknown or not yours to see (audited)" })
  socialCareChild(
    @CurrentAccess() access: RequestAccess,
    @Args('upn', { type: () => String }) upn: string,
    @Args('academicYear', { type: () => String, nullable: true }) academicYear: string | null,
  ): Promise<SocialCareChildPage | null> {
    return this.socialCare.child(access, upn, academicYear);
  }

  @Query(() => VirtualSchool, { description: 'Every looked-after child wherever they go to school, cohort figures and alerts since you last looked (audited)' })
  virtualSchool(
    @CurrentAccess() access: RequestAccess,
    @Args('academicYear', { type: () => String, nullable: true }) academicYear: string | null,
    @Args('markSeen', { type: () => Boolean, nullable: true, defaultValue: true, description: 'Record that you have seen the alerts up to the newest data' }) markSeen: boolean | null,
  ): Promise<VirtualSchool> {
    return this.socialCare.virtualSchool(access, { academicYear, markSeen: markSeen ?? true });
  }

  @Mutation(() => EducationPlan, { description: "Record a looked-after child's PEP and support-plan status (virtual school; audited)" })
  setEducationPlan(
    @CurrentAccess() access: RequestAccess,
    @Args('upn', { type: () => String }) upn: string,
    @Args('pepStatus', { type: () => String }) pepStatus: string,
    @Args('pepDate', { type: () => String, nullable: true }) pepDate: string | null,
    @Args('supportPlan', { type: () => String, nullable: true }) supportPlan: string | null,
  ): Promise<EducationPlan> {
    return this.socialCare.setEducationPlan(access, { upn, pepStatus, pepDate, supportPlan });
  }

  @Mutation(() => NationalLookedAfterFigures, {
    description: "Record or correct a year's national figures for looked-after children, copied from DfE's release (virtual school and LA administrator; audited)",
  })
  setNationalLookedAfterFigures(
    @CurrentAccess() access: RequestAccess,
    @Args('input', { type: () => NationalLookedAfterFiguresInput }) input: NationalLookedAfterFiguresInput,
  ): Promise<NationalLookedAfterFigures> {
    return this.socialCare.setNationalLookedAfterFigures(access, input);
  }
}
