import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  academicYearEnd,
  academicYearFromPath,
  academicYearOf,
  academicYearStart,
  addDays,
  ageAt31August,
  easterSunday,
  isAcademicYear,
  isSummerHalfTerm2,
  nextAcademicYear,
  pathYear,
  summerHalfTerm2Start,
  termDates,
  termOf,
} from './calendar.js';

describe('academic years (1 August – 31 July, methodology §2.3)', () => {
  it('places the boundary between 31 July and 1 August', () => {
    expect(academicYearOf('2024-07-31')).toBe('2023/24');
    expect(academicYearOf('2024-08-01')).toBe('2024/25');
    expect(academicYearOf('2025-07-31')).toBe('2024/25');
    expect(academicYearOf('1999-12-31')).toBe('1999/00');
  });

  it('gives start and end dates and the next year', () => {
    expect(academicYearStart('2024/25')).toBe('2024-08-01');
    expect(academicYearEnd('2024/25')).toBe('2025-07-31');
    expect(nextAcademicYear('2099/00')).toBe('2100/01');
  });

  it('rejects malformed years and dates', () => {
    expect(isAcademicYear('2024/25')).toBe(true);
    expect(isAcademicYear('2024/26')).toBe(false);
    expect(isAcademicYear('2024-25')).toBe(false);
    expect(() => academicYearStart('2024/2025')).toThrow(RangeError);
    expect(() => academicYearOf('2025-02-29')).toThrow(RangeError);
    expect(() => academicYearOf('25/12/2024')).toThrow(RangeError);
  });

  it('converts to and from the lake path form (ADR 0002)', () => {
    expect(pathYear('2024/25')).toBe('2024-25');
    expect(academicYearFromPath('2024-25')).toBe('2024/25');
    expect(() => academicYearFromPath('2024-26')).toThrow(RangeError);
    expect(() => pathYear('2024-25')).toThrow(RangeError);
  });
});

describe('ageAt31August (age on 31 August at the start of the year, methodology §2.2)', () => {
  it('counts a birthday on 31 August, not one on 1 September', () => {
    expect(ageAt31August('2019-08-31', '2024/25')).toBe(5);
    expect(ageAt31August('2019-09-01', '2024/25')).toBe(4);
    expect(ageAt31August('2009-01-15', '2024/25')).toBe(15);
    expect(ageAt31August('2008-08-31', '2024/25')).toBe(16);
  });

  it('handles 29 February birthdays', () => {
    expect(ageAt31August('2016-02-29', '2021/22')).toBe(5);
  });
});

describe('Easter and census terms (FORMATS.md §2, methodology §2.3)', () => {
  it('computes Easter Sunday', () => {
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2019)).toBe('2019-04-21');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2038)).toBe('2038-04-25'); // latest possible date
    expect(easterSunday(2285)).toBe('2285-03-22'); // earliest possible date
  });

  it('always gives a Sunday between 22 March and 25 April', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1583, max: 4099 }), (year) => {
        const e = easterSunday(year);
        expect(new Date(`${e}T00:00:00Z`).getUTCDay()).toBe(0);
        expect(e >= `${year}-03-22` && e <= `${year}-04-25`).toBe(true);
      }),
    );
  });

  it('splits the year at 1 January and Easter Sunday/Monday', () => {
    expect(termOf('2024-08-01')).toBe('autumn');
    expect(termOf('2024-12-31')).toBe('autumn');
    expect(termOf('2025-01-01')).toBe('spring');
    expect(termOf('2025-04-20')).toBe('spring'); // Easter Sunday ends spring
    expect(termOf('2025-04-21')).toBe('summer'); // Easter Monday starts summer
    expect(termOf('2025-07-31')).toBe('summer');
    expect(termDates('2024/25', 'summer')).toEqual({ start: '2025-04-21', end: '2025-07-31' });
    expect(termDates('2023/24', 'spring')).toEqual({ start: '2024-01-01', end: '2024-03-31' });
  });

  it('agrees with termDates for every day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 30 }), (n) => {
        const date = addDays('2000-01-01', n);
        const { start, end } = termDates(academicYearOf(date), termOf(date));
        expect(date >= start && date <= end).toBe(true);
      }),
    );
  });
});

describe('summer half-term 2 (spring bank holiday – 31 July, methodology §8 rule 9)', () => {
  it('starts on the last Monday in May', () => {
    expect(summerHalfTerm2Start('2024/25')).toBe('2025-05-26');
    expect(summerHalfTerm2Start('2023/24')).toBe('2024-05-27');
    expect(summerHalfTerm2Start('2025/26')).toBe('2026-05-25');
    expect(summerHalfTerm2Start('2020/21')).toBe('2021-05-31'); // 31 May is itself a Monday
  });

  it('knows which dates are in it', () => {
    expect(isSummerHalfTerm2('2025-05-25')).toBe(false);
    expect(isSummerHalfTerm2('2025-05-26')).toBe(true);
    expect(isSummerHalfTerm2('2025-07-31')).toBe(true);
    expect(isSummerHalfTerm2('2025-08-01')).toBe(false);
  });
});
