import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';

describe('toCsv', () => {
  it('writes a header row and CRLF-terminated records', () => {
    expect(toCsv(['urn', 'name', 'rate'], [[100001, 'Oak Primary', 94.25], [100002, 'Elm', null]])).toBe(
      'urn,name,rate\r\n100001,Oak Primary,94.25\r\n100002,Elm,\r\n',
    );
  });

  it('quotes commas, quotes and line breaks as RFC 4180 says', () => {
    const csv = toCsv(['name'], [['St Mary\'s, Church of England'], ['The "New" School'], ['Line\nbreak']]);
    expect(csv).toBe('name\r\n"St Mary\'s, Church of England"\r\n"The ""New"" School"\r\n"Line\nbreak"\r\n');
  });

  it('neutralises text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(toCsv(['a', 'b'], [['=HYPERLINK("x")', -1.5]])).toBe('a,b\r\n"\'=HYPERLINK(""x"")",-1.5\r\n');
  });

  it('refuses ragged rows and non-finite numbers', () => {
    expect(() => toCsv(['a', 'b'], [[1]])).toThrow(/row 1 has 1 cells/);
    expect(() => toCsv(['a'], [[Number.POSITIVE_INFINITY]])).toThrow(RangeError);
  });
});
