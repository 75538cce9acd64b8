/** A school's pupil list as the portal uses it, matching the API's `schoolPupils` query. */

export interface PupilRow {
  upn: string;
  forename: string | null;
  surname: string | null;
  ncYear: string | null;
  possibleSessions: number;
  overallAbsence: number;
  daysMissed: number;
  overallAbsenceRate: number | null;
  absenceBand: string | null;
  persistentAbsentee: boolean;
  severeAbsentee: boolean;
}

export interface SchoolPupils {
  urn: number;
  schoolName: string | null;
  academicYear: string;
  scope: 'DFE' | 'OPERATIONAL';
  pupils: PupilRow[];
}

export const SCHOOL_PUPILS_QUERY = /* GraphQL */ `
  query SchoolPupils($urn: Int!, $academicYear: String) {
    schoolPupils(urn: $urn, academicYear: $academicYear, scope: OPERATIONAL) {
      urn schoolName academicYear scope
      pupils { upn forename surname ncYear possibleSessions overallAbsence daysMissed overallAbsenceRate absenceBand persistentAbsentee severeAbsentee }
    }
  }`;

/** `/schools/100001/pupils` → 100001; anything else → null. */
export function parseUrn(value: string): number | null {
  return /^\d{5,7}$/.test(value) ? Number(value) : null;
}
