import { describe, expect, it } from 'vitest';
import { buildSchoolBarOption, escapeHtml, labelWidthFor, schoolBarHeight, sortSchoolRates, type SchoolRate } from './school-bar.js';

const schools: SchoolRate[] = [
  { urn: 100003, name: 'Birch Academy', value: 91.2 },
  { urn: 100001, name: 'Ash Primary', value: 95.5 },
  { urn: 100004, name: 'Closed School', value: null },
  { urn: 100002, name: 'Ash Primary', value: 91.2 },
];

// ECharts options are unions of arrays and objects; the builder always returns single objects.
function parts(option: ReturnType<typeof buildSchoolBarOption>) {
  return {
    yAxis: option.yAxis as { data: string[]; inverse: boolean; axisLabel: { formatter: (v: string) => string } },
    series: (option.series as { data: { value: number; name: string; urn: number }[]; markLine?: { data: { xAxis: number }[] } }[])[0],
    tooltip: option.tooltip as { formatter: (p: unknown) => string },
  };
}

describe('sortSchoolRates', () => {
  it('drops schools without a rate and orders ties by name then URN', () => {
    expect(sortSchoolRates(schools, 'ascending').map((s) => s.urn)).toEqual([100002, 100003, 100001]);
    expect(sortSchoolRates(schools, 'descending').map((s) => s.urn)).toEqual([100001, 100002, 100003]);
  });
});

describe('buildSchoolBarOption', () => {
  it('puts one bar per school with a rate, top first, keyed by URN', () => {
    const { yAxis, series } = parts(buildSchoolBarOption({ measure: 'Attendance', schools, order: 'ascending' }));
    expect(yAxis.inverse).toBe(true);
    expect(yAxis.data).toEqual(['100002', '100003', '100001']);
    expect(series.data).toEqual([
      { value: 91.2, name: 'Ash Primary', urn: 100002 },
      { value: 91.2, name: 'Birch Academy', urn: 100003 },
      { value: 95.5, name: 'Ash Primary', urn: 100001 },
    ]);
    expect(yAxis.axisLabel.formatter('100003')).toBe('Birch Academy');
  });

  it('draws the LA rate as a reference line only when there is one', () => {
    const withLa = parts(buildSchoolBarOption({ measure: 'Attendance', schools, order: 'ascending', laRate: 93.4 }));
    expect(withLa.series.markLine?.data).toEqual([{ xAxis: 93.4 }]);
    const without = parts(buildSchoolBarOption({ measure: 'Attendance', schools, order: 'ascending', laRate: null }));
    expect(without.series.markLine).toBeUndefined();
  });

  it('names the school and value in the tooltip, escaping HTML', () => {
    const option = buildSchoolBarOption({
      measure: 'Persistent absence',
      schools: [{ urn: 123456, name: 'St <Mary> & "John"', value: 12.345 }],
      order: 'descending',
    });
    const text = parts(option).tooltip.formatter([{ axisValue: '123456', value: 12.345 }]);
    expect(text).toBe('<strong>St &#60;Mary&#62; &#38; &#34;John&#34;</strong><br>URN 123456<br>Persistent absence: 12.3%');
  });

  it('switches animation off on request', () => {
    expect(buildSchoolBarOption({ measure: 'A', schools, order: 'ascending', animate: false }).animation).toBe(false);
  });
});

describe('labelWidthFor', () => {
  it('gives school names at most 40% of a narrow chart, within 80–260 px', () => {
    expect(labelWidthFor(960)).toBe(260);
    expect(labelWidthFor(345)).toBe(138);
    expect(labelWidthFor(100)).toBe(80);
    expect(labelWidthFor(0)).toBe(260);
    const option = buildSchoolBarOption({ measure: 'A', schools, order: 'ascending', labelWidth: 138 });
    expect((option.yAxis as { axisLabel: { width: number } }).axisLabel.width).toBe(138);
  });
});

describe('schoolBarHeight and escapeHtml', () => {
  it('grows with the number of schools', () => {
    expect(schoolBarHeight(100)).toBeGreaterThan(schoolBarHeight(10));
    expect(schoolBarHeight(0)).toBe(schoolBarHeight(1));
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
