/** The regional overview's data as the portal uses it, matching the API's `regionOverview` query. */
import type { AttendanceFigures, MetricScope, Rates } from '$lib/la-overview';

export type { Rates };

export interface PopulationFigures extends AttendanceFigures {
  persistentAbsentees: number | null;
  severeAbsentees: number | null;
}

export interface RegionLa extends PopulationFigures {
  laCode: string;
  laName: string | null;
  loaded: boolean;
}

export interface PublishedArea extends Rates {
  level: 'england' | 'region';
  areaCode: string | null;
  areaName: string;
}

export interface RegionOverview extends PopulationFigures {
  academicYear: string;
  scope: MetricScope;
  laCodes: string[];
  las: RegionLa[];
  publishedAvailable: boolean;
  published: PublishedArea[];
}

const RATES = 'attendanceRate overallAbsenceRate authorisedAbsenceRate unauthorisedAbsenceRate persistentAbsenceRate severeAbsenceRate';
const FIGURES = `suppressed enrolments possibleSessions persistentAbsentees severeAbsentees ${RATES}`;

export const REGION_OVERVIEW_QUERY = /* GraphQL */ `
  query RegionOverview($academicYear: String, $scope: MetricScope) {
    regionOverview(academicYear: $academicYear, scope: $scope) {
      academicYear scope laCodes ${FIGURES}
      las { laCode laName loaded ${FIGURES} }
      publishedAvailable
      published { level areaCode areaName ${RATES} }
    }
  }`;

/** The rate columns of the regional tables, in order. */
export const RATE_COLUMNS: ReadonlyArray<{ field: keyof Rates; label: string }> = [
  { field: 'attendanceRate', label: 'Attendance' },
  { field: 'overallAbsenceRate', label: 'Overall absence' },
  { field: 'authorisedAbsenceRate', label: 'Authorised absence' },
  { field: 'unauthorisedAbsenceRate', label: 'Unauthorised absence' },
  { field: 'persistentAbsenceRate', label: 'Persistent absence' },
  { field: 'severeAbsenceRate', label: 'Severe absence' },
];

/** `Dudley (332)`, or the LA number alone when no school list names it. */
export function laLabel(la: { laCode: string; laName: string | null }): string {
  return la.laName ? `${la.laName} (${la.laCode})` : `LA ${la.laCode}`;
}

/** The partnership's LAs in words: `Dudley, Sandwell and Walsall`. */
export function partnershipName(las: ReadonlyArray<{ laCode: string; laName: string | null }>): string {
  const names = las.map((la) => la.laName ?? `LA ${la.laCode}`);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
