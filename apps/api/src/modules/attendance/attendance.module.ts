import { Module } from '@nestjs/common';
import { AttendanceRepository } from './attendance.repository.js';
import { AttendanceResolver } from './attendance.resolver.js';
import { AttendanceService } from './attendance.service.js';

@Module({
  providers: [AttendanceResolver, AttendanceService, AttendanceRepository],
})
export class AttendanceModule {}
