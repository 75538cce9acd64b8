import { describe, expect, it } from 'vitest';
import { academicYearsEnding, buildCalendar, SUPPORTED_ACADEMIC_YEARS } from './calendar.js';

/** Easter Sunday, which ends the spring term in the school census. */
const EASTER: Record<string, string> = {
  '2019/20': '2020-04-12', '2020/21': '2021-04-04', '2021/22': '2022-04-17',
  '2022/23': '2023-04-09', '2023/24': '2024-03-31', '2024/25': '2025-04-20',
};

describe('2024/25 calendar', () => {
  const cal = buildCalendar('2024/25');

  it('has 195 register days, 5 INSET days per pattern and so 380 possible sessions', () => {
    expect(cal.days).toHaveLength(195);
    for (const p of cal.insetPatterns) {
      expect(new Set(p).size).toBe(5);
      expect((cal.days.length - p.length) * 2).toBe(380);
    }
  });

  it('skips half terms and bank holidays', () => {
    const dates = new Set(cal.days.map((d) => d.date));
    expect(dates.has('2024-10-28')).toBe(false); // October half term
    expect(dates.has('2025-02-17')).toBe(false); // February half term
    expect(dates.has('2025-05-05')).toBe(false); // early May bank holiday
    expect(dates.has('2025-05-26')).toBe(false); // spring bank holiday / May half term
    expect(dates.has('2025-04-21')).toBe(false); // Easter Monday
    expect(cal.days[cal.summerHalfTerm2Start].date).toBe('2025-06-02');
  });
});

describe.each(SUPPORTED_ACADEMIC_YEARS.map((y) => [y]))('%s calendar', (year) => {
  const cal = buildCalendar(year);
  const y0 = Number(year.slice(0, 4));

  it('has about 195 register days and five distinct INSET days in each pattern', () => {
    expect(cal.days.length).toBeGreaterThanOrEqual(194);
    expect(cal.days.length).toBeLessThanOrEqual(196);
    expect(cal.insetPatterns).toHaveLength(3);
    for (const p of cal.insetPatterns) expect(new Set(p).size).toBe(5);
  });

  it('keeps terms inside the census boundaries, on weekdays', () => {
    for (const d of cal.days) {
      if (d.term === 'autumn') expect(d.date >= `${y0}-08-01` && d.date <= `${y0}-12-31`).toBe(true);
      if (d.term === 'spring') expect(d.date >= `${y0 + 1}-01-01` && d.date <= EASTER[year]!).toBe(true);
      if (d.term === 'summer') expect(d.date > EASTER[year]! && d.date <= `${y0 + 1}-07-31`).toBe(true);
      expect(d.weekday).toBeGreaterThanOrEqual(1);
      expect(d.weekday).toBeLessThanOrEqual(5);
    }
  });
});

describe('calendar years', () => {
  it('lists the years ending with a year, oldest first', () => {
    expect(academicYearsEnding('2024/25', 6)).toEqual(['2019/20', '2020/21', '2021/22', '2022/23', '2023/24', '2024/25']);
    expect(academicYearsEnding('2024/25', 1)).toEqual(['2024/25']);
    expect(academicYearsEnding('2099/00', 2)).toEqual(['2098/99', '2099/00']);
  });

  it('refuses years it has no calendar for', () => {
    expect(() => buildCalendar('2018/19')).toThrow(/2019\/20, .*2024\/25 only/);
    expect(SUPPORTED_ACADEMIC_YEARS).toEqual(['2019/20', '2020/21', '2021/22', '2022/23', '2023/24', '2024/25']);
  });

  it('keeps the state funeral and the Coronation off the 2022/23 registers', () => {
    const dates = new Set(buildCalendar('2022/23').days.map((d) => d.date));
    expect([dates.has('2022-09-19'), dates.has('2023-05-08'), dates.has('2022-09-20')]).toEqual([false, false, true]);
  });
});
