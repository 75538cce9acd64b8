/**
 * The 2024/25 school year in England as a typical LA sets it: three terms with half terms, the
 * early-May bank holiday, and five INSET (`#`) days per school, giving 195 days on which the
 * register is marked, 190 teaching days and 380 possible sessions.
 */
export type Term = 'autumn' | 'spring' | 'summer';

export interface SchoolDay {
  index: number;
  date: string; // YYYY-MM-DD
  /** 1 = Monday … 5 = Friday */
  weekday: number;
  month: number;
  term: Term;
  /** 1–6 */
  halfTerm: number;
  /** true for the first and last school day of a half term (holidays are booked around these). */
  edge: 'start' | 'end' | null;
}

export interface SchoolCalendar {
  academicYear: string;
  days: SchoolDay[];
  /** First day index of each term, and one past the last. */
  termRange: Record<Term, [number, number]>;
  /** First day index of summer second half term (DfE removes it for pupils aged 15). */
  summerHalfTerm2Start: number;
  /** The INSET day patterns schools choose from (day indexes). */
  insetPatterns: number[][];
}

const HALF_TERMS: { term: Term; from: string; to: string }[] = [
  { term: 'autumn', from: '2024-09-02', to: '2024-10-25' },
  { term: 'autumn', from: '2024-11-04', to: '2024-12-20' },
  { term: 'spring', from: '2025-01-06', to: '2025-02-14' },
  { term: 'spring', from: '2025-02-24', to: '2025-04-04' },
  { term: 'summer', from: '2025-04-22', to: '2025-05-23' },
  { term: 'summer', from: '2025-06-02', to: '2025-07-22' },
];

/** Bank holidays that fall inside a half term (early May bank holiday). */
const BANK_HOLIDAYS = new Set(['2025-05-05']);

const INSET_PATTERNS = [
  ['2024-09-02', '2024-09-03', '2025-01-06', '2025-06-02', '2025-07-22'],
  ['2024-09-02', '2024-10-25', '2025-01-06', '2025-02-24', '2025-07-22'],
  ['2024-09-02', '2024-09-03', '2024-11-04', '2025-04-22', '2025-07-21'],
];

export const SUPPORTED_ACADEMIC_YEARS = ['2024/25'] as const;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function buildCalendar(academicYear: string): SchoolCalendar {
  if (academicYear !== '2024/25') {
    throw new Error(`the demo calendar covers ${SUPPORTED_ACADEMIC_YEARS.join(', ')} only, not ${academicYear}`);
  }
  const days: SchoolDay[] = [];
  HALF_TERMS.forEach((ht, h) => {
    const start = days.length;
    for (let t = Date.parse(`${ht.from}T00:00:00Z`); t <= Date.parse(`${ht.to}T00:00:00Z`); t += 86_400_000) {
      const d = new Date(t);
      const weekday = d.getUTCDay();
      const date = isoDate(d);
      if (weekday === 0 || weekday === 6 || BANK_HOLIDAYS.has(date)) continue;
      days.push({ index: days.length, date, weekday, month: d.getUTCMonth() + 1, term: ht.term, halfTerm: h + 1, edge: null });
    }
    days[start].edge = 'start';
    days[days.length - 1].edge = 'end';
  });
  const termRange = {} as Record<Term, [number, number]>;
  for (const term of ['autumn', 'spring', 'summer'] as Term[]) {
    const idx = days.filter((d) => d.term === term).map((d) => d.index);
    termRange[term] = [idx[0], idx[idx.length - 1] + 1];
  }
  const byDate = new Map(days.map((d) => [d.date, d.index]));
  const insetPatterns = INSET_PATTERNS.map((p) =>
    p.map((date) => {
      const i = byDate.get(date);
      if (i === undefined) throw new Error(`INSET day ${date} is not a term day`);
      return i;
    }),
  );
  const summerHalfTerm2Start = days.find((d) => d.halfTerm === 6)!.index;
  return { academicYear, days, termRange, summerHalfTerm2Start, insetPatterns };
}

/** `2024/25` → `2024-25` (folder names cannot hold a slash). */
export function yearSlug(academicYear: string): string {
  return academicYear.replace('/', '-');
}
