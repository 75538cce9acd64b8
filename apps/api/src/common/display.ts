/**
 * Dates in words the API writes for people (PDF packs, concern messages), as the portal shows
 * them: `22 Nov 2026`, GOV.UK style. Data keeps `YYYY-MM-DD`.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-01-15` → `15 Jan 2025`. */
export function displayDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new RangeError(`Not a YYYY-MM-DD date: ${iso}`);
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** `2026-11-22T07:10:03Z` → `22 Nov 2026 at 07:10` (UTC). */
export function displayDateTime(iso: string): string {
  return `${displayDate(iso)} at ${iso.slice(11, 16)}`;
}
