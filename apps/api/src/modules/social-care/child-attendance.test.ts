import { classifyMark, ratePct, summariseMarks, termOf } from '@rollbook/metrics';
import { describe, expect, it } from 'vitest';
import { childAttendance, childAttendanceOfRows, type ChildMark } from './child-attendance.js';

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

describe('childAttendance, counting each mark once', () => {
  // Every kind of code, across the 2024 code-set change (J, H and old X before, J1, C2, Y1 after)
  // and an unknown token, in a scrambled order with the afternoon before the morning.
  const codes = ['/', '\\', 'I', 'O', 'G', 'N', 'M', 'L', 'U', 'B', 'E', '#', 'X', 'J', 'H', 'J1', 'C2', 'Y1', 'C', 'T', '?'];
  const dates = schoolDays('2024-06-03', 60);
  const marks: ChildMark[] = dates.flatMap((d, i) => [
    { date: d, session: 'PM', mark: codes[(i * 7 + 3) % codes.length]!, urn: URN },
    { date: d, session: 'AM', mark: i % 3 === 0 ? '/' : codes[(i * 5) % codes.length]!, urn: URN },
  ]);
  const scrambled = [...marks].reverse();

  it('gives the figures summariseMarks gives, and each calendar session the category classifyMark gives', () => {
    const s = childAttendance({ marks: scrambled, onRoll: true });
    const c = summariseMarks(marks);
    expect(s.year).toMatchObject({
      from: dates[0], to: dates.at(-1), possibleSessions: c.possibleSessions, absentSessions: c.overallAbsence,
      unauthorisedSessions: c.unauthorisedAbsence, attendanceRate: ratePct(c.presentSessions + c.approvedEducationalActivity, c.possibleSessions),
    });
    const inTerm = summariseMarks(marks.filter((m) => termOf(m.date) === termOf(dates.at(-1)!)));
    expect(s.term.possibleSessions).toBe(inTerm.possibleSessions);
    expect(s.term.absentSessions).toBe(inTerm.overallAbsence);
    expect(s.weeks.reduce((n, w) => n + w.possibleSessions, 0)).toBe(c.possibleSessions);
    for (const day of s.calendar) {
      expect(day.amCategory).toBe(classifyMark(day.am!, day.date)?.category ?? null);
      expect(day.pmCategory).toBe(classifyMark(day.pm!, day.date)?.category ?? null);
    }
  });

  it('does not depend on the order the marks come in, and reads warehouse rows the same way', () => {
    const s = childAttendance({ marks, onRoll: true });
    expect(childAttendance({ marks: scrambled, onRoll: true })).toEqual(s);
    expect(childAttendanceOfRows(scrambled.map((m) => ({ ...m, urn: String(m.urn) })), [], true)).toEqual(s);
  });
});
