import { describe, expect, it } from 'vitest';
import { formatCount, formatDate, formatDateTime, formatPercent, NO_RATE, roundTo } from './format.js';

describe('formatDate', () => {
  it('writes dates GOV.UK style', () => {
    expect(formatDate('2026-11-22')).toBe('22 Nov 2026');
    expect(formatDate('2025-09-01')).toBe('1 Sep 2025');
    expect(formatDate(new Date(Date.UTC(2024, 0, 5, 23, 59)))).toBe('5 Jan 2024');
  });

  it('rejects text that is not a calendar date', () => {
    expect(() => formatDate('2025-02-30')).toThrow(RangeError);
    expect(() => formatDate('22/11/2026')).toThrow(RangeError);
    expect(() => formatDate(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('formatPercent', () => {
  it('rounds to one decimal place, half away from zero', () => {
    expect(formatPercent(94.25)).toBe('94.3%');
    expect(formatPercent(94.24999)).toBe('94.2%');
    expect(formatPercent(1.05)).toBe('1.1%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatPercent(100)).toBe('100.0%');
  });

  it('says so when there is no rate', () => {
    expect(formatPercent(null)).toBe(NO_RATE);
    expect(formatPercent(undefined)).toBe(NO_RATE);
    expect(formatPercent(Number.NaN)).toBe(NO_RATE);
  });
});

describe('formatCount and roundTo', () => {
  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(0)).toBe('0');
    // Withheld small numbers (fewer than 5 pupils) are never shown as a number.
    expect(formatCount(null)).toBe('low');
  });

  it('rounds the decimal value the reader sees', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(-2.345, 2)).toBe(-2.35);
    expect(roundTo(12.3456, 0)).toBe(12);
  });
});

describe('formatDateTime', () => {
  it('writes a UTC moment in GOV.UK style, to the minute or the second', () => {
    expect(formatDateTime('2026-11-22T07:10:03.512Z')).toBe('22 Nov 2026 at 07:10');
    expect(formatDateTime('2026-11-22T07:10:03.512Z', { seconds: true })).toBe('22 Nov 2026 at 07:10:03');
    // An offset is read as the moment it names, shown in UTC.
    expect(formatDateTime('2026-09-01T00:30:00+01:00')).toBe('31 Aug 2026 at 23:30');
    expect(formatDateTime(new Date(Date.UTC(2027, 0, 5, 9, 4)))).toBe('5 Jan 2027 at 09:04');
  });

  it('refuses what is not a timestamp', () => {
    expect(() => formatDateTime('yesterday')).toThrow(RangeError);
  });
});
