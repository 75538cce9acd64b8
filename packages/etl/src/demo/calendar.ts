/**
 * School years in England (2019/20 to 2024/25) as a typical LA sets them: three terms with half
 * terms, bank holidays, and five INSET (`#`) days per school, giving about 195 days on which the
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

interface HalfTerm {
  term: Term;
  from: string;
  to: string;
}

interface YearDates {
  halfTerms: HalfTerm[];
  /** Bank holidays that fall inside a half term. */
  bankHolidays: string[];
  /** INSET day patterns schools choose from; default: {@link insetPatternsOf}. */
  inset?: string[][];
}

const ht = (term: Term, from: string, to: string): HalfTerm => ({ term, from, to });

/**
 * Term dates as a typical West Midlands LA set them, each year giving about 195 register days.
 * Bank holidays inside a half term: the early-May bank holiday (moved to Friday 8 May in 2020 for
 * VE Day), the Queen's state funeral (19 September 2022) and the Coronation (8 May 2023).
 */
const YEARS: Record<string, YearDates> = {
  '2019/20': {
    halfTerms: [
      ht('autumn', '2019-09-03', '2019-10-25'), ht('autumn', '2019-11-04', '2019-12-20'),
      ht('spring', '2020-01-06', '2020-02-14'), ht('spring', '2020-02-24', '2020-04-03'),
      ht('summer', '2020-04-20', '2020-05-22'), ht('summer', '2020-06-01', '2020-07-21'),
    ],
    bankHolidays: ['2020-05-08'],
  },
  '2020/21': {
    halfTerms: [
      ht('autumn', '2020-09-01', '2020-10-23'), ht('autumn', '2020-11-02', '2020-12-18'),
      ht('spring', '2021-01-04', '2021-02-12'), ht('spring', '2021-02-22', '2021-04-01'),
      ht('summer', '2021-04-19', '2021-05-28'), ht('summer', '2021-06-07', '2021-07-21'),
    ],
    bankHolidays: ['2021-05-03'],
  },
  '2021/22': {
    halfTerms: [
      ht('autumn', '2021-09-01', '2021-10-22'), ht('autumn', '2021-11-01', '2021-12-17'),
      ht('spring', '2022-01-05', '2022-02-18'), ht('spring', '2022-02-28', '2022-04-08'),
      ht('summer', '2022-04-25', '2022-05-27'), ht('summer', '2022-06-06', '2022-07-22'),
    ],
    bankHolidays: ['2022-05-02'],
  },
  '2022/23': {
    halfTerms: [
      ht('autumn', '2022-09-01', '2022-10-21'), ht('autumn', '2022-10-31', '2022-12-16'),
      ht('spring', '2023-01-03', '2023-02-10'), ht('spring', '2023-02-20', '2023-03-31'),
      ht('summer', '2023-04-17', '2023-05-26'), ht('summer', '2023-06-05', '2023-07-25'),
    ],
    bankHolidays: ['2022-09-19', '2023-05-01', '2023-05-08'],
  },
  '2023/24': {
    halfTerms: [
      ht('autumn', '2023-09-04', '2023-10-27'), ht('autumn', '2023-11-06', '2023-12-22'),
      ht('spring', '2024-01-08', '2024-02-09'), ht('spring', '2024-02-19', '2024-03-28'),
      ht('summer', '2024-04-15', '2024-05-24'), ht('summer', '2024-06-03', '2024-07-23'),
    ],
    bankHolidays: ['2024-05-06'],
  },
  '2024/25': {
    halfTerms: [
      ht('autumn', '2024-09-02', '2024-10-25'), ht('autumn', '2024-11-04', '2024-12-20'),
      ht('spring', '2025-01-06', '2025-02-14'), ht('spring', '2025-02-24', '2025-04-04'),
      ht('summer', '2025-04-22', '2025-05-23'), ht('summer', '2025-06-02', '2025-07-22'),
    ],
    bankHolidays: ['2025-05-05'],
    inset: [
      ['2024-09-02', '2024-09-03', '2025-01-06', '2025-06-02', '2025-07-22'],
      ['2024-09-02', '2024-10-25', '2025-01-06', '2025-02-24', '2025-07-22'],
      ['2024-09-02', '2024-09-03', '2024-11-04', '2025-04-22', '2025-07-21'],
    ],
  },
};

export const SUPPORTED_ACADEMIC_YEARS = Object.keys(YEARS) as readonly string[];

/**
 * The three INSET patterns of a year, from its half terms: the first two days of the year, the
 * first day of spring, the first day of the last half term and the last day; the first day and
 * the last day of each of the first half term, spring and the second spring half term, and the
 * year; or the first two days, the first days of the second and fifth half terms and the
 * last-but-one day.
 */
function insetPatternsOf(days: SchoolDay[]): number[][] {
  const first = (h: number) => days.find((d) => d.halfTerm === h)!.index;
  const lastOf = (h: number) => days.filter((d) => d.halfTerm === h).at(-1)!.index;
  const end = days.length - 1;
  return [
    [first(1), first(1) + 1, first(3), first(6), end],
    [first(1), lastOf(1), first(3), first(4), end],
    [first(1), first(1) + 1, first(2), first(5), end - 1],
  ];
}

/** The `n` academic years ending with `last`, oldest first (`2019/20` … `2024/25` for 6 ending 2024/25). */
export function academicYearsEnding(last: string, n: number): string[] {
  const y = Number(last.slice(0, 4));
  if (!/^\d{4}\/\d{2}$/.test(last) || !Number.isInteger(n) || n < 1) throw new Error(`cannot list ${n} academic years ending ${last}`);
  return Array.from({ length: n }, (_, i) => {
    const start = y - n + 1 + i;
    return `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
  });
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function buildCalendar(academicYear: string): SchoolCalendar {
  const year = YEARS[academicYear];
  if (!year) {
    throw new Error(`the demo calendar covers ${SUPPORTED_ACADEMIC_YEARS.join(', ')} only, not ${academicYear}`);
  }
  const bankHolidays = new Set(year.bankHolidays);
  const days: SchoolDay[] = [];
  year.halfTerms.forEach((ht, h) => {
    const start = days.length;
    for (let t = Date.parse(`${ht.from}T00:00:00Z`); t <= Date.parse(`${ht.to}T00:00:00Z`); t += 86_400_000) {
      const d = new Date(t);
      const weekday = d.getUTCDay();
      const date = isoDate(d);
      if (weekday === 0 || weekday === 6 || bankHolidays.has(date)) continue;
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
  const insetPatterns = year.inset
    ? year.inset.map((p) =>
        p.map((date) => {
          const i = byDate.get(date);
          if (i === undefined) throw new Error(`INSET day ${date} is not a term day`);
          return i;
        }),
      )
    : insetPatternsOf(days);
  const summerHalfTerm2Start = days.find((d) => d.halfTerm === 6)!.index;
  return { academicYear, days, termRange, summerHalfTerm2Start, insetPatterns };
}

/** `2024/25` → `2024-25` (folder names cannot hold a slash). */
export function yearSlug(academicYear: string): string {
  return academicYear.replace('/', '-');
}
