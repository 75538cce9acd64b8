import { Injectable } from '@nestjs/common';
import { INTEGER, LIST, listValue } from '@duckdb/node-api';
import { DataSource } from 'typeorm';
import { PERSISTENT_ABSENCE_THRESHOLD_PCT, SEVERE_ABSENCE_THRESHOLD_PCT } from '@rollbook/metrics';
import type { TsmActionStatus, TsmActionType, TsmTier } from '@rollbook/metrics';
import type { AccessScope } from '../access/access-scope.js';
import { ScopedSql, ScopedWarehouse } from '../access/scoped-warehouse.js';
import { readSql } from '../../common/sql.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';
import type { TsmActionRecord } from './tsm-pack.js';

const sql = {
  pupilTerms: ScopedSql.of(readSql('modules', 'tsm', 'sql', 'pupil-terms.sql'), 'pupil-terms.sql'),
  schoolFigures: readSql('modules', 'tsm', 'sql', 'school-figures.sql'),
  schoolName: readSql('modules', 'pupils', 'sql', 'school-name.sql'),
  schoolsWithReturns: readSql('modules', 'tsm', 'sql', 'schools-with-returns.sql'),
};

export interface NewMeeting {
  urn: number;
  laCode: string | null;
  academicYear: string;
  term: string;
  meetingDate: string;
  attendees: { name: string; role: string; organisation: 'school' | 'la' | 'other' }[];
  notes: string | null;
  createdBy: string;
  actions: NewAction[];
}

export interface NewAction {
  upn: string | null;
  cohort: string | null;
  tier: TsmTier;
  actionType: TsmActionType;
  owner: string;
  reviewDate: string;
  notes: string | null;
}

export interface MeetingRow {
  id: string;
  urn: number;
  laCode: string | null;
  academicYear: string;
  term: string;
  meetingDate: string;
  attendees: NewMeeting['attendees'];
  notes: string | null;
}

const ACTION_COLUMNS = `a.id, a.meeting_id AS "meetingId", to_char(m.meeting_date, 'YYYY-MM-DD') AS "meetingDate",
  m.academic_year AS "academicYear", m.term, a.upn, a.cohort, a.tier, a.action_type AS "actionType", a.owner,
  to_char(a.review_date, 'YYYY-MM-DD') AS "reviewDate", a.status, a.notes, a.urn`;

const MEETING_COLUMNS = `id, urn, la_code AS "laCode", academic_year AS "academicYear", term,
  to_char(meeting_date, 'YYYY-MM-DD') AS "meetingDate", attendees, notes`;

/** Meetings and actions in Postgres; pupil terms and school figures from the warehouse. */
@Injectable()
export class TsmRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scoped: ScopedWarehouse,
    private readonly warehouse: WarehouseService,
  ) {}

  async school(urn: number): Promise<{ name: string | null; laCode: string | null }> {
    const [row] = await this.warehouse.query(sql.schoolName, { urn });
    return { name: row?.name == null ? null : String(row.name), laCode: row?.la_code == null ? null : String(row.la_code) };
  }

  /** Enrolment × term rows of the school for the terms named `'2024/25 spring'`. */
  pupilTerms(scope: AccessScope, args: { urn: number; terms: string[]; on: string }): Promise<WarehouseRow[]> {
    return this.scoped.query(scope, sql.pupilTerms, { urn: args.urn, terms: listValue(args.terms), on: args.on });
  }

  schoolFigures(args: { urn: number; laCode: string; academicYear: string; term: string }): Promise<WarehouseRow[]> {
    return this.warehouse.query(sql.schoolFigures, {
      urn: args.urn,
      la_code: args.laCode,
      academic_year: args.academicYear,
      term: args.term,
      persistent_pct: PERSISTENT_ABSENCE_THRESHOLD_PCT,
      severe_pct: SEVERE_ABSENCE_THRESHOLD_PCT,
    });
  }

  /** Schools of an LA (or the URNs listed) with a return loaded for the term, by name. */
  async schoolsWithReturns(args: { laCode: string; urns: number[] | null; academicYear: string; term: string }): Promise<{ urn: number; name: string | null }[]> {
    const rows = await this.warehouse.query(
      sql.schoolsWithReturns,
      { la_code: args.laCode, urns: listValue(args.urns ?? []), all: args.urns === null, academic_year: args.academicYear, term: args.term },
      { urns: LIST(INTEGER) },
    );
    return rows.map((r) => ({ urn: Number(r.urn), name: r.name == null ? null : String(r.name) }));
  }

  /** Inserts a meeting and its actions in one transaction; returns the meeting's id. */
  async createMeeting(m: NewMeeting): Promise<{ meetingId: string; actionIds: string[] }> {
    return this.dataSource.transaction(async (em) => {
      const [meeting] = (await em.query(
        `INSERT INTO tsm_meetings (urn, la_code, academic_year, term, meeting_date, attendees, notes, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [m.urn, m.laCode, m.academicYear, m.term, m.meetingDate, JSON.stringify(m.attendees), m.notes, m.createdBy],
      )) as { id: string }[];
      const actionIds: string[] = [];
      for (const a of m.actions) {
        const [row] = (await em.query(
          `INSERT INTO tsm_actions (meeting_id, urn, upn, cohort, tier, action_type, owner, review_date, notes)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
          [meeting!.id, m.urn, a.upn, a.cohort, a.tier, a.actionType, a.owner, a.reviewDate, a.notes],
        )) as { id: string }[];
        actionIds.push(row!.id);
      }
      return { meetingId: meeting!.id, actionIds };
    });
  }

  async meetings(filter: { urns?: number[]; laCode?: string; academicYear?: string; term?: string }): Promise<MeetingRow[]> {
    return (await this.dataSource.query(
      `SELECT ${MEETING_COLUMNS} FROM tsm_meetings
       WHERE ($1::int[] IS NULL OR urn = ANY($1)) AND ($2::text IS NULL OR la_code = $2)
         AND ($3::text IS NULL OR academic_year = $3) AND ($4::text IS NULL OR term = $4)
       ORDER BY meeting_date DESC, created_at DESC`,
      [filter.urns ?? null, filter.laCode ?? null, filter.academicYear ?? null, filter.term ?? null],
    )) as MeetingRow[];
  }

  /** Actions of a school's meetings, or of the schools listed; oldest first. */
  async actions(filter: { urns?: number[]; laCode?: string; status?: TsmActionStatus }): Promise<(TsmActionRecord & { urn: number })[]> {
    return (await this.dataSource.query(
      `SELECT ${ACTION_COLUMNS} FROM tsm_actions a JOIN tsm_meetings m ON m.id = a.meeting_id
       WHERE ($1::int[] IS NULL OR a.urn = ANY($1)) AND ($2::text IS NULL OR m.la_code = $2) AND ($3::text IS NULL OR a.status = $3)
       ORDER BY m.meeting_date, a.created_at`,
      [filter.urns ?? null, filter.laCode ?? null, filter.status ?? null],
    )) as (TsmActionRecord & { urn: number })[];
  }

  async action(id: string): Promise<(TsmActionRecord & { urn: number; laCode: string | null }) | null> {
    const [row] = (await this.dataSource.query(
      `SELECT ${ACTION_COLUMNS}, m.la_code AS "laCode" FROM tsm_actions a JOIN tsm_meetings m ON m.id = a.meeting_id WHERE a.id = $1`,
      [id],
    )) as (TsmActionRecord & { urn: number; laCode: string | null })[];
    return row ?? null;
  }

  async updateAction(id: string, change: { status?: TsmActionStatus; reviewDate?: string; notes?: string | null }): Promise<void> {
    await this.dataSource.query(
      `UPDATE tsm_actions SET status = coalesce($2, status), review_date = coalesce($3::date, review_date),
         notes = CASE WHEN $4::boolean THEN $5 ELSE notes END, updated_at = now() WHERE id = $1`,
      [id, change.status ?? null, change.reviewDate ?? null, change.notes !== undefined, change.notes ?? null],
    );
  }
}
