import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentAccess } from '../access/access.decorators.js';
import type { RequestAccess } from '../access/request-access.js';
import { Submission } from './models/submission.model.js';
import { SubmissionsService } from './submissions.service.js';

@Resolver()
export class SubmissionsResolver {
  constructor(private readonly service: SubmissionsService) {}

  @Query(() => [Submission], { description: 'The submission history of the schools you may see, newest first' })
  submissions(
    @CurrentAccess() access: RequestAccess,
    @Args('urn', { type: () => Int, nullable: true }) urn: number | null,
    @Args('academicYear', { type: () => String, nullable: true }) academicYear: string | null,
    @Args('term', { type: () => String, nullable: true }) term: string | null,
    @Args('status', { type: () => String, nullable: true, description: 'loaded or rejected' }) status: string | null,
    @Args('limit', { type: () => Int, nullable: true, defaultValue: 100 }) limit: number | null,
  ): Promise<Submission[]> {
    return this.service.list(access, { urn, academicYear, term, status, limit: limit ?? 100 });
  }

  @Query(() => Submission, { description: 'One submission with its full report' })
  submission(@CurrentAccess() access: RequestAccess, @Args('id', { type: () => ID }) id: string): Promise<Submission> {
    return this.service.get(access, id);
  }
}
