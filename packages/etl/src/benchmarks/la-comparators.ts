import { academicYearEnd, academicYearStart, gapToEngland, rankAmongNeighbours, snAverage, termDates, type AcademicYear, type GapToEngland, type Term } from '@rollbook/metrics';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Duck } from '../duckdb.js';
import { PUBLISHED_MART } from '../published/published-statistics.js';
import type { DataLayout } from '../layout.js';
import { publishedComparators, type NeighbourValue } from './published-comparators.js';
import { measureFromTidy, returnsSummary, RETURNS_MEASURES } from './returns-figures.js';

/** The LA's own figure from its returns beside its comparators' published figures (issue 6 §1). */
export interface LaComparatorRow {
  laCode: string;
  academicYear: string;
  /** `Academic year` or `Autumn term` …, as the DfE files name the period. */
  timeIdentifier: string;
  /** `Primary`, `Secondary`, `Special` (as the DfE 2024/25 files) or `Total`. */
  phase: string;
  measure: string;
  label: string;
  /** From the LA's returns, DfE statistics scope. */
  value: number | null;
  /** The LA's own published figure for the same period, when loaded. */
  publishedValue: number | null;
  neighbours: NeighbourValue[];
  snAverage: number | null;
  /** The returns figure ranked among the neighbours' published figures: 1 = lowest absence. */
  snRank: number | null;
  regionValue: number | null;
  englandValue: number | null;
  /** Days use the returns' possible sessions per enrolment. */
  gapToEngland: GapToEngland | null;
}

export interface LaComparatorOptions {
  laCode: string;
  academicYear: AcademicYear;
  /** A census term, or the whole year (default). */
  term?: Term;
}

/** England's and the regions' published values, keyed `England|phase|measure` or `region_code|phase|measure`. */
async function areaValues(duck: Duck, layout: DataLayout, timePeriod: string, timeIdentifier: string): Promise<Map<string, number | null>> {
  const mart = path.join(layout.marts, PUBLISHED_MART, 'part-0.parquet');
  if (!existsSync(mart)) return new Map();
  const rows = await duck.all<{ area: string; phase: string; measure: string; value: number | null }>(
    `SELECT CASE WHEN geographic_level = 'National' THEN 'England' ELSE region_code END AS area, phase, measure, value
     FROM read_parquet($mart) WHERE geographic_level IN ('National', 'Regional') AND time_period = $tp AND lower(time_identifier) = lower($ti)`,
    { mart, tp: timePeriod, ti: timeIdentifier },
  );
  return new Map(rows.map((r) => [`${r.area}|${r.phase}|${r.measure}`, r.value]));
}

const TIME_IDENTIFIER: Record<Term, string> = { autumn: 'Autumn term', spring: 'Spring term', summer: 'Summer term' };

/**
 * The LA's figures from its returns (DfE scope, by phase and in total) beside its ten statistical
 * neighbours (each, and their simple mean), its region and England from the loaded DfE statistics,
 * with its rank among itself and its neighbours and its gap to England. Neighbour, region and
 * England columns are empty when the published statistics for that year are not loaded.
 */
export async function laAgainstComparators(duck: Duck, layout: DataLayout, options: LaComparatorOptions): Promise<LaComparatorRow[]> {
  const period = options.term ? termDates(options.academicYear, options.term) : { start: academicYearStart(options.academicYear), end: academicYearEnd(options.academicYear) };
  const timeIdentifier = options.term ? TIME_IDENTIFIER[options.term] : 'Academic year';
  const own = (await returnsSummary(duck, layout, 'la-summary', { from: period.start, to: period.end })).filter((r) => r.old_la_code === options.laCode);
  const timePeriod = options.academicYear.replace('/', '');
  const published = await publishedComparators(duck, layout, { timeIdentifier, timePeriod }).catch((error: unknown) => {
    if ((error as Error).name === 'BenchmarksUnavailableError') return [];
    throw error;
  });
  const pub = new Map(published.filter((p) => p.laCode === options.laCode).map((p) => [`${p.phase}|${p.measure}`, p]));
  // England and the regions have a Total row; the LA rows of the DfE file do not.
  const regionCode = published.find((p) => p.laCode === options.laCode)?.regionCode ?? null;
  const areas = await areaValues(duck, layout, timePeriod, timeIdentifier);
  const rows: LaComparatorRow[] = [];
  for (const r of own) {
    for (const m of RETURNS_MEASURES) {
      const value = measureFromTidy(r, m);
      const p = pub.get(`${r.school_type}|${m.name}`);
      const neighbours = p?.neighbours ?? [];
      const values = neighbours.map((n) => n.value);
      const englandValue = p?.englandValue ?? areas.get(`England|${r.school_type}|${m.name}`) ?? null;
      rows.push({
        laCode: options.laCode,
        academicYear: options.academicYear,
        timeIdentifier,
        phase: r.school_type,
        measure: m.name,
        label: m.label,
        value,
        publishedValue: p?.value ?? null,
        neighbours,
        snAverage: snAverage(values),
        snRank: rankAmongNeighbours(value, values, m.direction),
        regionValue: p?.regionValue ?? areas.get(`${regionCode}|${r.school_type}|${m.name}`) ?? null,
        englandValue,
        gapToEngland: gapToEngland(value, englandValue, r.enrolments > 0 ? r.possible_sessions / r.enrolments : null),
      });
    }
  }
  return rows;
}
