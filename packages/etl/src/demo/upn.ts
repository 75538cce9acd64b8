/**
 * Unique pupil numbers (DfE "A guide to UPNs"): 13 characters. Character 1 is a check letter over
 * characters 2–13, weighted 2–13, modulus 23, read from the letter table below. Characters 2–4 are
 * the LA number, 5–8 the establishment number, 9–10 the year of allocation, 11–13 a serial.
 * A temporary UPN ends in a letter (never I, O or S), which counts as its index in the table.
 */
const LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

function charValue(ch: string): number {
  const code = ch.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  return LETTERS.indexOf(ch);
}

/**
 * The check letter for the 12 characters that follow it (positions 2–13), or `null` when those
 * characters cannot form a UPN (not 11 digits then a digit or a table letter).
 */
export function upnCheckLetter(body: string): string | null {
  if (!/^[0-9]{11}[0-9ABCDEFGHJKLMNPQRTUVWXYZ]$/.test(body)) return null;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += charValue(body[i]) * (i + 2);
  return LETTERS[sum % 23];
}

/** True when `upn` is 13 characters with a valid check letter (permanent or temporary UPN). */
export function isValidUpn(upn: string): boolean {
  if (upn.length !== 13) return false;
  return upnCheckLetter(upn.slice(1)) === upn[0];
}

/**
 * The SQL twin of {@link isValidUpn} for DuckDB: a BOOLEAN expression over `upn` (an SQL expression
 * of type VARCHAR, upper case), false for NULL. Same rule, same letter table: characters 2–12 digits,
 * character 13 a digit or a table letter, and character 1 the check letter of their weighted sum.
 */
export function upnValidSql(upn: string): string {
  const char = (position: number) => `substr(${upn}, ${position}, 1)`;
  const digits = Array.from({ length: 11 }, (_, i) => `(ascii(${char(i + 2)}) - 48) * ${i + 2}`);
  const last = `(CASE WHEN ${char(13)} BETWEEN '0' AND '9' THEN ascii(${char(13)}) - 48 ELSE strpos('${LETTERS}', ${char(13)}) - 1 END) * 13`;
  return `coalesce(regexp_full_match(${upn}, '[${LETTERS}][0-9]{11}[0-9${LETTERS}]')
    AND substr('${LETTERS}', 1 + (${[...digits, last].join(' + ')}) % 23, 1) = ${char(1)}, false)`;
}

/** A permanent UPN from its parts: LA number (3 digits), establishment (4), year (2), serial (3). */
export function makeUpn(laCode: number, estab: number, year: number, serial: number): string {
  const body =
    String(laCode).padStart(3, '0') +
    String(estab % 10000).padStart(4, '0') +
    String(year % 100).padStart(2, '0') +
    String(serial % 1000).padStart(3, '0');
  const check = upnCheckLetter(body);
  if (check === null) throw new Error(`cannot build a UPN from ${body}`);
  return check + body;
}
