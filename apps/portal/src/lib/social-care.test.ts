import { describe, expect, it } from 'vitest';
import { boardCsv, calendarWeeks, days, sessionClass } from './social-care';

describe('social care helpers', () => {
  it('lays the calendar out in Monday–Friday weeks, gaps left empty', () => {
    const day = (date: string) => ({ date, am: '/', pm: '\\', amCategory: 'present', pmCategory: 'present', amReason: null, pmReason: null });
    const weeks = calendarWeeks([day('2024-09-02'), day('2024-09-04'), day('2024-09-09')]);
    expect(weeks.map((w) => w.weekStart)).toEqual(['2024-09-02', '2024-09-09']);
    expect(weeks[0]!.days.map((d) => d?.date ?? null)).toEqual(['2024-09-02', null, '2024-09-04', null, null]);
    expect(sessionClass('unauthorised')).toBe('rb-session--unauthorised');
    expect(days(1)).toBe('1 day');
    expect(days(2.25)).toBe('2.3 days');
  });

  it('the board export names no child and withholds counts of 1 to 4', () => {
    const csv = boardCsv('2024/25', '2026-11-22', {
      children: 15, onRoll: 14, outOfArea: 3, attendanceRate: 91.234, persistentAbsenceRate: 20, daysMissed: 140.5,
      suspendedOrExcluded: 0, partTimeTimetable: 5, nationalAttendanceRate: null, nationalNote: '',
    });
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('academic_year,as_of,measure,value');
    expect(lines).toContain('2024/25,2026-11-22,At schools of other LAs,');
    expect(lines).toContain('2024/25,2026-11-22,Attendance (%),91.2');
    expect(lines).toContain('2024/25,2026-11-22,Suspended or excluded this year,0');
    expect(lines).toContain('2024/25,2026-11-22,On a part-time timetable this year,5');
  });
});
