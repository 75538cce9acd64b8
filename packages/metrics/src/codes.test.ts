import { describe, expect, it } from 'vitest';
import {
  CODE_TOKENS,
  REGISTER_CODES,
  TREATMENT_BOUNDARIES,
  classifyMark,
  codesValidIn,
  erasOf,
  isValidCode,
  meaningOn,
  reasonColumn,
  registerCodeOn,
} from './codes.js';
import { academicYearOf, addDays } from './calendar.js';

const tokens = (ay: string): string[] => codesValidIn(ay).map((c) => c.code).sort();

describe('the 2024 code set (SI 2024/208 reg 10, S4; methodology §1.1)', () => {
  it('is exactly the codes of the regulations', () => {
    expect(tokens('2024/25')).toEqual(
      ['/', '\\', 'L', 'K', 'V', 'P', 'W', 'B', 'D', 'C1', 'M', 'J1', 'S', 'X', 'C2', 'C', 'T', 'R', 'I', 'E',
        'G', 'N', 'O', 'U', 'Q', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z', '#'].sort(),
    );
    expect(tokens('2030/31')).toEqual(tokens('2024/25'));
  });

  it('classifies every code as the DfE arithmetic proves (S3; §8 rule 1)', () => {
    const by = (cat: string): string[] =>
      codesValidIn('2024/25').filter((c) => c.category === cat).map((c) => c.code).sort();
    expect(by('present')).toEqual(['/', 'L', '\\'].sort());
    expect(by('aea')).toEqual(['B', 'K', 'P', 'V', 'W']);
    expect(by('authorised')).toEqual(['C', 'C1', 'C2', 'E', 'I', 'J1', 'M', 'R', 'S', 'T']);
    expect(by('unauthorised')).toEqual(['G', 'N', 'O', 'U']);
    expect(by('not_counted')).toEqual(['#', 'D', 'Q', 'X', 'Y1', 'Y2', 'Y3', 'Y4', 'Y5', 'Y6', 'Y7', 'Z']);
    for (const c of codesValidIn('2024/25')) expect(c.possibleSession).toBe(c.category !== 'not_counted');
  });
});

describe('the old code set (methodology §1.2)', () => {
  it('has H, J and single Y until 2023/24, and none of the 2024 codes', () => {
    expect(tokens('2023/24')).toEqual(
      ['/', '\\', 'B', 'C', 'D', 'E', 'G', 'H', 'I', 'J', 'L', 'M', 'N', 'O', 'P', 'R', 'S', 'T', 'U', 'V', 'W',
        'X', 'Y', 'Z', '#'].sort(),
    );
  });

  it('has F only until extended holidays ended in 2013 (S1)', () => {
    expect(isValidCode('F', '2012/13')).toBe(true);
    expect(isValidCode('F', '2013/14')).toBe(false);
  });

  it('switches J (attendance) to J1 (authorised) in 2024/25 — a series break', () => {
    expect(isValidCode('J', '2023/24')).toBe(true);
    expect(isValidCode('J', '2024/25')).toBe(false);
    expect(isValidCode('J1', '2023/24')).toBe(false);
    expect(isValidCode('J1', '2024/25')).toBe(true);
    expect(classifyMark('J', '2024-07-15')?.category).toBe('aea');
    expect(classifyMark('J1', '2024-09-15')?.category).toBe('authorised');
  });

  it('reads a code used outside its years with its nearest era, as DfE 2024/25 figures count H and J (S3)', () => {
    expect(classifyMark('J', '2024-09-15')?.category).toBe('aea');
    expect(classifyMark('H', '2025-01-06')?.category).toBe('authorised');
    expect(classifyMark('J1', '2023-09-15')?.category).toBe('authorised');
    expect(classifyMark('Y1', '2022-01-10')).toMatchObject({ category: 'not_counted', possible: false });
    expect(classifyMark('A', '2024-09-15')).toBeUndefined();
  });

  it('keeps C authorised in both eras, with its meaning narrowed in 2024', () => {
    expect(registerCodeOn('C', '2023-10-02')?.description).toMatch(/part-time/);
    expect(registerCodeOn('C', '2024-10-02')?.description).toMatch(/exceptional/);
    expect(classifyMark('C', '2023-10-02')?.category).toBe('authorised');
    expect(classifyMark('C', '2024-10-02')?.category).toBe('authorised');
  });

  it('models code sets from 2011/12, reading earlier marks with the oldest meaning', () => {
    expect(codesValidIn('2010/11')).toEqual([]);
    expect(isValidCode('/', '2010/11')).toBe(false);
    expect(classifyMark('/', '2011-07-31')?.category).toBe('present');
    expect(classifyMark('X', '2011-07-31')?.possible).toBe(false);
  });
});

describe('COVID X (1 September 2020 – 31 March 2022, S28; §8 rule 8)', () => {
  it('counts X in possible sessions only inside the window', () => {
    expect(classifyMark('X', '2020-08-31')?.possible).toBe(false);
    expect(classifyMark('X', '2020-09-01')?.possible).toBe(true);
    expect(classifyMark('X', '2022-03-31')?.possible).toBe(true);
    expect(classifyMark('X', '2022-04-01')?.possible).toBe(false);
    expect(classifyMark('X', '2024-10-01')?.possible).toBe(false);
  });

  it('never makes X attendance or absence, and can be switched off', () => {
    expect(classifyMark('X', '2021-01-05')?.category).toBe('not_counted');
    expect(classifyMark('X', '2021-01-05', { covidXInPossible: false })?.possible).toBe(false);
  });
});

describe('reasonColumn (docs/warehouse.md)', () => {
  it('names mart columns from tokens', () => {
    expect(reasonColumn('I')).toBe('reason_i');
    expect(reasonColumn('C1')).toBe('reason_c1');
    expect(reasonColumn('Y7')).toBe('reason_y7');
    expect(reasonColumn('/')).toBe('reason_present_am');
    expect(reasonColumn('\\')).toBe('reason_present_pm');
    expect(reasonColumn('#')).toBe('reason_planned_closure');
    expect(() => reasonColumn('+')).toThrow(RangeError);
    expect(() => reasonColumn('')).toThrow(RangeError);
  });

  it('gives every token its own column', () => {
    const columns = CODE_TOKENS.map(reasonColumn);
    expect(new Set(columns).size).toBe(CODE_TOKENS.length);
    for (const row of REGISTER_CODES) expect(row.column).toBe(reasonColumn(row.code));
  });
});

describe('table consistency', () => {
  it('never has two meanings of one code in the same year', () => {
    for (let y = 2011; y <= 2030; y += 1) {
      const ay = `${y}/${String((y + 1) % 100).padStart(2, '0')}`;
      const t = codesValidIn(ay).map((c) => c.code);
      expect(new Set(t).size, ay).toBe(t.length);
    }
  });

  it('marks L and U, and only those, as late (S3)', () => {
    expect(REGISTER_CODES.filter((c) => c.late).map((c) => c.code).sort()).toEqual(['L', 'U']);
  });

  it('rejects unknown codes and malformed years', () => {
    expect(isValidCode('A', '2024/25')).toBe(false);
    expect(isValidCode('c1', '2024/25')).toBe(false);
    expect(isValidCode('I', '2024-25')).toBe(false);
    expect(() => codesValidIn('2024')).toThrow(RangeError);
  });
});

describe('the memoised code lookups', () => {
  // The table scan as first written: the reference the per-(code, year) maps must equal.
  const start = (ay: string): number => Number(ay.slice(0, 4));
  const erasByScan = (code: string) =>
    REGISTER_CODES.filter((c) => c.code === code).sort((a, b) => start(a.firstYear) - start(b.firstYear));
  const meaningByScan = (code: string, date: string) => {
    const eras = erasByScan(code);
    if (eras.length === 0) return undefined;
    const y = start(academicYearOf(date));
    let row = eras[0]!;
    for (const era of eras) if (start(era.firstYear) <= y) row = era;
    return row;
  };
  const classifyByScan = (code: string, date: string, covidXInPossible: boolean) => {
    const row = meaningByScan(code, date);
    if (row === undefined) return undefined;
    const covid = covidXInPossible && row.covidPossible !== null && date >= row.covidPossible.from && date <= row.covidPossible.to;
    return { category: row.category, possible: row.possibleSession || covid, late: row.late };
  };
  const codes = [...CODE_TOKENS, 'J2', 'x', '', '__proto__'];
  // Every boundary, the day before it, and the first and last days of the years the table models.
  const dates = [
    ...TREATMENT_BOUNDARIES.flatMap((d) => [addDays(d, -1), d]),
    '2011-08-01', '2011-07-31', '2013-08-01', '2024-07-31', '2024-08-01', '2031-07-31', '2031-08-01',
  ];

  it('gives the table-scan answer for every code on both sides of every treatment boundary', () => {
    expect(TREATMENT_BOUNDARIES.length).toBeGreaterThan(0);
    for (const code of codes) {
      expect(erasOf(code)).toEqual(erasByScan(code));
      // Twice: the first call fills the maps, the second reads them.
      for (const pass of [1, 2]) {
        for (const date of dates) {
          const where = `${code} on ${date}, pass ${pass}`;
          expect(meaningOn(code, date), where).toBe(meaningByScan(code, date));
          expect(classifyMark(code, date), where).toEqual(classifyByScan(code, date, true));
          expect(classifyMark(code, date, { covidXInPossible: false }), where).toEqual(classifyByScan(code, date, false));
        }
      }
    }
  });

  it('still refuses a date that is not YYYY-MM-DD for a known code, and ignores it for an unknown one', () => {
    expect(() => meaningOn('O', '2024-02-30')).toThrow(RangeError);
    expect(() => meaningOn('O', '2024-02-30')).toThrow(RangeError);
    expect(meaningOn('J2', '2024-02-30')).toBeUndefined();
  });

  it('hands out a fresh array of eras each time', () => {
    const eras = erasOf('C');
    eras.pop();
    expect(erasOf('C')).toHaveLength(2);
  });
});
