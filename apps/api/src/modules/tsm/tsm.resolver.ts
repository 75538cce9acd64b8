import { Args, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { TSM_ACTION_STATUSES, TSM_ACTION_TYPES, TSM_DEFAULT_REVIEW_WEEKS, TSM_TIERS, TSM_TIER_LABELS } from '@rollbook/metrics';
import type { TsmActionStatus, TsmActionType, TsmTier } from '@rollbook/metrics';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import { TsmAction, TsmActionChange, TsmMeetingInput, TsmMeetingResult, TsmOptions, TsmPackModel, TsmPlannerRow } from './models/tsm.model.js';
import { TsmService } from './tsm.service.js';

@Resolver()
export class TsmResolver {
  constructor(private readonly tsm: TsmService) {}

  @Query(() => TsmPackModel, { description: "A school's targeting support meeting pack for a term (audited)" })
  tsmPack(
    @CurrentAccess() access: RequestAccess,
    @Args('urn', { type: () => Int }) urn: number,
    @Args('academicYear', { type: () => String }) academicYear: string,
    @Args('term', { type: () => String }) term: string,
  ): Promise<TsmPackModel> {
    return this.tsm.pack(access, { urn, academicYear, term });
  }

  @Query(() => [TsmPlannerRow], { description: 'Schools with a return this term and whether their meeting has been held' })
  tsmPlanner(
    @CurrentAccess() access: RequestAccess,
    @Args('academicYear', { type: () => String }) academicYear: string,
    @Args('term', { type: () => String }) term: string,
  ): Promise<TsmPlannerRow[]> {
    return this.tsm.planner(access, { academicYear, term });
  }

  @Query(() => [TsmAction], { description: 'Open actions of your schools, oldest first' })
  tsmActions(
    @CurrentAccess() access: RequestAccess,
    @Args('overdueOnly', { type: () => Boolean, nullable: true, defaultValue: false }) overdueOnly: boolean | null,
  ): Promise<TsmAction[]> {
    return this.tsm.actionTracker(access, { overdueOnly: overdueOnly ?? false });
  }

  @Query(() => TsmOptions, { description: 'The tiers, action types and statuses a meeting can record' })
  tsmOptions(): TsmOptions {
    return {
      tiers: TSM_TIERS.map((value) => ({ value, label: TSM_TIER_LABELS[value] })),
      actionTypes: Object.entries(TSM_ACTION_TYPES).map(([value, label]) => ({ value, label })),
      statuses: [...TSM_ACTION_STATUSES],
      defaultReviewWeeks: TSM_DEFAULT_REVIEW_WEEKS,
    };
  }

  @Mutation(() => TsmMeetingResult, { description: 'Record a targeting support meeting and its agreed actions (audited)' })
  recordTsmMeeting(@CurrentAccess() access: RequestAccess, @Args('input') input: TsmMeetingInput): Promise<TsmMeetingResult> {
    return this.tsm.recordMeeting(access, {
      ...input,
      actions: input.actions.map((a) => ({ ...a, tier: a.tier as TsmTier, actionType: a.actionType as TsmActionType })),
    });
  }

  @Mutation(() => TsmAction, { description: "Change an action's status, review date or notes (audited)" })
  updateTsmAction(
    @CurrentAccess() access: RequestAccess,
    @Args('id', { type: () => ID }) id: string,
    @Args('change') change: TsmActionChange,
  ): Promise<TsmAction> {
    return this.tsm.updateAction(access, id, { ...change, status: (change.status ?? undefined) as TsmActionStatus | undefined });
  }
}
