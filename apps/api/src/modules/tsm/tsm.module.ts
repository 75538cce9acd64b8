import { Module } from '@nestjs/common';
import { TsmController } from './tsm.controller.js';
import { TsmRepository } from './tsm.repository.js';
import { TsmResolver } from './tsm.resolver.js';
import { TsmService } from './tsm.service.js';

@Module({
  controllers: [TsmController],
  providers: [TsmRepository, TsmResolver, TsmService],
})
export class TsmModule {}
