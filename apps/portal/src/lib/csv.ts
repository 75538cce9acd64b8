/** A CSV cell: text, a number, or empty (`null`). */
export type CsvValue = string | number | null;

// Spreadsheet programs run cells that start with these as formulas (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
    return String(value);
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV: a header row, then one record per row, CRLF line breaks, fields quoted only when
 * they hold a comma, quote or line break. Text that a spreadsheet would run as a formula is
 * prefixed with `'`. Every row must have as many cells as the header.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header.map(cell).join(',')];
  rows.forEach((row, index) => {
    if (row.length !== header.length) {
      throw new RangeError(`CSV row ${index + 1} has ${row.length} cells; the header has ${header.length}`);
    }
    lines.push(row.map(cell).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}
