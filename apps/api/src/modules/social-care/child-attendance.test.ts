import { describe, expect, it } from 'vitest';
import { childAttendance, type ChildMark } from './child-attendance.js';

const URN = 100001;
/** School days (Monday–Friday) from `from`, `n` of them. */
function schoolDays(from: string, n: number): string[] {
  const out: string[] = [];
  const d = new Date(`${from}T00:00:00Z`);
  while (out.length < n) {
    const dow = d.getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
const day = (date: string, am: string, pm = am): ChildMark[] => [
  { date, session: 'AM', mark: am, urn: URN },
  { date, session: 'PM', mark: pm, urn: URN },
];

describe('childAttendance', () => {
  it('frames absence in days and hours, with the last two weeks in words', () => {
    // 2024-09-02 is a Monday. 20 school days: present except 5 whole days of O in the last two weeks.
    const dates = schoolDays('2024-09-02', 20);
    const marks = dates.flatMap((d, i) => (i >= 15 ? day(d, 'O') : day(d, '/', '\\')));
    const s = childAttendance({ marks, onRoll: true });
    expect(s.asOf).toBe('2024-09-27');
    expect(s.year.possibleSessions).toBe(40);
    expect(s.year.daysMissed).toBe(5);
    expect(s.year.hoursMissed).toBe(32.5);
    expect(s.year.attendanceRate).toBe(75);
    expect(s.lastTwoWeeks.daysMissed).toBe(5);
    expect(s.lastTwoWeeksSentence).toBe('Missed 5 days in the last 2 weeks — 32.5 hours of learning');
    expect(s.flags).toEqual(['below_90']);
    // Spell from the Monday of the last week; 90 % crossed on its second day (30 of 34 = 88 %).
    expect(s.alerts.map((a) => [a.kind, a.date])).toContainEqual(['absence_spell', '2024-09-23']);
    expect(s.alerts.find((a) => a.kind === 'below_90')?.date).toBe('2024-09-24');
    // Messages are read by people: dates in words, as the portal shows them.
    expect(s.alerts.find((a) => a.kind === 'below_90')?.message).toBe('Attendance this year fell below 90 % on 24 Sep 2024');
    expect(s.alerts.find((a) => a.kind === 'absence_spell')?.message).toMatch(/in a row from 23 Sep 2024$/);
    expect(s.alerts.some((a) => a.kind === 'below_50')).toBe(false);
    // 10 unauthorised sessions within 10 school weeks on the fifth day of O.
    expect(s.penaltyThresholdMetOn).toBe('2024-09-27');
    expect(s.questions[0]).toBe('What is their current attendance?');
    expect(s.questions.some((q) => q.includes('under 90 %'))).toBe(true);
    expect(s.calendar).toHaveLength(20);
    expect(s.calendar.at(-1)).toMatchObject({ am: 'O', amCategory: 'unauthorised' });
  });

  it('flags a part-time timetable, suspension and no school; 10 days unauthorised on exactly 20 sessions', () => {
    const dates = schoolDays('2024-09-02', 30);
    const marks = dates.flatMap((d, i) => (i < 10 ? day(d, 'G') : i === 12 ? day(d, 'E') : i === 14 ? day(d, 'C2') : day(d, '/')));
    const s = childAttendance({ marks, onRoll: false, suspensions: [{ urn: URN, category: 'SUSP', startDate: dates[12]!, sessions: 2 }] });
    expect(s.year.unauthorisedSessions).toBe(20);
    expect(s.flags).toEqual(['below_90', 'unauthorised_10_days', 'suspended_or_excluded', 'part_time_timetable', 'not_on_roll']);
    expect(s.alerts.find((a) => a.kind === 'suspension')?.date).toBe(dates[12]);
    expect(s.questions.some((q) => q.includes('reduced timetable'))).toBe(true);
    expect(s.questions.some((q) => q.includes('not on roll'))).toBe(true);
  });

  it('one session short of 10 days unauthorised is not flagged; with no marks there is nothing to say', () => {
    const dates = schoolDays('2024-09-02', 30);
    const marks = dates.flatMap((d, i) => (i < 9 ? day(d, 'G') : i === 9 ? day(d, 'G', '/') : day(d, '/')));
    expect(childAttendance({ marks, onRoll: true }).flags).not.toContain('unauthorised_10_days');
    const none = childAttendance({ marks: [], onRoll: false });
    expect(none.asOf).toBeNull();
    expect(none.flags).toEqual(['not_on_roll']);
    expect(none.lastTwoWeeksSentence).toBe('No register marks loaded.');
  });
});
