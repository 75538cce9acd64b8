import { describe, expect, it } from 'vitest';
import { academicYearSlug, isAcademicYear, newestFirst, parseSelection } from './la-overview.js';

const loaded = ['2023/24', '2024/25'];

describe('parseSelection', () => {
  it('defaults to the newest loaded year and the DfE scope', () => {
    expect(parseSelection(new URLSearchParams(''), loaded)).toEqual({
      ok: true,
      selection: { year: '2024/25', scope: 'DFE' },
    });
  });

  it('reads the year and scope chosen in the form', () => {
    expect(parseSelection(new URLSearchParams('year=2023/24&scope=operational'), loaded)).toEqual({
      ok: true,
      selection: { year: '2023/24', scope: 'OPERATIONAL' },
    });
    expect(parseSelection(new URLSearchParams('scope=OPERATIONAL'), loaded)).toMatchObject({ ok: true, selection: { scope: 'OPERATIONAL' } });
  });

  it('names the problem when a value could not have come from the form', () => {
    expect(parseSelection(new URLSearchParams('scope=all'), loaded)).toMatchObject({ ok: false, problem: { field: 'scope', status: 400 } });
    expect(parseSelection(new URLSearchParams('year=2024'), loaded)).toMatchObject({ ok: false, problem: { field: 'year', status: 400 } });
    expect(parseSelection(new URLSearchParams('year=2019/20'), loaded)).toEqual({
      ok: false,
      problem: { field: 'year', status: 404, message: 'No attendance data is loaded for 2019/20' },
    });
    expect(parseSelection(new URLSearchParams(''), [])).toMatchObject({ ok: false, problem: { status: 404 } });
  });
});

describe('academic years', () => {
  it('accepts only consecutive years written 2024/25', () => {
    expect(isAcademicYear('2024/25')).toBe(true);
    expect(isAcademicYear('1999/00')).toBe(true);
    expect(isAcademicYear('2024/26')).toBe(false);
    expect(isAcademicYear('2024-25')).toBe(false);
  });

  it('orders newest first without duplicates and makes file-name slugs', () => {
    expect(newestFirst(['2022/23', '2024/25', '2022/23', '2023/24'])).toEqual(['2024/25', '2023/24', '2022/23']);
    expect(academicYearSlug('2024/25')).toBe('2024-25');
  });
});
