/**
 * Counts in the columns of DfE's published attendance files (S3; FORMATS.md §4), so that an LA's
 * own figures sit beside the national file without reshaping. A mark counts in the DfE reason
 * column of the era it is read with (`T` before 2024/25 is `reason_t_authorised_grt_absence`,
 * after it `reason_t_authorised_mobile_child`; a code used outside its years is read with its
 * nearest era, as in {@link classifyMark}). Codes with no published column (`X` from 2024/25)
 * count in none.
 */
import { academicYearStart, addDays } from './calendar.js';
import { CODE_TOKENS, erasOf, meaningOn } from './codes.js';
import { quoteIdent } from './sql.js';

/** The distinct DfE reason columns, in register-code table order. */
export const DFE_REASON_COLUMNS: readonly string[] = Object.freeze([
  ...new Set(CODE_TOKENS.flatMap((code) => erasOf(code).map((r) => r.dfeColumn)).filter((c): c is string => c !== null)),
]);

/** Sessions per DfE reason column (every column, zero if unused): the TypeScript reference. */
export function dfeReasonCounts(marks: ReadonlyArray<{ readonly date: string; readonly mark: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const column of DFE_REASON_COLUMNS) out[column] = 0;
  for (const { date, mark } of marks) {
    const column = meaningOn(mark, date)?.dfeColumn;
    if (column) out[column] += 1;
  }
  return out;
}

const lit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Aggregate expressions with aliases, one per {@link DFE_REASON_COLUMNS} entry, for a query grouped
 * by enrolment or population (twin of {@link dfeReasonCounts}). `weight` as in `sessionAggregatesSql`.
 */
export function dfeReasonAggregatesSql(columns: { readonly mark: string; readonly date: string; readonly weight?: string }): string {
  const { mark, date, weight } = columns;
  const conditions = new Map<string, string[]>();
  for (const code of CODE_TOKENS) {
    const eras = erasOf(code);
    eras.forEach((row, i) => {
      if (row.dfeColumn === null) return;
      const tests = [`${mark} = ${lit(code)}`];
      if (i > 0) tests.push(`${date} >= DATE ${lit(academicYearStart(row.firstYear))}`);
      if (i < eras.length - 1) tests.push(`${date} <= DATE ${lit(addDays(academicYearStart(eras[i + 1]!.firstYear), -1))}`);
      const list = conditions.get(row.dfeColumn) ?? [];
      list.push(`(${tests.join(' AND ')})`);
      conditions.set(row.dfeColumn, list);
    });
  }
  return DFE_REASON_COLUMNS.map((column) => {
    const cond = conditions.get(column)!.join(' OR ');
    const agg = weight === undefined ? `count(*) FILTER (WHERE ${cond})` : `coalesce(sum(${weight}) FILTER (WHERE ${cond}), 0)`;
    return `CAST(${agg} AS INTEGER) AS ${quoteIdent(column)}`;
  }).join(',\n  ');
}
