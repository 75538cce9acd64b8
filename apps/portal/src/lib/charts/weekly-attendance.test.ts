import { describe, expect, it } from 'vitest';
import { weeklyAttendanceOption } from './weekly-attendance';

describe('weeklyAttendanceOption', () => {
  it('one point a week, gaps for weeks with no sessions, the 90 % line marked', () => {
    const option = weeklyAttendanceOption([
      { weekStart: '2024-09-02', attendanceRate: 100 },
      { weekStart: '2024-09-09', attendanceRate: null },
      { weekStart: '2024-09-16', attendanceRate: 83.333 },
    ]);
    expect((option.xAxis as { data: string[] }).data).toEqual(['2024-09-02', '2024-09-09', '2024-09-16']);
    const [series] = option.series as { data: (number | null)[]; markLine: { data: { yAxis: number }[] } }[];
    expect(series!.data).toEqual([100, null, 83.3]);
    expect(series!.markLine.data).toEqual([{ yAxis: 90 }]);
  });
});
