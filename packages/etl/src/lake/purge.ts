import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { academicYearEnd, academicYearFromPath } from '@rollbook/metrics';
import type { Duck } from '../duckdb.js';
import type { DataLayout } from '../layout.js';
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
}

export interface PurgeResult {
  cutoff: string;
  academicYears: string[];
  partitions: number;
  marks: number;
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
 * mart) of academic years that ended before the retention cut-off. Whole academic-year folders go,
 * under the load lock; the rest of the warehouse is untouched.
 */
export async function purgeOlderThan(duck: Duck, layout: DataLayout, options: PurgeOptions): Promise<PurgeResult> {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const cutoff = subtract(asOf, options.olderThan.years ?? 0, options.olderThan.months ?? 0);
  const victims: string[] = [];
  const years = new Set<string>();
  for (const table of PUPIL_TABLES) {
    const base = path.join(layout.root, table);
    if (!existsSync(base)) continue;
    for (const la of readdirSync(base).filter((d) => d.startsWith('la='))) {
      for (const yearDir of readdirSync(path.join(base, la)).filter((d) => d.startsWith('academic_year='))) {
        const ay = academicYearFromPath(yearDir.slice('academic_year='.length));
        if (academicYearEnd(ay) < cutoff) {
          victims.push(path.join(base, la, yearDir));
          years.add(ay);
        }
      }
    }
  }
  let marks = 0;
  const markDirs = victims.filter((v) => v.includes(`${path.sep}lake${path.sep}marks${path.sep}`));
  if (markDirs.length > 0) {
    const [{ n }] = await duck.all<{ n: number }>(`SELECT CAST(count(*) AS BIGINT) AS n FROM read_parquet($files)`, {
      files: (await import('@duckdb/node-api')).listValue(markDirs.map((d) => path.join(d, '**', '*.parquet'))),
    });
    marks = Number(n);
  }
  const result: PurgeResult = { cutoff, academicYears: [...years].sort(), partitions: victims.length, marks, dryRun: options.dryRun ?? false };
  if (options.dryRun || victims.length === 0) return result;
  const lock = await acquireLoadLock(layout);
  try {
    for (const dir of victims) {
      // A rename takes the year out of every reader's view at once; the files go after.
      const doomed = path.join(layout.tmp, `purge-${randomUUID()}`);
      renameSync(dir, doomed);
      rmSync(doomed, { recursive: true, force: true });
    }
  } finally {
    lock.release();
  }
  return result;
}
