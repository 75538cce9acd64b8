import { Args, Query, Resolver } from '@nestjs/graphql';
import { CurrentAccess } from '../access/access.decorators.js';
import { AccessException, AccessExceptionCode } from '../access/access.exception.js';
import type { RequestAccess } from '../access/request-access.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { AuditEntry, AuditSearchArgs } from './models/audit-entry.model.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

@Resolver()
export class AuditResolver {
  constructor(
    private readonly repository: AuditRepository,
    private readonly audit: AuditService,
  ) {}

  @Query(() => [AuditEntry], { description: "Searches your LA's audit log, newest first (LA administrators only)" })
  async auditLog(@CurrentAccess() access: RequestAccess, @Args() args: AuditSearchArgs): Promise<AuditEntry[]> {
    access.scope.requireAdmin();
    for (const [name, value] of [['from', args.from], ['to', args.to]] as const) {
      if (value && !DATE.test(value)) {
        throw new AccessException(AccessExceptionCode.USER_INVALID, `Write the ${name} date like 2025-01-31.`);
      }
    }
    const filter = {
      laCode: access.scope.user.laCode,
      childUpn: args.childUpn?.trim().toUpperCase() || null,
      userEmail: args.userEmail?.trim() || null,
      action: args.action?.trim() || null,
      from: args.from || null,
      to: args.to || null,
      limit: Math.min(Math.max(args.limit ?? 100, 1), 500),
    };
    // Searching the log is itself recorded (who looked for which child).
    await this.audit.record(access, {
      action: 'audit.search',
      outcome: 'ok',
      childUpns: filter.childUpn ? [filter.childUpn] : [],
      details: { userEmail: filter.userEmail, action: filter.action, from: filter.from, to: filter.to },
    });
    return this.repository.search(filter);
  }
}
