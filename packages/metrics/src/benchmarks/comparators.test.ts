import { describe, expect, it } from 'vitest';
import { DFE_REASON_COLUMNS } from '../dfe-format.js';
import { gapToEngland, isRateColumn, measureDirection, PUBLISHED_MEASURES, rankAmongNeighbours, snAverage } from './comparators.js';

describe('statistical-neighbour average (methodology §6.1: simple mean of the 10, missing left out)', () => {
  it('is the unweighted mean of the neighbours with a value', () => {
    expect(snAverage([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(5.5);
    // Two suppressed neighbours: mean of the other eight, not divided by ten.
    expect(snAverage([1, 2, null, 4, 5, undefined, 7, 8, 9, 10])).toBeCloseTo(46 / 8, 12);
    expect(snAverage([Number.NaN, 3])).toBe(3);
  });
  it('is null when no neighbour has a value', () => {
    expect(snAverage([])).toBeNull();
    expect(snAverage([null, null])).toBeNull();
  });
});

describe('rank among the LA and its neighbours (1 = lowest absence, 11 = highest)', () => {
  const neighbours = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  it('ranks absence rates upwards', () => {
    expect(rankAmongNeighbours(4, neighbours, 'lower_is_better')).toBe(1);
    expect(rankAmongNeighbours(15, neighbours, 'lower_is_better')).toBe(11);
    expect(rankAmongNeighbours(9.5, neighbours, 'lower_is_better')).toBe(6);
  });
  it('ranks attendance downwards: the highest attendance is the lowest absence', () => {
    expect(rankAmongNeighbours(95, [94, 93, 96], 'higher_is_better')).toBe(2);
    expect(rankAmongNeighbours(97, [94, 93, 96], 'higher_is_better')).toBe(1);
  });
  it('shares the better rank on ties and leaves missing neighbours out', () => {
    expect(rankAmongNeighbours(7, [7, 5, null, 9], 'lower_is_better')).toBe(2);
    expect(rankAmongNeighbours(null, neighbours, 'lower_is_better')).toBeNull();
  });
});

describe('gap to England', () => {
  it('is in percentage points and in days per pupil over the LA’s possible sessions', () => {
    const gap = gapToEngland(7.5, 7.0, 380);
    expect(gap?.pp).toBeCloseTo(0.5, 12);
    // 0.5 % of 380 sessions = 1.9 sessions = 0.95 days.
    expect(gap?.daysPerPupil).toBeCloseTo(0.95, 12);
    expect(gapToEngland(6, 7, null)).toEqual({ pp: -1, daysPerPupil: null });
    expect(gapToEngland(null, 7, 380)).toBeNull();
  });
});

describe('measures', () => {
  it('names the DfE 2024/25 rates as the file does and knows which way is better', () => {
    const names = PUBLISHED_MEASURES.map((m) => m.name);
    for (const n of ['attendance_perc', 'overall_absence_perc', 'authorised_absence_perc', 'unauthorised_absence_perc', 'pa_perc', 'illness_perc']) {
      expect(names).toContain(n);
    }
    expect(measureDirection('attendance_perc')).toBe('higher_is_better');
    expect(measureDirection('pa_perc')).toBe('lower_is_better');
    expect(measureDirection('some_new_reason_perc')).toBe('lower_is_better');
    expect(isRateColumn('sess_overall_percent')).toBe(true);
    expect(isRateColumn('possible_sessions')).toBe(false);
  });
  it('computes every reason rate from DfE-format reason columns the marts have', () => {
    for (const m of PUBLISHED_MEASURES) {
      if (m.fromReturns && 'dfeColumns' in m.fromReturns) for (const c of m.fromReturns.dfeColumns) expect(DFE_REASON_COLUMNS).toContain(c);
    }
  });
});
