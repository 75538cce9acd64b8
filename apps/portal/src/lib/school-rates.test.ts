import { describe, expect, it } from 'vitest';
import type { SchoolSummary } from './la-overview.js';
import { findSchoolRateChart, schoolRateRows, schoolRatesCsv, schoolRatesFilename, SCHOOL_RATE_CHARTS } from './school-rates.js';

function school(urn: number, name: string, attendanceRate: number | null, persistentAbsenceRate: number | null): SchoolSummary {
  return {
    urn,
    name,
    phase: 'Primary',
    enrolments: 200,
    possibleSessions: 76000,
    attendanceRate,
    overallAbsenceRate: attendanceRate === null ? null : 100 - attendanceRate,
    authorisedAbsenceRate: null,
    unauthorisedAbsenceRate: null,
    persistentAbsenceRate,
    severeAbsenceRate: null,
  };
}

const schools = [
  school(100001, 'Oak Primary', 95.123, 10.5),
  school(100002, 'Elm, "The" Academy', 90.0049, 25.125),
  school(100003, 'Ash Infants', null, null),
];
const attendance = findSchoolRateChart('attendance-by-school')!;
const persistent = findSchoolRateChart('persistent-absence-by-school')!;

describe('schoolRateRows', () => {
  it('orders schools that need attention first and puts schools without a rate last', () => {
    expect(schoolRateRows(schools, attendance).map((r) => r.urn)).toEqual([100002, 100001, 100003]);
    expect(schoolRateRows(schools, persistent).map((r) => [r.urn, r.value])).toEqual([
      [100002, 25.125],
      [100001, 10.5],
      [100003, null],
    ]);
  });
});

describe('schoolRatesCsv', () => {
  it('writes RFC 4180 CSV with a header row and rates to two decimal places', () => {
    expect(schoolRatesCsv(schools, attendance)).toBe(
      'urn,school_name,phase,enrolments,attendance_perc\r\n' +
        '100002,"Elm, ""The"" Academy",Primary,200,90\r\n' +
        '100001,Oak Primary,Primary,200,95.12\r\n' +
        '100003,Ash Infants,Primary,200,\r\n',
    );
    expect(schoolRatesCsv(schools, persistent).split('\r\n')[1]).toBe('100002,"Elm, ""The"" Academy",Primary,200,25.13');
  });
});

describe('chart definitions', () => {
  it('have unique ids and name their files by year and scope', () => {
    expect(new Set(SCHOOL_RATE_CHARTS.map((c) => c.id)).size).toBe(SCHOOL_RATE_CHARTS.length);
    expect(schoolRatesFilename(attendance, '2024/25', 'OPERATIONAL')).toBe('attendance-by-school-2024-25-operational.csv');
    expect(findSchoolRateChart('pupils')).toBeUndefined();
  });
});
