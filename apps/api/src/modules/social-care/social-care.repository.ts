import { Injectable } from '@nestjs/common';
import { listValue } from '@duckdb/node-api';
import { DataSource } from 'typeorm';
import type { AccessScope } from '../access/access-scope.js';
import { ScopedSql, ScopedWarehouse } from '../access/scoped-warehouse.js';
import { readSql } from '../../common/sql.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';
import type { EducationPlan } from './models/social-care.model.js';

const scoped = (file: string) => ScopedSql.of(readSql('modules', 'social-care', 'sql', file), file);

const sql = {
  caseload: scoped('caseload.sql'),
  lookedAfter: scoped('looked-after.sql'),
  marks: scoped('child-marks.sql'),
  suspensions: scoped('child-suspensions.sql'),
  schools: scoped('child-schools.sql'),
  statuses: scoped('child-statuses.sql'),
  allocations: scoped('child-allocations.sql'),
  unmatched: scoped('unmatched.sql'),
  pupilDetails: ScopedSql.of(readSql('modules', 'pupils', 'sql', 'pupil-details.sql'), 'pupil-details.sql'),
  academicYears: readSql('modules', 'attendance', 'sql', 'academic-years.sql'),
};

const upnList = (upns: readonly string[]) => listValue([...upns]);

/** Social care reads: warehouse rows through the request's scope, and the virtual school's records in Postgres. */
@Injectable()
export class SocialCareRepository {
  constructor(
    private readonly scoped: ScopedWarehouse,
    private readonly warehouse: WarehouseService,
    private readonly db: DataSource,
  ) {}

  async academicYears(): Promise<string[]> {
    return (await this.warehouse.query(sql.academicYears)).map((r) => String(r.academic_year));
  }

  caseload(scope: AccessScope, args: { laCode: string; today: string; workerId: string | null; team: string | null }) {
    return this.scoped.query(scope, sql.caseload, { la_code: args.laCode, today: args.today, worker_id: args.workerId, team: args.team });
  }

  lookedAfter(scope: AccessScope, args: { laCode: string; today: string }) {
    return this.scoped.query(scope, sql.lookedAfter, { la_code: args.laCode, today: args.today });
  }

  unmatched(scope: AccessScope, args: { laCode: string; today: string; workerId: string | null; team: string | null; showWithoutUpn: boolean }) {
    return this.scoped.query(scope, sql.unmatched, {
      la_code: args.laCode, today: args.today, worker_id: args.workerId, team: args.team, show_without_upn: args.showWithoutUpn,
    });
  }

  private byUpns(scope: AccessScope, query: ScopedSql, upns: readonly string[], params: Record<string, string>): Promise<WarehouseRow[]> {
    if (upns.length === 0) return Promise.resolve([]);
    return this.scoped.query(scope, query, { ...params, upns: upnList(upns) });
  }

  marks(scope: AccessScope, upns: readonly string[], academicYear: string) {
    return this.byUpns(scope, sql.marks, upns, { academic_year: academicYear });
  }

  suspensions(scope: AccessScope, upns: readonly string[], academicYear: string) {
    return this.byUpns(scope, sql.suspensions, upns, { academic_year: academicYear });
  }

  schools(scope: AccessScope, upns: readonly string[], academicYear: string, laCode: string) {
    return this.byUpns(scope, sql.schools, upns, { academic_year: academicYear, la_code: laCode });
  }

  statuses(scope: AccessScope, upn: string) {
    return this.scoped.query(scope, sql.statuses, { upn });
  }

  allocations(scope: AccessScope, upn: string) {
    return this.scoped.query(scope, sql.allocations, { upn });
  }

  async pupilDetails(scope: AccessScope, upn: string): Promise<WarehouseRow | null> {
    return (await this.scoped.query(scope, sql.pupilDetails, { upn }))[0] ?? null;
  }

  async educationPlans(laCode: string, upns: readonly string[]): Promise<Map<string, EducationPlan>> {
    if (upns.length === 0) return new Map();
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT upn, pep_status, to_char(pep_date, 'YYYY-MM-DD') AS pep_date, support_plan, updated_at
       FROM education_plans WHERE la_code = $1 AND upn = ANY($2)`,
      [laCode, [...upns]],
    );
    return new Map(rows.map((r) => [String(r.upn), {
      pepStatus: String(r.pep_status),
      pepDate: r.pep_date == null ? null : String(r.pep_date),
      supportPlan: r.support_plan == null ? null : String(r.support_plan),
      updatedAt: new Date(r.updated_at as string).toISOString(),
    }]));
  }

  async saveEducationPlan(laCode: string, upn: string, plan: { pepStatus: string; pepDate: string | null; supportPlan: string | null }, userId: string) {
    await this.db.query(
      `INSERT INTO education_plans (la_code, upn, pep_status, pep_date, support_plan, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (la_code, upn) DO UPDATE SET pep_status = EXCLUDED.pep_status, pep_date = EXCLUDED.pep_date,
         support_plan = EXCLUDED.support_plan, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [laCode, upn, plan.pepStatus, plan.pepDate, plan.supportPlan, userId],
    );
  }

  /** When the user last looked (and the data day they had seen up to), or null the first time. */
  async lastLook(userId: string): Promise<{ seenThrough: string; seenAt: Date } | null> {
    const [row] = await this.db.query(
      `SELECT to_char(seen_through, 'YYYY-MM-DD') AS d, seen_at FROM social_care_alerts_seen WHERE user_id = $1`,
      [userId],
    );
    return row ? { seenThrough: String(row.d), seenAt: new Date(row.seen_at) } : null;
  }

  /**
   * Records the alerts as detected (the first detection of each child × concern × day is kept)
   * and returns when each was first detected, keyed `upn|kind|date`.
   */
  async detect(laCode: string, alerts: readonly { upn: string; kind: string; date: string; message: string }[]): Promise<Map<string, Date>> {
    if (alerts.length === 0) return new Map();
    const cols = {
      upn: alerts.map((a) => a.upn), kind: alerts.map((a) => a.kind), date: alerts.map((a) => a.date), message: alerts.map((a) => a.message),
    };
    await this.db.query(
      `INSERT INTO social_care_alerts (la_code, upn, kind, arose_on, message)
       SELECT $1, u, k, d::date, m FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(u, k, d, m)
       ON CONFLICT (la_code, upn, kind, arose_on) DO NOTHING`,
      [laCode, cols.upn, cols.kind, cols.date, cols.message],
    );
    const rows: Array<{ upn: string; kind: string; d: string; detected_at: string }> = await this.db.query(
      `SELECT upn, kind, to_char(arose_on, 'YYYY-MM-DD') AS d, detected_at FROM social_care_alerts
       WHERE la_code = $1 AND upn = ANY($2::text[])`,
      [laCode, [...new Set(cols.upn)]],
    );
    return new Map(rows.map((r) => [`${r.upn}|${r.kind}|${r.d}`, new Date(r.detected_at)]));
  }

  async markSeen(userId: string, through: string): Promise<void> {
    await this.db.query(
      `INSERT INTO social_care_alerts_seen (user_id, seen_through, seen_at) VALUES ($1, $2, clock_timestamp())
       ON CONFLICT (user_id) DO UPDATE SET seen_through = GREATEST(social_care_alerts_seen.seen_through, EXCLUDED.seen_through), seen_at = clock_timestamp()`,
      [userId, through],
    );
  }
}
