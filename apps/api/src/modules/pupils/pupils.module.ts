import { Module } from '@nestjs/common';
import { PupilsController } from './pupils.controller.js';
import { PupilsRepository } from './pupils.repository.js';
import { PupilsResolver } from './pupils.resolver.js';
import { PupilsService } from './pupils.service.js';

@Module({
  controllers: [PupilsController],
  providers: [PupilsRepository, PupilsResolver, PupilsService],
})
export class PupilsModule {}
