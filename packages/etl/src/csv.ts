import { openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import path from 'node:path';
import { listValue } from '@duckdb/node-api';
import type { Duck } from './duckdb.js';
import { sqlIdent } from './duckdb.js';
import { unreadableFileProblem, type Problem } from './problems.js';

/** A column a CSV contract names (FORMATS.md): matched case-insensitively, ignoring spaces. */
export interface ColumnSpec {
  name: string;
  required: boolean;
}

export interface StagedCsv {
  /** Temp table holding the file: every contract column as VARCHAR plus `line` (1 = header). */
  table: string;
  rows: number;
  problems: Problem[];
  /** Contract columns the file has. */
  present: Set<string>;
}

const HEADER_PROBE_BYTES = 64 * 1024;

/**
 * Reads the first record of a CSV (RFC 4180, optional UTF-8 BOM) without loading the file.
 * Returns null when the file is empty.
 */
export function readCsvHeader(file: string): string[] | null {
  let raw = readFileHead(file, HEADER_PROBE_BYTES);
  if (file.toLowerCase().endsWith('.gz')) raw = gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  let text = raw.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return null;
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') break;
    else field += ch;
  }
  fields.push(field);
  return fields;
}

export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase();
}

/** Non-empty lines after the header, counted from the bytes (independently of any CSV parser). */
export function dataLineCount(file: string): number {
  return countDataLines(readFileSync(file));
}

async function dataLineCountAsync(file: string): Promise<number> {
  return countDataLines(await readFile(file));
}

const QUOTE_SCAN_BYTES = 1024 ** 2;

/**
 * For each file, its data lines if it holds a double quote anywhere, else null. The files are read
 * one after another through one 1 MB buffer with a native byte search per chunk (a small cost beside
 * DuckDB's own read, and little memory); only a file with a quote is counted line by line.
 */
async function lineCountsOfQuotedFiles(files: string[]): Promise<(number | null)[]> {
  const buffer = Buffer.allocUnsafe(QUOTE_SCAN_BYTES);
  const counts: (number | null)[] = [];
  for (const file of files) {
    const handle = await open(file, 'r');
    let quote = false;
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        if (buffer.subarray(0, bytesRead).includes(0x22)) {
          quote = true;
          break;
        }
      }
    } finally {
      await handle.close();
    }
    counts.push(quote ? await dataLineCountAsync(file) : null);
  }
  return counts;
}

function countDataLines(data: Buffer): number {
  let lines = 0;
  let start = 0;
  while (start < data.length) {
    let end = data.indexOf(0x0a, start);
    if (end === -1) end = data.length;
    let last = end - 1;
    if (last >= start && data[last] === 0x0d) last--;
    if (last >= start) lines++;
    start = end + 1;
  }
  return Math.max(0, lines - 1);
}

/** Looks like text? Rejects binary files (a spreadsheet saved as .csv, an image) early. */
export function looksLikeText(file: string): boolean {
  const head = readFileHead(file, 4096);
  if (file.toLowerCase().endsWith('.gz')) return head[0] === 0x1f && head[1] === 0x8b;
  return !head.includes(0);
}

/** The first `bytes` bytes of a file (fewer when it is shorter), without reading the rest. */
export function readFileHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** What the header of one CSV says, checked against a contract (FORMATS.md). */
export interface CsvInspection {
  file: string;
  displayName: string;
  problems: Problem[];
  /** Contract column → position in the file; null when the file cannot be read as this contract. */
  positions: Map<string, number> | null;
  /** Number of columns in the header. */
  width: number;
}

/**
 * Checks a CSV's bytes and header without reading it: empty, binary, duplicate, missing and
 * unknown columns. Cheap; runs before DuckDB is asked to read anything.
 */
export function inspectCsv(file: string, columns: ColumnSpec[], displayName = path.basename(file)): CsvInspection {
  const problems: Problem[] = [];
  const result: CsvInspection = { file, displayName, problems, positions: null, width: 0 };
  const error = (code: string, message: string, line: number | null = null, column: string | null = null) =>
    problems.push({ severity: 'error', code, file: displayName, line, column, message });
  if (statSync(file).size === 0) {
    error('FILE_EMPTY', 'The file is empty; expected a header row and data.');
    return result;
  }
  if (!looksLikeText(file)) {
    error('FILE_NOT_CSV', 'The file is not a text CSV file (it holds binary data); export it as CSV (UTF-8).');
    return result;
  }
  const header = readCsvHeader(file);
  if (!header) {
    error('FILE_EMPTY', 'The file has no header row.');
    return result;
  }
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const key = normaliseColumnName(h);
    if (byName.has(key)) error('COLUMN_DUPLICATED', `Column "${h}" appears more than once in the header.`, 1, h);
    else byName.set(key, i);
  });
  const known = new Set(columns.map((c) => c.name));
  const unknown = header.filter((h) => !known.has(normaliseColumnName(h)));
  if (unknown.length > 0) {
    problems.push({ severity: 'warning', code: 'COLUMN_UNKNOWN', file: displayName, line: 1, column: unknown.join(', '), message: `Column(s) not in the format were ignored: ${unknown.join(', ')}.` });
  }
  for (const c of columns) {
    if (!byName.has(c.name) && c.required) error('COLUMN_MISSING', `Required column "${c.name}" is missing from the header.`, 1, c.name);
  }
  if (problems.some((p) => p.severity === 'error')) return result;
  result.width = header.length;
  result.positions = new Map(columns.filter((c) => byName.has(c.name)).map((c) => [c.name, byName.get(c.name)!]));
  return result;
}

/** One file to stage, tagged with the key (`rid`) of the input it belongs to. */
export interface CsvToStage {
  key: number;
  inspection: CsvInspection;
}

/**
 * How a contract column is staged: given its name, the SQL expression of its value (trimmed VARCHAR,
 * NULL when empty or absent) and the reader's own column (`c3`, or null when the file lacks it),
 * the `expr AS name` items to select. Default: the trimmed value.
 */
export type StageSelect = (column: string, raw: string, source: string | null) => string[];

/** Columns the reader parses itself (dates as YYYY-MM-DD), with the problem to report when one does not parse. */
export type TypedColumns = Record<string, { type: 'DATE' | 'INTEGER'; code: string; message: string }>;

/**
 * Stages many CSV files of one contract into ONE temp table with DuckDB's own reader (files with the
 * same header layout in a single `read_csv`), with `rid` (the key of the input each row came from).
 * Rows keep file order, so a row's line in its file is `rowid - min(rowid of its rid) + 2` (header =
 * line 1; equal to the file line unless a quoted field holds a newline) — unless `ordered` is false:
 * then rows come in whatever order the reader's threads give them (a quarter less CPU for a large
 * batch) and `rowid` says nothing of lines. Malformed records are returned as problems with their
 * line either way (the reader's own line numbers), never silently skipped.
 */
export async function stageCsvFiles(
  duck: Duck,
  table: string,
  columns: ColumnSpec[],
  files: CsvToStage[],
  select: StageSelect = (column, raw) => [`${raw} AS ${sqlIdent(column)}`],
  typed: TypedColumns = {},
  ordered = true,
): Promise<Map<number, Problem[]>> {
  const problems = new Map<number, Problem[]>();
  const add = (key: number, p: Problem) => problems.set(key, [...(problems.get(key) ?? []), p]);
  const groups = new Map<string, CsvToStage[]>();
  for (const f of files) {
    if (!f.inspection.positions) continue;
    const layout = `${f.inspection.width}:${[...f.inspection.positions].map(([k, v]) => `${k}=${v}`).join(',')}`;
    groups.set(layout, [...(groups.get(layout) ?? []), f]);
  }
  const items = (positions: Map<string, number> | null) =>
    columns
      .flatMap((c) => {
        const pos = positions?.get(c.name);
        // A typed column is parsed by the reader itself (fast); a value that does not parse is a reject.
        if (typed[c.name]) return [`${pos === undefined ? `NULL::${typed[c.name].type}` : `c${pos}`} AS ${sqlIdent(c.name)}`];
        return select(c.name, pos === undefined ? 'NULL::VARCHAR' : `nullif(trim(c${pos}), '')`, pos === undefined ? null : `c${pos}`);
      })
      .join(', ');
  // The empty table first, so that a batch where every file was refused still has its table.
  await duck.run(`CREATE OR REPLACE TEMP TABLE ${sqlIdent(table)} AS SELECT NULL::INTEGER AS rid, ${items(null)} LIMIT 0`);
  const stageGroup = async (group: CsvToStage[]): Promise<void> => {
    const first = group[0].inspection;
    const typeAt = new Map([...first.positions!].filter(([name]) => typed[name]).map(([name, pos]) => [pos, typed[name].type]));
    const positional = Array.from({ length: first.width }, (_, i) => `'c${i}': '${typeAt.get(i) ?? 'VARCHAR'}'`).join(', ');
    // Look for quotes in the files while DuckDB reads them (see the check below).
    const scanning = group.length > 1 ? lineCountsOfQuotedFiles(group.map((g) => g.inspection.file)) : null;
    scanning?.catch(() => undefined);
    try {
      if (!ordered) await duck.run('SET preserve_insertion_order = false');
      try {
        await duck.run(
          `INSERT INTO ${sqlIdent(table)}
           SELECT CAST($rids[CAST(file_index AS BIGINT) + 1] AS INTEGER) AS rid, ${items(first.positions)}
           FROM read_csv($paths, header = true, delim = ',', quote = '"', escape = '"', auto_detect = false, dateformat = '%Y-%m-%d',
                         columns = {${positional}}, store_rejects = true,
                         rejects_table = 'rb_rejects', rejects_scan = 'rb_reject_scans', rejects_limit = 100)`,
          { paths: listValue(group.map((g) => g.inspection.file)), rids: listValue(group.map((g) => g.key)) },
        );
      } finally {
        if (!ordered) await duck.run('RESET preserve_insertion_order');
      }
    } catch (error) {
      // The reader gave up on a file altogether (an unclosed quote, mixed line endings…): find
      // which by halving the group, and refuse only those — the rest of the group is staged as usual.
      await duck.run('DROP TABLE IF EXISTS rb_rejects; DROP TABLE IF EXISTS rb_reject_scans');
      const problem = unreadableFileProblem(error, first.displayName);
      if (!problem) throw error;
      if (group.length === 1) {
        add(group[0].key, { ...problem, file: group[0].inspection.displayName });
        return;
      }
      // Halve the group until the unreadable files stand alone: a few reads, not one per file.
      const half = Math.ceil(group.length / 2);
      await stageGroup(group.slice(0, half));
      await stageGroup(group.slice(half));
      return;
    }
    const rejects = await duck.all<{ path: string; line: number; column_name: string | null; error_type: string; error_message: string; csv_line: string | null }>(
      `SELECT s.file_path AS path, CAST(e.line AS INTEGER) AS line, e.column_name, e.error_type, e.error_message, e.csv_line
       FROM rb_rejects e JOIN rb_reject_scans s USING (scan_id, file_id) ORDER BY path, line`,
    );
    for (const r of rejects) {
      const f = group.find((g) => g.inspection.file === r.path);
      if (!f) continue;
      const header = [...f.inspection.positions!].find(([, pos]) => `c${pos}` === r.column_name)?.[0] ?? r.column_name;
      const cast = r.error_type === 'CAST' && header !== null ? typed[header] : undefined;
      const encoding = /ENCODING|UNICODE/i.test(r.error_type);
      add(
        f.key,
        encoding
          ? { severity: 'error', code: 'FILE_NOT_UTF8', file: f.inspection.displayName, line: r.line, column: header, message: 'The file is not UTF-8 (a character here is in another encoding, e.g. Windows-1252): save it as "CSV UTF-8" and send it again.' }
          : cast
            ? { severity: 'error', code: cast.code, file: f.inspection.displayName, line: r.line, column: header, message: `${cast.message} (the line reads "${(r.csv_line ?? '').slice(0, 120)}")` }
            : { severity: 'error', code: 'CSV_MALFORMED', file: f.inspection.displayName, line: r.line, column: header, message: `${r.error_type.toLowerCase()}: ${r.error_message}` },
      );
    }
    await duck.run('DROP TABLE IF EXISTS rb_rejects; DROP TABLE IF EXISTS rb_reject_scans');
    // DuckDB reading many files at once can lose a record it could not parse (an unterminated
    // quote at the end of a file) without listing it among the rejects. That takes a double quote:
    // in a file without one every line break ends a record, and a record that does not fit is a
    // reject (the fuzz test checks every loaded return's marks against its lines, quotes or not).
    // So each file holding a quote has its records counted independently; one that does not add up
    // is read again on its own, where DuckDB reports every reject (a quoted field holding a line
    // break also shows up here, and reads the same).
    if (group.length === 1) return;
    const counted = await scanning!;
    const suspects = group.filter((_, i) => counted[i] !== null);
    if (suspects.length === 0) return;
    const staged = new Map(
      (await duck.all<{ rid: number; n: number }>(`SELECT rid, CAST(count(*) AS INTEGER) AS n FROM ${sqlIdent(table)} WHERE rid IN (SELECT unnest($rids)) GROUP BY rid`, {
        rids: listValue(suspects.map((g) => g.key)),
      })).map((r) => [r.rid, r.n]),
    );
    const rejectedLines = new Map<number, Set<number>>();
    for (const r of rejects) {
      const f = suspects.find((g) => g.inspection.file === r.path);
      if (f) rejectedLines.set(f.key, (rejectedLines.get(f.key) ?? new Set()).add(r.line));
    }
    for (const f of suspects) {
      const expected = counted[group.indexOf(f)];
      if ((staged.get(f.key) ?? 0) + (rejectedLines.get(f.key)?.size ?? 0) === expected) continue;
      await duck.run(`DELETE FROM ${sqlIdent(table)} WHERE rid = $rid`, { rid: f.key });
      problems.delete(f.key);
      await stageGroup([f]);
    }
  };
  for (const group of groups.values()) await stageGroup(group);
  const counts = await duck.all<{ rid: number; n: number }>(`SELECT rid, CAST(count(*) AS INTEGER) AS n FROM ${sqlIdent(table)} GROUP BY rid`);
  const rows = new Map(counts.map((c) => [c.rid, c.n]));
  for (const f of files) {
    if (f.inspection.positions && !rows.get(f.key) && !problems.get(f.key)?.length) {
      add(f.key, { severity: 'error', code: 'FILE_NO_ROWS', file: f.inspection.displayName, line: null, column: null, message: 'The file has a header but no data rows.' });
    }
  }
  return problems;
}

/**
 * Stages one CSV into a temp table with DuckDB's own reader: all columns VARCHAR, a `line` column
 * (the record number, header = 1; equal to the file line unless a quoted field holds a newline),
 * malformed records reported with their line, never silently skipped.
 */
export async function stageCsv(
  duck: Duck,
  file: string,
  table: string,
  columns: ColumnSpec[],
  displayName = path.basename(file),
): Promise<StagedCsv> {
  const inspection = inspectCsv(file, columns, displayName);
  const problems = [...inspection.problems];
  const present = new Set(inspection.positions?.keys() ?? []);
  if (!inspection.positions) return { table, rows: 0, problems, present };
  problems.push(...((await stageCsvFiles(duck, `${table}_rn`, columns, [{ key: 0, inspection }])).get(0) ?? []));
  await duck.run(
    `CREATE OR REPLACE TEMP TABLE ${sqlIdent(table)} AS
     SELECT CAST(rowid + 2 AS INTEGER) AS line, * EXCLUDE (rid) FROM ${sqlIdent(`${table}_rn`)} ORDER BY rowid`,
  );
  await duck.run(`DROP TABLE IF EXISTS ${sqlIdent(`${table}_rn`)}`);
  const [{ n }] = await duck.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${sqlIdent(table)}`);
  return { table, rows: n, problems, present };
}
