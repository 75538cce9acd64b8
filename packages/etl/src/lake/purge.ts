import { existsSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { listValue } from '@duckdb/node-api';
import { academicYearEnd, academicYearFromPath } from '@rollbook/metrics';
import type { Duck } from '../duckdb.js';
import type { DataLayout } from '../layout.js';
import { PURGE_SUBMISSION_KIND, recordSubmission, submissionsDir, type SubmissionRecord, type SubmittedBy } from '../submissions.js';
import { acquireLoadLock } from './lock.js';

/** Register entries are kept for six years (School Attendance (Pupil Registration) Regs 2024). */
export const REGISTER_RETENTION_YEARS = 6;

/** The pupil-level tables of the lake and marts that follow the register's retention. */
const PUPIL_TABLES = ['lake/marks', 'lake/pupils', 'lake/amendments', 'lake/suspensions', 'marts/fct_enrolment_term'];

export interface PurgeOptions {
  /** Keep academic years that ended less than this long before `asOf`. */
  olderThan: { years?: number; months?: number };
  /** The day the retention is counted from (default today). `YYYY-MM-DD`. */
  asOf?: string;
  dryRun?: boolean;
  /**
   * Who purges: each academic year removed is then recorded in the submission history (kind
   * `purge`), which is how the API hears of it and drops what it derived from those registers (the
   * TSM packs' pupil lists, the returns' problem details). Omitted: not recorded.
   */
  by?: SubmittedBy;
}

export interface PurgeResult {
  cutoff: string;
  academicYears: string[];
  partitions: number;
  marks: number;
  /** Kept copies of returns (`uploads/<id>/`) of those years removed, or that would be. */
  copies: number;
  dryRun: boolean;
}

/** Parses `6y`, `18m`, `6y6m` (years and months). */
export function parseRetention(text: string): { years: number; months: number } {
  const m = /^(?:(\d+)y)?(?:(\d+)m)?$/.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) throw new Error(`"${text}" is not a period: write years and months, e.g. 6y or 6y6m`);
  return { years: Number(m[1] ?? 0), months: Number(m[2] ?? 0) };
}

function subtract(asOf: string, years: number, months: number): string {
  const d = new Date(`${asOf}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - months);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

/**
 * Removes every pupil-level partition (marks, pupils, amendments, suspensions and the enrolment
 * mart) of academic years that ended before the retention cut-off, the kept copies of those years'
 * returns, and the problem details of their submission records. Whole academic-year folders go,
 * under the load lock; the rest of the warehouse is untouched. With `by`, each year removed is
 * recorded in the submission history, so the API drops what it derived from those registers.
 */
export async function purgeOlderThan(duck: Duck, layout: DataLayout, options: PurgeOptions): Promise<PurgeResult> {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const cutoff = subtract(asOf, options.olderThan.years ?? 0, options.olderThan.months ?? 0);
  const victims: string[] = [];
  const years = new Set<string>();
  /** Each academic year's lake/marks folders (one per LA), for counting what goes. */
  const markDirs = new Map<string, string[]>();
  for (const table of PUPIL_TABLES) {
    const base = path.join(layout.root, table);
    if (!existsSync(base)) continue;
    for (const la of readdirSync(base).filter((d) => d.startsWith('la='))) {
      for (const yearDir of readdirSync(path.join(base, la)).filter((d) => d.startsWith('academic_year='))) {
        const ay = academicYearFromPath(yearDir.slice('academic_year='.length));
        if (academicYearEnd(ay) < cutoff) {
          victims.push(path.join(base, la, yearDir));
          years.add(ay);
          if (table === 'lake/marks') markDirs.set(ay, [...(markDirs.get(ay) ?? []), path.join(base, la, yearDir)]);
        }
      }
    }
  }
  const marksByYear = new Map<string, number>();
  for (const [ay, dirs] of markDirs) {
    const [{ n }] = await duck.all<{ n: number }>(`SELECT CAST(count(*) AS BIGINT) AS n FROM read_parquet($files)`, {
      files: listValue(dirs.map((d) => path.join(d, '**', '*.parquet'))),
    });
    marksByYear.set(ay, Number(n));
  }
  const records = returnRecordsOf(layout, years);
  const copies = records.map((r) => path.join(layout.uploads, r.record.id)).filter((dir) => existsSync(dir));
  const result: PurgeResult = {
    cutoff,
    academicYears: [...years].sort(),
    partitions: victims.length,
    marks: [...marksByYear.values()].reduce((a, b) => a + b, 0),
    copies: copies.length,
    dryRun: options.dryRun ?? false,
  };
  if (options.dryRun || (victims.length === 0 && copies.length === 0)) return result;
  const lock = await acquireLoadLock(layout);
  try {
    for (const dir of [...victims, ...copies]) {
      // A rename takes the year out of every reader's view at once; the files go after.
      const doomed = path.join(layout.tmp, `purge-${randomUUID()}`);
      renameSync(dir, doomed);
      rmSync(doomed, { recursive: true, force: true });
    }
    for (const r of records) forgetPupils(r);
    if (options.by) {
      for (const ay of result.academicYears) {
        await recordSubmission(layout, { ...options.by, keepCopy: false }, { kind: PURGE_SUBMISSION_KIND, source: `purge of registers older than ${cutoff}` }, {
          urn: null, laCode: null, academicYear: ay, term: null, status: 'loaded',
          rows: { pupils: 0, marks: marksByYear.get(ay) ?? 0 }, errors: 0, warnings: 0, problems: [],
        });
      }
    }
  } finally {
    lock.release();
  }
  return result;
}

/** The submission records (`submissions/pending` and `imported`) of returns for the given academic years. */
function returnRecordsOf(layout: DataLayout, years: ReadonlySet<string>): { file: string; record: SubmissionRecord }[] {
  const found: { file: string; record: SubmissionRecord }[] = [];
  for (const state of ['pending', 'imported'] as const) {
    const dir = submissionsDir(layout, state);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
      const file = path.join(dir, name);
      let record: SubmissionRecord;
      try {
        record = JSON.parse(readFileSync(file, 'utf8')) as SubmissionRecord;
      } catch {
        continue;
      }
      if (record.kind === 'return' && record.academicYear !== null && years.has(record.academicYear)) found.push({ file, record });
    }
  }
  return found;
}

/**
 * Drops what a return's submission record holds of its pupils once its registers are purged: the
 * problem details (they quote UPNs and lines) and the path of the kept copy (removed). The counts,
 * who sent it and when stay. Written to a temp file, then renamed over the record.
 */
function forgetPupils({ file, record }: { file: string; record: SubmissionRecord }): void {
  if (record.problems.length === 0 && record.storedPath === null) return;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.purge`);
  writeFileSync(tmp, JSON.stringify({ ...record, problems: [], storedPath: null }));
  renameSync(tmp, file);
}
