import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import path from 'node:path';
import type { Duck } from './duckdb.js';
import { sqlIdent } from './duckdb.js';
import type { Problem } from './problems.js';

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
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(HEADER_PROBE_BYTES, Math.max(1, statSync(file).size)));
    const bytes = readSync(fd, buffer, 0, buffer.length, 0);
    let raw = buffer.subarray(0, bytes);
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
  } finally {
    closeSync(fd);
  }
}

export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase();
}

/** Looks like text? Rejects binary files (a spreadsheet saved as .csv, an image) early. */
export function looksLikeText(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(4096);
    const bytes = readSync(fd, buffer, 0, buffer.length, 0);
    if (file.toLowerCase().endsWith('.gz')) return buffer[0] === 0x1f && buffer[1] === 0x8b;
    for (let i = 0; i < bytes; i++) if (buffer[i] === 0) return false;
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Stages a CSV into a temp table with DuckDB's own reader: all columns VARCHAR, a `line` column
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
  const problems: Problem[] = [];
  const present = new Set<string>();
  const empty: StagedCsv = { table, rows: 0, problems, present };
  const size = statSync(file).size;
  if (size === 0) {
    problems.push({ severity: 'error', code: 'FILE_EMPTY', file: displayName, line: null, column: null, message: 'The file is empty; expected a header row and data.' });
    return empty;
  }
  if (!looksLikeText(file)) {
    problems.push({ severity: 'error', code: 'FILE_NOT_CSV', file: displayName, line: null, column: null, message: 'The file is not a text CSV file (it holds binary data); export it as CSV (UTF-8).' });
    return empty;
  }
  const header = readCsvHeader(file);
  if (!header) {
    problems.push({ severity: 'error', code: 'FILE_EMPTY', file: displayName, line: null, column: null, message: 'The file has no header row.' });
    return empty;
  }
  const byName = new Map<string, number>();
  header.forEach((h, i) => {
    const key = normaliseColumnName(h);
    if (byName.has(key)) {
      problems.push({ severity: 'error', code: 'COLUMN_DUPLICATED', file: displayName, line: 1, column: h, message: `Column "${h}" appears more than once in the header.` });
    } else byName.set(key, i);
  });
  const known = new Set(columns.map((c) => c.name));
  const unknown = header.filter((h) => !known.has(normaliseColumnName(h)));
  if (unknown.length > 0) {
    problems.push({ severity: 'warning', code: 'COLUMN_UNKNOWN', file: displayName, line: 1, column: unknown.join(', '), message: `Column(s) not in the format were ignored: ${unknown.join(', ')}.` });
  }
  for (const c of columns) {
    if (byName.has(c.name)) present.add(c.name);
    else if (c.required) {
      problems.push({ severity: 'error', code: 'COLUMN_MISSING', file: displayName, line: 1, column: c.name, message: `Required column "${c.name}" is missing from the header.` });
    }
  }
  if (problems.some((p) => p.severity === 'error')) return empty;

  // Positional column names avoid any ambiguity with odd header spellings.
  const positional = header.map((_, i) => `c${i}`);
  const columnsArg = `{${positional.map((c) => `'${c}': 'VARCHAR'`).join(', ')}}`;
  const select = columns
    .map((c) => (byName.has(c.name) ? `nullif(trim(${sqlIdent(`c${byName.get(c.name)}`)}), '') AS ${sqlIdent(c.name)}` : `NULL::VARCHAR AS ${sqlIdent(c.name)}`))
    .join(', ');
  await duck.run(`DROP TABLE IF EXISTS ${sqlIdent(table)}`);
  await duck.run(
    `CREATE TEMP TABLE ${sqlIdent(table)} AS
     SELECT CAST(row_number() OVER () + 1 AS INTEGER) AS line, ${select}
     FROM read_csv($file, header = true, skip = 0, delim = ',', quote = '"', escape = '"',
                   auto_detect = false, columns = ${columnsArg}, store_rejects = true,
                   rejects_table = 'rb_rejects', rejects_scan = 'rb_reject_scans', rejects_limit = 100)`,
    { file },
  );
  const rejects = await duck.all<{ line: number; column_name: string | null; error_type: string; error_message: string }>(
    `SELECT CAST(line AS INTEGER) AS line, column_name, error_type, error_message FROM rb_rejects ORDER BY line`,
  );
  for (const r of rejects) {
    const column = r.column_name && /^c\d+$/.test(r.column_name) ? header[Number(r.column_name.slice(1))] ?? null : r.column_name;
    problems.push({
      severity: 'error',
      code: 'CSV_MALFORMED',
      file: displayName,
      line: r.line,
      column,
      message: `${r.error_type.toLowerCase()}: ${r.error_message}`,
    });
  }
  await duck.run('DROP TABLE IF EXISTS rb_rejects');
  await duck.run('DROP TABLE IF EXISTS rb_reject_scans');
  const [{ n }] = await duck.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${sqlIdent(table)}`);
  if (n === 0 && rejects.length === 0) {
    problems.push({ severity: 'error', code: 'FILE_NO_ROWS', file: displayName, line: null, column: null, message: 'The file has a header but no data rows.' });
  }
  return { table, rows: n, problems, present };
}
