import { describe, expect, it } from 'vitest';
import { boardCsv, calendarWeeks, days, parseNationalFiguresForm, sessionClass } from './social-care';

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
      suspendedOrExcluded: 0, partTimeTimetable: 5, overallAbsenceRate: 8.766, persistentAbsenteeRate: 21.4,
      national: { academicYear: '2023/24', overallAbsencePct: 6.9, persistentAbsencePct: null, source: 'DfE, Outcomes for children in need', recordedAt: '2025-01-01T00:00:00.000Z', earlierYear: true },
      nationalNote: '',
    });
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('academic_year,as_of,measure,value');
    expect(lines).toContain('2024/25,2026-11-22,At schools of other LAs,');
    expect(lines).toContain('2024/25,2026-11-22,Attendance (%),91.2');
    expect(lines).toContain('2024/25,2026-11-22,Suspended or excluded this year,0');
    expect(lines).toContain('2024/25,2026-11-22,On a part-time timetable this year,5');
    expect(lines).toContain('2024/25,2026-11-22,Overall absence (%),8.8');
    expect(lines).toContain('2024/25,2026-11-22,"England, looked-after children: academic year of the figures",2023/24');
    expect(lines).toContain('2024/25,2026-11-22,"England, looked-after children: overall absence (%)",6.9');
    expect(lines).toContain('2024/25,2026-11-22,"England, looked-after children: persistent absence (%)",');
  });

  it('reads the national figures form: every problem at once, by field; empty persistent absence is allowed', () => {
    const form = (o: Record<string, string>) => {
      const f = new FormData();
      for (const [k, v] of Object.entries(o)) f.set(k, v);
      return f;
    };
    expect(parseNationalFiguresForm(form({ 'national-year': ' 2023/24 ', 'national-overall': '6.9 %', 'national-persistent': '', 'national-source': 'DfE' }))).toEqual({
      ok: true, input: { academicYear: '2023/24', overallAbsencePct: 6.9, persistentAbsencePct: null, source: 'DfE' },
    });
    const bad = parseNationalFiguresForm(form({ 'national-year': '2023/25', 'national-overall': '101', 'national-persistent': 'lots', 'national-source': ' ' }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.errors.map((e) => e.field)).toEqual(['national-year', 'national-overall', 'national-persistent', 'national-source']);
    const empty = parseNationalFiguresForm(form({}));
    expect(!empty.ok && empty.errors.map((e) => e.message)).toEqual([
      'Enter the academic year like 2024/25', 'Enter the overall absence, in per cent', 'Enter the source: the name or web address of the DfE release',
    ]);
  });
});
