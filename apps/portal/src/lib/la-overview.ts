/** The LA overview's data as the portal uses it, matching the API's `laOverview` query. */

export type MetricScope = 'DFE' | 'OPERATIONAL';

/** URL values of the scope selector (`?scope=dfe`), one per API scope. */
export const SCOPE_PARAMS = { dfe: 'DFE', operational: 'OPERATIONAL' } as const satisfies Record<string, MetricScope>;
export type ScopeParam = keyof typeof SCOPE_PARAMS;

export const SCOPE_LABELS: Record<MetricScope, { name: string; description: string }> = {
  DFE: {
    name: 'DfE statistics scope',
    description:
      'Pupils of compulsory school age (5 to 15 at 31 August), without boarders, counted the way the ' +
      'Department for Education publishes attendance statistics, so figures compare with national ones.',
  },
  OPERATIONAL: {
    name: 'Operational (every pupil on roll)',
    description: 'Every pupil on roll, whatever their age: the figures schools and attendance officers work with day to day.',
  },
};

export function scopeParam(scope: MetricScope): ScopeParam {
  return scope === 'DFE' ? 'dfe' : 'operational';
}

/** The rates every attendance figure carries (percentages, 0–100; null when there is nothing to divide by). */
export interface Rates {
  attendanceRate: number | null;
  overallAbsenceRate: number | null;
  authorisedAbsenceRate: number | null;
  unauthorisedAbsenceRate: number | null;
  persistentAbsenceRate: number | null;
  severeAbsenceRate: number | null;
}

/** Rates with the counts behind them, for an LA, a school or a pool of LAs. */
export interface AttendanceFigures extends Rates {
  /** True when small numbers are withheld for this user: those fields are null. */
  suppressed: boolean;
  enrolments: number | null;
  possibleSessions: number | null;
}

export interface SchoolSummary extends Omit<AttendanceFigures, 'suppressed'> {
  urn: number;
  name: string;
  phase: string;
  /** True when small numbers are withheld for this user: those fields are null. */
  suppressed?: boolean;
}

export interface LaOverview extends AttendanceFigures {
  laCode: string;
  laName: string;
  academicYear: string;
  scope: MetricScope;
  persistentAbsentees: number | null;
  severeAbsentees: number | null;
  schools: SchoolSummary[];
}

const SCHOOL_FIELDS = `urn name phase enrolments possibleSessions attendanceRate overallAbsenceRate
      authorisedAbsenceRate unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate`;

export const ACADEMIC_YEARS_QUERY = /* GraphQL */ `query AcademicYears { academicYears }`;

export const LA_OVERVIEW_QUERY = /* GraphQL */ `
  query LaOverview($academicYear: String, $scope: MetricScope) {
    laOverview(academicYear: $academicYear, scope: $scope) {
      laCode laName academicYear scope suppressed enrolments possibleSessions attendanceRate overallAbsenceRate
      authorisedAbsenceRate unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate
      persistentAbsentees severeAbsentees
      schools { ${SCHOOL_FIELDS} }
    }
  }`;

const ACADEMIC_YEAR = /^(\d{4})\/(\d{2})$/;

/** `2024/25` → true; the second year must follow the first. */
export function isAcademicYear(value: string): boolean {
  const match = ACADEMIC_YEAR.exec(value);
  return match !== null && (Number(match[1]) + 1) % 100 === Number(match[2]);
}

/** Academic years newest first, without duplicates. */
export function newestFirst(years: readonly string[]): string[] {
  return [...new Set(years)].sort((a, b) => b.localeCompare(a));
}

/** `2024/25` → `2024-25`, for file names. */
export function academicYearSlug(year: string): string {
  return year.replace('/', '-');
}

export type SelectionProblem = { field: 'year' | 'scope'; status: 400 | 404; message: string };

export interface Selection {
  year: string;
  scope: MetricScope;
}

/**
 * Read `?year=2024/25&scope=dfe` against the loaded years. No year means the newest; no scope means
 * the DfE scope. Returns the problem instead when a value is not one the user could have chosen.
 */
export function parseSelection(
  params: URLSearchParams,
  loadedYears: readonly string[],
): { ok: true; selection: Selection } | { ok: false; problem: SelectionProblem } {
  const years = newestFirst(loadedYears);
  const yearParam = params.get('year')?.trim() || null;
  const scopeText = (params.get('scope')?.trim() || 'dfe').toLowerCase();
  if (!(scopeText in SCOPE_PARAMS)) {
    return { ok: false, problem: { field: 'scope', status: 400, message: 'Choose a scope: DfE statistics scope or operational' } };
  }
  const scope = SCOPE_PARAMS[scopeText as ScopeParam];
  if (yearParam === null) {
    const newest = years[0];
    if (newest === undefined) return { ok: false, problem: { field: 'year', status: 404, message: 'No academic years are loaded' } };
    return { ok: true, selection: { year: newest, scope } };
  }
  if (!isAcademicYear(yearParam)) {
    return { ok: false, problem: { field: 'year', status: 400, message: 'Enter an academic year like 2024/25' } };
  }
  if (!years.includes(yearParam)) {
    return { ok: false, problem: { field: 'year', status: 404, message: `No attendance data is loaded for ${yearParam}` } };
  }
  return { ok: true, selection: { year: yearParam, scope } };
}
