import { describe, expect, it } from 'vitest';
import { rankWhereToHelpFirst } from './help-first.js';
import { isSuppressed } from './suppression.js';

describe('where to help first', () => {
  const schools = [
    { urn: 1, name: 'Low', enrolments: 400, persistentAbsentees: 20, severeAbsentees: 0, previousPaPerc: 6 },
    { urn: 2, name: 'High and rising', enrolments: 400, persistentAbsentees: 100, severeAbsentees: 12, previousPaPerc: 15 },
    { urn: 3, name: 'Middle', enrolments: 400, persistentAbsentees: 50, severeAbsentees: 4, previousPaPerc: 12 },
    { urn: 4, name: 'Small, high', enrolments: 50, persistentAbsentees: 12, severeAbsentees: 2, previousPaPerc: null },
    { urn: 5, name: 'Empty', enrolments: 0, persistentAbsentees: 0, severeAbsentees: 0, previousPaPerc: null },
  ];
  const ranked = rankWhereToHelpFirst(schools, 17);

  it('puts the school with the highest, rising, largest absence first, with its reasons', () => {
    expect(ranked.map((r) => r.urn)).toEqual([2, 4, 3, 1]);
    const top = ranked[0];
    expect(top.rank).toBe(1);
    expect(top.paPerc).toBe(25);
    expect(top.paChangePp).toBe(10);
    expect(top.reasons.join(' ')).toContain('Persistent absence 25.0%');
    expect(top.reasons.join(' ')).toContain('(LA 17.0%)');
    expect(top.reasons.join(' ')).toContain('up 10.0 percentage points');
    // PA level 1 × 0.3 + SA level 2/3 × 0.3 + trend 1 × 0.2 + size 1 × 0.2.
    expect(top.score).toBeCloseTo(0.9, 12);
  });
  it('says when a trend is not known, and leaves out schools with no enrolments', () => {
    expect(ranked.find((r) => r.urn === 4)?.reasons.at(-1)).toContain('No figures for a year earlier');
    expect(ranked.find((r) => r.urn === 5)).toBeUndefined();
    expect(ranked.at(-1)?.reasons[0]).toContain('No part of the score');
  });
});

describe('small-number suppression', () => {
  it('suppresses cohorts of 1 to min − 1, shows 0 and min', () => {
    expect([0, 1, 4, 5, 10].map((n) => isSuppressed(n))).toEqual([false, true, true, false, false]);
    expect(isSuppressed(9, 10)).toBe(true);
  });
});
