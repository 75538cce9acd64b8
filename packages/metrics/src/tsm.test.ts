/**
 * TSM pack membership at every boundary the issue names: 9.99 %, 10 %, 49.99 %, 50 %, and 9 and
 * 10 unauthorised sessions in 10 school weeks (through the real penalty-notice trigger).
 */
import { describe, expect, it } from 'vitest';
import { addDays } from './calendar.js';
import { emptySummary, summariseMarks } from './measures.js';
import type { SessionCounts } from './measures.js';
import { PENALTY_THRESHOLD_SESSIONS, PENALTY_WINDOW_SCHOOL_WEEKS, statutoryTriggers } from './triggers.js';
import type { TriggerMark } from './triggers.js';
import {
  TSM_AT_RISK_THRESHOLD_PCT,
  TSM_DECLINING_FAST_PP,
  actionImpact,
  defaultReviewDate,
  familySummary,
  isReviewOverdue,
  tsmMembership,
} from './tsm.js';

/** Counts with `absent` sessions of overall absence (all authorised) out of `possible`. */
function counts(absent: number, possible: number, unauthorised = 0): SessionCounts {
  return {
    ...emptySummary(),
    possibleSessions: possible,
    presentSessions: possible - absent,
    authorisedAbsence: absent - unauthorised,
    unauthorisedAbsence: unauthorised,
    overallAbsence: absent,
  };
}

describe('tsmMembership: absence boundaries (out of 10 000 possible sessions)', () => {
  it.each([
    [499, null, []],
    [500, 'atRisk', ['absence5to10']],
    [999, 'atRisk', ['absence5to10']], // 9.99 %
    [1000, 'persistent', ['persistent']], // 10 %
    [4999, 'persistent', ['persistent']], // 49.99 %
    [5000, 'severe', ['severe']], // 50 %
    [10000, 'severe', ['severe']],
  ] as const)('%i sessions absent → %s', (absent, group, reasons) => {
    const m = tsmMembership({ counts: counts(absent, 10_000) });
    expect(m.group).toBe(group);
    expect(m.reasons).toEqual(reasons);
  });

  it('uses the at-risk constant, the first 5 % band', () => {
    expect(TSM_AT_RISK_THRESHOLD_PCT).toBe(5);
  });

  it('no possible sessions: not on the pack', () => {
    expect(tsmMembership({ counts: counts(0, 0) }).group).toBeNull();
  });
});

/**
 * 30 school weeks Monday–Friday, AM and PM, present except `unauthorised` sessions of `O` on
 * Monday mornings of the last 10 weeks: 10 sessions of 300 (3.3 %) keep absence itself off the pack.
 */
function thirtyWeeks(unauthorised: number): TriggerMark[] {
  const weeks = 3 * PENALTY_WINDOW_SCHOOL_WEEKS;
  const marks: TriggerMark[] = [];
  let left = unauthorised;
  for (let w = 0; w < weeks; w += 1) {
    for (let d = 0; d < 5; d += 1) {
      const date = addDays('2024-09-02', w * 7 + d);
      for (const slot of [0, 1]) {
        const o = w >= weeks - PENALTY_WINDOW_SCHOOL_WEEKS && left > 0 && d === 0 && slot === 0;
        if (o) left -= 1;
        marks.push({ date, mark: o ? 'O' : slot === 0 ? '/' : '\\' });
      }
    }
  }
  return marks;
}

describe('tsmMembership: penalty-notice threshold in 10 school weeks', () => {
  it.each([
    [PENALTY_THRESHOLD_SESSIONS - 1, null],
    [PENALTY_THRESHOLD_SESSIONS, 'atRisk'],
  ] as const)('%i unauthorised sessions in 10 school weeks → %s', (n, group) => {
    const marks = thirtyWeeks(n);
    const summary = summariseMarks(marks);
    expect(summary.unauthorisedAbsence).toBe(n);
    const m = tsmMembership({ counts: summary, penaltyNotice: statutoryTriggers(marks).penaltyNotice });
    expect(m.group).toBe(group);
    expect(m.reasons).toEqual(group === null ? [] : ['penaltyThreshold']);
  });

  it('10 continuous school days unauthorised put a pupil at risk', () => {
    const m = tsmMembership({ counts: counts(0, 100), unauthorised10Days: { metOn: '2025-02-01' } });
    expect(m).toMatchObject({ group: 'atRisk', reasons: ['unauthorised10Days'] });
  });
});

describe('tsmMembership: declining fast', () => {
  it('absence up by the declining-fast points on last term is at risk; a point less is not', () => {
    const previous = counts(0, 100);
    expect(tsmMembership({ counts: counts(TSM_DECLINING_FAST_PP, 100), previous }).reasons).toEqual(['absence5to10', 'decliningFast']);
    // 4 % after 0 %: below both the at-risk band and the change.
    expect(tsmMembership({ counts: counts(TSM_DECLINING_FAST_PP - 1, 100), previous }).group).toBeNull();
    // 30 % after 20 %: persistent, and declining fast as well.
    expect(tsmMembership({ counts: counts(30, 100), previous: counts(20, 100) })).toMatchObject({
      group: 'persistent',
      reasons: ['persistent', 'decliningFast'],
    });
  });
});

describe('review dates and impact', () => {
  it('reviews fall due three weeks after the meeting and are overdue only while open', () => {
    expect(defaultReviewDate('2025-01-15')).toBe('2025-02-05');
    expect(isReviewOverdue({ reviewDate: '2025-02-05', status: 'open' }, '2025-02-06')).toBe(true);
    expect(isReviewOverdue({ reviewDate: '2025-02-05', status: 'open' }, '2025-02-05')).toBe(false);
    expect(isReviewOverdue({ reviewDate: '2025-02-05', status: 'done' }, '2025-03-01')).toBe(false);
  });

  it('impact is attendance after minus before', () => {
    const i = actionImpact(counts(20, 100), counts(5, 100));
    expect(i).toEqual({ beforeAttendancePerc: 80, afterAttendancePerc: 95, changePp: 15, direction: 'improving' });
    expect(actionImpact(counts(20, 100), null).direction).toBe('insufficient');
  });
});

describe('familySummary', () => {
  it('speaks in days and hours', () => {
    expect(familySummary(counts(24, 120, 6), { name: 'Sam', period: 'since September' })).toBe(
      'Sam has missed 12 days of school since September (24 sessions out of 120), about 78 hours of lessons. ' +
        'That is about one day in every 5 school days (about 4 days every four weeks). ' +
        'Of these, 6 sessions were not authorised by the school. ' +
        'Missing this much school makes it harder to keep up with learning and friendships, and we would like to agree together how to help.',
    );
    expect(familySummary(counts(0, 120))).toBe('Your child has not missed any school this term. Thank you.');
    expect(familySummary(counts(1, 120))).toContain('missed 0.5 days');
    expect(familySummary(counts(6, 120))).toContain('(about 1 day every four weeks)');
  });
});
