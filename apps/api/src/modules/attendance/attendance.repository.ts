import { Inject, Injectable } from '@nestjs/common';
import { LIST, VARCHAR, listValue } from '@duckdb/node-api';
import { dataLayout } from '@rollbook/etl';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readSql } from '../../common/sql.js';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
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

/** Each LA's totals (LAs with no enrolments in the year are absent) and the pool of them all. */
export interface LaTotals {
  byLa: Map<string, PopulationTotals>;
  pool: PopulationTotals;
}

/** One published figure for England or a region (phase Total, whole year). */
export interface PublishedAreaRow {
  level: 'england' | 'region';
  areaCode: string | null;
  areaName: string;
  measure: string;
  value: number | null;
}

export interface TotalsQuery {
  academicYear: string;
  scope: MetricScope;
}

const sql = {
  academicYears: readSql('modules', 'attendance', 'sql', 'academic-years.sql'),
  laCodes: readSql('modules', 'attendance', 'sql', 'la-codes.sql'),
  laNames: readSql('modules', 'attendance', 'sql', 'la-names.sql'),
  laTotals: readSql('modules', 'attendance', 'sql', 'la-totals.sql'),
  publishedAreas: readSql('modules', 'attendance', 'sql', 'published-areas.sql'),
  schoolTotals: readSql('modules', 'attendance', 'sql', 'school-totals.sql'),
};

const LA_CODES_TYPE = { la_codes: LIST(VARCHAR) };

/** Reads the attendance marts; every query is a `.sql` file in `./sql`. */
@Injectable()
export class AttendanceRepository {
  constructor(
    private readonly warehouse: WarehouseService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

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

  /** LA names from the school list; an LA not in it is absent. */
  async laNames(laCodes: readonly string[]): Promise<Map<string, string | null>> {
    const rows = await this.warehouse.query(sql.laNames, { la_codes: listValue([...laCodes]) }, LA_CODES_TYPE);
    return new Map(rows.map((row) => [String(row.la_code), nullableString(row.la_name)]));
  }

  /** Each LA's totals and their pool, from one query (`la-totals.sql`). */
  async laTotals(laCodes: readonly string[], query: TotalsQuery): Promise<LaTotals> {
    const rows = await this.warehouse.query(sql.laTotals, { ...totalsParams(query), la_codes: listValue([...laCodes]) }, LA_CODES_TYPE);
    const byLa = new Map<string, PopulationTotals>();
    let pool = toPopulationTotals({});
    for (const row of rows) {
      if (Number(row.is_pool) === 1) pool = toPopulationTotals(row);
      else byLa.set(String(row.la_code), toPopulationTotals(row));
    }
    return { byLa, pool };
  }

  /** DfE's published figures for England and the LAs' regions; empty when none are loaded. */
  async publishedAreas(laCodes: readonly string[], academicYear: string, measures: readonly string[]): Promise<PublishedAreaRow[]> {
    const mart = path.join(dataLayout(this.config.dataDir).marts, 'ref_published_attendance', 'part-0.parquet');
    if (!existsSync(mart)) return [];
    const rows = await this.warehouse.query(
      sql.publishedAreas,
      { mart, la_codes: listValue([...laCodes]), measures: listValue([...measures]), time_period: academicYear.replace('/', '') },
      { ...LA_CODES_TYPE, measures: LIST(VARCHAR) },
    );
    return rows.map((row) => ({
      level: row.level === 'england' ? 'england' : 'region',
      areaCode: nullableString(row.area_code),
      areaName: String(row.area_name),
      measure: String(row.measure),
      value: row.value === null || row.value === undefined ? null : Number(row.value),
    }));
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
