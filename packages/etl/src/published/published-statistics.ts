import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { listValue } from '@duckdb/node-api';
import { RATE_COLUMN_PATTERN } from '@rollbook/metrics';
import { normaliseColumnName, readCsvHeader, stageCsv, type ColumnSpec } from '../csv.js';
import { sqlIdent, type Duck } from '../duckdb.js';
import { writeParquetAtomic } from '../lake/atomic.js';
import type { DataLayout } from '../layout.js';
import { InputRejectedError, type Problem } from '../problems.js';
import type { FileReader } from '../readers/reader.js';
import { sqlFile } from '../sql.js';
import { extractZipEntry, listZipEntries, readZipEntryStart } from './zip-probe.js';

/**
 * DfE published attendance and absence statistics in the Explore Education Statistics tidy format
 * (FORMATS.md §4): the 2024/25 "Pupil attendance in schools" files and the 2012/13–2016/17
 * "Pupil absence in schools in England" files (zipped, old reason columns).
 */
export type PublishedVariant = 'ees-attendance' | 'ees-absence';

/** The markers DfE uses for suppressed, missing or not applicable values (FORMATS.md §1). */
export const SUPPRESSION_MARKERS: readonly string[] = ['x', 'c', 'z', '.', ':', 'low', 'NA'];

/** Columns that describe a row rather than measure something. */
const DIMENSIONS = [
  'time_period', 'time_identifier', 'academic_year', 'term', 'geographic_level', 'country_code', 'country_name',
  'region_code', 'region_name', 'new_la_code', 'la_name', 'old_la_code', 'school_type', 'education_phase',
] as const;
const REQUIRED = new Set(['time_period', 'time_identifier', 'geographic_level']);

export const PUBLISHED_LAKE = path.join('reference', 'published-attendance');
export const PUBLISHED_MART = 'ref_published_attendance';

/** Recognises a DfE tidy absence/attendance file by its header, or returns null. */
export function detectPublishedHeader(header: readonly string[] | null): PublishedVariant | null {
  if (!header) return null;
  const names = new Set(header.map(normaliseColumnName));
  const tidy = names.has('time_period') && names.has('time_identifier') && names.has('geographic_level');
  const phase = names.has('school_type') || names.has('education_phase');
  // School-level files (with a URN) are not benchmark statistics.
  if (!tidy || !phase || names.has('urn')) return null;
  if (names.has('overall_absence_perc') && names.has('possible_sessions')) return 'ees-attendance';
  if (names.has('sess_overall_percent') && names.has('sess_possible')) return 'ees-absence';
  return null;
}

/** A DfE header line: plain identifiers, optionally quoted. */
function headerFromText(text: string): string[] {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  return first.split(',').map((f) => f.trim().replace(/^"(.*)"$/, '$1'));
}

/** The CSV entry of a zipped DfE release that is a tidy absence file (never its `.meta.csv`). */
function zipCsvEntry(file: string): { name: string; variant: PublishedVariant } | null {
  const entries = listZipEntries(file);
  if (!entries) return null;
  for (const e of entries) {
    const lower = e.name.toLowerCase();
    if (!lower.endsWith('.csv') || lower.endsWith('.meta.csv')) continue;
    const start = readZipEntryStart(file, e, 16 * 1024);
    if (!start) continue;
    const variant = detectPublishedHeader(headerFromText(start.toString('utf8')));
    if (variant) return { name: e.name, variant };
  }
  return null;
}

/** A DfE release zip (a data CSV with its `.meta.csv`) whose data is not attendance benchmarks. */
function isOtherDfeRelease(file: string): boolean {
  return (listZipEntries(file) ?? []).some((e) => e.name.toLowerCase().endsWith('.meta.csv'));
}

export function detectPublished(file: string): PublishedVariant | 'ees-not-used' | null {
  const lower = file.toLowerCase();
  try {
    if (lower.endsWith('.zip')) return zipCsvEntry(file)?.variant ?? (isOtherDfeRelease(file) ? 'ees-not-used' : null);
    if (lower.endsWith('.csv') || lower.endsWith('.csv.gz')) return detectPublishedHeader(readCsvHeader(file));
  } catch {
    return null;
  }
  return null;
}

export interface PublishedLoadResult {
  variant: PublishedVariant;
  dataset: string;
  rows: number;
  periods: string[];
  las: number;
  problems: Problem[];
}

/** At most this many value problems are listed one by one. */
const MAX_LISTED_PROBLEMS = 200;

async function loadPublishedCsv(duck: Duck, layout: DataLayout, csv: string, display: string, variant: PublishedVariant): Promise<PublishedLoadResult> {
  const header = (readCsvHeader(csv) ?? []).map(normaliseColumnName);
  const columns: ColumnSpec[] = header.map((name) => ({ name, required: REQUIRED.has(name) }));
  const staged = await stageCsv(duck, csv, 'rb_pub', columns, display);
  const problems = staged.problems.filter((p) => p.code !== 'COLUMN_UNKNOWN');
  try {
    if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
    const has = (c: string) => staged.present.has(c);
    const col = (c: string) => (has(c) ? `nullif(trim(${sqlIdent(c)}), '')` : 'CAST(NULL AS VARCHAR)');
    const indicators = header.filter((h) => !(DIMENSIONS as readonly string[]).includes(h));
    const timeIdentifier = has('term')
      ? `CASE WHEN trim(term) IS NOT NULL AND trim(term) <> 'Total' THEN trim(term) ELSE trim(time_identifier) END`
      : 'trim(time_identifier)';
    const select = sqlFile('published/published_long.sql', {
      indicators: indicators.map(sqlIdent).join(', '),
      phase: sqlIdent(has('education_phase') ? 'education_phase' : 'school_type'),
      time_identifier: timeIdentifier,
      region_code: col('region_code'),
      region_name: col('region_name'),
      old_la_code: col('old_la_code'),
      new_la_code: col('new_la_code'),
      la_name: col('la_name'),
    });
    await duck.run(`CREATE OR REPLACE TEMP TABLE rb_pub_long AS ${select}`);
    const found = await duck.all<{ line: number; column_name: string; code: string; message: string }>(sqlFile('published/check_published.sql'), {
      markers: listValue([...SUPPRESSION_MARKERS]),
    });
    for (const f of found.slice(0, MAX_LISTED_PROBLEMS)) {
      problems.push({ severity: 'error', code: f.code, file: display, line: f.line, column: f.column_name, message: f.message });
    }
    if (found.length > MAX_LISTED_PROBLEMS) {
      problems.push({ severity: 'error', code: 'PUBLISHED_TOO_MANY_PROBLEMS', file: display, line: null, column: null, message: `${found.length - MAX_LISTED_PROBLEMS} more problems not listed.` });
    }
    if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);

    // The dataset is named by what it covers, so a later file covering the same periods and
    // phases (a corrected release) replaces it, whatever the file is called.
    const coverage = await duck.all<{ key: string }>(
      `SELECT DISTINCT time_period || '|' || time_identifier || '|' || phase AS key FROM rb_pub_long ORDER BY key`,
    );
    const [{ periods, las, rows }] = await duck.all<{ periods: string[]; las: number; rows: number }>(
      `SELECT list_sort(list_distinct(list(time_period))) AS periods, CAST(count(DISTINCT la_code) AS INTEGER) AS las,
              CAST(count(DISTINCT line) AS INTEGER) AS rows FROM rb_pub_long`,
    );
    const hash = createHash('sha1').update(`${variant}\n${coverage.map((c) => c.key).join('\n')}`).digest('hex').slice(0, 12);
    const span = periods.length === 1 ? periods[0] : `${periods[0]}-${periods[periods.length - 1]}`;
    const dataset = `${variant}-${span}-${hash}`;
    await writeParquetAtomic(
      duck,
      `SELECT $dataset AS dataset, now()::TIMESTAMP AS loaded_at, $source AS source_file, * FROM rb_pub_long ORDER BY line, indicator`,
      { dataset, source: display },
      path.join(layout.lake, PUBLISHED_LAKE, `dataset=${dataset}`, 'part-0.parquet'),
      layout.tmp,
    );
    await buildPublishedMart(duck, layout);
    return { variant, dataset, rows, periods: periods.map(String), las, problems };
  } finally {
    await duck.run('DROP TABLE IF EXISTS rb_pub; DROP TABLE IF EXISTS rb_pub_long');
  }
}

/** Rebuilds `marts/ref_published_attendance` from every loaded published file (atomically). */
export async function buildPublishedMart(duck: Duck, layout: DataLayout): Promise<void> {
  const lake = path.join(layout.lake, PUBLISHED_LAKE);
  if (!existsSync(lake) || readdirSync(lake).length === 0) return;
  await writeParquetAtomic(
    duck,
    sqlFile('published/ref_published_attendance.sql'),
    { glob: path.join(lake, '*', '*.parquet'), rate_pattern: RATE_COLUMN_PATTERN },
    path.join(layout.marts, PUBLISHED_MART, 'part-0.parquet'),
    layout.tmp,
  );
}

/**
 * Loads a DfE published statistics file (CSV, gzipped CSV or a DfE release .zip) into
 * `lake/reference/published-attendance/dataset=…/` and rebuilds `marts/ref_published_attendance`.
 * The file is checked in full first; a file with errors is rejected whole.
 */
export async function loadPublished(duck: Duck, layout: DataLayout, file: string): Promise<PublishedLoadResult> {
  const display = path.basename(file);
  if (!file.toLowerCase().endsWith('.zip')) {
    const variant = detectPublished(file);
    if (!variant || variant === 'ees-not-used') throw new InputRejectedError(display, [{ severity: 'error', code: 'PUBLISHED_UNRECOGNISED', file: display, line: 1, column: null, message: 'Not a DfE attendance or absence statistics file: the header does not have their columns.' }]);
    return loadPublishedCsv(duck, layout, file, display, variant);
  }
  const entry = zipCsvEntry(file);
  if (!entry) {
    const message = isOtherDfeRelease(file)
      ? 'A DfE statistics release Rollbook does not use for benchmarks (it needs national, regional and LA absence rates by phase); nothing was loaded.'
      : 'The .zip holds no DfE attendance or absence statistics CSV.';
    throw new InputRejectedError(display, [{ severity: 'error', code: isOtherDfeRelease(file) ? 'PUBLISHED_NOT_USED' : 'PUBLISHED_UNRECOGNISED', file: display, line: null, column: null, message }]);
  }
  const extracted = await extractZipEntry(file, entry.name, layout.tmp);
  if (!extracted.file) throw new InputRejectedError(display, extracted.problems);
  try {
    return await loadPublishedCsv(duck, layout, extracted.file, `${display}/${entry.name}`, entry.variant);
  } finally {
    rmSync(extracted.file, { force: true });
  }
}

/** FORMATS.md §4: DfE published attendance and absence statistics. */
export const publishedStatisticsReader: FileReader = {
  kind: 'published-statistics',
  label: 'DfE published attendance statistics',
  order: 20,
  detect: detectPublished,
  async load(duck, layout, file) {
    const r = await loadPublished(duck, layout, file);
    const years = r.periods.map((p) => `${p.slice(0, 4)}/${p.slice(4)}`).join(', ');
    return { summary: `${r.rows.toLocaleString('en-GB')} rows for ${r.las} LAs, ${years}`, rows: r.rows, problems: r.problems };
  },
};
