import { Module } from '@nestjs/common';
import { SubmissionsController } from './submissions.controller.js';
import { SubmissionsRepository } from './submissions.repository.js';
import { SubmissionsResolver } from './submissions.resolver.js';
import { SubmissionsService } from './submissions.service.js';

/** Return submissions: the history (who sent what, when, the report) and uploads. */
@Module({
  controllers: [SubmissionsController],
  providers: [SubmissionsRepository, SubmissionsResolver, SubmissionsService],
  exports: [SubmissionsService],
})
export class SubmissionsModule {}
