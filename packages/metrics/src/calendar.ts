/**
 * Academic calendar helpers. Every date is an ISO `YYYY-MM-DD` string and every academic year is
 * written `2024/25` (in data) or `2024-25` (in lake paths, ADR 0002). All arithmetic is done in
 * UTC on calendar dates, so results never depend on the machine's time zone.
 */

/** An academic year as written in data: `'2024/25'`. */
export type AcademicYear = string;

/** A census term (FORMATS.md §2; methodology §2.3). */
export type Term = 'autumn' | 'spring' | 'summer';

/** The three terms in calendar order within an academic year. */
export const TERMS: readonly Term[] = ['autumn', 'spring', 'summer'];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ACADEMIC_YEAR = /^(\d{4})\/(\d{2})$/;
const PATH_YEAR = /^(\d{4})-(\d{2})$/;

interface DateParts {
  year: number;
  month: number;
  day: number;
}

function parseDate(date: string): DateParts {
  const m = ISO_DATE.exec(date);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    const day = Number(m[3]);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new RangeError(`Expected a date written YYYY-MM-DD, got '${date}'`);
}

function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Whether `date` is a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(date: string): boolean {
  try {
    parseDate(date);
    return true;
  } catch {
    return false;
  }
}

/** Whether `ay` is an academic year written `2024/25` (the second year follows the first). */
export function isAcademicYear(ay: string): boolean {
  const m = ACADEMIC_YEAR.exec(ay);
  return m !== null && (Number(m[1]) + 1) % 100 === Number(m[2]);
}

/** The calendar year in which academic year `ay` starts: `2024` for `'2024/25'`. */
export function academicYearStartYear(ay: AcademicYear): number {
  if (!isAcademicYear(ay)) throw new RangeError(`Expected an academic year written like 2024/25, got '${ay}'`);
  return Number(ay.slice(0, 4));
}

/** The academic year that starts on 1 August of `startYear`: `2024` → `'2024/25'`. */
export function academicYearFromStartYear(startYear: number): AcademicYear {
  if (!Number.isInteger(startYear) || startYear < 1000 || startYear > 9998) {
    throw new RangeError(`Expected a four-digit start year, got ${startYear}`);
  }
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;
}

/**
 * The academic year a date falls in. Academic years run 1 August – 31 July, the span of the
 * school census absence collections (methodology §2.3, S1).
 *
 * @example academicYearOf('2024-08-01') // '2024/25'
 * @example academicYearOf('2025-07-31') // '2024/25'
 */
export function academicYearOf(date: string): AcademicYear {
  const { year, month } = parseDate(date);
  return academicYearFromStartYear(month >= 8 ? year : year - 1);
}

/** First day of academic year `ay`: `'2024/25'` → `'2024-08-01'`. */
export function academicYearStart(ay: AcademicYear): string {
  return formatDate(academicYearStartYear(ay), 8, 1);
}

/** Last day of academic year `ay`: `'2024/25'` → `'2025-07-31'`. */
export function academicYearEnd(ay: AcademicYear): string {
  return formatDate(academicYearStartYear(ay) + 1, 7, 31);
}

/** The academic year after `ay`: `'2024/25'` → `'2025/26'`. */
export function nextAcademicYear(ay: AcademicYear): AcademicYear {
  return academicYearFromStartYear(academicYearStartYear(ay) + 1);
}

/**
 * Age in whole years on 31 August at the start of academic year `ay` (31 August 2024 for
 * `'2024/25'`). DfE statistics cover pupils aged 5–15 on that day (methodology §2.2, S1).
 * A child born on 29 February has their birthday on 1 March in other years, so turns a year
 * older after 31 August in the usual way.
 */
export function ageAt31August(dob: string, ay: AcademicYear): number {
  const birth = parseDate(dob);
  const year = academicYearStartYear(ay);
  let age = year - birth.year;
  // Birthday not yet reached by 31 August: month after August, or never (born after).
  if (birth.month > 8) age -= 1;
  return age;
}

/**
 * Easter Sunday of a Gregorian year (anonymous Gregorian computus, Meeus/Jones/Butcher).
 * @example easterSunday(2025) // '2025-04-20'
 */
export function easterSunday(year: number): string {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`Expected a Gregorian year, got ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return formatDate(year, month, day);
}

/**
 * The census term a date belongs to (FORMATS.md §2; methodology §2.3, S1): autumn 1 August –
 * 31 December, spring 1 January – Easter Sunday, summer Easter Monday – 31 July.
 */
export function termOf(date: string): Term {
  const { year, month } = parseDate(date);
  if (month >= 8) return 'autumn';
  return date <= easterSunday(year) ? 'spring' : 'summer';
}

/** First and last day of `term` in academic year `ay`, by the census boundaries of {@link termOf}. */
export function termDates(ay: AcademicYear, term: Term): { start: string; end: string } {
  const start = academicYearStartYear(ay);
  switch (term) {
    case 'autumn':
      return { start: formatDate(start, 8, 1), end: formatDate(start, 12, 31) };
    case 'spring':
      return { start: formatDate(start + 1, 1, 1), end: easterSunday(start + 1) };
    case 'summer':
      return { start: addDays(easterSunday(start + 1), 1), end: formatDate(start + 1, 7, 31) };
  }
}

/**
 * First day of the second half of the summer term of academic year `ay`: the spring bank
 * holiday, taken as the last Monday in May of the summer of that year (methodology §2.3 and §8
 * rule 9, S1). Used to drop 15-year-olds' summer HT2 sessions and late joiners (§2.2).
 *
 * Limitation: in the jubilee years 2012 and 2022 the bank holiday itself was moved by
 * proclamation (4 June 2012, 2 June 2022); this function keeps the statutory rule.
 *
 * @example summerHalfTerm2Start('2024/25') // '2025-05-26'
 */
export function summerHalfTerm2Start(ay: AcademicYear): string {
  const year = academicYearStartYear(ay) + 1;
  const may31 = new Date(Date.UTC(year, 4, 31));
  const back = (may31.getUTCDay() + 6) % 7; // days since Monday
  return formatDate(year, 5, 31 - back);
}

/** Whether `date` is in the second half of the summer term (spring bank holiday – 31 July). */
export function isSummerHalfTerm2(date: string): boolean {
  const ay = academicYearOf(date);
  return date >= summerHalfTerm2Start(ay) && date <= academicYearEnd(ay);
}

/**
 * The academic year as written in lake paths (ADR 0002): `'2024/25'` → `'2024-25'`.
 * {@link academicYearFromPath} goes back.
 */
export function pathYear(ay: AcademicYear): string {
  if (!isAcademicYear(ay)) throw new RangeError(`Expected an academic year written like 2024/25, got '${ay}'`);
  return ay.replace('/', '-');
}

/** The academic year from its lake-path form: `'2024-25'` → `'2024/25'`. */
export function academicYearFromPath(segment: string): AcademicYear {
  const m = PATH_YEAR.exec(segment);
  const ay = m ? `${m[1]}/${m[2]}` : '';
  if (!isAcademicYear(ay)) throw new RangeError(`Expected an academic year written like 2024-25, got '${segment}'`);
  return ay;
}

/** `date` plus `days` calendar days (negative to go back). */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);
  const t = new Date(Date.UTC(year, month - 1, day + days));
  return formatDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}
