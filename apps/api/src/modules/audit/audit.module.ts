import { Global, Module } from '@nestjs/common';
import { AuditRepository } from './audit.repository.js';
import { AuditResolver } from './audit.resolver.js';
import { AuditService } from './audit.service.js';

/** The append-only audit log: {@link AuditService} for every feature, search for LA admins. */
@Global()
@Module({
  providers: [AuditService, AuditRepository, AuditResolver],
  exports: [AuditService],
})
export class AuditModule {}
