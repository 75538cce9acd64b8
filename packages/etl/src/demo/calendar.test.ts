import { describe, expect, it } from 'vitest';
import { buildCalendar } from './calendar.js';

describe('2024/25 calendar', () => {
  const cal = buildCalendar('2024/25');

  it('has 195 register days, 5 INSET days per pattern and so 380 possible sessions', () => {
    expect(cal.days).toHaveLength(195);
    for (const p of cal.insetPatterns) {
      expect(new Set(p).size).toBe(5);
      expect((cal.days.length - p.length) * 2).toBe(380);
    }
  });

  it('keeps terms inside the census boundaries and skips half terms and bank holidays', () => {
    const dates = new Set(cal.days.map((d) => d.date));
    expect(dates.has('2024-10-28')).toBe(false); // October half term
    expect(dates.has('2025-02-17')).toBe(false); // February half term
    expect(dates.has('2025-05-05')).toBe(false); // early May bank holiday
    expect(dates.has('2025-05-26')).toBe(false); // spring bank holiday / May half term
    expect(dates.has('2025-04-21')).toBe(false); // Easter Monday
    for (const d of cal.days) {
      if (d.term === 'autumn') expect(d.date >= '2024-08-01' && d.date <= '2024-12-31').toBe(true);
      if (d.term === 'spring') expect(d.date >= '2025-01-01' && d.date <= '2025-04-20').toBe(true); // Easter Sunday 2025-04-20
      if (d.term === 'summer') expect(d.date >= '2025-04-21' && d.date <= '2025-07-31').toBe(true);
      expect(d.weekday).toBeGreaterThanOrEqual(1);
      expect(d.weekday).toBeLessThanOrEqual(5);
    }
    expect(cal.days[cal.summerHalfTerm2Start].date).toBe('2025-06-02');
  });

  it('refuses years it has no calendar for', () => {
    expect(() => buildCalendar('2023/24')).toThrow(/2024\/25 only/);
  });
});
