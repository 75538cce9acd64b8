import { describe, expect, it } from 'vitest';
import {
  characteristicRanges,
  positionInGroup,
  quartileOf,
  schoolDistance,
  similarSchools,
  SIMILAR_SCHOOL_WEIGHTS,
  type SchoolCharacteristics,
} from './similar-schools.js';

const school = (urn: number, pupils: number | null, fsmPct: number | null, senPct: number | null, ealPct: number | null, extra: Partial<SchoolCharacteristics> = {}): SchoolCharacteristics => ({
  urn, phase: 'Primary', pupils, fsmPct, senPct, ealPct, ...extra,
});

describe('similar-school distance (methodology §6.2, FBIT S21, extended with EAL %)', () => {
  it('has weights that sum to 1 and keep FBIT’s order pupils > FSM > SEN', () => {
    const w = SIMILAR_SCHOOL_WEIGHTS;
    expect(w.pupils + w.fsmPct + w.senPct + w.ealPct).toBeCloseTo(1, 12);
    expect(w.pupils).toBeGreaterThan(w.fsmPct);
    expect(w.fsmPct).toBeGreaterThan(w.senPct);
  });

  it('reproduces the worked example of docs/benchmarks.md', () => {
    // School A 420 pupils, FSM 30 %, EHCP 2 %, EAL 10 %; school B 300, 25 %, 3 %, 20 %;
    // ranges over the phase: pupils 600, FSM 50, SEN 5, EAL 60.
    const ranges = { pupils: 600, fsmPct: 50, senPct: 5, ealPct: 60 };
    const d = schoolDistance(school(1, 420, 30, 2, 10), school(2, 300, 25, 3, 20), ranges);
    const expected = Math.sqrt(0.45 * 0.2 ** 2 + 0.35 * 0.1 ** 2 + 0.1 * 0.2 ** 2 + 0.1 * (1 / 6) ** 2);
    expect(d).toBeCloseTo(expected, 12);
    expect(d).toBeCloseTo(0.1682, 4);
  });

  it('with FBIT’s own weights gives FBIT’s distance', () => {
    const ranges = { pupils: 100, fsmPct: 10, senPct: 10, ealPct: 0 };
    const fbit = { pupils: 0.5, fsmPct: 0.4, senPct: 0.1, ealPct: 0 };
    const d = schoolDistance(school(1, 200, 10, 1, null), school(2, 150, 15, 3, null), ranges, fbit);
    expect(d).toBeCloseTo(Math.sqrt(0.5 * 0.25 + 0.4 * 0.25 + 0.1 * 0.04), 12);
  });

  it('rescales the weights over the characteristics both schools have', () => {
    const ranges = { pupils: 100, fsmPct: 10, senPct: 10, ealPct: 10 };
    const d = schoolDistance(school(1, 100, 10, null, null), school(2, 200, 20, 5, 5), ranges);
    // Only pupils (0.45) and FSM (0.35), each a full range apart: √((0.45 + 0.35) / 0.8) = 1.
    expect(d).toBeCloseTo(1, 12);
    expect(schoolDistance(school(1, null, null, null, null), school(2, 1, 1, 1, 1), ranges)).toBeNull();
  });

  it('takes ranges over the pool and ignores missing values', () => {
    expect(characteristicRanges([school(1, 100, 5, null, 1), school(2, 300, 20, null, 1)])).toEqual({ pupils: 200, fsmPct: 15, senPct: 0, ealPct: 0 });
  });
});

describe('selecting comparators (20–30, within phase; FBIT region rule nationally)', () => {
  const target = school(1, 400, 20, 2, 10, { region: 'West Midlands' });
  const others: SchoolCharacteristics[] = [];
  for (let i = 2; i <= 80; i++) {
    others.push(school(i, 400 + i * 3, 20 + (i % 7), 2, 10, { region: i % 3 === 0 ? 'West Midlands' : 'London' }));
  }
  others.push(school(999, 400, 20, 2, 10, { phase: 'Secondary' }));

  it('keeps the nearest 30 of the same phase, never the school itself, ordered by distance', () => {
    const got = similarSchools(target, [target, ...others]);
    expect(got).toHaveLength(30);
    expect(got.map((c) => c.urn)).not.toContain(1);
    expect(got.map((c) => c.urn)).not.toContain(999);
    for (let i = 1; i < got.length; i++) expect(got[i].distance).toBeGreaterThanOrEqual(got[i - 1].distance);
    expect(got[0].rank).toBe(1);
  });

  it('prefers the same region among the 60 nearest, filling from other regions', () => {
    const got = similarSchools(target, others, { preferSameRegion: true });
    expect(got).toHaveLength(30);
    const sameRegion = got.filter((c) => c.sameRegion).length;
    // 60 nearest hold 20 West Midlands schools (every third): all kept, 10 filled from London.
    expect(sameRegion).toBe(20);
  });
});

describe('position among similar schools', () => {
  it('gives percentile (ties half), quartile and rank, 1 = lowest absence', () => {
    const p = positionInGroup(5, [1, 2, 3, 5, 8, 9, 10, 11]);
    expect(p).toEqual({ percentile: (100 * 3.5) / 8, quartile: 2, rank: 4, groupSize: 8 });
    expect(positionInGroup(20, [1, 2, 3])?.quartile).toBe(4);
    expect(positionInGroup(99, [90, 95, 98], 'higher_is_better')?.rank).toBe(1);
    expect(positionInGroup(null, [1])).toBeNull();
    expect([0, 24.9, 25, 74.99, 75, 100].map(quartileOf)).toEqual([1, 1, 2, 3, 4, 4]);
  });
});
