import { Module } from '@nestjs/common';
import { BenchmarksModule } from '../benchmarks/benchmarks.module.js';
import { TsmController } from './tsm.controller.js';
import { TsmRepository } from './tsm.repository.js';
import { TsmResolver } from './tsm.resolver.js';
import { TsmService } from './tsm.service.js';

@Module({
  // The pack's "school against similar schools, LA and England" is the benchmarks' (one set of measures).
  imports: [BenchmarksModule],
  controllers: [TsmController],
  providers: [TsmRepository, TsmResolver, TsmService],
})
export class TsmModule {}
