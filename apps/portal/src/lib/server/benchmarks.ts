import { error } from '@sveltejs/kit';
import ExcelJS from 'exceljs';
import {
  LA_BENCHMARKS_QUERY,
  laTables,
  RETURNS_COMPARATORS_QUERY,
  returnsComparatorsTable,
  type ReturnsComparatorsData,
  SCHOOL_PAGE_QUERY,
  schoolTables,
  tableFilename,
  type DataTable,
  type LaBenchmarksData,
  type SchoolPage,
} from '../benchmarks.js';
import { toCsv } from '../csv.js';
import type { GraphqlClient } from './graphql.js';

const YEAR = /^\d{4}\/\d{2}$/;

function yearParam(params: URLSearchParams): string | null {
  const year = params.get('year');
  return year && YEAR.test(year) ? year : null;
}

/** The LA's benchmarks for the overview; null when the API has none to give (no data loaded). */
export async function loadLaBenchmarks(api: GraphqlClient, params: URLSearchParams): Promise<LaBenchmarksData | null> {
  try {
    return await api.request<LaBenchmarksData>(LA_BENCHMARKS_QUERY, { academicYear: yearParam(params) });
  } catch {
    return null;
  }
}

export function loadReturnsComparators(api: GraphqlClient, params: URLSearchParams): Promise<ReturnsComparatorsData> {
  return api.request<ReturnsComparatorsData>(RETURNS_COMPARATORS_QUERY, { academicYear: yearParam(params) });
}

export async function loadSchoolPage(api: GraphqlClient, urn: number, params: URLSearchParams): Promise<SchoolPage | null> {
  // `?similar=national`: similar schools from the national school list (when it is loaded).
  const national = params.get('similar') === 'national';
  const { schoolBenchmarks } = await api.request<{ schoolBenchmarks: SchoolPage | null }>(SCHOOL_PAGE_QUERY, { urn, academicYear: yearParam(params), national });
  return schoolBenchmarks;
}

/** `neighbours.csv` → the table and format, for the year (and school) in the URL. */
export async function downloadTable(api: GraphqlClient, file: string, params: URLSearchParams): Promise<Response> {
  const match = /^([a-z-]+)\.(csv|xlsx)$/.exec(file);
  if (!match) error(404, { message: 'There is no download with that name', code: 'NOT_FOUND' });
  const [, id, format] = match as unknown as [string, string, 'csv' | 'xlsx'];
  const urnText = params.get('urn');
  let tables: DataTable[];
  let year: string;
  let urn: number | undefined;
  if (urnText !== null) {
    urn = /^\d{6,7}$/.test(urnText) ? Number(urnText) : NaN;
    if (!Number.isFinite(urn)) error(404, { message: 'There is no school with that URN', code: 'NOT_FOUND' });
    const page = await loadSchoolPage(api, urn, params);
    if (!page) error(404, { message: 'There is no school with that URN', code: 'NOT_FOUND' });
    tables = schoolTables(page);
    year = page.academicYear;
  } else if (id === 'returns-comparators') {
    const data = await loadReturnsComparators(api, params);
    tables = [returnsComparatorsTable(data)];
    year = data.laBenchmarks.academicYear;
  } else {
    const data = await loadLaBenchmarks(api, params);
    if (!data) error(404, { message: 'No attendance data loaded yet', code: 'EMPTY_WAREHOUSE' });
    tables = laTables(data);
    year = data.laBenchmarks.academicYear;
  }
  const table = tables.find((t) => t.id === id);
  if (!table) error(404, { message: 'There is no download with that name', code: 'NOT_FOUND' });
  const headers = {
    'content-disposition': `attachment; filename="${tableFilename(table, year, format, urn)}"`,
    'cache-control': 'private, no-store',
  };
  if (format === 'csv') {
    return new Response(toCsv(table.columns, table.rows), { headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' } });
  }
  return new Response(await toXlsx(table), {
    headers: { ...headers, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  });
}

/** One worksheet: the title, a blank row, the header and the rows; numbers stay numbers. */
export async function toXlsx(table: DataTable): Promise<ArrayBuffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Rollbook';
  const sheet = workbook.addWorksheet(table.id.slice(0, 31));
  sheet.addRow([table.title]).font = { bold: true };
  sheet.addRow([]);
  sheet.addRow(table.columns).font = { bold: true };
  // Text that a spreadsheet would run as a formula is stored as text: ExcelJS writes strings as strings.
  for (const row of table.rows) sheet.addRow(row.map((v) => (v === null ? null : v)));
  sheet.columns.forEach((column, i) => {
    column.width = Math.min(60, Math.max(10, ...[table.columns[i] ?? '', ...table.rows.map((r) => String(r[i] ?? ''))].map((t) => t.length + 2)));
  });
  const written = new Uint8Array(await workbook.xlsx.writeBuffer());
  const out = new Uint8Array(written.byteLength);
  out.set(written);
  return out.buffer;
}
