import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import {
  academicYearEnd,
  academicYearStart,
  MIN_COMPARATORS,
  positionInGroup,
  rankWhereToHelpFirst,
  similarSchools,
  type AcademicYear,
  type GroupPosition,
  type HelpFirstRow,
  type SchoolCharacteristics,
} from '@rollbook/metrics';
import { sqlString, type Duck } from '../duckdb.js';
import { ExportError } from '../export/summaries.js';
import type { DataLayout } from '../layout.js';
import { sqlFile } from '../sql.js';
import { BenchmarksUnavailableError } from './published-comparators.js';
import { returnsSummary, type TidyRow } from './returns-figures.js';

export interface SimilarSchoolRow {
  urn: number;
  name: string;
  laCode: string;
  distance: number;
  /** 1 = most similar. */
  rank: number;
  sameRegion: boolean;
  /** From the returns, DfE scope, when the school is one of the LA's. */
  overallAbsencePerc: number | null;
  paPerc: number | null;
}

export interface SimilarSchoolsResult {
  school: SchoolCharacteristics & { name: string };
  within: 'la' | 'national';
  comparators: SimilarSchoolRow[];
  /** Fewer than 20 comparators (a small LA, or a rare phase). */
  smallGroup: boolean;
  /** The school's overall absence and persistent absence among the comparators with figures. */
  overallAbsence: GroupPosition | null;
  persistentAbsence: GroupPosition | null;
}

export interface SimilarSchoolsOptions {
  urn: number;
  academicYear: AcademicYear;
  /** `la` (default): the school's own LA; `national`: every school in the loaded list, FBIT's region rule. */
  within?: 'la' | 'national';
  count?: number;
}

function hasParquet(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir, { recursive: true }).some((f) => String(f).endsWith('.parquet'));
}

/** Every school's characteristics for the similar-school distance (docs/benchmarks.md). */
export async function schoolCharacteristics(duck: Duck, layout: DataLayout, academicYear: AcademicYear): Promise<(SchoolCharacteristics & { name: string; hasReturns: boolean })[]> {
  const dimSchool = path.join(layout.marts, 'dim_school', 'part-0.parquet');
  if (!existsSync(dimSchool)) throw new BenchmarksUnavailableError('No school list is loaded: run `rollbook load` on a GIAS extract or the DfE school-level file first.');
  const pupilsDir = path.join(layout.lake, 'pupils');
  const pupils = hasParquet(pupilsDir)
    ? `read_parquet(${sqlString(path.join(pupilsDir, '**', '*.parquet'))}, hive_partitioning = true, hive_types = {'urn': INTEGER})`
    : `(SELECT NULL::INTEGER AS urn, NULL::VARCHAR AS upn, NULL::BOOLEAN AS fsm, NULL::BOOLEAN AS eal, NULL::VARCHAR AS sen_provision, NULL::VARCHAR AS academic_year WHERE false)`;
  const rows = await duck.all<{ urn: number; name: string; la_code: string; region_name: string | null; phase: string; pupils: number | null; fsm_pct: number | null; sen_pct: number | null; eal_pct: number | null; has_returns: boolean }>(
    sqlFile('benchmarks/school_characteristics.sql', { pupils }),
    { dim_school: dimSchool, year: academicYear.replace('/', '-') },
  );
  return rows.map((r) => ({
    urn: r.urn, name: r.name, phase: r.phase, laCode: r.la_code, region: r.region_name,
    pupils: r.pupils, fsmPct: r.fsm_pct, senPct: r.sen_pct, ealPct: r.eal_pct, hasReturns: r.has_returns,
  }));
}

/** The school summaries of a year from the returns (empty when the year has none). */
async function schoolFigures(duck: Duck, layout: DataLayout, academicYear: AcademicYear): Promise<TidyRow[]> {
  try {
    return await returnsSummary(duck, layout, 'school-summary', { from: academicYearStart(academicYear), to: academicYearEnd(academicYear) });
  } catch (error) {
    if (error instanceof ExportError && error.code === 'NO_DATA') return [];
    throw error;
  }
}

/**
 * A school's most similar schools (docs/benchmarks.md): same phase, the FBIT-based distance,
 * within its LA or nationally, and where it sits among them on overall and persistent absence.
 */
export async function similarSchoolsFor(duck: Duck, layout: DataLayout, options: SimilarSchoolsOptions): Promise<SimilarSchoolsResult> {
  const within = options.within ?? 'la';
  const all = await schoolCharacteristics(duck, layout, options.academicYear);
  const school = all.find((s) => s.urn === options.urn);
  if (!school) throw new BenchmarksUnavailableError(`URN ${options.urn} is not in the loaded school list.`);
  const candidates = within === 'la' ? all.filter((s) => s.laCode === school.laCode) : all;
  const chosen = similarSchools(school, candidates, { count: options.count, preferSameRegion: within === 'national' });
  const figures = new Map((await schoolFigures(duck, layout, options.academicYear)).map((r) => [Number(r.school_urn), r]));
  const byUrn = new Map(all.map((s) => [s.urn, s]));
  const fig = (urn: number, c: 'overall_absence_perc' | 'pa_perc'): number | null => {
    const v = figures.get(urn)?.[c];
    return v === null || v === undefined ? null : Number(v);
  };
  const comparators = chosen.map((c) => ({
    urn: c.urn,
    name: byUrn.get(c.urn)?.name ?? '',
    laCode: byUrn.get(c.urn)?.laCode ?? '',
    distance: c.distance,
    rank: c.rank,
    sameRegion: c.sameRegion,
    overallAbsencePerc: fig(c.urn, 'overall_absence_perc'),
    paPerc: fig(c.urn, 'pa_perc'),
  }));
  return {
    school,
    within,
    comparators,
    smallGroup: comparators.length < MIN_COMPARATORS,
    overallAbsence: positionInGroup(fig(school.urn, 'overall_absence_perc'), comparators.map((c) => c.overallAbsencePerc)),
    persistentAbsence: positionInGroup(fig(school.urn, 'pa_perc'), comparators.map((c) => c.paPerc)),
  };
}

/**
 * The LA's schools ranked for support (docs/benchmarks.md, "Where to help first"): this year's
 * persistent and severe absence from the returns (DfE scope), the change on the year before when
 * its returns are loaded, each school with its reasons.
 */
export async function whereToHelpFirst(duck: Duck, layout: DataLayout, options: { laCode: string; academicYear: AcademicYear }): Promise<HelpFirstRow[]> {
  const start = Number(options.academicYear.slice(0, 4));
  const previous = `${start - 1}/${String(start % 100).padStart(2, '0')}` as AcademicYear;
  const now = (await schoolFigures(duck, layout, options.academicYear)).filter((r) => r.old_la_code === options.laCode);
  const before = new Map((await schoolFigures(duck, layout, previous)).map((r) => [Number(r.school_urn), r]));
  const count = (r: TidyRow, c: 'pa_perc' | 'sa_perc') => Math.round((Number(r[c] ?? 0) * r.enrolments) / 100);
  const profiles = now.map((r) => ({
    urn: Number(r.school_urn),
    name: String(r.school_name ?? ''),
    enrolments: r.enrolments,
    persistentAbsentees: count(r, 'pa_perc'),
    severeAbsentees: count(r, 'sa_perc'),
    previousPaPerc: before.has(Number(r.school_urn)) ? Number(before.get(Number(r.school_urn))!.pa_perc) : null,
  }));
  const enrolments = profiles.reduce((s, p) => s + p.enrolments, 0);
  const pa = profiles.reduce((s, p) => s + p.persistentAbsentees, 0);
  return rankWhereToHelpFirst(profiles, enrolments > 0 ? (100 * pa) / enrolments : null);
}
