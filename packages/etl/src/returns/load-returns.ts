import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { listValue } from '@duckdb/node-api';
import {
  academicYearOf,
  academicYearEnd,
  academicYearStartYear,
  codesValidIn,
  packedSessionAggregatesSql,
  pathYear,
  summerHalfTerm2Start,
  termOf,
  DFE_MAX_AGE,
  DFE_MIN_AGE,
  quoteIdent,
  TREATMENT_BOUNDARIES,
  type Term,
} from '@rollbook/metrics';
import type { Duck } from '../duckdb.js';
import { inspectCsv, readFileHead, stageCsvFiles, type ColumnSpec, type CsvToStage, type StageSelect, type TypedColumns } from '../csv.js';
import { sqlString } from '../duckdb.js';
import { fsyncFiles } from '../lake/atomic.js';
import { commit, type CommitPlan } from '../lake/commit.js';
import { partitionPath, type DataLayout, type ReturnPartition } from '../layout.js';
import { type Problem, unreadableFileProblem } from '../problems.js';
import { sqlFile } from '../sql.js';
import { upnValidSql } from '../demo/upn.js';
import { AMENDMENT_COLUMNS, ENROL_STATUSES, MARK_COLUMNS, NC_YEARS, PUPIL_COLUMNS, SEN_NEEDS, SEN_PROVISIONS, SUSPENSION_COLUMNS } from './columns.js';
import type { ReturnFiles } from './source.js';

/** Register dates Rollbook accepts: the code table starts in 2011/12; a year like 0024 is a typing slip. */
const EARLIEST_DATE = '2000-01-01';
const LATEST_DATE = '2099-12-31';

/** How many examples of each problem code a report lists (the count is always given). */
const EXAMPLES_PER_CODE = 20;
/** CSV bytes staged at once: bounds memory (about 3 × this) whatever the size of the LA (median LA: 2.8 GB peak). */
const DEFAULT_BATCH_BYTES = 1024 * 1024 ** 2;

export interface ReturnReport {
  source: string;
  status: 'loaded' | 'rejected';
  partition: ReturnPartition | null;
  pupils: number;
  marks: number;
  problems: Problem[];
  /** The submission history entry, when the load recorded one. */
  submissionId?: string;
  /** The school, year and term the return is for, once known (also for a rejected return). */
  identity?: { urn: number; laCode: string | null; academicYear: string; term: Term };
}

export interface LoadReturnsOptions {
  batchBytes?: number;
  onReport?: (report: ReturnReport) => void | Promise<void>;
  /** May this load change the given school's returns? Default: any school in the school list. */
  mayLoadSchool?: (urn: number, laCode: string) => boolean;
}

type FileKey = 'pupils' | 'marks' | 'amendments' | 'suspensions';
interface FileSpec {
  key: FileKey;
  name: string;
  table: string;
  columns: ColumnSpec[];
  required: boolean;
  /** Normalisation while staging (tokens and identifiers are upper case). */
  upper: string[];
}
const FILE_SPECS: FileSpec[] = [
  { key: 'pupils', name: 'pupils.csv', table: 'b_pupils', columns: PUPIL_COLUMNS, required: true, upper: [] },
  { key: 'marks', name: 'marks.csv', table: 'b_marks', columns: MARK_COLUMNS, required: true, upper: [] },
  { key: 'amendments', name: 'amendments.csv', table: 'b_amendments', columns: AMENDMENT_COLUMNS, required: false, upper: ['upn', 'session', 'original_mark', 'amended_mark'] },
  { key: 'suspensions', name: 'suspensions.csv', table: 'b_suspensions', columns: SUSPENSION_COLUMNS, required: false, upper: ['upn', 'category'] },
];
/**
 * How each file's columns are staged: marks.csv's values exactly as written (codes are
 * case-sensitive tokens, FORMATS.md §2; the reader's values go straight into the table), the other
 * files' trimmed, tokens and identifiers upper case.
 */
function stageSelect(spec: FileSpec): StageSelect {
  if (spec.key === 'marks') return (column, _raw, source) => [`${source ?? 'NULL::VARCHAR'} AS ${column}`];
  const upper = new Set(spec.upper);
  return (column, raw) => [`${upper.has(column) ? `upper(${raw})` : raw} AS ${column}`];
}

/**
 * marks.csv's columns the CSV reader parses itself, once, each value that does not parse reported
 * with its line: the school's URN and the minutes late as whole numbers, the date as YYYY-MM-DD.
 */
const MARK_TYPED: TypedColumns = {
  urn: { type: 'INTEGER', code: 'MARK_URN_MISMATCH', message: "expected the school's URN, a number" },
  date: { type: 'DATE', code: 'MARK_DATE_INVALID', message: 'expected a date YYYY-MM-DD' },
  minutes_late: { type: 'INTEGER', code: 'MARK_MINUTES_LATE_INVALID', message: 'expected a whole number of minutes' },
};

const OPTIONAL_LAKE = [
  { key: 'amendments' as const, sql: 'returns/lake_amendments.sql' },
  { key: 'suspensions' as const, sql: 'returns/lake_suspensions.sql' },
];

interface CheckRow {
  rid: number;
  code: string;
  rn: number;
  col: string;
  value: string | null;
  message: string;
  total: number;
}

const hasErrors = (problems: Problem[]) => problems.some((p) => p.severity === 'error');
const fileBytes = (files: ReturnFiles) =>
  FILE_SPECS.reduce((n, s) => n + (files[s.key] && existsSync(files[s.key]!) ? statSync(files[s.key]!).size : 0), 0);

/**
 * Validates termly returns and loads each good one into its school × term partition of the lake
 * and the marts, replacing any earlier return for that partition. Returns are read in batches (one
 * DuckDB `read_csv` over many files) but judged one by one: a return with any error is rejected
 * whole and nothing of it is written; the others load.
 */
export async function loadReturns(duck: Duck, layout: DataLayout, returns: ReturnFiles[], options: LoadReturnsOptions = {}): Promise<ReturnReport[]> {
  const limit = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const reports: ReturnReport[] = [];
  let batch: ReturnFiles[] = [];
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    for (const r of await loadBatchOrEach(duck, layout, batch, options)) {
      reports.push(r);
      await options.onReport?.(r);
    }
    batch = [];
    bytes = 0;
  };
  for (const files of inRegisterOrder(returns)) {
    const size = fileBytes(files);
    if (bytes > 0 && bytes + size > limit) await flush();
    batch.push(files);
    bytes += size;
  }
  await flush();
  return reports;
}

/** How much of marks.csv {@link inRegisterOrder} reads: the header and the first data line. */
const FIRST_LINE_PROBE_BYTES = 4096;

/**
 * The returns in the order of the first date in their marks.csv (the first data line, one small
 * read), the others after them as given. Batches then hold few terms each, so a load of several
 * years rewrites few of the LA × term mart files an earlier batch of the same load wrote (a
 * six-year history given school by school had every term's file rewritten by every batch: 7 s of
 * its 79 s). Only the order changes: each return is judged and written on its own in any batch.
 */
export function inRegisterOrder(returns: readonly ReturnFiles[]): ReturnFiles[] {
  const firstDate = (files: ReturnFiles): string => {
    if (!files.marks || !existsSync(files.marks)) return '~';
    const text = readFileHead(files.marks, FIRST_LINE_PROBE_BYTES).toString('latin1');
    return /\n[^\n]*?(\d{4}-\d{2}-\d{2})/.exec(text)?.[1] ?? '~';
  };
  const keyed = returns.map((files, i) => ({ files, i, key: firstDate(files) }));
  return keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i)).map((k) => k.files);
}

/**
 * A batch whose files the engine cannot parse at all is split and loaded return by return, so one
 * unreadable file rejects only its own return, with a problem that says so (never a raw engine error).
 */
async function loadBatchOrEach(duck: Duck, layout: DataLayout, returns: ReturnFiles[], options: LoadReturnsOptions): Promise<ReturnReport[]> {
  try {
    return await loadBatch(duck, layout, returns, options);
  } catch (error) {
    if (!unreadableFileProblem(error, '')) throw error;
    if (returns.length > 1) {
      const reports: ReturnReport[] = [];
      for (const files of returns) reports.push(...(await loadBatchOrEach(duck, layout, [files], options)));
      return reports;
    }
    const files = returns[0]!;
    const problem = unreadableFileProblem(error, path.basename(files.source))!;
    return [{ source: files.source, status: 'rejected', partition: null, pupils: 0, marks: 0, problems: [...files.problems, problem] }];
  }
}

async function loadBatch(duck: Duck, layout: DataLayout, returns: ReturnFiles[], options: LoadReturnsOptions): Promise<ReturnReport[]> {
  const reports: ReturnReport[] = returns.map((files) => ({ source: files.source, status: 'rejected', partition: null, pupils: 0, marks: 0, problems: [...files.problems] }));
  const add = (rid: number, problems: Problem[] | undefined) => problems && reports[rid].problems.push(...problems);
  const alive = (rid: number) => !hasErrors(reports[rid].problems);

  // 1. Files and headers, before DuckDB reads anything.
  const toStage = new Map<FileKey, CsvToStage[]>(FILE_SPECS.map((s) => [s.key, []]));
  returns.forEach((files, rid) => {
    for (const spec of FILE_SPECS) {
      const file = files[spec.key];
      if (!file) {
        if (spec.required) add(rid, [{ severity: 'error', code: 'RETURN_FILE_MISSING', file: spec.name, line: null, column: null, message: `A return must contain ${spec.name}.` }]);
        continue;
      }
      const inspection = inspectCsv(file, spec.columns, spec.name);
      add(rid, inspection.problems);
      toStage.get(spec.key)!.push({ key: rid, inspection });
    }
  });

  const tables = FILE_SPECS.map((s) => s.table).concat(['b_marks_lines', 'b_pupils_typed', 'b_returns', 'b_codes', 'b_mark_counts', 'b_mart']);
  try {
    // 2. Stage every file of the batch (returns with header errors are left out). marks.csv is by
    //    far the largest file: staged in no particular order (see stageCsvFiles), so its rows say
    //    nothing of lines; returns with a problem in it are read again in order below.
    for (const spec of FILE_SPECS) {
      const files = toStage.get(spec.key)!.filter((f) => alive(f.key));
      const staged = await stageCsvFiles(duck, spec.table, spec.columns, files, stageSelect(spec), spec.key === 'marks' ? MARK_TYPED : {}, spec.key !== 'marks');
      for (const [rid, problems] of staged) add(rid, spec.required ? problems : problems.filter((p) => p.code !== 'FILE_NO_ROWS'));
    }
    // Line numbers: a row's `rn` less the first `rn` of its return in that table (staged in order).
    const firstRn = new Map<string, number>();
    const numberLines = async (table: string) => {
      for (const r of await duck.all<{ rid: number; first: number }>(`SELECT rid, CAST(min(rowid) AS BIGINT) AS first FROM ${table} GROUP BY rid`)) {
        firstRn.set(`${table}:${r.rid}`, Number(r.first));
      }
    };
    for (const spec of FILE_SPECS) if (spec.key !== 'marks') await numberLines(spec.table);
    const line = (table: string, rid: number, rn: number) => Number(rn) - (firstRn.get(`${table}:${rid}`) ?? Number(rn)) + 2;

    // 3. Which school, year and term each return is.
    const spans = await duck.all<{ rid: number; urn_text: string | null; first_date: string | null; last_date: string | null }>(sqlFile('returns/spans.sql'));
    const identity = new Map<number, { urnText: string; urn: number; academicYear: string; term: Term; laCode: string | null }>();
    const years = new Set<string>();
    const dims = await schoolLas(duck, layout);
    for (const s of spans) {
      if (!alive(s.rid)) continue;
      const urnText = s.urn_text ?? '';
      if (!/^\d{6,7}$/.test(urnText)) {
        add(s.rid, [{ severity: 'error', code: 'PUPIL_URN_INVALID', file: 'pupils.csv', line: 2, column: 'urn', message: `expected a 6 or 7 digit URN (found "${urnText}")` }]);
        continue;
      }
      if (!s.first_date || !s.last_date) {
        add(s.rid, [{ severity: 'error', code: 'MARKS_NO_DATES', file: 'marks.csv', line: null, column: 'date', message: 'no valid dates in marks.csv' }]);
        continue;
      }
      if (s.first_date < EARLIEST_DATE || s.last_date > LATEST_DATE) {
        add(s.rid, [{ severity: 'error', code: 'MARK_DATE_IMPLAUSIBLE', file: 'marks.csv', line: null, column: 'date', message: `marks run from ${s.first_date} to ${s.last_date}: a register date must be between ${EARLIEST_DATE} and ${LATEST_DATE}` }]);
        continue;
      }
      const academicYear = academicYearOf(s.first_date);
      const term = termOf(s.first_date);
      if (academicYearOf(s.last_date) !== academicYear || termOf(s.last_date) !== term) {
        add(s.rid, [{
          severity: 'error', code: 'RETURN_SPANS_TERMS', file: 'marks.csv', line: null, column: 'date',
          message: `marks run from ${s.first_date} (${term} ${academicYear}) to ${s.last_date} (${termOf(s.last_date)} ${academicYearOf(s.last_date)}); a return covers one term`,
        }]);
      }
      const urn = Number(urnText);
      const laCode = dims.get(urn) ?? null;
      if (laCode === null) {
        add(s.rid, [{ severity: 'error', code: 'SCHOOL_UNKNOWN', file: 'pupils.csv', line: 2, column: 'urn', message: `URN ${urn} is not in the loaded school list; load the school list (GIAS or DfE school-level file) first` }]);
      } else if (options.mayLoadSchool && !options.mayLoadSchool(urn, laCode)) {
        add(s.rid, [{ severity: 'error', code: 'SCHOOL_NOT_YOURS', file: 'pupils.csv', line: 2, column: 'urn', message: `You cannot send a return for URN ${urn}: it is not a school you submit for` }]);
      }
      identity.set(s.rid, { urnText, urn, academicYear, term, laCode });
      reports[s.rid].identity = { urn, laCode, academicYear, term };
      years.add(academicYear);
    }
    await duck.run(`CREATE OR REPLACE TEMP TABLE b_returns (rid INTEGER, urn_text VARCHAR, urn INTEGER, la_code VARCHAR, academic_year VARCHAR,
      path_year VARCHAR, term VARCHAR, aug31 DATE, ht2 DATE, accepted BOOLEAN)`);
    const ids = [...identity.entries()];
    if (ids.length > 0) {
      await duck.run(
        `INSERT INTO b_returns SELECT unnest($rid), unnest($urn_text), unnest($urn), unnest($la), unnest($ay), unnest($path_year), unnest($term),
           CAST(unnest($aug31) AS DATE), CAST(unnest($ht2) AS DATE), false`,
        {
          rid: listValue(ids.map(([rid]) => rid)),
          urn_text: listValue(ids.map(([, i]) => i.urnText)),
          urn: listValue(ids.map(([, i]) => i.urn)),
          la: listValue(ids.map(([, i]) => i.laCode ?? '')),
          ay: listValue(ids.map(([, i]) => i.academicYear)),
          path_year: listValue(ids.map(([, i]) => pathYear(i.academicYear))),
          term: listValue(ids.map(([, i]) => i.term)),
          aug31: listValue(ids.map(([, i]) => `${academicYearStartYear(i.academicYear)}-08-31`)),
          ht2: listValue(ids.map(([, i]) => summerHalfTerm2Start(i.academicYear))),
        },
      );
    }
    await duck.run('CREATE OR REPLACE TEMP TABLE b_codes (academic_year VARCHAR, code VARCHAR)');
    for (const ay of years) {
      await duck.run('INSERT INTO b_codes SELECT $ay, unnest($codes)', { ay, codes: listValue(codesValidIn(ay).map((c) => c.code)) });
    }

    // 4. Row-level checks, every return of the batch at once.
    await duck.run(sqlFile('returns/pupils_typed.sql'));
    const ht2Test = [...years].map((ay) => `(date >= DATE '${summerHalfTerm2Start(ay)}' AND date <= DATE '${academicYearEnd(ay)}')`).join(' OR ') || 'false';
    // Only the boundaries inside the batch's dates can split a pupil's marks of one code.
    const boundaryKeys = TREATMENT_BOUNDARIES.filter((b) => spans.some((s) => s.first_date !== null && s.last_date !== null && s.first_date < b && b <= s.last_date))
      .map((b, i) => `date >= DATE '${b}' AS b${i}, `)
      .join('');
    await duck.run(sqlFile('returns/mark_counts.sql', { ht2_test: `(${ht2Test})`, boundary_keys: boundaryKeys }));
    // Sessions are numbered from the first plausible date of the batch (implausible ones are refused above).
    const sane = spans.filter((x) => x.first_date !== null && x.last_date !== null && x.first_date >= EARLIEST_DATE && x.last_date <= LATEST_DATE);
    const firstDate = sane.reduce((m, x) => (x.first_date! < m ? x.first_date! : m), LATEST_DATE);
    const lastDate = sane.reduce((m, x) => (x.last_date! > m ? x.last_date! : m), EARLIEST_DATE);
    const suspects = (
      await duck.all<{ rid: number }>(sqlFile('returns/check_marks_suspects.sql', { first_date: firstDate, last_date: lastDate }))
    ).map((r) => r.rid);
    if (suspects.length > 0) {
      // The marks of these returns again, in file order, for check_marks.sql to name each row's
      // line (their reader problems were reported by the first read).
      const marks = FILE_SPECS.find((f) => f.key === 'marks')!;
      const files = toStage.get('marks')!.filter((f) => suspects.includes(f.key));
      await stageCsvFiles(duck, 'b_marks_lines', marks.columns, files, stageSelect(marks), MARK_TYPED);
      await numberLines('b_marks_lines');
    }
    // [staged table, file, the check's SQL, its parameters]
    const checks: [string, string, string, Record<string, unknown>][] = [
      ['b_pupils', 'pupils.csv', sqlFile('returns/check_pupils.sql', { upn_valid: upnValidSql('upper(upn)') }), {
        nc_years: listValue(NC_YEARS), enrol_statuses: listValue(ENROL_STATUSES), sen_provisions: listValue(SEN_PROVISIONS), sen_needs: listValue(SEN_NEEDS),
      }],
      ...(suspects.length > 0 ? [['b_marks_lines', 'marks.csv', sqlFile('returns/check_marks.sql'), { rids: listValue(suspects) }] as [string, string, string, Record<string, unknown>]] : []),
      ['b_amendments', 'amendments.csv', sqlFile('returns/check_amendments.sql'), {}],
      ['b_suspensions', 'suspensions.csv', sqlFile('returns/check_suspensions.sql'), {}],
    ];
    for (const [table, file, sql, params] of checks) {
      const rows = await duck.all<CheckRow>(sql, { ...params, per_code: EXAMPLES_PER_CODE } as never);
      const more = new Set<string>();
      for (const r of rows) {
        if (!identity.has(r.rid)) continue;
        add(r.rid, [{
          severity: r.code === 'MARK_BEFORE_ADMISSION' ? 'warning' : 'error',
          code: r.code, file, line: line(table, r.rid, r.rn), column: r.col,
          message: r.value === null ? r.message : `${r.message} (found "${r.value}")`,
        }]);
        if (r.total > EXAMPLES_PER_CODE && !more.has(`${r.rid}:${r.code}`)) {
          more.add(`${r.rid}:${r.code}`);
          add(r.rid, [{ severity: 'warning', code: 'MORE_OF_THE_SAME', file, line: null, column: r.col, message: `${r.total} rows in all have ${r.code}; the first ${EXAMPLES_PER_CODE} are listed.` }]);
        }
      }
    }
    // 5. Write the accepted returns: each table in one partitioned COPY, then every partition moved
    //    into place with rename (the mart last: it is what readers see).
    const accepted = ids.filter(([rid, i]) => alive(rid) && i.laCode !== null).map(([rid]) => rid);
    if (accepted.length > 0) {
      await duck.run('UPDATE b_returns SET accepted = true WHERE list_contains($rids, rid)', { rids: listValue(accepted) });
      const counts = await duck.all<{ rid: number; pupils: number; marks: number }>(
        `SELECT r.rid, CAST((SELECT count(*) FROM b_pupils p WHERE p.rid = r.rid) AS INTEGER) AS pupils,
                CAST(coalesce((SELECT sum(n) FROM b_mark_counts m WHERE m.rid = r.rid), 0) AS INTEGER) AS marks
         FROM b_returns r WHERE r.accepted`,
      );
      for (const c of counts) Object.assign(reports[c.rid], { pupils: c.pupils, marks: c.marks });
      const staging = path.join(layout.tmp, `batch-${randomUUID()}`);
      // One file per partition: keep every partition's file open for the whole COPY (a batch holds
      // at most a few hundred returns), so DuckDB never rotates to a second file.
      await duck.run(`SET partitioned_write_max_open_files = ${Math.max(100, accepted.length + 10)}`);
      let flushing: Promise<void> | undefined;
      try {
        const counts = packedSessionAggregatesSql({ mark: 'mark', date: 'first_date', weight: 'n' });
        const mart = sqlFile('returns/fct_enrolment_term.sql', {
          session_aggregates: counts.aggregates,
          ...scopeSums(counts.packs),
          session_counts: counts.unpack((pack) => `x.${quoteIdent(pack)}`),
        });
        const writes: [string, string][] = [
          ['lake/pupils', sqlFile('returns/lake_pupils.sql')],
          ['lake/marks', sqlFile('returns/lake_marks.sql')],
          ...OPTIONAL_LAKE.map((o) => [`lake/${o.key}`, sqlFile(o.sql)] as [string, string]),
        ];
        for (const [target, select] of writes) {
          mkdirSync(path.dirname(path.join(staging, target)), { recursive: true });
          await duck.run(
            `COPY (${select}) TO ${sqlString(path.join(staging, target))}
             (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (rid), FILENAME_PATTERN 'part-{i}')`,
          );
        }
        const plan: CommitPlan = { moves: [], removals: [] };
        for (const rid of accepted) {
          const i = identity.get(rid)!;
          const partition: ReturnPartition = { laCode: i.laCode!, academicYear: i.academicYear, term: i.term, urn: i.urn };
          const part = partitionPath(partition);
          for (const [target] of writes) {
            const from = path.join(staging, target, `rid=${rid}`);
            const to = path.join(layout.root, target, part, 'part-0.parquet');
            const written = existsSync(from) ? readdirSync(from).filter((f) => f.endsWith('.parquet')) : [];
            if (written.length > 1) throw new Error(`DuckDB wrote ${written.length} files for ${target}/${part}; expected one`);
            // A return replaces the earlier one entirely: a file it does not have is removed too.
            if (written.length === 1) plan.moves.push({ from: path.join(from, written[0]), to });
            else plan.removals.push(to);
          }
          reports[rid].partition = partition;
        }
        // The lake files go to disk while DuckDB builds the mart; the commit waits for them, and
        // flushes only the mart files itself.
        const lakeFiles = plan.moves.map((m) => m.from);
        flushing = fsyncFiles(lakeFiles);
        flushing.catch(() => undefined);
        // The mart is one file per LA × year × term (ADR 0002): merge the new returns into it, keeping
        // every other school's rows. Its move comes last: it is what makes the returns visible.
        await duck.run(`CREATE OR REPLACE TEMP TABLE b_mart AS ${mart}`, { min_age: DFE_MIN_AGE, max_age: DFE_MAX_AGE });
        const terms = await duck.all<{ la: string; academic_year: string; term: string; urns: number[] }>(
          'SELECT la_code AS la, path_year AS academic_year, term, list(urn) AS urns FROM b_returns WHERE accepted GROUP BY ALL ORDER BY ALL',
        );
        for (const t of terms) {
          const target = martTermFile(layout, t.la, t.academic_year, t.term);
          const fresh = `SELECT * EXCLUDE (la, academic_year, term) FROM b_mart WHERE la = $la AND academic_year = $ay AND term = $term`;
          const kept = existsSync(target)
            ? `SELECT * FROM read_parquet(${sqlString(target)}) WHERE NOT list_contains($urns, urn) UNION ALL BY NAME `
            : '';
          const merged = path.join(staging, `mart-${t.la}-${t.academic_year}-${t.term}.parquet`);
          await duck.run(`COPY (${kept}${fresh} ORDER BY urn, scope, upn) TO ${sqlString(merged)} (FORMAT parquet, COMPRESSION zstd)`, {
            la: t.la, ay: t.academic_year, term: t.term, ...(kept ? { urns: listValue(t.urns) } : {}),
          });
          plan.moves.push({ from: merged, to: target });
        }
        await flushing;
        commit(layout, plan, new Set(lakeFiles));
        for (const rid of accepted) reports[rid].status = 'loaded';
      } finally {
        await flushing?.catch(() => undefined);
        rmSync(staging, { recursive: true, force: true });
      }
    }
    return reports;
  } finally {
    for (const table of tables) await duck.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/**
 * The packs of `packedSessionAggregatesSql` for each scope, added up from an enrolment's two parts
 * (structs `e`, before summer HT2, and `h`, in summer HT2; see fct_enrolment_term.sql). The DfE
 * scope takes the HT2 part only when `keep_h`.
 */
function scopeSums(packs: readonly string[]): { operational_sums: string; dfe_sums: string } {
  const columns = packs.map(quoteIdent);
  const sums = (h: (c: string) => string) => columns.map((c) => `coalesce(e.${c}, 0) + ${h(c)} AS ${c}`).join(',\n  ');
  return {
    operational_sums: sums((c) => `coalesce(h.${c}, 0)`),
    dfe_sums: sums((c) => `CASE WHEN keep_h THEN coalesce(h.${c}, 0) ELSE 0 END`),
  };
}

/** The mart file of one LA × academic year (path form `2024-25`) × term. */
export function martTermFile(layout: DataLayout, la: string, pathAcademicYear: string, term: string): string {
  return path.join(layout.marts, 'fct_enrolment_term', `la=${la}`, `academic_year=${pathAcademicYear}`, `term=${term}`, 'part-0.parquet');
}

/** URN → LA code of every school in the loaded school list. */
async function schoolLas(duck: Duck, layout: DataLayout): Promise<Map<number, string>> {
  const file = path.join(layout.marts, 'dim_school', 'part-0.parquet');
  if (!existsSync(file)) return new Map();
  const rows = await duck.all<{ urn: number; la_code: string }>('SELECT urn, la_code FROM read_parquet($file)', { file });
  return new Map(rows.map((r) => [r.urn, r.la_code]));
}

/** Loads a single return: a batch of one. */
export async function loadReturn(duck: Duck, layout: DataLayout, files: ReturnFiles): Promise<ReturnReport> {
  const [report] = await loadReturns(duck, layout, [files]);
  return report;
}
