/** Parse RFC 4180 CSV strictly (CRLF records, quoted fields); throws on anything else. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i += 1;
      } else {
        field += c;
        i += 1;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i += 1;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (c === '\n' || c === '\r' || c === '"') {
      throw new Error(`Not RFC 4180 CSV: bare ${JSON.stringify(c)} at character ${i}`);
    } else {
      field += c;
      i += 1;
    }
  }
  if (quoted) throw new Error('Not RFC 4180 CSV: unterminated quoted field');
  if (field !== '' || row.length > 0) throw new Error('Not RFC 4180 CSV: last record has no CRLF');
  return rows;
}
