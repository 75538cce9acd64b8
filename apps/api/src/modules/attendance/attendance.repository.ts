import { Injectable } from '@nestjs/common';
import { readSql } from '../../common/sql.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';
import type { MetricScope } from './models/metric-scope.enum.js';

/** Session sums for a population (an LA or a school) after the per-enrolment step. */
export interface PopulationTotals {
  enrolments: number;
  possibleSessions: number;
  presentSessions: number;
  approvedEducationalActivity: number;
  authorisedAbsence: number;
  unauthorisedAbsence: number;
  overallAbsence: number;
  persistentAbsentees: number;
  severeAbsentees: number;
}

export interface SchoolTotals extends PopulationTotals {
  urn: number;
  laCode: string | null;
  name: string | null;
  phase: string | null;
}

export interface TotalsQuery {
  academicYear: string;
  scope: MetricScope;
}

const sql = {
  academicYears: readSql('modules', 'attendance', 'sql', 'academic-years.sql'),
  laCodes: readSql('modules', 'attendance', 'sql', 'la-codes.sql'),
  laName: readSql('modules', 'attendance', 'sql', 'la-name.sql'),
  laTotals: readSql('modules', 'attendance', 'sql', 'la-totals.sql'),
  schoolTotals: readSql('modules', 'attendance', 'sql', 'school-totals.sql'),
};

/** Reads the attendance marts; every query is a `.sql` file in `./sql`. */
@Injectable()
export class AttendanceRepository {
  constructor(private readonly warehouse: WarehouseService) {}

  hasData(): Promise<boolean> {
    return this.warehouse.hasData();
  }

  async academicYears(): Promise<string[]> {
    const rows = await this.warehouse.query(sql.academicYears);
    return rows.map((row) => String(row.academic_year));
  }

  async laCodes(academicYear: string): Promise<string[]> {
    const rows = await this.warehouse.query(sql.laCodes, { academic_year: academicYear });
    return rows.map((row) => String(row.la_code));
  }

  async laName(laCode: string): Promise<string | null> {
    const rows = await this.warehouse.query(sql.laName, { la_code: laCode });
    return nullableString(rows[0]?.la_name);
  }

  async laTotals(laCode: string, query: TotalsQuery): Promise<PopulationTotals> {
    const rows = await this.warehouse.query(sql.laTotals, { ...totalsParams(query), la_code: laCode });
    return toPopulationTotals(rows[0] ?? {});
  }

  async schoolTotals(filter: { laCode?: string; urn?: number }, query: TotalsQuery): Promise<SchoolTotals[]> {
    const rows = await this.warehouse.query(sql.schoolTotals, {
      ...totalsParams(query),
      la_code: filter.laCode ?? null,
      urn: filter.urn ?? null,
    });
    return rows.map((row) => ({
      ...toPopulationTotals(row),
      urn: Number(row.urn),
      laCode: nullableString(row.la_code),
      name: nullableString(row.name),
      phase: nullableString(row.phase),
    }));
  }
}

function totalsParams(query: TotalsQuery) {
  return { academic_year: query.academicYear, scope: query.scope };
}

function toPopulationTotals(row: WarehouseRow): PopulationTotals {
  const n = (key: string): number => Number(row[key] ?? 0);
  return {
    enrolments: n('enrolments'),
    possibleSessions: n('possible_sessions'),
    presentSessions: n('present_sessions'),
    approvedEducationalActivity: n('approved_educational_activity'),
    authorisedAbsence: n('authorised_absence'),
    unauthorisedAbsence: n('unauthorised_absence'),
    overallAbsence: n('overall_absence'),
    persistentAbsentees: n('persistent_absentees'),
    severeAbsentees: n('severe_absentees'),
  };
}

function nullableString(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
