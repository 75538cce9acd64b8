import { describe, expect, it } from 'vitest';
import {
  ABSENCE_BANDS,
  absenceBand,
  aggregate,
  bandingEligible,
  daysMissed,
  emptySummary,
  enrolmentRates,
  hoursMissed,
  isPersistentAbsentee,
  isSevereAbsentee,
  rates,
  summariseMarks,
} from './measures.js';
import type { SessionCounts } from './measures.js';

/** Counts with `possible` sessions of which `absent` are (authorised) absence and the rest present. */
function counts(possible: number, absent: number): SessionCounts {
  return {
    ...emptySummary(),
    possibleSessions: possible,
    presentSessions: possible - absent,
    authorisedAbsence: absent,
    overallAbsence: absent,
  };
}

describe('rates (methodology §2.1, S1/S3)', () => {
  it('divides by possible sessions and counts AEA as attendance', () => {
    const m = summariseMarks([
      { date: '2024-09-02', mark: '/' },
      { date: '2024-09-02', mark: 'V' },
      { date: '2024-09-03', mark: 'I' },
      { date: '2024-09-03', mark: 'G' },
    ]);
    expect(rates(m)).toEqual({
      attendancePerc: 50,
      overallAbsencePerc: 50,
      authorisedAbsencePerc: 25,
      unauthorisedAbsencePerc: 25,
    });
  });

  it('gives null with no possible sessions', () => {
    expect(rates(summariseMarks([{ date: '2024-09-02', mark: '#' }]))).toEqual({
      attendancePerc: null,
      overallAbsencePerc: null,
      authorisedAbsencePerc: null,
      unauthorisedAbsencePerc: null,
    });
  });
});

describe('persistent and severe absence (≥ 10 %, ≥ 50 %; methodology §2.1, §8 rule 3)', () => {
  it('includes exactly 10.00 % in persistent absence', () => {
    expect(isPersistentAbsentee(counts(30, 3))).toBe(true); // 10.00 %
    expect(isPersistentAbsentee(counts(31, 3))).toBe(false); // 9.68 %
    expect(isPersistentAbsentee(counts(380, 38))).toBe(true); // a full year at exactly 10 %
    expect(isPersistentAbsentee(counts(380, 37))).toBe(false);
  });

  it('includes exactly 50.00 % in severe absence, and severe implies persistent', () => {
    expect(isSevereAbsentee(counts(20, 10))).toBe(true);
    expect(isSevereAbsentee(counts(21, 10))).toBe(false);
    for (let p = 1; p <= 60; p += 1) {
      for (let a = 0; a <= p; a += 1) {
        if (isSevereAbsentee(counts(p, a))) expect(isPersistentAbsentee(counts(p, a))).toBe(true);
      }
    }
  });

  it('counts a short enrolment with few absences (no minimum, §2.2)', () => {
    expect(isPersistentAbsentee(counts(2, 1))).toBe(true);
    expect(isSevereAbsentee(counts(2, 1))).toBe(true);
  });

  it('never flags an enrolment with no possible sessions', () => {
    expect(isPersistentAbsentee(counts(0, 0))).toBe(false);
    expect(isSevereAbsentee(counts(0, 0))).toBe(false);
  });
});

describe('absence bands (5 % bands, lower bound inclusive; FORMATS.md §5, S11, S29)', () => {
  it('lists the eleven bands', () => {
    expect(ABSENCE_BANDS).toEqual(['0-5', '5-10', '10-15', '15-20', '20-25', '25-30', '30-35', '35-40', '40-45', '45-50', '50+']);
  });

  it('puts each edge in the band above', () => {
    expect(absenceBand(counts(20, 0))).toBe('0-5');
    expect(absenceBand(counts(21, 1))).toBe('0-5'); // 4.76 %
    expect(absenceBand(counts(20, 1))).toBe('5-10'); // 5.00 %
    expect(absenceBand(counts(20, 2))).toBe('10-15'); // 10.00 %
    expect(absenceBand(counts(20, 9))).toBe('45-50'); // 45.00 %
    expect(absenceBand(counts(200, 99))).toBe('45-50'); // 49.50 %
    expect(absenceBand(counts(20, 10))).toBe('50+'); // 50.00 %
    expect(absenceBand(counts(20, 20))).toBe('50+');
    expect(absenceBand(counts(0, 0))).toBeNull();
  });

  it('needs 20 possible sessions to be banded in VYED (S11)', () => {
    expect(bandingEligible(counts(19, 0))).toBe(false);
    expect(bandingEligible(counts(20, 0))).toBe(true);
  });
});

describe('days and hours missed', () => {
  it('turns sessions into days and hours', () => {
    expect(daysMissed(counts(100, 7))).toBe(3.5);
    expect(hoursMissed(counts(100, 2))).toBe(6.5); // default 3.25 h a session
    expect(hoursMissed(counts(100, 2), 3)).toBe(6);
    expect(() => hoursMissed(counts(100, 2), 0)).toThrow(RangeError);
  });
});

describe('aggregation: sum, then divide (methodology §8 rule 2)', () => {
  it('weights by possible sessions, not by enrolment', () => {
    const total = aggregate([counts(10, 5), counts(90, 0)]);
    expect(total.possibleSessions).toBe(100);
    expect(rates(total).overallAbsencePerc).toBe(5); // not the 25 % a mean of rates would give
  });

  it('sums reasons too', () => {
    const a = summariseMarks([{ date: '2024-09-02', mark: 'I' }]);
    const b = summariseMarks([{ date: '2024-09-02', mark: 'I' }, { date: '2024-09-02', mark: 'C2' }]);
    const total = aggregate([a, b]);
    expect(total.byReason['I']).toBe(2);
    expect(total.byReason['C2']).toBe(1);
  });

  it('rates persistent and severe absence over enrolments with possible sessions', () => {
    const r = enrolmentRates([counts(20, 10), counts(20, 2), counts(20, 1), counts(20, 0), counts(0, 0)]);
    expect(r).toEqual({
      enrolments: 4,
      persistentAbsentees: 2,
      severeAbsentees: 1,
      persistentAbsencePerc: 50,
      severeAbsencePerc: 25,
    });
    expect(enrolmentRates([]).persistentAbsencePerc).toBeNull();
  });
});
