import { Inject, Injectable } from '@nestjs/common';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  dataLayout,
  laAgainstComparators,
  publishedComparators,
  schoolCharacteristics,
  type Duck,
  type LaComparatorRow,
  type PublishedComparatorRow,
} from '@rollbook/etl';
import type { DuckDBConnection } from '@duckdb/node-api';
import { persistentSql, populationSummarySql, severeSql, weekdaySessionSql, weeklySeriesSql, type AcademicYear } from '@rollbook/metrics';
import { readSql } from '../../common/sql.js';
import { API_CONFIG } from '../../config/config.module.js';
import type { ApiConfig } from '../../config/config.js';
import { WarehouseService, type WarehouseRow } from '../../warehouse/warehouse.service.js';

/** school-counts.sql over a year's enrolment totals or a term's (generated SQL only, no values). */
function schoolCountsOf(enrolments: string): string {
  return readSql('modules', 'benchmarks', 'sql', 'school-counts.sql').replace('{{enrolments}}', enrolments);
}

const sql = {
  cohorts: populationSummarySql({ source: `(${readSql('modules', 'benchmarks', 'sql', 'cohort-enrolments.sql').replace(/;\s*$/, '')})`, keys: ['dimension', 'cohort'] }),
  termly: readSql('modules', 'benchmarks', 'sql', 'termly-trend.sql'),
  bands: readSql('modules', 'benchmarks', 'sql', 'absence-bands.sql'),
  reasons: readSql('modules', 'benchmarks', 'sql', 'reasons.sql'),
  school: readSql('modules', 'benchmarks', 'sql', 'school.sql'),
  schoolCounts: schoolCountsOf("enrolment_totals($academic_year, 'dfe')"),
  schoolTermCounts: schoolCountsOf(
    `(${readSql('modules', 'benchmarks', 'sql', 'enrolment-term-totals.sql')
      .replace('{{persistent_absentee}}', persistentSql('overall_absence', 'possible_sessions'))
      .replace('{{severe_absentee}}', severeSql('overall_absence', 'possible_sessions'))})`,
  ),
  academicYears: readSql('modules', 'benchmarks', 'sql', 'academic-years.sql'),
  loadedLas: readSql('modules', 'benchmarks', 'sql', 'loaded-las.sql'),
};

/** The pupils behind a school's figures (DfE scope), for small-number suppression. */
export interface SchoolCounts {
  name: string | null;
  enrolments: number;
  possibleSessions: number;
  overallAbsence: number;
  persistentAbsentees: number;
  severeAbsentees: number;
}

/** The marks of one LA (or school) in the given years, from the lake (hive partitions). */
const MARKS_SOURCE =
  "(SELECT * FROM read_parquet($marks, hive_partitioning = true, hive_types = {'urn': INTEGER, 'la': VARCHAR, 'academic_year': VARCHAR, 'term': VARCHAR}) " +
  'WHERE la = $la_code AND academic_year IN ($year_a, $year_b) AND ($urn IS NULL OR urn = $urn))';
const marksSql = {
  weekly: weeklySeriesSql({ source: MARKS_SOURCE, keys: ['academic_year'] }),
  weekdaySession: weekdaySessionSql({ source: MARKS_SOURCE, keys: [] }),
};

function toCounts(r: WarehouseRow): SchoolCounts {
  return {
    name: r.name === null || r.name === undefined ? null : String(r.name),
    enrolments: Number(r.enrolments),
    possibleSessions: Number(r.possible_sessions),
    overallAbsence: Number(r.overall_absence),
    persistentAbsentees: Number(r.persistent_absentees),
    severeAbsentees: Number(r.severe_absentees),
  };
}

export type CohortRow = WarehouseRow & { dimension: string; cohort: string; enrolments: number };

/** A published-statistics row, or an empty list when no DfE statistics are loaded. */
function unavailableAsEmpty<T>(error: unknown): T[] {
  if ((error as Error).name === 'BenchmarksUnavailableError') return [];
  throw error;
}

/**
 * Reads for the benchmarks, all through the shared {@link WarehouseService} (its connection pool and
 * its caches, emptied by each load): the DfE published statistics, neighbours and similar schools
 * through the `@rollbook/etl` benchmark queries on a lent connection, remembered; cohort, termly,
 * weekly and weekday × session figures as warehouse queries (result cache). Every answer depends on
 * its arguments only, never on the user: suppression is the service's, applied afterwards.
 */
@Injectable()
export class BenchmarksRepository {
  constructor(
    private readonly warehouse: WarehouseService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  private get layout() {
    return dataLayout(this.config.dataDir);
  }

  /**
   * Runs an `@rollbook/etl` read on one of the warehouse's pooled connections and remembers its
   * answer under `key` until the next load (one computation shared by callers asking at once).
   * The key must name every argument the answer depends on; the value is shared: never change it.
   */
  private duck<T>(key: string, fn: (duck: Duck) => Promise<T>): Promise<T> {
    return this.warehouse.remember(`benchmarks:${key}`, () => this.warehouse.withConnection((connection) => fn(lentDuck(connection))));
  }

  /** England's published figures for a year (`202425`) and period (`Autumn term`, `Academic year`), by phase and measure; empty when none are loaded. */
  async publishedEngland(timePeriod: string, timeIdentifier: string): Promise<{ phase: string; measure: string; value: number | null }[]> {
    return this.duck(`publishedEngland|${timePeriod}|${timeIdentifier}`, async (duck) => {
      const rows = await publishedComparators(duck, this.layout, { timePeriod, timeIdentifier }).catch(unavailableAsEmpty<PublishedComparatorRow>);
      // Every LA row carries England's figure of its phase: one per phase × measure is enough.
      const seen = new Map<string, { phase: string; measure: string; value: number | null }>();
      for (const r of rows) if (!seen.has(`${r.phase}|${r.measure}`)) seen.set(`${r.phase}|${r.measure}`, { phase: r.phase, measure: r.measure, value: r.englandValue });
      return [...seen.values()];
    });
  }

  /** Every LA's published comparators for a year (`202425`; null: every year loaded), remembered; the LA's rows picked out. */
  async published(laCode: string, timePeriod: string | null): Promise<PublishedComparatorRow[]> {
    const byLa = await this.duck(`published|${timePeriod ?? '*'}`, async (duck) => {
      const rows = await publishedComparators(duck, this.layout, { timePeriod }).catch(unavailableAsEmpty<PublishedComparatorRow>);
      const map = new Map<string, PublishedComparatorRow[]>();
      for (const r of rows) map.set(r.laCode, [...(map.get(r.laCode) ?? []), r]);
      return map;
    });
    return byLa.get(laCode) ?? [];
  }

  fromReturns(laCode: string, academicYear: AcademicYear): Promise<LaComparatorRow[]> {
    return this.duck(`fromReturns|${laCode}|${academicYear}`, (duck) => laAgainstComparators(duck, this.layout, { laCode, academicYear }));
  }

  /** Every school's characteristics for the similar-school distance, or null when no school list is loaded. */
  characteristics(academicYear: AcademicYear): Promise<Awaited<ReturnType<typeof schoolCharacteristics>> | null> {
    return this.duck(`characteristics|${academicYear}`, (duck) =>
      schoolCharacteristics(duck, this.layout, academicYear).catch((error: unknown) => {
        if ((error as Error).name === 'BenchmarksUnavailableError') return null;
        throw error;
      }),
    );
  }

  /** Remembered (not left to the result cache, which other modules' many queries churn): asked by every page. */
  async academicYears(laCode: string): Promise<string[]> {
    if (!(await this.warehouse.hasData())) return [];
    return this.warehouse.remember(`benchmarks:years|${laCode}`, async () =>
      (await this.warehouse.query(sql.academicYears, { la_code: laCode })).map((r) => String(r.academic_year)),
    );
  }

  /** The LAs with returns loaded. */
  async loadedLas(): Promise<string[]> {
    if (!(await this.warehouse.hasData())) return [];
    return (await this.warehouse.query(sql.loadedLas, {})).map((r) => String(r.la_code));
  }

  /** The school's LA and name (remembered, as {@link academicYears}). */
  school(urn: number): Promise<{ laCode: string; name: string | null } | null> {
    return this.warehouse.remember(`benchmarks:schoolOf|${urn}`, async () => {
      const [row] = await this.warehouse.query(sql.school, { urn });
      if (!row || row.la_code === null || row.la_code === undefined) return null;
      return { laCode: String(row.la_code), name: row.name === null || row.name === undefined ? null : String(row.name) };
    });
  }

  async schoolCounts(laCode: string, academicYear: string): Promise<Map<number, SchoolCounts>> {
    if (!(await this.warehouse.hasData())) return new Map();
    const rows = await this.warehouse.query(sql.schoolCounts, { la_code: laCode, academic_year: academicYear });
    return new Map(rows.map((r) => [Number(r.urn), toCounts(r)]));
  }

  /** As {@link schoolCounts}, for one term of the year (each enrolment's term totals). */
  async schoolTermCounts(laCode: string, academicYear: string, term: string): Promise<Map<number, SchoolCounts>> {
    if (!(await this.warehouse.hasData())) return new Map();
    const rows = await this.warehouse.query(sql.schoolTermCounts, { la_code: laCode, academic_year: academicYear, term });
    return new Map(rows.map((r) => [Number(r.urn), toCounts(r)]));
  }

  async cohorts(laCode: string, academicYear: string, urn: number | null): Promise<CohortRow[]> {
    const start = Number(academicYear.slice(0, 4));
    return (await this.warehouse.query(sql.cohorts, {
      academic_year: academicYear,
      la_code: laCode,
      urn,
      year_start: `${start}-09-01`,
      year_end: `${start + 1}-08-31`,
    })) as CohortRow[];
  }

  async termly(laCode: string, academicYear: string, previousYear: string, urn: number | null): Promise<WarehouseRow[]> {
    return this.warehouse.query(sql.termly, { academic_year: academicYear, previous_year: previousYear, la_code: laCode, urn });
  }

  async absenceBands(urn: number, academicYear: string): Promise<WarehouseRow[]> {
    return this.warehouse.query(sql.bands, { academic_year: academicYear, urn });
  }

  async reasons(urn: number, academicYear: string): Promise<WarehouseRow[]> {
    if (!(await this.warehouse.hasData())) return [];
    return this.warehouse.query(sql.reasons, { academic_year: academicYear, urn });
  }

  /** `2024/25` → the lake partition value `2024-25`. */
  private marksGlob(): string | null {
    const dir = this.layout.lake;
    const marks = path.join(dir, 'marks');
    if (!existsSync(marks) || readdirSync(marks).length === 0) return null;
    return path.join(marks, '**', '*.parquet');
  }

  weekly(laCode: string, academicYear: string, previousYear: string, urn: number | null): Promise<WarehouseRow[]> {
    const marks = this.marksGlob();
    if (marks === null) return Promise.resolve([]);
    return this.warehouse.query(`SELECT academic_year, week_start, possible_sessions, overall_absence FROM (${marksSql.weekly}) ORDER BY week_start`, {
      marks,
      la_code: laCode,
      year_a: academicYear.replace('/', '-'),
      year_b: previousYear.replace('/', '-'),
      urn,
    });
  }

  weekdaySession(laCode: string, academicYear: string, urn: number): Promise<WarehouseRow[]> {
    const marks = this.marksGlob();
    if (marks === null) return Promise.resolve([]);
    const year = academicYear.replace('/', '-');
    return this.warehouse.query(`SELECT weekday, session, possible_sessions, overall_absence FROM (${marksSql.weekdaySession}) ORDER BY weekday, session`, {
      marks,
      la_code: laCode,
      year_a: year,
      year_b: year,
      urn,
    });
  }
}

/** A pooled warehouse connection dressed as an `@rollbook/etl` {@link Duck}; closing it is the pool's business. */
function lentDuck(connection: DuckDBConnection): Duck {
  return {
    connection,
    async run(sql, params) {
      await connection.run(sql, params);
    },
    async all<T>(sql: string, params?: Parameters<Duck['all']>[1]): Promise<T[]> {
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS().map((row) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
        return out as T;
      });
    },
    close() {
      // Lent, not owned: the pool keeps it.
    },
  };
}
