/**
 * Every number and date the portal shows goes through these formatters, so the whole service
 * reads the same way (GOV.UK style: `22 Nov 2026`, `94.3%`, `12,345`).
 */

// Fixed abbreviations: ICU's en-GB data says "Sept", GOV.UK style says "Sep".
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date as `22 Nov 2026`. Accepts `YYYY-MM-DD` or a `Date` (read in UTC). */
export function formatDate(value: Date | string): string {
  let year: number;
  let month: number;
  let day: number;
  if (typeof value === 'string') {
    const match = ISO_DATE.exec(value);
    if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${value}`);
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new RangeError(`Not a calendar date: ${value}`);
    }
  } else {
    if (Number.isNaN(value.getTime())) throw new RangeError('Invalid Date');
    [year, month, day] = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()];
  }
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * A moment as `22 Nov 2026 at 07:10` (UTC, as the API keeps time), or with `seconds`,
 * `22 Nov 2026 at 07:10:03`. Accepts an ISO timestamp or a `Date`.
 */
export function formatDateTime(value: Date | string, options: { seconds?: boolean } = {}): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a timestamp: ${String(value)}`);
  const iso = date.toISOString();
  return `${formatDate(date)} at ${iso.slice(11, options.seconds ? 19 : 16)}`;
}

/** Text shown where a rate cannot be computed (no possible sessions). */
export const NO_RATE = 'No data';

/** A percentage (0–100) to one decimal place with `%`, e.g. `94.3%`. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_RATE;
  return `${roundTo(value, 1).toFixed(1)}%`;
}

/** Shown for a count withheld because it is 1 to 4 pupils (the DfE's word for it). */
export const WITHHELD = 'low';

/** A whole number with thousands separators, e.g. `12,345`; `low` when withheld (null). */
export function formatCount(value: number | null): string {
  return value === null ? WITHHELD : COUNT.format(value);
}

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/**
 * Round half away from zero at `digits` decimal places. `toFixed` alone rounds the binary value
 * (1.005 → "1.00"); going through exponent notation rounds the decimal the reader sees.
 */
export function roundTo(value: number, digits: number): number {
  const sign = value < 0 ? -1 : 1;
  const rounded = Number(`${Math.round(Number(`${Math.abs(value)}e${digits}`))}e-${digits}`);
  return sign * rounded;
}
