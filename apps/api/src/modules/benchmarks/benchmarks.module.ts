import { Module } from '@nestjs/common';
import { BenchmarksRepository } from './benchmarks.repository.js';
import { BenchmarksResolver, LaBenchmarksFieldsResolver } from './benchmarks.resolver.js';
import { BenchmarksService } from './benchmarks.service.js';

@Module({
  providers: [BenchmarksResolver, LaBenchmarksFieldsResolver, BenchmarksService, BenchmarksRepository],
  // The targeting support meeting pack compares a school with the same figures (schoolTermComparison).
  exports: [BenchmarksService],
})
export class BenchmarksModule {}
