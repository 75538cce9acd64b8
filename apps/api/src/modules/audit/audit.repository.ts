import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditEntry } from './models/audit-entry.model.js';

export interface AuditFilter {
  laCode: string;
  childUpn: string | null;
  userEmail: string | null;
  action: string | null;
  from: string | null;
  to: string | null;
  limit: number;
}

/** Reads the audit log, always for one LA (there is no read of the whole log). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async search(filter: AuditFilter): Promise<AuditEntry[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id::text, at, user_email, user_role, action, outcome, object_type, object_id, child_upns, host(ip) AS ip, details
       FROM audit_log
       WHERE la_code = $1
         AND ($2::text IS NULL OR child_upns @> ARRAY[$2::text])
         AND ($3::text IS NULL OR lower(user_email) = lower($3::text))
         AND ($4::text IS NULL OR action = $4::text)
         AND ($5::date IS NULL OR at >= $5::date)
         AND ($6::date IS NULL OR at < $6::date + 1)
       ORDER BY at DESC, id DESC
       LIMIT $7`,
      [filter.laCode, filter.childUpn, filter.userEmail, filter.action, filter.from, filter.to, filter.limit],
    );
    return rows.map((r) => ({
      id: String(r.id),
      at: r.at as Date,
      userEmail: (r.user_email as string | null) ?? null,
      userRole: (r.user_role as string | null) ?? null,
      action: String(r.action),
      outcome: String(r.outcome),
      objectType: (r.object_type as string | null) ?? null,
      objectId: (r.object_id as string | null) ?? null,
      childUpns: (r.child_upns as string[]) ?? [],
      ip: (r.ip as string | null) ?? null,
      details: JSON.stringify(r.details ?? {}),
    }));
  }
}
