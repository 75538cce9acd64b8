import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gapToEngland, measureDirection, rankAmongNeighbours, snAverage, type GapToEngland } from '@rollbook/metrics';
import type { Duck } from '../duckdb.js';
import type { DataLayout } from '../layout.js';
import { NEIGHBOURS_MART } from '../published/statistical-neighbours.js';
import { PUBLISHED_MART } from '../published/published-statistics.js';
import { sqlFile } from '../sql.js';

/** One published neighbour figure, closest neighbour first. */
export interface NeighbourValue {
  laCode: string;
  laName: string;
  value: number | null;
}

/** An LA's published figure beside its statistical neighbours, region and England (issue 6 §1). */
export interface PublishedComparatorRow {
  timePeriod: string;
  academicYear: string;
  timeIdentifier: string;
  laCode: string;
  laName: string;
  regionCode: string | null;
  regionName: string | null;
  /** As the file names it: `Primary`, `Secondary`, `Special`, `State-funded primary`, … */
  phase: string;
  /** As the file names it: `overall_absence_perc`, `pa_perc`, `sess_overall_percent`, … */
  measure: string;
  value: number | null;
  /** The DfE marker when the value is suppressed (`c`, `x`, …). */
  marker: string | null;
  neighbours: NeighbourValue[];
  /** Simple mean of the neighbours with a value (methodology §6.1). */
  snAverage: number | null;
  /** 1 = lowest absence among the LA and its neighbours with a value. */
  snRank: number | null;
  /** How many were ranked (the LA and its neighbours with a value, at most 11). */
  snRankOutOf: number | null;
  regionValue: number | null;
  englandValue: number | null;
  /** Gap to England in percentage points and days per pupil (the LA's possible sessions per pupil). */
  gapToEngland: GapToEngland | null;
}

export interface PublishedComparatorOptions {
  /** `Academic year` (default), `Autumn term`, … as the files name the period. */
  timeIdentifier?: string;
  /** `202425`; default every loaded year. */
  timePeriod?: string | null;
}

export class BenchmarksUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchmarksUnavailableError';
  }
}

interface RawRow {
  time_period: string;
  academic_year: string;
  time_identifier: string;
  la_code: string;
  la_name: string;
  region_code: string | null;
  region_name: string | null;
  phase: string;
  measure: string;
  value: number | null;
  marker: string | null;
  sessions_per_pupil: number | null;
  neighbour_codes: string[];
  neighbour_names: string[];
  neighbour_values: (number | null)[];
  region_value: number | null;
  england_value: number | null;
}

/**
 * Every LA in the loaded DfE statistics against its comparators, from the published figures alone
 * (no returns needed). The statistical-neighbour columns are empty when no neighbour list is loaded.
 */
export async function publishedComparators(duck: Duck, layout: DataLayout, options: PublishedComparatorOptions = {}): Promise<PublishedComparatorRow[]> {
  const published = path.join(layout.marts, PUBLISHED_MART, 'part-0.parquet');
  if (!existsSync(published)) {
    throw new BenchmarksUnavailableError('No DfE published statistics are loaded: run `rollbook load` on the DfE attendance files first.');
  }
  const neighbours = path.join(layout.marts, NEIGHBOURS_MART, 'part-0.parquet');
  const hasNeighbours = existsSync(neighbours);
  const sql = sqlFile('benchmarks/published_comparators.sql', {
    neighbours: hasNeighbours
      ? 'read_parquet($neighbours)'
      : '(SELECT NULL::VARCHAR AS la_code, NULL::INTEGER AS rank, NULL::VARCHAR AS sn_la_code, NULL::VARCHAR AS sn_la_name WHERE false)',
  });
  const rows = await duck.all<RawRow>(sql, {
    published,
    ...(hasNeighbours ? { neighbours } : {}),
    time_identifier: options.timeIdentifier ?? 'Academic year',
    time_period: options.timePeriod ?? null,
  });
  return rows.map((r) => {
    const direction = measureDirection(r.measure);
    const values = r.neighbour_values;
    const rank = rankAmongNeighbours(r.value, values, direction);
    return {
      timePeriod: r.time_period,
      academicYear: r.academic_year,
      timeIdentifier: r.time_identifier,
      laCode: r.la_code,
      laName: r.la_name,
      regionCode: r.region_code,
      regionName: r.region_name,
      phase: r.phase,
      measure: r.measure,
      value: r.value,
      marker: r.marker,
      neighbours: r.neighbour_codes.map((code, i) => ({ laCode: code, laName: r.neighbour_names[i], value: values[i] })),
      snAverage: snAverage(values),
      snRank: rank,
      snRankOutOf: rank === null ? null : 1 + values.filter((v) => v !== null && Number.isFinite(v)).length,
      regionValue: r.region_value,
      englandValue: r.england_value,
      gapToEngland: gapToEngland(r.value, r.england_value, r.sessions_per_pupil),
    };
  });
}

/** The columns of `rollbook export benchmarks`, in order (issue 6 §7). */
export const BENCHMARK_EXPORT_COLUMNS = [
  'time_period', 'la_code', 'la_name', 'phase', 'measure', 'value', 'sn_average', 'sn_rank', 'region_value', 'england_value',
] as const;

const csvField = (v: string | number | null): string => {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** The export's CSV text: one row per LA × phase × measure (× period), suppressed values empty. */
export function benchmarkCsv(rows: readonly PublishedComparatorRow[]): string {
  const lines = [BENCHMARK_EXPORT_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push([r.timePeriod, r.laCode, r.laName, r.phase, r.measure, r.value, r.snAverage, r.snRank, r.regionValue, r.englandValue].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Writes the benchmark export to `file`; returns the rows written. */
export async function exportBenchmarks(duck: Duck, layout: DataLayout, file: string, options: PublishedComparatorOptions = {}): Promise<PublishedComparatorRow[]> {
  const rows = await publishedComparators(duck, layout, options);
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, benchmarkCsv(rows));
  return rows;
}
