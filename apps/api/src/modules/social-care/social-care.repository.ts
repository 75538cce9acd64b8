import { Injectable } from '@nestjs/common';
import { BOOLEAN, INTEGER, LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { DataSource } from 'typeorm';
import type { AccessScope } from '../access/access-scope.js';
import { ScopedSql, ScopedWarehouse } from '../access/scoped-warehouse.js';
import { readSql } from '../../common/sql.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';
import type { EducationPlan, NationalLookedAfterFigures } from './models/social-care.model.js';

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
  alertLas: readSql('modules', 'social-care', 'sql', 'alert-las.sql'),
  childrenFollowed: readSql('modules', 'access', 'sql', 'children-in-care.sql'),
};

/** A concern as computed from the data (one child × kind × day it arose). */
export interface ComputedAlert {
  upn: string;
  kind: string;
  date: string;
  message: string;
}

/** A concern as stored, with when Rollbook first detected it. */
export interface StoredAlert extends ComputedAlert {
  detectedAt: Date;
}

/** Who is told of new concerns by email. */
export interface AlertRecipient {
  email: string;
  role: 'social_worker' | 'virtual_school';
  workerId: string | null;
}

const upnList = (upns: readonly string[]) => listValue([...upns]);

/** Social care reads: warehouse rows through the request's scope, and the virtual school's records in Postgres. */
@Injectable()
export class SocialCareRepository {
  /** Per user: the look being written, and the one write waiting to follow it (see {@link markSeen}). */
  private readonly seenWrites = new Map<string, { running: Promise<void>; next: { through: string; done: Promise<void> } | null }>();

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

  /**
   * England's looked-after figures for `academicYear`, or for the newest earlier year recorded
   * (`earlierYear`), or null when none are. Years written `2024/25` sort as text.
   */
  async nationalFigures(academicYear: string): Promise<NationalLookedAfterFigures | null> {
    const [row] = await this.db.query(
      `SELECT f.academic_year, f.overall_absence_pct::float8 AS overall, f.persistent_absence_pct::float8 AS persistent, f.source, f.recorded_at, u.email
       FROM national_cla_figures f LEFT JOIN users u ON u.id = f.recorded_by
       WHERE f.academic_year <= $1 ORDER BY f.academic_year DESC LIMIT 1`,
      [academicYear],
    );
    if (!row) return null;
    return {
      academicYear: String(row.academic_year),
      overallAbsencePct: Number(row.overall),
      persistentAbsencePct: row.persistent == null ? null : Number(row.persistent),
      source: String(row.source),
      recordedAt: new Date(row.recorded_at).toISOString(),
      recordedBy: row.email == null ? null : String(row.email),
      earlierYear: row.academic_year !== academicYear,
    };
  }

  /** Records a year's national figures, replacing any recorded before; true when it replaced some. */
  async saveNationalFigures(
    f: { academicYear: string; overallAbsencePct: number; persistentAbsencePct: number | null; source: string },
    userId: string,
  ): Promise<boolean> {
    const [row] = await this.db.query(
      `INSERT INTO national_cla_figures (academic_year, overall_absence_pct, persistent_absence_pct, source, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (academic_year) DO UPDATE SET overall_absence_pct = EXCLUDED.overall_absence_pct,
         persistent_absence_pct = EXCLUDED.persistent_absence_pct, source = EXCLUDED.source,
         recorded_by = EXCLUDED.recorded_by, recorded_at = now()
       RETURNING (xmax <> 0) AS replaced`,
      [f.academicYear, f.overallAbsencePct, f.persistentAbsencePct, f.source, userId],
    );
    return row?.replaced === true;
  }

  /** When the user last looked (and the data day they had seen up to), or null the first time. */
  async lastLook(userId: string): Promise<{ seenThrough: string; seenAt: Date } | null> {
    const [row] = await this.db.query(
      `SELECT to_char(seen_through, 'YYYY-MM-DD') AS d, seen_at FROM social_care_alerts_seen WHERE user_id = $1`,
      [userId],
    );
    return row ? { seenThrough: String(row.d), seenAt: new Date(row.seen_at) } : null;
  }

  /** LAs with social care records to work alerts out for: all, or those a load touched (see alert-las.sql). */
  async alertLas(args: { all: boolean; laCodes: readonly string[]; urns: readonly number[] }): Promise<string[]> {
    const rows = await this.warehouse.query(
      sql.alertLas,
      { all: args.all, la_codes: listValue([...args.laCodes]), urns: listValue([...args.urns]) },
      { all: BOOLEAN, la_codes: LIST(VARCHAR), urns: LIST(INTEGER) },
    );
    return rows.map((r) => String(r.la_code));
  }

  /** UPNs of the children an LA follows on `today`: looked after, with a status or an open allocation (as the virtual school's scope). */
  async childrenFollowed(laCode: string, today: string): Promise<string[]> {
    return (await this.warehouse.query(sql.childrenFollowed, { la_code: laCode, today })).map((r) => String(r.upn));
  }

  /**
   * Stores what a computation over `upns` and the days `from`–`to` found: concerns seen for the
   * first time are added (detected now), concerns of those children and days that the data no
   * longer shows (an amended or late return moved them) are removed. Returns the new ones.
   */
  async recordAlerts(laCode: string, upns: readonly string[], from: string, to: string, alerts: readonly ComputedAlert[]): Promise<ComputedAlert[]> {
    const cols = [alerts.map((a) => a.upn), alerts.map((a) => a.kind), alerts.map((a) => a.date), alerts.map((a) => a.message)];
    return this.db.transaction(async (tx) => {
      await tx.query(
        `DELETE FROM social_care_alerts AS a
         WHERE a.la_code = $1 AND a.upn = ANY($2::text[]) AND a.arose_on BETWEEN $3::date AND $4::date
           AND NOT EXISTS (SELECT 1 FROM unnest($5::text[], $6::text[], $7::text[]) AS t(u, k, d)
                           WHERE t.u = a.upn AND t.k = a.kind AND t.d::date = a.arose_on)`,
        [laCode, [...upns], from, to, cols[0], cols[1], cols[2]],
      );
      if (alerts.length === 0) return [];
      const added: Array<{ upn: string; kind: string; d: string; message: string }> = await tx.query(
        `INSERT INTO social_care_alerts (la_code, upn, kind, arose_on, message)
         SELECT $1, u, k, d::date, m FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS t(u, k, d, m)
         ON CONFLICT (la_code, upn, kind, arose_on) DO NOTHING
         RETURNING upn, kind, to_char(arose_on, 'YYYY-MM-DD') AS d, message`,
        [laCode, ...cols],
      );
      return added.map((r) => ({ upn: r.upn, kind: r.kind, date: r.d, message: r.message }));
    });
  }

  /** The stored concerns of these children that arose between `from` and `to`, newest first. */
  async storedAlerts(laCode: string, upns: readonly string[], from: string, to: string): Promise<StoredAlert[]> {
    if (upns.length === 0) return [];
    const rows: Array<{ upn: string; kind: string; d: string; message: string; detected_at: string }> = await this.db.query(
      `SELECT upn, kind, to_char(arose_on, 'YYYY-MM-DD') AS d, message, detected_at FROM social_care_alerts
       WHERE la_code = $1 AND upn = ANY($2::text[]) AND arose_on BETWEEN $3::date AND $4::date
       ORDER BY arose_on DESC, upn, kind`,
      [laCode, [...upns], from, to],
    );
    return rows.map((r) => ({ upn: r.upn, kind: r.kind, date: r.d, message: r.message, detectedAt: new Date(r.detected_at) }));
  }

  /** How many concerns of these children were detected after `since` (all of them when null). */
  async countDetectedSince(laCode: string, upns: readonly string[], since: Date | null): Promise<number> {
    if (upns.length === 0) return 0;
    const [row] = await this.db.query(
      `SELECT count(*)::int AS n FROM social_care_alerts WHERE la_code = $1 AND upn = ANY($2::text[]) AND ($3::timestamptz IS NULL OR detected_at > $3)`,
      [laCode, [...upns], since],
    );
    return Number(row.n);
  }

  /** The LA's social workers and virtual school users who can sign in (for alert emails). */
  async alertRecipients(laCode: string): Promise<AlertRecipient[]> {
    const rows: Array<{ email: string; role: AlertRecipient['role']; worker_id: string | null }> = await this.db.query(
      `SELECT email, role, worker_id FROM users
       WHERE la_code = $1 AND NOT disabled AND role IN ('social_worker', 'virtual_school') ORDER BY lower(email)`,
      [laCode],
    );
    return rows.map((r) => ({ email: r.email, role: r.role, workerId: r.worker_id }));
  }

  /**
   * Records a look, resolving once it is stored. One write per user at a time: looks that arrive
   * while one is being written share the next write, which starts after it (so its `seen_at` is
   * after every look it stands for). Several pages open at once for one user then never queue on
   * the row's lock, each holding a pooled connection through the others' commits.
   */
  markSeen(userId: string, through: string): Promise<void> {
    const slot = this.seenWrites.get(userId);
    if (!slot) {
      this.seenWrites.set(userId, { running: this.writeSeen(userId, through).finally(() => this.nextSeenWrite(userId)), next: null });
      return this.seenWrites.get(userId)!.running;
    }
    if (slot.next) {
      if (through > slot.next.through) slot.next.through = through;
      return slot.next.done;
    }
    const next = { through, done: Promise.resolve() };
    next.done = slot.running.catch(() => undefined).then(() => this.writeSeen(userId, next.through));
    slot.next = next;
    return next.done;
  }

  private nextSeenWrite(userId: string): void {
    const next = this.seenWrites.get(userId)?.next;
    if (next) this.seenWrites.set(userId, { running: next.done.finally(() => this.nextSeenWrite(userId)), next: null });
    else this.seenWrites.delete(userId);
  }

  private async writeSeen(userId: string, through: string): Promise<void> {
    await this.db.query(
      `INSERT INTO social_care_alerts_seen (user_id, seen_through, seen_at) VALUES ($1, $2, clock_timestamp())
       ON CONFLICT (user_id) DO UPDATE SET seen_through = GREATEST(social_care_alerts_seen.seen_through, EXCLUDED.seen_through), seen_at = clock_timestamp()`,
      [userId, through],
    );
  }
}
