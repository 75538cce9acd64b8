import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RequestAccess } from '../access/request-access.js';

/** What happened; stable names, searched by LA admins. */
export type AuditAction =
  | 'pupil.read'
  | 'school_pupils.read'
  | 'school_pupils.export'
  | 'enrolments.bulk'
  | 'caseload.read'
  | 'child.read'
  | 'virtual_school.read'
  | 'virtual_school.export'
  | 'education_plan.update'
  | 'national_cla_figures.update'
  | 'tsm.pack.read'
  | 'tsm.pack.build'
  | 'tsm.pack.export'
  | 'tsm.meeting.create'
  | 'tsm.action.update'
  | 'user.create'
  | 'user.update'
  | 'user.password'
  | 'sign_in'
  | 'sign_in.failed'
  | 'sign_out'
  | 'audit.search'
  | 'return.upload'
  | 'submission.read';

export interface AuditEvent {
  action: AuditAction;
  outcome: 'ok' | 'denied' | 'not_found' | 'failed';
  objectType?: string | null;
  objectId?: string | null;
  /** UPNs of every named child whose data was read or changed. */
  childUpns?: readonly string[];
  /** Extra facts (never passwords or tokens). */
  details?: Record<string, unknown>;
}

/** Who did it when there is no signed-in scope yet (sign-in attempts). */
export interface AuditActor {
  userId: string | null;
  email: string | null;
  role: string | null;
  laCode: string | null;
  ip: string | null;
}

/**
 * Writes the append-only audit log (the table refuses UPDATE, DELETE and TRUNCATE). A read of a
 * named child's data is recorded before the data is returned: if the entry cannot be written,
 * the read fails.
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  record(access: RequestAccess, event: AuditEvent): Promise<void> {
    const user = access.scope.user;
    return this.recordAs({ userId: user.id, email: user.email, role: user.role, laCode: user.laCode || null, ip: access.ip }, event);
  }

  async recordAs(actor: AuditActor, event: AuditEvent): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO audit_log (user_id, user_email, user_role, la_code, action, outcome, object_type, object_id, child_upns, ip, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        actor.userId,
        actor.email,
        actor.role,
        actor.laCode,
        event.action,
        event.outcome,
        event.objectType ?? null,
        event.objectId ?? null,
        [...new Set(event.childUpns ?? [])],
        actor.ip,
        JSON.stringify(event.details ?? {}),
      ],
    );
  }
}
